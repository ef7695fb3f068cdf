"""What the engine, the repository scan and the generators ask of a result store. The one
store pmrepo ships keeps results in SQLite (store/cache.py); a check without a cache passes
no store at all, and imports no database."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Protocol

from postmortem_repo.store.keys import Facts

if TYPE_CHECKING:
    from postmortem_repo.model.incident import Incident


class Keyed(Protocol):
    """What a store keys results by besides files: the config."""

    def cache_key(self) -> str: ...


class Store(Protocol):
    """Files by stat, results by key, incidents by key; writes are kept until flush()."""

    started_ns: int

    def config_id(self, config: Keyed) -> str: ...

    def known_facts(self, path: str) -> Facts | None: ...

    def facts(self, path: str, status: os.stat_result) -> Facts | None: ...

    def trusts(self, status: os.stat_result) -> bool: ...

    def remember(self, path: str, status: os.stat_result, facts: Facts) -> None: ...

    def get(self, keys: list[str]) -> dict[str, dict[str, Any]]: ...

    def put(self, key: str, entry: str, incident_key: str, incident: str) -> None: ...

    def put_entry(self, key: str, entry: str) -> None: ...

    def get_incidents(self, keys: list[str]) -> dict[str, Incident | None]: ...

    def put_incident(self, key: str, incident: Incident | None) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...
