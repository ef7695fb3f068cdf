"""The keys of the result store: hashes of everything a stored result depends on. Hashing
needs no database, so a check without a cache imports none."""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import os
from pathlib import PurePath
from typing import Any, NamedTuple

from postmortem_repo import __version__
from postmortem_repo.core.findings import Finding, Severity
from postmortem_repo.core.fixes import Fix

# Bumped when what is stored, or how its keys are made, changes: older entries are not read.
CACHE_FORMAT = 6


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def describe(value: object) -> str:
    """A text that differs whenever value does, for keys: every compared field of a
    dataclass (whatever its repr shows), mappings in key order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(
            f"{item.name}={describe(getattr(value, item.name))}"
            for item in dataclasses.fields(value)
            if item.compare
        )
        return f"{type(value).__name__}({inner})"
    if isinstance(value, dict):
        items = sorted((describe(key), describe(item)) for key, item in value.items())
        return "{" + ", ".join(f"{key}: {item}" for key, item in items) + "}"
    if isinstance(value, list | tuple | frozenset | set):
        parts = [describe(item) for item in value]
        if isinstance(value, frozenset | set):
            parts.sort()
        return f"{type(value).__name__}[{', '.join(parts)}]"
    if isinstance(value, enum.Enum):
        return repr(value.value)
    if isinstance(value, PurePath):
        return repr(str(value))
    return repr(value)


def fingerprint(config_repr: str, selection_repr: str) -> str:
    return digest(str(CACHE_FORMAT), __version__, config_repr, selection_repr)


def incident_key(config_id: str, relpath: str, content: str) -> str:
    """What a file's Incident depends on: its bytes (content: their hash), its place and
    the config (config_id: the hash of its repr)."""
    return digest(str(CACHE_FORMAT), __version__, config_id, relpath, content)


def digest_of(text: str) -> str:
    """The hash of a file's bytes, from the text they decode to (strict UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def finding_to_json(finding: Finding) -> list[Any]:
    return [
        finding.line,
        finding.column,
        finding.code,
        finding.name,
        finding.severity.value,
        finding.message,
        finding.hint,
        finding.end_line,
        finding.end_column,
        None if finding.fix is None else finding.fix.to_json(),
    ]


def finding_from_json(path: str, data: list[Any]) -> Finding:
    line, column, code, name, severity, message, hint, end_line, end_column, fix = data
    return Finding(
        path,
        int(line),
        int(column),
        code,
        name,
        Severity(severity),
        message,
        hint,
        None if end_line is None else int(end_line),
        None if end_column is None else int(end_column),
        None if fix is None else Fix.from_json(fix),
    )


def stamp_of(status: os.stat_result) -> str:
    return (
        f"{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_size}:"
        f"{status.st_ino}:{status.st_dev}"
    )


class Facts(NamedTuple):
    """What a file's bytes hold, as far as pmrepo needs to know before parsing it."""

    digest: str  # of the bytes
    incident_id: str | None  # the front matter's id (the layout gives one from the name)
    people: tuple[str, ...]  # author, reviewers and the like
    published_at: bool  # the text names a published_at (else git dates the file)
    date: str | None = None  # the front matter's date (YYYY-MM-DD), as written
