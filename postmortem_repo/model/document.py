"""The parsed post-mortem: front matter with positions, an outline of sections, typed views."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from postmortem_repo.core.reading import DEFAULT_MAX_FILE_KB, DEFAULT_MAX_FRONT_MATTER_KB
from postmortem_repo.core.stamps import leading_stamp
from postmortem_repo.core.textpos import LineIndex, normalise
from postmortem_repo.model.directives import (
    NONE,
    Directives,
    might_hold_directives,
    read_directives,
)
from postmortem_repo.model.frontmatter import FrontMatter, parse_front_matter
from postmortem_repo.model.outline import (
    Heading,
    Section,
    Table,
    build_outline,
    parse_blocks,
    renumber,
)
from postmortem_repo.model.sections import (
    SectionSpec,
    SectionsSpec,
    TableSpec,
    heading_key,
    normalise_heading,
)
from postmortem_repo.model.timeline import (
    DEFAULT_FORMS,
    Timeline,
    TimelineRow,
    read_timeline,
    timeline_names,
)

__all__ = ["Document", "TimelineRow", "parse_document"]


@dataclass(frozen=True, slots=True)
class LoadFailure:
    """A file that could not be read as UTF-8 text. kind: unreadable or encoding."""

    kind: str
    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class MatchedSection:
    """A section of the document with the spec it matched (None for an unknown heading)."""

    section: Section
    spec: SectionSpec | None
    order: int | None


@dataclass(frozen=True, slots=True)
class ActionItem:
    line: int
    number: str
    action: str
    owner: str
    priority: str
    due: str
    status: str
    # 1-based column of each cell by key, for findings that point at a cell
    columns: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


# An item's number is its key in trackers (INC-2024-0015-2): a whole number from 1.
_ITEM_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def numbering_problems(rows: Iterable[tuple[int, str]]) -> dict[int, str]:
    """What is wrong with the number of each action-item row of one post-mortem, by line:
    none, not a whole number, or one an earlier row has."""
    problems: dict[int, str] = {}
    first: dict[str, int] = {}
    for line, number in rows:
        text = number.strip()
        if not text:
            problems[line] = "has no number in its # cell"
        elif not _ITEM_NUMBER.fullmatch(text):
            problems[line] = f"number '{text}' is not a whole number from 1"
        elif text in first:
            problems[line] = f"number {text} is taken by the item on line {first[text]}"
        else:
            first[text] = line
    return problems


@dataclass(frozen=True, slots=True)
class Metric:
    line: int
    name: str
    value: str
    columns: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Document:
    path: str
    relpath: str
    text: str
    lines: list[str]
    front_matter: FrontMatter
    headings: list[Heading]
    outline: Section
    spec: SectionsSpec = field(repr=False)
    directives: Directives = field(default=NONE, repr=False)
    _subsections: dict[int, list[MatchedSection]] = field(default_factory=dict, repr=False)
    _all_sections: list[MatchedSection] | None = field(default=None, repr=False)
    _views: dict[str, list[tuple[int, dict[str, str], dict[str, int]]]] = field(
        default_factory=dict, repr=False
    )

    @property
    def data(self) -> dict[str, object]:
        return self.front_matter.data or {}

    @property
    def last_line(self) -> int:
        """The last line that has text (a final newline does not start a line)."""
        count = len(self.lines)
        return max(1, count - 1 if count > 1 and self.lines[-1] == "" else count)

    @property
    def status(self) -> str | None:
        value = self.data.get("status")
        return value if isinstance(value, str) else None

    @cached_property
    def sections(self) -> list[MatchedSection]:
        """Sections at the spec's section level, in document order."""
        return [
            self._match(section, self.spec.sections)
            for section in at_level(self.outline, self.spec.section_level)
        ]

    def subsections(self, matched: MatchedSection) -> list[MatchedSection]:
        key = id(matched.section)
        if key not in self._subsections:
            specs = matched.spec.subsections if matched.spec else ()
            self._subsections[key] = [
                self._match(child, specs)
                for child in at_level(matched.section, self.spec.subsection_level)
            ]
        return self._subsections[key]

    def _match(self, section: Section, specs: tuple[SectionSpec, ...]) -> MatchedSection:
        orders = _orders(specs)
        text = section.heading.text
        order = orders.get(normalise_heading(text))
        if order is None and "(" in text:
            order = orders.get(heading_key(text))
        return MatchedSection(section, None if order is None else specs[order], order)

    def view_table(self, view: str) -> tuple[Table, TableSpec] | None:
        """The first table of the section whose spec declares this view."""
        found = self.spec.table_for_view(view)
        if found is None:
            return None
        owner, table_spec = found
        for matched in self.all_sections():
            if matched.spec is owner:
                tables = tables_within(matched.section)
                return (tables[0], table_spec) if tables else None
        return None

    def view_line(self, view: str) -> int:
        """Where a finding about a view's table goes: the table's first line, else the
        status in the front matter (whose value is what asks for the table)."""
        found = self.view_table(view)
        if found is not None:
            return found[0].line
        return self.front_matter.position(("status",), of_value=True)[0]

    def view_misplaced(self, view: str) -> bool:
        """Whether the view's section is not where the schema puts it but a heading of its
        name stands at another level ('### Sign-off'): PM301 reports the heading, and the
        view's rules have nothing to read until it is fixed."""
        found = self.spec.table_for_view(view)
        if found is None or any(m.spec is found[0] for m in self.all_sections()):
            return False
        names = {normalise_heading(name) for name in found[0].names()}
        return any(heading_key(heading.text) in names for heading in self.headings)

    def all_sections(self) -> list[MatchedSection]:
        """Sections and their subsections, in document order (one list, made once)."""
        if self._all_sections is None:
            self._all_sections = []
            for matched in self.sections:
                self._all_sections.append(matched)
                self._all_sections.extend(self.subsections(matched))
        return self._all_sections

    def view_tables(self, view: str) -> list[tuple[Table, TableSpec]]:
        """Every table of the view's section (and its subsections) that has the view's
        columns: the first one always, later ones when they share two or more columns (an
        Action Items section split into short-term and long-term tables)."""
        found = self.view_table(view)
        if found is None:
            return []
        first, table_spec = found
        owner = self.spec.table_for_view(view)
        tables = [first]
        for matched in self.all_sections():
            if owner is not None and matched.spec is owner[0]:
                for table in tables_within(matched.section)[1:]:
                    keys = {_column_key(header, table_spec) for header in table.header} - {""}
                    if len(keys) >= 2:
                        tables.append(table)
                break
        return [(table, table_spec) for table in tables]

    def view_rows(self, view: str) -> list[tuple[int, dict[str, str]]]:
        """Rows of a view's tables as (line, {column key: cell text})."""
        return [(line, cells) for line, cells, _ in self.view_cells(view)]

    def view_cells(self, view: str) -> list[tuple[int, dict[str, str], dict[str, int]]]:
        """Rows as (line, {key: cell text}, {key: 1-based column of the cell})."""
        if view not in self._views:
            self._views[view] = self._view_cells(view)
        return self._views[view]

    def _view_cells(self, view: str) -> list[tuple[int, dict[str, str], dict[str, int]]]:
        rows = []
        for number, (table, table_spec) in enumerate(self.view_tables(view)):
            keys = [_column_key(header, table_spec) for header in table.header]
            keyed = [(index, key) for index, key in enumerate(keys) if key]
            for row in table.rows:
                line, spans = self.lines[row.line - 1], row.spans
                # "_table": which of the view's tables the row is in (0 for the first)
                cells, columns = {}, {"_table": number}
                for index, key in keyed:  # rows have as many cells as the header
                    cells[key] = row.cells[index]
                    if index < len(spans):
                        start, end = spans[index]
                        text = line[start:end]
                        columns[key] = start + 1 + (len(text) - len(text.lstrip()))
                rows.append((row.line, cells, columns))
        return rows

    @cached_property
    def timeline_section(self) -> Section | None:
        """The timeline's section: the one the sections schema names, else a heading that
        names it among other words ('## Timeline (times in BST)')."""
        owner = self.spec.timeline_spec()
        if owner is None:
            return None
        for matched in self.all_sections():
            if matched.spec is owner:
                return matched.section
        return self.named_timeline_section(owner.names())

    def named_timeline_section(self, names: tuple[str, ...]) -> Section | None:
        """The first section whose heading names the timeline among other words."""
        pattern = timeline_names(names)
        return _first_section(self.outline, lambda text: bool(pattern.search(text)))

    @property
    def timeline_forms(self) -> tuple[str, ...]:
        """The forms the sections schema reads the timeline in."""
        owner = self.spec.timeline_spec()
        return (owner.timeline_forms or DEFAULT_FORMS) if owner else DEFAULT_FORMS

    @cached_property
    def timeline_read(self) -> Timeline:
        """The timeline's entries in the forms the sections schema allows, and its zone."""
        owner = self.spec.timeline_spec()
        forms = self.timeline_forms
        table_spec = owner.table if owner is not None else None

        def column_key(header: str) -> str:
            key = _column_key(header, table_spec) if table_spec else ""
            return key or guessed_column_key(header)

        section = self.timeline_section
        following = _dated_siblings(self.outline, section) if section else []
        preamble = self._preamble()
        return read_timeline(section, self.lines, forms, column_key, preamble, following)

    @property
    def timeline(self) -> list[TimelineRow]:
        return list(self.timeline_read.rows)

    def _preamble(self) -> list[tuple[int, str]]:
        """The text before the first section, where a report may say 'All times in PDT'."""
        first = next((h.line for h in self.headings if h.level >= 2), len(self.lines) + 1)
        start = self.text.count("\n", 0, self.front_matter.body_offset) + 1
        found = []
        for number in range(start, min(first, len(self.lines) + 1)):
            text = self.lines[number - 1].strip()
            if text and not text.startswith("#"):
                found.append((number, text))
        return found[:15]

    @cached_property
    def action_items(self) -> list[ActionItem]:
        return [
            ActionItem(
                line,
                number=row.get("number", ""),
                action=row.get("action", ""),
                owner=row.get("owner", ""),
                priority=row.get("priority", ""),
                due=row.get("due", ""),
                status=row.get("status", ""),
                columns=columns,
            )
            for line, row, columns in self.view_cells("action_items")
        ]

    @cached_property
    def metrics(self) -> list[Metric]:
        return [
            Metric(line, row.get("metric", ""), row.get("value", ""), columns)
            for line, row, columns in self.view_cells("metrics")
        ]


# Each spec tuple's names (normalised) → the position of the first spec that has the name.
# Keyed by identity: the tuples live as long as the config, and the entry keeps them alive
# (a few configs' worth at most).
_ORDERS: dict[int, tuple[tuple[SectionSpec, ...], dict[str, int]]] = {}
_MAX_ORDERS = 256


def _orders(specs: tuple[SectionSpec, ...]) -> dict[str, int]:
    known = _ORDERS.get(id(specs))
    if known is None or known[0] is not specs:
        if len(_ORDERS) >= _MAX_ORDERS:
            _ORDERS.clear()
        orders: dict[str, int] = {}
        for order, spec in enumerate(specs):
            for name in spec.names():
                orders.setdefault(normalise_heading(name), order)
        known = _ORDERS[id(specs)] = (specs, orders)
    return known[1]


def _column_key(header: str, table_spec: TableSpec) -> str:
    for column in table_spec.columns:
        if column.matches(header):
            return column.key
    # A Date column next to a Time column: timelines that span days keep dates apart.
    return "date" if _DATE_HEADER.match(normalise_heading(header)) else ""


_DATE_HEADER = re.compile(r"^(?:date|day)\b(?!.*\btime)")
_GUESSED = (
    ("time", re.compile(r"^(?:time|when|timestamp)\b|\btime\b")),
    ("event", re.compile(r"^(?:event|description|what|action|details?)\b")),
    ("source", re.compile(r"^(?:source|who|actor)\b")),
)


def guessed_column_key(header: str) -> str:
    """A timeline column's key from its header, for a table the sections schema does not
    describe ('Time (PT)', 'Date and Time in CET', 'Date (2022)', 'Description')."""
    text = normalise_heading(header)
    if _DATE_HEADER.match(text):
        return "date"
    return next((key for key, pattern in _GUESSED if pattern.search(text)), "")


def _dated_siblings(root: Section, section: Section) -> list[Section]:
    """The sections right after the timeline's, at its level, whose headings are its
    entries ('## Timeline' then '## Feb 21, 13:00', '## Feb 21, 14:10')."""
    parent = _parent_of(root, section)
    if parent is None:
        return []
    after = parent.children[parent.children.index(section) + 1 :]
    found = []
    for sibling in after:
        if leading_stamp(sibling.heading.text) is None:
            break
        found.append(sibling)
    return found


def _parent_of(root: Section, section: Section) -> Section | None:
    if any(child is section for child in root.children):
        return root
    for child in root.children:
        found = _parent_of(child, section)
        if found is not None:
            return found
    return None


def _first_section(section: Section, wanted: Callable[[str], bool]) -> Section | None:
    for child in section.children:
        if child.heading.level >= 2 and wanted(normalise_heading(child.heading.text)):
            return child
        found = _first_section(child, wanted)
        if found is not None:
            return found
    return None


def at_level(section: Section, level: int) -> list[Section]:
    """Descendants at a heading level, looking through shallower headings (e.g. an H1)."""
    found = []
    for child in section.children:
        if child.heading.level == level:
            found.append(child)
        elif child.heading.level < level:
            found.extend(at_level(child, level))
    return found


def tables_within(section: Section) -> list[Table]:
    tables = list(section.tables)
    for child in section.children:
        tables.extend(tables_within(child))
    return tables


def parse_document(
    text: str,
    *,
    path: str,
    relpath: str,
    spec: SectionsSpec,
    max_front_matter_kb: int = DEFAULT_MAX_FRONT_MATTER_KB,
) -> Document:
    """Parse a document's text; never raises on content (problems become data)."""
    text = normalise(text)
    lines = text.split("\n")
    index = LineIndex.of_lines(lines)
    front_matter = parse_front_matter(text, index, max_front_matter_kb * 1024)
    directives = NONE
    if might_hold_directives(text):
        directives = read_directives(lines, front_matter.close_line)
    view = _structure_view(lines, directives)
    if view is None:
        headings, outline = _outline(text, lines, index, front_matter.body_offset)
    else:
        view_lines, origin = view
        view_index = LineIndex.of_lines(view_lines)
        view_text = "\n".join(view_lines)
        headings, outline = _outline(view_text, view_lines, view_index, front_matter.body_offset)
        renumber(headings, outline, origin, index.count)
    return Document(path, relpath, text, lines, front_matter, headings, outline, spec, directives)


def _outline(
    text: str, lines: list[str], index: LineIndex, offset: int
) -> tuple[list[Heading], Section]:
    # Blank out the front matter so that body offsets are offsets into the whole file.
    body = "\n" * text.count("\n", 0, offset) + text[offset:] if offset else text
    blocks = parse_blocks(body, index.blanked(offset) if offset else index, lines)
    return build_outline(blocks, lines, index.count)


def _structure_view(lines: list[str], directives: Directives) -> tuple[list[str], list[int]] | None:
    """The lines the Markdown structure is read from when directives sit in the body: a
    line that holds only a directive left out (a comment between two table rows would
    end the table), a directive that ends a line cut off (it would be a table's extra
    cell); with each kept line's number in the file. None when there is nothing to hide."""
    if not directives.alone and not directives.trailing:
        return None
    view = list(lines)
    for number, start in directives.trailing:
        view[number - 1] = view[number - 1][:start]
    origin = [number for number in range(1, len(lines) + 1) if number not in directives.alone]
    return [view[number - 1] for number in origin], origin


def read_buffer(text: str, max_kb: int = DEFAULT_MAX_FILE_KB) -> str | LoadFailure:
    """A text that stands for a file (an editor's buffer), within the same size limit."""
    size = len(text.encode("utf-8", "surrogatepass"))
    return _too_large(size, max_kb) if size > max_kb * 1024 else text


def read_text(path: Path, max_kb: int = DEFAULT_MAX_FILE_KB) -> str | LoadFailure:
    """The file's text, or why it cannot be read (as data, never an exception)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return LoadFailure(
            "unreadable",
            1,
            1,
            "the file name is not valid UTF-8: rename it (git, links and "
            "indexes need a name every tool can spell)",
        )
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            return LoadFailure("unreadable", 1, 1, "this is a directory, not a file: rename it")
        if not stat.S_ISREG(status.st_mode):
            # A FIFO or device would block or never end: never open one.
            return LoadFailure("unreadable", 1, 1, "this is not a regular file")
        if status.st_size > max_kb * 1024:
            return _too_large(status.st_size, max_kb)
        with path.open("rb") as handle:
            raw = handle.read(max_kb * 1024 + 1)  # the file may have grown since stat
        if len(raw) > max_kb * 1024:
            return _too_large(len(raw), max_kb)
    except OSError as error:
        reason = error.strerror or str(error)
        return LoadFailure("unreadable", 1, 1, f"cannot read the file: {reason}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        return LoadFailure(
            "encoding",
            line,
            column,
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x}): re-save the file as UTF-8",
        )


def _too_large(size: int, max_kb: int) -> LoadFailure:
    return LoadFailure(
        "too_large",
        1,
        1,
        f"the file is {size / 1024:,.0f} KB, over the limit of {max_kb:,} KB "
        "(limits.max_file_kb in the config): move logs and dumps to linked files",
    )
