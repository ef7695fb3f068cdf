"""An incident: what pmrepo's generators and reports know of one post-mortem, read from its
document, and its JSON form (kept in the cache and printed by --format json)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from postmortem_repo.core.stamps import find_date
from postmortem_repo.core.timeparse import parse_date, parse_timestamp
from postmortem_repo.model.document import ActionItem, Document
from postmortem_repo.model.layout import Layout

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
    # Lines of action-item rows whose cells do not match the header (PM306): not items,
    # and never left out silently by what lists them.
    unread_action_rows: tuple[int, ...] = ()

    @property
    def quarter(self) -> tuple[int, int]:
        return self.date.year, (self.date.month - 1) // 3 + 1

    @property
    def duration(self) -> dt.timedelta | None:
        if self.started and self.resolved and self.resolved >= self.started:
            return self.resolved - self.started
        return None

    @property
    def draft(self) -> bool:
        return self.status.strip().upper() == "DRAFT"

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
    timeline row, else the date in its file name, else in its title."""
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
        day = _first_written_date(doc) or file_name_date(doc) or _title_day(doc)
        if day is not None:
            found["date"] = day.isoformat()
    return found


def _first_written_date(doc: Document) -> dt.date | None:
    """The first full date the timeline writes, as written (a Date column, a date
    sub-heading, or the entry's own stamp)."""
    for row in doc.timeline:
        dated = row.stamp if row.stamp is not None and row.stamp.has_date else row.day
        if dated is not None and dated.year and dated.month and dated.day:
            return dt.date(dated.year, dated.month, dated.day)
    return None


def title_date(doc: Document) -> tuple[dt.date, int] | None:
    """The date the H1 title gives, and the title's line."""
    heading = next((h for h in doc.headings if h.level == 1), None)
    day = find_date(heading.text) if heading is not None else None
    return (day, heading.line) if heading is not None and day is not None else None


def _title_day(doc: Document) -> dt.date | None:
    titled = title_date(doc)
    return titled[0] if titled is not None else None


def file_name_date(doc: Document) -> dt.date | None:
    """The date in the file's name ('2019-03-26.md', '2022-01-27-Ramp-Card.md')."""
    return find_date(doc.relpath.rsplit("/", 1)[-1])


def incident_day(doc: Document) -> dt.date | None:
    """The incident's day: the front matter's date, else the file name's, else the
    title's."""
    day = parse_date(doc.data.get("date")) or file_name_date(doc)
    if day is None:
        titled = title_date(doc)
        day = titled[0] if titled else None
    return day


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
        action_items=tuple(item for item in doc.action_items if not is_template_row(item, doc)),
        unread_action_rows=tuple(
            row.line for table, _ in doc.view_tables("action_items") for row in table.bad_rows
        ),
    )


def is_template_row(item: ActionItem, doc: Document) -> bool:
    """A row of the template not yet filled in: its action is a template placeholder (the
    sections schema's, `[Description]`) or empty. It is no action item anyone can do, so it
    is counted nowhere (PM307 asks to fill it in once the post-mortem leaves DRAFT)."""
    action = item.action.strip()
    return not action or any(pattern.fullmatch(action) for pattern in doc.spec.placeholders)


# What the JSON form keeps of an action item: not the cell positions, which only rules use.
_ITEM_FIELDS = tuple(name for name in ActionItem.__dataclass_fields__ if name != "columns")


def incident_to_json(incident: Incident | None) -> dict[str, Any] | None:
    if incident is None:
        return None
    data = {field: getattr(incident, field) for field in Incident.__dataclass_fields__}
    for key in ("date", "started", "detected", "resolved"):
        value = data[key]
        data[key] = value.isoformat() if value is not None else None
    data["action_items"] = [
        {name: getattr(item, name) for name in _ITEM_FIELDS} for item in incident.action_items
    ]
    return data


def encode_incident(incident: Incident | None) -> str:
    return json.dumps(incident_to_json(incident), ensure_ascii=False)


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
        unread_action_rows=tuple(data.get("unread_action_rows", ())),
    )
