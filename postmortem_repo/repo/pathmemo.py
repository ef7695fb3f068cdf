"""Resolved and displayed paths of many files, at a system call or less each.

Path.resolve() looks at every component of a path and display_path() asks for the working
folder every time: over a repository of 10,000 post-mortems that is most of a warm run. The
files of a check sit in a few folders, so each folder is resolved (and shown) once.
A memo lives as long as one pass over the files: a later pass sees the files as they are.
"""

from __future__ import annotations

import os
from pathlib import Path

from postmortem_repo.repo.discover import display_path, printable, resolved


class PathMemo:
    def __init__(self) -> None:
        self._real: dict[str, str] = {}
        self._shown: dict[str, str] = {}
        self._files: dict[Path, str] = {}

    def resolved(self, path: Path) -> str:
        """str(path.resolve())."""
        known = self._files.get(path)
        if known is None:
            known = self._files[path] = self._resolve(path)
        return known

    def remember(self, path: Path, resolved: str) -> None:
        """What another process (a worker of a parallel check) resolved path to."""
        self._files[path] = resolved

    def _resolve(self, path: Path) -> str:
        folder, name = os.path.split(os.path.abspath(path))
        if not name or ".." in path.parts or os.path.islink(path):
            return resolved(path)
        real = self._real.get(folder)
        if real is None:
            real = self._real[folder] = resolved(Path(folder))
        return os.path.join(real, name)

    def shown(self, path: Path) -> str:
        """display_path(path)."""
        folder, name = str(path.parent), path.name
        if not name:
            return display_path(path)
        shown = self._shown.get(folder)
        if shown is None:
            shown = self._shown[folder] = display_path(path.parent)
        name = printable(name)
        return name if shown == "." else f"{shown}/{name}" if shown != "/" else f"/{name}"
