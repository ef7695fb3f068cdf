"""The prose of a post-mortem, as text the language rules can read, with exact positions.

A unit is one paragraph, one list item or one table cell, labelled with its section
("Root Cause Analysis / Root Cause"). What a writer quotes or shows rather than says is
masked with spaces so that offsets keep pointing at the source: inline code, quoted text,
HTML comments and tags, links (a link's text names a page; it makes no claim) and URLs.
Code blocks, HTML blocks and headings are not prose; block quotes are (a chat log pasted in
is published with the post-mortem). Table cells that name
people as a matter of record (Owner, Source, Name, Role ...) are left out, and so are the
sign-off and metrics tables.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from postmortem_repo.core.markup import CodeSpans
from postmortem_repo.model.document import Document
from postmortem_repo.model.outline import Block, Section, Table, cell_spans
from postmortem_repo.model.people import word_set
from postmortem_repo.model.sections import SectionSpec, normalise_heading


@dataclass(frozen=True, slots=True)
class ProseUnit:
    section: str
    line: int
    column: int  # 1-based column of text[0] on its line
    text: str  # masked; may span lines
    column_key: str = ""  # for a table cell: its column's key or header
    # Where text's lines start, found when a position is first asked for: most units have
    # no finding, and finding them for every unit cost more than the rest of its making.
    _newlines: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of an offset into text."""
        try:
            found = self._newlines
        except AttributeError:
            found = tuple(m.start() for m in re.finditer("\n", self.text))
            object.__setattr__(self, "_newlines", found)
        newlines = bisect.bisect_left(found, offset)
        if not newlines:
            return self.line, self.column + offset
        return self.line + newlines, offset - found[newlines - 1]


RECORD_COLUMNS = word_set(
    """time source owner owners name names role date due priority status # no who actor
    actors assignee reviewer reviewers approver approvers author authors team signature
    signed"""
)

# What is masked, as one regex would find it left to right:
#   <!--.*?-->  |  (`+)(?:(?!\1).){1,2000}?\1  |  the alternatives of _MASK below.
# HTML comments and code spans are found by plain scans (core.markup): as regex branches,
# a long run of backticks or of unclosed '<!--' took time that grew with its square.
# Every bounded repeat of _MASK is possessive: none can give back a character its closing
# one needs (each excludes it), so they match what the greedy ones matched, without
# retrying every shorter length when the closing character is missing.
_MASK = re.compile(
    # Every alternative begins with one of these characters: saying so up front lets the
    # regex skip all other characters at once instead of trying each alternative at each.
    "(?=[<\\[\"\u201c\u2018'h])(?:"
    r"\[[^\]\n]{0,400}+\]\([^)\n]{0,400}+\)"
    r"|<[A-Za-z/!][^>\n]{0,400}+>"
    r"|https?://\S+"
    r'|"[^"]{1,400}+"'
    r"|\u201c[^\u201d]{1,400}+\u201d"
    r"|\u2018[^\u2019]{1,400}+\u2019"
    r"|(?<![\w'\u2019])'[^'\n]{1,200}+'(?!\w)"
    ")",
)
_CODE_SPAN_LIMIT = 2000
_EMPHASIS = re.compile(r"(?<!\w)[*_~]+|[*_~]+(?!\w)")
_LIST_MARKER = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])(\s+(?:\[[ xX]\]\s+)?|$)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_NOT_PROSE = frozenset({"heading", "block_code", "block_html", "thematic_break"})
# The '>' marks that open each line of a block quote (nested ones too).
_QUOTE_MARKS = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")


_OPENING_SINGLE_QUOTE = re.compile(r"(?<![\w'\u2019])'")


def mask(text: str) -> str:
    """Blank out what is quoted or shown rather than said, keeping every offset."""
    quoted = "'" in text and _OPENING_SINGLE_QUOTE.search(text) is not None
    if not quoted and "://" not in text and not _holds_masked_start(text):
        blanked = text
    else:
        blanked = _blank_spans(text, _masked_spans(text))
    if "[~" in blanked:
        blanked = _JIRA_MENTION.sub(r" @\1 ", blanked)
    if not _holds_emphasis(text):
        return blanked
    return _EMPHASIS.sub(lambda m: " " * len(m.group()), blanked)


# Jira's mention, '[~mkowalski]', read as the handle '@mkowalski' (same length: offsets keep).
_JIRA_MENTION = re.compile(r"\[~([\w.@-]+)\]")


# Written out, these substring tests cost a seventh of the set of a unit's characters.
def _holds_masked_start(text: str) -> bool:
    """Whether text holds a character a quote, code span, link or tag begins with."""
    return (
        "<" in text
        or "`" in text
        or "[" in text
        or '"' in text
        or "\u201c" in text
        or "\u2018" in text
    )


def _holds_emphasis(text: str) -> bool:
    return "*" in text or "_" in text or "~" in text


def _masked_spans(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of everything masked: at each offset, the earliest of a comment,
    a code span and a match of _MASK (a comment before a tag at the same '<'). Each source
    is searched again only once what it found is passed, so no text is read twice."""
    position = 0
    comment: tuple[int, int] | None = None
    close = 0  # the first '-->' after the last opening looked at; -1: none is left
    if "<!--" in text:
        comment = (-1, -1)  # found at the loop's start
    spans = CodeSpans(text, _CODE_SPAN_LIMIT) if "`" in text else None
    codes = spans.after(0) if spans is not None else iter(())
    code = next(codes, None)
    match = _MASK.search(text)
    while True:
        if comment is not None and comment[0] < position:
            # <!--.*?--> from position: the first opening, closed by the first '-->' at
            # least four characters on; without one, no later opening is closed either.
            opening = text.find("<!--", position)
            if opening >= 0 and close >= 0 and close < opening + 4:
                close = text.find("-->", opening + 4)
            comment = (opening, close + 3) if opening >= 0 and close >= 0 else None
        if code is not None and code[0] < position and spans is not None:
            codes = spans.after(position)
            code = next(codes, None)
        if match is not None and match.start() < position:
            match = _MASK.search(text, position)
        candidates = [
            (found[0], source, found[1])
            for source, found in enumerate(
                (comment, code, match.span() if match is not None else None)
            )
            if found is not None
        ]
        if not candidates:
            return
        start, source, end = min(candidates)
        if source == 2 and _is_speech(text, start, end):
            # A remark quoted whole is what the post-mortem reports someone said: its words
            # are read as the post-mortem's own; only the marks are blanked.
            yield start, start + 1
            yield end - 1, end
        else:
            yield start, end
        position = end
        if source == 1:
            code = next(codes, None)  # the code search goes on where its span ended


SPEECH_WORDS = 6  # a quoted label or a scare quote is shorter than a quoted remark


def _is_speech(text: str, start: int, end: int) -> bool:
    """A remark quoted as a sentence of its own ('"It was Yusuf's change, we all saw it."'),
    not a phrase a sentence mentions ('the alert said "someone forgot to rotate the key"',
    'Vendor statement: "…"')."""
    if text[start] not in '"\u201c' or len(text[start + 1 : end - 1].split()) < SPEECH_WORDS:
        return False
    before = text[:start].rstrip()
    after = text[end:].lstrip(".!?,")
    return (not before or before[-1] in ".!?") and (not after.strip() or after[:1].isspace())


def _blank_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts.append(text[last:start])
        shown = text[start:end]
        parts.append(_NOT_NEWLINE.sub(" ", shown) if "\n" in shown else " " * len(shown))
        last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


_NOT_NEWLINE = re.compile(r"[^\n]")
Keep = Callable[[str], bool]


def _everything(text: str) -> bool:
    return True


def prose_units(doc: Document, keep: Keep = _everything) -> list[ProseUnit]:
    """Every prose unit of doc; keep(raw text) can skip units early, before masking."""
    units: list[ProseUnit] = []
    labels = _section_labels(doc)
    _walk(doc, doc.outline, "", None, labels, units, keep)
    return units


Labels = dict[int, tuple[str, SectionSpec | None]]


def _section_labels(doc: Document) -> Labels:
    """Section object id → (label, spec): 'Impact' or 'Impact / User Impact'."""
    labels: Labels = {}
    for matched in doc.sections:
        name = matched.spec.name if matched.spec else matched.section.heading.text
        labels[id(matched.section)] = (name, matched.spec)
        for sub in doc.subsections(matched):
            sub_name = sub.spec.name if sub.spec else sub.section.heading.text
            labels[id(sub.section)] = (f"{name} / {sub_name}", sub.spec or matched.spec)
    return labels


Raw = tuple[str, int, int, str, str]  # section, line, column, unmasked text, column key


def _walk(
    doc: Document,
    section: Section,
    label: str,
    spec: SectionSpec | None,
    labels: Labels,
    units: list[ProseUnit],
    keep: Keep,
) -> None:
    tables = {table.line: table for table in section.tables} if section.tables else {}
    lines = doc.lines
    for block in section.blocks:
        if block.kind in _NOT_PROSE:
            continue
        table = tables.get(block.line)
        raws: Iterable[Raw]
        if table is not None:
            raws = _table_units(doc, block, table, label, spec, keep)
        elif block.kind == "list":
            raws = _list_units(lines[block.line - 1 : block.end_line], block.line, label)
        elif block.kind == "block_quote":
            raws = _quote_units(lines[block.line - 1 : block.end_line], block.line, label)
        else:
            # Any other block (most are paragraphs) is one unit, read here rather than
            # through a generator of one.
            text = "\n".join(lines[block.line - 1 : block.end_line])
            if keep(text):
                units.append(ProseUnit(label, block.line, 1, mask(text), ""))
            continue
        for label_, line, column, raw, key in raws:
            if keep(raw):
                units.append(ProseUnit(label_, line, column, mask(raw), key))
    for child in section.children:
        child_label, child_spec = labels.get(id(child), (label, spec))
        _walk(doc, child, child_label, child_spec, labels, units, keep)


def _list_units(lines: list[str], first_line: int, label: str) -> Iterator[Raw]:
    """One unit per list item (nested items too); fenced code inside items is skipped."""
    item: list[str] = []
    start = first_line
    in_fence = False
    for number, text in enumerate(lines, start=first_line):
        if ("`" in text or "~" in text) and _FENCE.match(text):
            in_fence = not in_fence
            item.append("")
            continue
        if in_fence:
            item.append("")
            continue
        marker = _LIST_MARKER.match(text)
        if marker:
            if any(part.strip() for part in item):
                yield label, start, 1, "\n".join(item), ""
            item, start = [], number
            text = " " * marker.end() + text[marker.end() :]
        item.append(text)
    if any(part.strip() for part in item):
        yield label, start, 1, "\n".join(item), ""


def _quote_units(lines: list[str], first_line: int, label: str) -> Iterator[Raw]:
    """A block quote read as the post-mortem's own words (a pasted chat, a quoted remark):
    its marks blanked and its headings left out, then read as a list is (one unit per item,
    fenced code skipped, a fence open across a blank line too)."""
    unquoted = []
    for text in lines:
        marks = _QUOTE_MARKS.match(text)
        if marks:
            text = " " * marks.end() + text[marks.end() :]
        unquoted.append("" if _HEADING_IN_QUOTE.match(text) else text)
    yield from _list_units(unquoted, first_line, label)


_HEADING_IN_QUOTE = re.compile(r"\s*#{1,6}(?:\s|$)")


def _table_units(
    doc: Document,
    block: Block,
    table: Table,
    label: str,
    spec: SectionSpec | None,
    keep: Keep,
) -> Iterator[Raw]:
    table_spec = spec.table if spec is not None else None
    # Names in a sign-off are a record, and metrics are numbers: neither is prose.
    if table_spec is not None and table_spec.view in ("sign_off", "metrics"):
        return
    keys = [_column_key(name, table_spec) for name in table.header]
    row_spans: dict[int, list[tuple[int, int]]] | None = None
    for number in range(block.line + 2, block.end_line + 1):
        text = doc.lines[number - 1]
        if not text.strip():
            break
        if not keep(text):
            continue  # nothing in the whole row: no cell of it can matter
        if row_spans is None:
            # The outline split the rows already (well-formed and bad ones alike).
            row_spans = {row.line: row.spans for row in (*table.rows, *table.bad_rows)}
        spans = row_spans.get(number)
        for index, (start, end) in enumerate(cell_spans(text) if spans is None else spans):
            key = keys[index] if index < len(keys) else ""
            if key in RECORD_COLUMNS or not text[start:end].strip():
                continue
            yield label, number, start + 1, text[start:end], key


def _column_key(header: str, table_spec: object) -> str:
    """The spec's key for a column (time, source, event ...), else its normalised header."""
    columns = getattr(table_spec, "columns", ())
    for column in columns:
        if column.matches(header) and column.key:
            return str(column.key)
    name = normalise_heading(header)
    first = name.split(" ", 1)[0] if name else ""
    return first if first in RECORD_COLUMNS else name
