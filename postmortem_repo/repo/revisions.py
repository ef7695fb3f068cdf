"""Which revision of each post-mortem a calendar event comes from: the SEQUENCE and
LAST-MODIFIED of an exported item (RFC 5545), read from git so that a re-export gives the
same file for the same history and a higher SEQUENCE once the post-mortem changed.

A file's revision is the number of commits of the repository up to and including the
last one that changed it (so it never goes down, even when the file is renamed), and that
commit's time. A file changed since (or not committed yet) is one revision further, at
the time it was last written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.git import run_git

_MARK = "\x1e"


@dataclass(frozen=True)
class Revision:
    sequence: int
    modified: dt.datetime  # UTC


def revisions(root: Path, relpaths: Iterable[str]) -> dict[str, Revision]:
    """The revision of each file (relative to root); outside git, revision 0 at the time
    each file was last written."""
    wanted = set(relpaths)
    history = _history(root)
    if history is None:
        return {path: Revision(0, _written(root / path)) for path in wanted}
    total, last = history
    changed = _changed(root)
    found = {}
    for path in wanted:
        if path in changed or path not in last:
            found[path] = Revision(total + 1, _written(root / path))
        else:
            found[path] = last[path]
    return found


def _history(root: Path) -> tuple[int, dict[str, Revision]] | None:
    """(commits in all, each file's last change), or None outside git."""
    log = _git(
        root,
        *("-c", "core.quotePath=false", "log", "--topo-order", "--relative"),
        *("--name-only", f"--format={_MARK}%ct"),
    )
    if log is None:
        return None
    commits = [chunk for chunk in log.split(_MARK) if chunk.strip()]
    last: dict[str, Revision] = {}
    for index, chunk in enumerate(commits):  # newest first
        stamp, *names = chunk.split("\n")
        when = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
        for name in filter(None, names):
            last.setdefault(name, Revision(len(commits) - index, when))
    return len(commits), last


def _changed(root: Path) -> set[str]:
    """Files of root that differ from the last commit, or that git does not track yet."""
    quoted = ("-c", "core.quotePath=false")
    edited = _git(root, *quoted, "diff", "--name-only", "--relative", "HEAD") or ""
    untracked = _git(root, *quoted, "ls-files", "--others", "--exclude-standard") or ""
    return set(filter(None, (edited + "\n" + untracked).split("\n")))


def _written(path: Path) -> dt.datetime:
    try:
        seconds = int(path.stat().st_mtime)
    except OSError:
        seconds = 0
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _git(folder: Path, *args: str) -> str | None:
    try:
        return run_git(folder, *args, encoding="utf-8", errors="surrogateescape")
    except PmrepoError:
        return None
