"""When a file first entered the repository's git history: the fallback publication time."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from functools import cache
from pathlib import Path


@cache
def first_commit_time(path: Path) -> dt.datetime | None:
    """The author time of the commit that added path (following renames); None when git
    is missing, the file is not committed, or the folder is not a git repository."""
    git = shutil.which("git")
    if git is None or not path.exists():
        return None
    try:
        completed = subprocess.run(
            [git, "log", "--diff-filter=A", "--follow", "--format=%aI", "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = completed.stdout.split()
    if completed.returncode != 0 or not lines:
        return None
    try:
        return dt.datetime.fromisoformat(lines[-1])
    except ValueError:
        return None
