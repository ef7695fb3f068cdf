"""Who the repository itself says is a person, beyond its front matter: the authors of its
git commits and the owners its CODEOWNERS file names.

Both are evidence for the blameless rules ("Zoltan deployed the change" names a person
when Zoltan Kovacs commits to the repository), never a requirement: a folder outside git,
or git missing, gives no one.
"""

from __future__ import annotations

import re
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.git import run_git

# The newest commits are enough to know a team; a long history costs time on every check.
MAX_COMMITS = 20_000
CODEOWNERS_PLACES = ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
_BOT = re.compile(r"\[bot\]|\bbot$|-bot\b|^(?:github|gitlab)\b|\bactions?\b", re.IGNORECASE)
_NOREPLY_ID = re.compile(r"^\d+\+")  # GitHub's 123456+handle@users.noreply.github.com


def git_authors(root: Path) -> list[str]:
    """The commit authors of the repository at root: each full name and the local part of
    its email address, from one `git log`. Bots and one-word names (`root`, `ubuntu`,
    a machine's default identity) are left out."""
    try:
        log = run_git(
            root,
            "log",
            f"--max-count={MAX_COMMITS}",
            "--format=%an%x00%ae",
            encoding="utf-8",
            errors="replace",
        )
    except PmrepoError:
        return []
    people: set[str] = set()
    for line in log.splitlines():
        name, _, email = line.partition("\x00")
        people.update(_author(name.strip(), email.strip()))
    return sorted(people)


def _author(name: str, email: str) -> list[str]:
    if len(name.split()) < 2 or _BOT.search(name) or _BOT.search(email.split("@")[0]):
        return []
    local = _NOREPLY_ID.sub("", email.split("@")[0])
    return [name, local] if local and any(char.isalpha() for char in local) else [name]


def codeowners_people(root: Path) -> list[str]:
    """The people a CODEOWNERS file names: `@handle`s and email addresses' local parts.
    Teams (`@org/team`) are groups, not people, and are left out."""
    people: list[str] = []
    for place in CODEOWNERS_PLACES:
        path = root / place
        try:
            text = path.read_text("utf-8", errors="replace") if path.is_file() else ""
        except OSError:
            continue
        for line in text.splitlines():
            people.extend(_owners(line.split("#", 1)[0]))
    return sorted(set(people))


def _owners(line: str) -> list[str]:
    owners = []
    for token in line.split()[1:]:  # the first token is the path pattern
        if token.startswith("@") and "/" not in token and len(token) > 2:
            owners.append(token)
        elif "@" in token and not token.startswith("@"):
            owners.append(token.split("@")[0])
    return owners
