"""A suppression directive is invisible to the document's structure, wherever it sits: the
sections, blocks, tables and rows are those of the document without it, at their own lines."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SEED_SAMPLE

from postmortem_repo.model.document import Document, parse_document
from postmortem_repo.model.outline import Section
from postmortem_repo.repo.config import Config

SEED = SEED_SAMPLE.read_text("utf-8")
SPEC = Config().sections


def _parse(text: str) -> Document:
    return parse_document(text, path="x.md", relpath="x.md", spec=SPEC)


def _shape(doc: Document, shift: Any = lambda line: line) -> list[object]:
    """Every heading, block, table and row with its lines (shifted as asked)."""
    found: list[object] = [(h.level, h.text, shift(h.line)) for h in doc.headings]
    stack: list[Section] = [doc.outline]
    while stack:
        section = stack.pop()
        stack.extend(section.children)
        found.append(("section", section.heading.text, shift(section.end_line)))
        found += [(b.kind, shift(b.line), shift(b.end_line)) for b in section.blocks]
        for table in section.tables:
            found.append(("table", shift(table.line), table.header))
            found += [(shift(row.line), row.cells) for row in table.rows]
            found += [("bad", shift(row.line), row.cells) for row in table.bad_rows]
    found.append([(item.number, shift(item.line), item.status) for item in doc.action_items])
    found.append([(row.time, shift(row.line)) for row in doc.timeline])
    return found


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))


# (where: the directive goes above the first line that starts with this, the directive)
PLACES = {
    "between two action items": ("| 2 | Add latency", "<!-- pmrepo-disable-next-line PM605 -->"),
    "inside the timeline table": ("| 14:26:00 |", "<!-- pmrepo-disable-next-line PM502 -->"),
    "after a table's last row": ("", "<!-- pmrepo-disable PM605 -->"),
    "between a heading and its table": ("| # | Action |", "<!-- pmrepo-disable-file PM3 -->"),
    "inside a list": ("- 3% of transactions", "  <!-- pmrepo-disable-next-line PM402 -->"),
    "between the header and the delimiter": ("|------------|", "<!-- pmrepo-enable PM5 -->"),
}


@pytest.mark.parametrize("place", PLACES, ids=list(PLACES))
def test_a_directive_line_changes_no_structure(place: str) -> None:
    start, directive = PLACES[place]
    # No start: right after the last action item, before the blank line.
    at = _line_of(SEED, start) if start else _line_of(SEED, "| 5 | Add connection pool") + 1
    lines = SEED.split("\n")
    with_directive = "\n".join([*lines[: at - 1], directive, *lines[at - 1 :]])
    expected = _shape(_parse(SEED), shift=lambda line: line + 1 if line >= at else line)
    assert _shape(_parse(with_directive)) == expected


def test_the_issue_case_keeps_every_action_item() -> None:
    text = SEED.replace(
        "| 2 | Add latency", "<!-- pmrepo-disable-next-line PM605 -->\n| 2 | Add latency"
    )
    doc = _parse(text)
    assert [(item.number, item.line) for item in doc.action_items] == [
        ("1", 147),
        ("2", 149),
        ("3", 150),
        ("4", 151),
        ("5", 152),
    ]


def test_a_directive_at_the_end_of_a_row_is_no_extra_cell() -> None:
    row = _line_of(SEED, "| 3 | Build perf")
    lines = SEED.split("\n")
    lines[row - 1] += " <!-- pmrepo-disable-line PM605 -->"
    doc = _parse("\n".join(lines))
    assert _shape(doc) == _shape(_parse(SEED))
    assert [item.status for item in doc.action_items] == ["DONE", "OPEN", "OPEN", "DONE", "OPEN"]


def test_a_directive_at_the_end_of_a_heading_is_not_part_of_its_text() -> None:
    text = SEED.replace("## Appendix\n", "## Appendix <!-- pmrepo-disable-line PM308 -->\n")
    assert [h.text for h in _parse(text).headings] == [h.text for h in _parse(SEED).headings]


def test_a_directive_line_anywhere_in_the_body_changes_no_structure() -> None:
    lines = SEED.split("\n")
    body = _line_of(SEED, "## Executive Summary")
    plain = _parse(SEED)
    for at in range(body, len(lines) + 1):
        text = "\n".join(
            [*lines[: at - 1], "<!-- pmrepo-disable-next-line PM4 -->", *lines[at - 1 :]]
        )
        expected = _shape(plain, shift=lambda line, at=at: line + 1 if line >= at else line)
        assert _shape(_parse(text)) == expected, at
