"""When a file first entered the repository's git history: the fallback publication time.

One `git log` over the whole work tree answers for every file at once (a per-file
`git log --follow` costs a process each); only files it cannot place (renamed ones) get
the per-file query. A shallow clone (CI's default checkout) has no true first commit, so
it answers nothing rather than a wrong date.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

_MARK = "\x1e"


def _git(folder: Path, *args: str) -> str | None:
    # Imported here: most checks never ask git, and start-up time is the hook's cost.
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return None
    try:
        completed = subprocess.run(
            [git, *args],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout if completed.returncode == 0 else None


@cache
def _work_tree(folder: Path) -> tuple[Path, dict[str, dt.datetime]] | None:
    """(top level, path relative to it → time of the commit that added it), or None when
    there is no usable history."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    if not top:
        return None
    if (_git(folder, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return None
    log = _git(
        Path(top.strip()),
        "log",
        "--diff-filter=A",
        "--no-renames",
        "--name-only",
        f"--format={_MARK}%aI",
    )
    if log is None:
        return None
    added: dict[str, dt.datetime] = {}
    when: dt.datetime | None = None
    for line in log.splitlines():
        if line.startswith(_MARK):
            try:
                when = dt.datetime.fromisoformat(line[1:])
            except ValueError:
                when = None
        elif line and when is not None:
            added[line] = when  # newest first: the last one seen is the earliest add
    return Path(top.strip()).resolve(), added


def first_commit_time(path: Path) -> dt.datetime | None:
    """The author time of the commit that added path; None when git is missing, the
    clone is shallow, or the file has never been committed."""
    if not path.exists():
        return None
    tree = _work_tree(_resolved(path.parent))
    if tree is None:
        return None
    top, added = tree
    try:
        relative = path.resolve().relative_to(top).as_posix()
    except ValueError:
        return None
    if relative in added:
        return added[relative]
    # A file renamed since it was added: follow it back on its own.
    log = _git(path.parent, "log", "--diff-filter=A", "--follow", "--format=%aI", "--", path.name)
    stamps = (log or "").split()
    try:
        return dt.datetime.fromisoformat(stamps[-1]) if stamps else None
    except ValueError:
        return None


@cache
def _resolved(folder: Path) -> Path:
    return folder.resolve()


def forget() -> None:
    """Drop what was read of git history (a new check may see new commits)."""
    _work_tree.cache_clear()
    _resolved.cache_clear()
