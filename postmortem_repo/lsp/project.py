"""Which repository, config and root an editor's document belongs to, and whether pmrepo
checks it at all (a README or a note outside any repository gets no diagnostics)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pygls.uris import to_fs_path

from postmortem_repo.repo.config import Config, find_config, load_config
from postmortem_repo.repo.discover import (
    infer_root,
    is_candidate,
    is_excluded,
    relative,
    repository_root,
)


@dataclass(frozen=True)
class Place:
    """A post-mortem as pmrepo sees it: its file, the repository root and the config."""

    path: Path
    root: Path
    config: Config

    @property
    def relpath(self) -> str:
        return relative(self.path, self.root)


class Projects:
    """Configs read once per config file, and read again when that file changes."""

    def __init__(self) -> None:
        self._configs: dict[Path | None, tuple[int, Config]] = {}

    def config_for(self, path: Path) -> Config:
        """The config of the nearest config file above path (defaults when none).
        Raises PmrepoError for a config pmrepo cannot read."""
        source = find_config(path)
        stamp = _mtime(source)
        known = self._configs.get(source)
        if known is not None and known[0] == stamp:
            return known[1]
        config = load_config(source)
        self._configs[source] = (stamp, config)
        return config

    def repository_of(self, uri: str) -> Place | None:
        """The file at uri in its repository, or None for another scheme or a file outside
        any repository (no config above it and no YYYY/ folder)."""
        path = path_of(uri)
        if path is None:
            return None
        config = self.config_for(path)
        if config.source is None and not _in_year_folder(path):
            return None
        root = repository_root(config, path).absolute()
        if relative(path, root).startswith("../"):
            return None
        return Place(path, root, config)

    def place_of(self, uri: str) -> Place | None:
        """The post-mortem at uri, or None when pmrepo would not check that file: outside a
        repository, excluded, or not a post-mortem by the layout."""
        place = self.repository_of(uri)
        if place is None:
            return None
        relpath = place.relpath
        if is_excluded(relpath, place.config) or not is_candidate(relpath, place.config):
            return None
        return place


def path_of(uri: str) -> Path | None:
    """The absolute file path of a file: URI (None for other schemes)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(os.path.abspath(path)) if path else None


def _in_year_folder(path: Path) -> bool:
    return infer_root(path) != path.parent


def _mtime(path: Path | None) -> int:
    if path is None:
        return 0
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1
