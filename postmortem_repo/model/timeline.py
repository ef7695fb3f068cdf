"""The one reader of timeline entries, in every form post-mortems write them: table rows
(with an optional Date column carried across days), one heading per entry, bullet lists,
bare lines that start with a time, and chat-log stamps; with date sub-headings and the
time zone the section declares."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from postmortem_repo.core.stamps import Stamp, leading_stamp, read_stamp
from postmortem_repo.core.timeparse import ZONES
from postmortem_repo.model.outline import Block, Section, Table
from postmortem_repo.model.sections import normalise_heading

FORMS = ("table", "heading", "list", "line", "chat")
DEFAULT_FORMS = ("table",)  # pmrepo's own template writes its timeline as a table

# "All times in PST", "times in BST", "(all times UTC )", "Time (UTC)", "Date and Time in CET"
_ZONE_NAMES = "|".join(ZONES)
_DECLARED = re.compile(
    rf"\btimes?\b[^.()\n]{{0,20}}?\b({_ZONE_NAMES})\b|\(\s*({_ZONE_NAMES})\s*\)", re.IGNORECASE
)
_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_TEXT_BLOCKS = frozenset({"paragraph", "list", "block_quote"})


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One timeline entry: where it is, its time and date as written, what happened."""

    line: int
    time: str
    source: str
    event: str
    date: str = ""  # a Date column or a date sub-heading that the entry falls under
    # 1-based column of each cell by key; "_table": which group of entries it belongs to
    columns: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    form: str = "table"
    stamp: Stamp | None = field(default=None, compare=False, repr=False)
    day: Stamp | None = field(default=None, compare=False, repr=False)  # the date of `date`


@dataclass(frozen=True, slots=True)
class Zone:
    name: str
    tzinfo: dt.tzinfo
    line: int


@dataclass(frozen=True, slots=True)
class Timeline:
    rows: tuple[TimelineRow, ...] = ()
    zone: Zone | None = None  # the zone the timeline declares
    line: int = 0  # the section's heading line (0: no timeline section)


ColumnKey = Callable[[str], str]


def read_timeline(
    section: Section | None,
    lines: list[str],
    forms: tuple[str, ...],
    column_key: ColumnKey,
    preamble: Sequence[tuple[int, str]] = (),
    following: Sequence[Section] = (),
) -> Timeline:
    """The entries of a timeline section in the forms allowed, in document order.
    following: sections after it whose headings are entries of the timeline."""
    if section is None:
        return Timeline()
    rows: list[TimelineRow] = []
    tables = 0
    context = _Dated()
    headers: list[tuple[int, str]] = []
    items = [item for part in (section, *following) for item in _items(part, part is section)]
    for item in items:
        if isinstance(item, Table):
            found = _table_rows(item, lines, column_key, tables)
            if found is not None:
                headers.extend(found[1])
                if "table" in forms:
                    rows.extend(found[0])
                tables += 1
        elif isinstance(item, Section):
            heading = item.heading
            raw = lines[heading.line - 1]
            entry = _heading_entry(raw, heading.text, heading.line, heading.level, context)
            if entry is not None and "heading" in forms:
                rows.append(entry)
        else:
            rows.extend(row for row in _text_rows(item, lines, context) if row.form in forms)
    declared = [(section.heading.line, section.heading.text), *_opening(section, lines)]
    zone = _zone([*declared, *headers, *preamble])
    return Timeline(tuple(rows), zone, section.heading.line)


def _items(section: Section, inside: bool = True) -> Iterator[Table | Section | Block]:
    """Tables, text blocks and sub-headings of a section and its subsections, in order
    (and the section itself first when it is not the one the items are inside)."""
    if not inside:
        yield section
    tables = {table.line: table for table in section.tables}
    entries: list[tuple[int, Table | Section | Block]] = []
    for block in section.blocks:
        if block.kind == "table" and block.line in tables:
            entries.append((block.line, tables[block.line]))
        elif block.kind in _TEXT_BLOCKS:
            entries.append((block.line, block))
    for child in section.children:
        entries.append((child.heading.line, child))
    entries.sort(key=lambda pair: pair[0])
    for _, item in entries:
        yield item
        if isinstance(item, Section):
            yield from _items(item)


def _opening(section: Section, lines: list[str]) -> list[tuple[int, str]]:
    """The section's first lines of text, where a time-zone declaration would be."""
    found: list[tuple[int, str]] = []
    for number in range(section.heading.line + 1, min(section.end_line, len(lines)) + 1):
        text = lines[number - 1].strip()
        if text:
            found.append((number, text))
        if len(found) == 3:
            break
    return found


def _zone(texts: list[tuple[int, str]]) -> Zone | None:
    for line, text in texts:
        match = _DECLARED.search(text)
        if match:
            name = (match.group(1) or match.group(2)).upper()
            return Zone(name, dt.timezone(dt.timedelta(minutes=ZONES[name])), line)
    return None


def _table_rows(
    table: Table, lines: list[str], column_key: ColumnKey, number: int
) -> tuple[list[TimelineRow], list[tuple[int, str]]] | None:
    """A table's entries and its time column's header; None for a table without times."""
    keys = [column_key(header) for header in table.header]
    if "time" not in keys:
        return None
    date_header = table.header[keys.index("date")] if "date" in keys else ""
    year = _YEAR.search(date_header)
    rows = []
    carried: tuple[str, Stamp | None] = ("", None)
    for row in table.rows:
        cells: dict[str, str] = {}
        columns: dict[str, int] = {"_table": number}
        line = lines[row.line - 1]
        for index, key in enumerate(keys):
            if not key or index >= len(row.cells):
                continue
            cells[key] = row.cells[index]
            if index < len(row.spans):
                start, end = row.spans[index]
                text = line[start:end]
                columns[key] = start + 1 + (len(text) - len(text.lstrip()))
        if cells.get("date", "").strip():
            day = read_stamp(cells["date"])
            if day is not None and year and day.year is None:
                day = replace(day, year=int(year.group(1)))
            carried = (cells["date"], day if day is not None and day.has_date else None)
        time = cells.get("time", "")
        rows.append(
            TimelineRow(
                row.line,
                time,
                cells.get("source", ""),
                cells.get("event", ""),
                carried[0],
                columns,
                "table",
                read_stamp(time) if time.strip() else None,
                carried[1],
            )
        )
    time_header = table.header[keys.index("time")]
    return rows, [(table.line, time_header), (table.line, date_header)]


def _heading_entry(
    raw: str, text: str, line: int, level: int, context: _Dated
) -> TimelineRow | None:
    """A heading with a time is an entry; a heading with a date alone dates what follows."""
    found = leading_stamp(text) if 2 <= level <= 4 else None
    if found is None:
        return None
    stamp, offset, rest = found
    if stamp.hours is None and not stamp.error:
        context.text, context.stamp = stamp.text, stamp
        return None
    column = raw.find(text) + offset + 1 if text in raw else 1
    columns = {"time": column, "_table": -1}
    return TimelineRow(
        line, stamp.text, "", rest, context.text, columns, "heading", stamp, context.stamp
    )


@dataclass
class _Dated:
    """The date sub-heading or date line that the entries after it fall under."""

    text: str = ""
    stamp: Stamp | None = None


def _text_rows(block: Block, lines: list[str], context: _Dated) -> Iterator[TimelineRow]:
    """Entries of a paragraph or a list, one per line that starts with a time; a line
    that holds a date alone dates the lines after it."""
    listed = block.kind == "list"
    for number in range(block.line, block.end_line + 1):
        line = lines[number - 1]
        marker = _MARKER.match(line)
        if listed and marker is None:
            continue  # an item's continuation line
        start = marker.end() if marker else 0
        found = leading_stamp(line[start:])
        if found is None:
            continue
        stamp, offset, rest = found
        if stamp.hours is None and not rest and not stamp.error:
            context.text, context.stamp = stamp.text, stamp
            continue
        chat = line[start + offset - 1 : start + offset] == "["
        form = "chat" if chat else "list" if marker else "line"
        columns = {"time": start + offset + 1, "_table": -1}
        yield TimelineRow(
            number, stamp.text, "", rest, context.text, columns, form, stamp, context.stamp
        )


def timeline_names(names: tuple[str, ...]) -> re.Pattern[str]:
    """A heading that names the timeline among other words ('Timeline (all times PST)
    04/23/2023 - 05/03/2023', 'Incident Timeline')."""
    words = "|".join(re.escape(normalise_heading(name)) for name in names)
    return re.compile(rf"(?:^|\W)(?:{words})(?:$|\W)")
