"""The repository as data: one Incident per post-mortem, for the generators and reports."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem_repo.config import Config
from postmortem_repo.discover import printable, relative, walk
from postmortem_repo.document import ActionItem, Document, LoadFailure, parse_document, read_text
from postmortem_repo.layouts import Layout
from postmortem_repo.pathmemo import PathMemo
from postmortem_repo.timeparse import parse_date, parse_timestamp

if TYPE_CHECKING:
    from postmortem_repo.cache import ResultCache

CLOSED_STATUSES = frozenset({"DONE", "WON'T DO", "WONT DO", "CLOSED"})


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    relpath: str  # relative to the repository root, '/'-separated
    title: str
    date: dt.date
    severity: str
    status: str
    services: tuple[str, ...]
    tags: tuple[str, ...]
    started: dt.datetime | None
    detected: dt.datetime | None
    resolved: dt.datetime | None
    security: bool
    security_cleared: bool
    repeat_of: str | None
    related: tuple[str, ...]
    action_items: tuple[ActionItem, ...]

    @property
    def quarter(self) -> tuple[int, int]:
        return self.date.year, (self.date.month - 1) // 3 + 1

    @property
    def duration(self) -> dt.timedelta | None:
        if self.started and self.resolved and self.resolved >= self.started:
            return self.resolved - self.started
        return None

    @property
    def redacted(self) -> bool:
        """A security incident not cleared for publication shows only id, date, severity."""
        return self.security and not self.security_cleared

    @property
    def open_actions(self) -> tuple[ActionItem, ...]:
        return tuple(item for item in self.action_items if not is_closed(item.status))

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        return self.date, self.id


@cache  # a repository's statuses are a handful of strings, asked about many times
def is_closed(status: str) -> bool:
    return " ".join(status.upper().replace("’", "'").split()) in CLOSED_STATUSES


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(item) for item in value if isinstance(item, str | int))
    return (value,) if isinstance(value, str) else ()


def metadata_of(doc: Document, layout: Layout) -> dict[str, object]:
    """The front matter, with what the file itself says where the front matter is silent:
    the id from its path, the title from its first H1, the date of its first dated
    timeline row."""
    found = dict(doc.front_matter.data or {})
    if not isinstance(found.get("id"), str):
        incident_id = layout.id_from_path(doc.relpath)
        if incident_id:
            found["id"] = incident_id
    if not found.get("title"):
        title = next((h.text for h in doc.headings if h.level == 1), None)
        if title:
            found["title"] = title.strip()
    if parse_date(found.get("date")) is None:
        for row in doc.timeline:
            day = parse_date(row.date.strip() or row.time.strip()[:10])
            if day is not None:
                found["date"] = day.isoformat()
                break
    return found


def incident_of(doc: Document, layout: Layout | None = None) -> Incident | None:
    """The incident a document describes; None when it lacks an id or a valid date."""
    data = metadata_of(doc, layout or Layout())
    incident_id, date = data.get("id"), parse_date(data.get("date"))
    if not isinstance(incident_id, str) or date is None:
        return None
    repeat_of = data.get("repeat_of")
    return Incident(
        id=incident_id,
        relpath=doc.relpath,
        title=str(data.get("title") or ""),
        date=date,
        severity=str(data.get("severity") or ""),
        status=str(data.get("status") or ""),
        services=_strings(data.get("services")),
        tags=_strings(data.get("root_cause_tags")),
        started=parse_timestamp(data.get("started_at")),
        detected=parse_timestamp(data.get("detected_at")),
        resolved=parse_timestamp(data.get("resolved_at")),
        # Anything but an absent or a literal false security flag keeps the details private.
        security=data.get("security") not in (None, False),
        security_cleared=data.get("security_cleared") is True,
        repeat_of=repeat_of if isinstance(repeat_of, str) else None,
        related=_strings(data.get("related")),
        action_items=tuple(doc.action_items),
    )


def load_incidents(
    root: Path,
    config: Config,
    *,
    warn: bool = True,
    parsed: dict[str, Incident | None] | None = None,
    cache: ResultCache | None = None,
    paths: PathMemo | None = None,
) -> list[Incident]:
    """Every readable post-mortem under root, oldest first. Files that cannot be read as an
    incident are named on standard error (pmrepo check says why) and left out. parsed:
    incidents already read (by resolved path), so that a check does not parse files twice.
    cache: where the incidents of unchanged files are kept (the check's cache). paths: a
    memo of resolved paths to share (a check has resolved every file already)."""
    incidents = []
    parsed = parsed or {}
    paths = paths or PathMemo()
    seen: set[str] = set()
    walked = walk(root, root, config)
    stored = _stored(walked, root, config, cache) if cache is not None else {}
    for path in walked:
        key = paths.resolved(path)
        if key in seen:  # a symlink to a post-mortem already read: one incident, listed once
            continue
        seen.add(key)
        if key in parsed:
            incident = parsed[key]
        elif (relpath := relative(path, root)) in stored:
            incident = stored[relpath]
        else:
            incident = _read_incident(path, relpath, config, cache)
        if incident is None:
            if warn:
                shown = printable(relative(path, root))
                print(
                    f"pmrepo: warning: {shown}: left out (no readable id and date; "
                    "run 'pmrepo check' for details)",
                    file=sys.stderr,
                )
            continue
        incidents.append(incident)
    return sorted(incidents, key=lambda incident: incident.sort_key)


def _stored(
    paths: list[Path], root: Path, config: Config, cache: ResultCache
) -> dict[str, Incident | None]:
    """relpath → incident of the files the cache knows unchanged."""
    from postmortem_repo.cache import incident_key
    from postmortem_repo.repo_people import file_facts

    keys, config_id = {}, cache.config_id(config)
    for path in paths:
        facts = file_facts(path, cache)
        if facts is not None:
            relpath = relative(path, root)
            keys[incident_key(config_id, relpath, facts.digest)] = relpath
    return {keys[key]: incident for key, incident in cache.get_incidents(list(keys)).items()}


def _read_incident(
    path: Path, relpath: str, config: Config, cache: ResultCache | None = None
) -> Incident | None:
    text = read_text(path, config.max_file_kb)
    if isinstance(text, LoadFailure):
        return None
    doc = parse_document(
        text,
        path=str(path),
        relpath=relpath,
        spec=config.sections,
        max_front_matter_kb=config.max_front_matter_kb,
    )
    incident = incident_of(doc, config.layout)
    if cache is not None:
        from postmortem_repo.cache import digest_of, incident_key

        key = incident_key(cache.config_id(config), relpath, digest_of(text))
        cache.put_incident(key, incident)
    return incident
