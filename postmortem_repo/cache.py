"""A per-file result cache: a warm run reads each unchanged post-mortem, hashes it and takes
its findings from the cache instead of parsing it again.

An entry's key is the hash of everything a file's findings depend on: its bytes and its
place in the repository, pmrepo's version, the config and the rule selection (schemas
included), what the repository tells the per-file rules (the people and incident ids it
names), and, for the publishing deadline, when git first saw the file. Entries are JSON
files written atomically; one that cannot be read is ignored (and rewritten), never
trusted. The folder holds a `.gitignore` and a `CACHEDIR.TAG`, so neither git nor backup
tools pick it up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from postmortem_repo import __version__
from postmortem_repo.document import ActionItem
from postmortem_repo.findings import Finding, Severity
from postmortem_repo.incidents import Incident
from postmortem_repo.writer import write_atomic

CACHE_FORMAT = 1
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by pmrepo.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def fingerprint(config_repr: str, selection_repr: str) -> str:
    return digest(str(CACHE_FORMAT), __version__, config_repr, selection_repr)


class ResultCache:
    """Entries under folder/v1/ab/abcdef….json."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ready = False

    def _prepare(self) -> bool:
        if self.ready:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, text in (
                (".gitignore", "# Created by pmrepo\n*\n"),
                ("CACHEDIR.TAG", CACHEDIR_TAG),
            ):
                marker = self.folder / name
                if not marker.exists():
                    write_atomic(marker, text)
        except OSError:
            return False
        self.ready = True
        return True

    def _path(self, key: str) -> Path:
        return self.folder / f"v{CACHE_FORMAT}" / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self._path(key).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None  # a damaged or foreign entry: recompute
        return data

    def put(self, key: str, entry: dict[str, Any]) -> None:
        if not self._prepare():
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({**entry, "key": key}, ensure_ascii=False))
        except OSError:
            pass  # a cache that cannot be written only costs time


def finding_to_json(finding: Finding) -> list[Any]:
    return [
        finding.line,
        finding.column,
        finding.code,
        finding.name,
        finding.severity.value,
        finding.message,
        finding.hint,
    ]


def finding_from_json(path: str, data: list[Any]) -> Finding:
    line, column, code, name, severity, message, hint = data
    return Finding(path, int(line), int(column), code, name, Severity(severity), message, hint)


def incident_to_json(incident: Incident | None) -> dict[str, Any] | None:
    if incident is None:
        return None
    data = dataclasses.asdict(incident)
    for key in ("date", "started", "detected", "resolved"):
        value = data[key]
        data[key] = value.isoformat() if value is not None else None
    data["action_items"] = [
        {k: v for k, v in item.items() if k != "columns"} for item in data["action_items"]
    ]
    return data


def incident_from_json(data: dict[str, Any] | None) -> Incident | None:
    if data is None:
        return None
    moments = {
        key: dt.datetime.fromisoformat(data[key]) if data[key] else None
        for key in ("started", "detected", "resolved")
    }
    return Incident(
        id=data["id"],
        relpath=data["relpath"],
        title=data["title"],
        date=dt.date.fromisoformat(data["date"]),
        severity=data["severity"],
        status=data["status"],
        services=tuple(data["services"]),
        tags=tuple(data["tags"]),
        started=moments["started"],
        detected=moments["detected"],
        resolved=moments["resolved"],
        security=data["security"],
        security_cleared=data["security_cleared"],
        repeat_of=data["repeat_of"],
        related=tuple(data["related"]),
        action_items=tuple(ActionItem(**item) for item in data["action_items"]),
    )
