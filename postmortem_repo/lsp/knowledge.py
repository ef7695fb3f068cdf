"""What the repository holds that hover, completion and go-to-definition tell about: its
incidents, the people its front matter names, the services and tags it uses. Read again
only when a post-mortem file changed on disk."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from postmortem_repo.api import repository_store
from postmortem_repo.model.incident import Incident
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import walk
from postmortem_repo.repo.heads import scan_heads
from postmortem_repo.repo.incidents import load_incidents


@dataclass(frozen=True)
class Knowledge:
    root: Path
    incidents: dict[str, Incident] = field(default_factory=dict)
    people: tuple[str, ...] = ()

    def path_of(self, incident_id: str) -> Path | None:
        incident = self.incidents.get(incident_id)
        return self.root / incident.relpath if incident else None

    @property
    def services(self) -> list[str]:
        return sorted({s for incident in self.incidents.values() for s in incident.services})

    @property
    def tags(self) -> list[str]:
        return sorted({t for incident in self.incidents.values() for t in incident.tags})


class Library:
    """Each repository's knowledge, kept while its post-mortems' stats stay the same."""

    def __init__(self) -> None:
        self._known: dict[Path, tuple[tuple[tuple[str, int, int], ...], Knowledge]] = {}

    def of(self, root: Path, config: Config) -> Knowledge:
        files = walk(root, root, config)
        stamp = tuple(_stat_of(path) for path in files)
        known = self._known.get(root)
        if known is not None and known[0] == stamp:
            return known[1]
        knowledge = _read(root, config)
        self._known[root] = (stamp, knowledge)
        return knowledge


def _read(root: Path, config: Config) -> Knowledge:
    # The incidents of unchanged files come from the check's cache, which learns new ones.
    store = repository_store(root, config)
    try:
        read = load_incidents(root, config, warn=False, cache=store)
    finally:
        if store is not None:
            store.close()
    incidents = {incident.id: incident for incident in read}
    people = {person for head in scan_heads(config, root) for person in head.people}
    return Knowledge(root, incidents, tuple(sorted(people)))


def _stat_of(path: Path) -> tuple[str, int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return str(path), -1, -1
    return str(path), info.st_mtime_ns, info.st_size
