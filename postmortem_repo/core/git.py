"""Running git, the one program pmrepo starts (for `check --changed`, first-commit dates and
`pmrepo timeline --source git:`).

Always an argument list, never a shell line. A revision never starts with '-': one that does
(`--changed --output=/tmp/x`) would be taken by git for an option, so it is refused before
git runs. Paths go after `--`, where git takes nothing for an option.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError

TIMEOUT_SECONDS = 120


class GitNotFound(PmrepoError):
    """git is not installed (or not on the PATH)."""


class GitFailed(PmrepoError):
    """git ran and failed, or did not finish in time."""

    def __init__(self, command: Sequence[str], stderr: str) -> None:
        self.command = tuple(command)  # the arguments after 'git'
        self.stderr = stderr
        super().__init__(f"git {' '.join(self.command[:2])}: {stderr.strip() or 'failed'}")


def check_revision(revision: str) -> None:
    """PmrepoError for a revision that git would take for an option."""
    if revision.startswith("-"):
        raise PmrepoError(
            f"{revision}: not a git revision (it starts with '-', which git would take for "
            "an option)"
        )


def run_git(
    folder: Path,
    *options: str,
    revisions: Sequence[str] = (),
    paths: Sequence[str] = (),
    encoding: str | None,
    errors: str | None,
) -> str:
    """git's standard output for `git OPTIONS... REVISIONS... [-- PATHS...]`, run in folder.

    encoding and errors decode the output (both None: the locale's encoding, strictly).
    Raises PmrepoError for a revision that starts with '-' (before anything runs),
    GitNotFound when git is missing, GitFailed when it fails or times out.
    """
    for revision in revisions:
        check_revision(revision)
    command = [*options, *revisions, *(("--", *paths) if paths else ())]
    # Imported here: most checks never run git, and start-up time is the hook's cost.
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        raise GitNotFound("git is not installed (or not on the PATH)")
    try:
        done = subprocess.run(
            [git, *command],
            cwd=folder,
            capture_output=True,
            text=True,
            encoding=encoding,
            errors=errors,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as error:
        if str(error.filename) == str(folder):
            raise GitFailed(command, f"{folder}: no such folder") from error
        raise GitNotFound("git is not installed (or not on the PATH)") from error
    except (OSError, subprocess.SubprocessError) as error:
        raise GitFailed(command, str(error)) from error
    if done.returncode != 0:
        raise GitFailed(command, done.stderr)
    return done.stdout
