"""When a file first entered the repository's git history: the fallback publication time.

One `git log` over the whole work tree answers for every file at once (a per-file
`git log --follow` costs a process each); only files it cannot place (renamed ones) get
the per-file query. A shallow clone (CI's default checkout) has no true first commit, so
it answers nothing rather than a wrong date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.git import run_git

_MARK = "\x1e"


def _git(folder: Path, *args: str) -> str | None:
    """git's output, or None when git is missing or fails (the date is then unknown)."""
    try:
        # Names read as they are may be any bytes: undecodable ones are kept as the
        # file system's names are (surrogate escapes), so that they still match.
        return run_git(folder, *args, encoding="utf-8", errors="surrogateescape")
    except PmrepoError:
        return None


class GitDates:
    """When files first entered git, read once per check: a check made after new commits
    makes a new one (nothing is kept between checks)."""

    def __init__(self) -> None:
        self._tops: dict[Path, Path | None] = {}
        self._histories: dict[Path, dict[str, dt.datetime] | None] = {}
        self._folders: dict[Path, Path] = {}  # a folder → where it really is

    def first_commit_time(self, path: Path) -> dt.datetime | None:
        """The author time of the commit that added path; None when git is missing, the
        clone is shallow, or the file has never been committed."""
        if not path.exists():
            return None
        top = self._top_level(self._resolved(path.parent))
        added = self._history(top) if top is not None else None
        if top is None or added is None:
            return None
        try:
            relative = path.resolve().relative_to(top).as_posix()
        except ValueError:
            return None
        if relative in added:
            return added[relative]
        # A file renamed since it was added: follow it back on its own.
        log = _git(
            path.parent, "log", "--diff-filter=A", "--follow", "--format=%aI", "--", path.name
        )
        stamps = (log or "").split()
        try:
            return dt.datetime.fromisoformat(stamps[-1]) if stamps else None
        except ValueError:
            return None

    def _resolved(self, folder: Path) -> Path:
        if folder not in self._folders:
            self._folders[folder] = folder.resolve()
        return self._folders[folder]

    def _top_level(self, folder: Path) -> Path | None:
        """The work tree a folder is in (asked per folder: a nested repository has its own)."""
        if folder not in self._tops:
            top = _git(folder, "rev-parse", "--show-toplevel")
            self._tops[folder] = Path(top.strip()).resolve() if top and top.strip() else None
        return self._tops[folder]

    def _history(self, top: Path) -> dict[str, dt.datetime] | None:
        if top not in self._histories:
            self._histories[top] = _read_history(top)
        return self._histories[top]


def _read_history(top: Path) -> dict[str, dt.datetime] | None:
    """Path relative to the work tree → time of the commit that added it, read once per
    work tree; None when there is no usable history (a shallow clone). A path that a
    rename made is left out: the per-file query follows it back to its first name."""
    if (_git(top, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return None
    # Names as they are (not C-quoted), so that a file with an accent is found too; renames
    # detected whatever the user's config says, so that a renamed file is not taken as
    # added by its rename.
    log = _git(
        top,
        *("-c", "core.quotePath=false", "log", "-M", "--diff-filter=AR"),
        *("--name-status", f"--format={_MARK}%aI"),
    )
    if log is None:
        return None
    added: dict[str, dt.datetime] = {}
    renamed: set[str] = set()
    when: dt.datetime | None = None
    for line in log.split("\n"):  # not splitlines(), which also splits at the mark
        if line.startswith(_MARK):
            try:
                when = dt.datetime.fromisoformat(line[1:])
            except ValueError:
                when = None
            continue
        status, _, names = line.partition("\t")
        if when is None or not names:
            continue
        if status == "A" and names not in renamed:
            added[names] = when  # newest first: the last one seen is the earliest add
        elif status.startswith("R") and "\t" in names:
            # Renamed into: unless added again since, its first add is under another name
            # (an earlier add of this path, before a delete, is not this file's).
            target = names.split("\t")[1]
            if target not in added:
                renamed.add(target)
    return added
