"""The parser: exact lines for front-matter keys and Markdown blocks, whatever the input."""

from __future__ import annotations

import time

import pytest

from postmortem_repo.model.document import Document, parse_document
from postmortem_repo.repo.config import Config

SPEC = Config().sections

DOC = """\
---
id: INC-2024-0001
title: "Payment API: latency"
date: 2024-01-15
reviewers:
  - Bob Johnson
  - Carol Williams
nested:
  inner:
    deep: 1
started_at: 2024-01-15T14:23:00Z
---

# Payment API latency

Intro paragraph
spanning two lines.

## Executive Summary

Summary text.

## Timeline

| Time (UTC) | Source | Event |
|------------|--------|-------|
| 14:23:00 | deployment | v2.4.0 deployed |
| 14:25:12 | alert | 🔥 Alert [Latency] firing |

- a list item
- another

## Action Items

| # | Action | Owner | Priority | Due Date | Status |
|---|--------|-------|----------|----------|--------|
| 1 | Add a query timeout | sre-team | P0 | 2024-01-22 | OPEN |

## Incident Metrics

| Metric | Value |
|--------|-------|
| MTTD | 2 minutes |
"""


def parse(text: str) -> Document:
    return parse_document(text, path="x.md", relpath="x.md", spec=SPEC)


def outline(doc: Document) -> list[tuple[int, str, int]]:
    return [(h.level, h.text, h.line) for h in doc.headings]


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t, id="lf"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: "\ufeff" + t.replace("\n", "\r\n"), id="bom-crlf"),
    ],
)
def test_lines_of_keys_headings_tables_rows_and_paragraphs(variant) -> None:  # type: ignore[no-untyped-def]
    doc = parse(variant(DOC))
    fm = doc.front_matter
    assert fm.close_line == 12
    assert fm.key_positions[("id",)] == (2, 1)
    assert fm.key_positions[("reviewers",)] == (5, 1)
    assert fm.key_positions[("reviewers", 0)] == (6, 5)
    assert fm.key_positions[("reviewers", 1)] == (7, 5)
    assert fm.key_positions[("nested", "inner", "deep")] == (10, 5)
    assert fm.value_positions[("title",)] == (3, 8)
    assert outline(doc) == [
        (1, "Payment API latency", 14),
        (2, "Executive Summary", 19),
        (2, "Timeline", 23),
        (2, "Action Items", 33),
        (2, "Incident Metrics", 39),
    ]
    body = doc.outline.children[0]
    assert [(b.kind, b.line, b.end_line) for b in body.blocks] == [("paragraph", 16, 17)]
    timeline = body.children[1]
    assert [(b.kind, b.line, b.end_line) for b in timeline.blocks] == [
        ("table", 25, 28),
        ("list", 30, 31),
    ]
    table = timeline.tables[0]
    assert table.header == ["Time (UTC)", "Source", "Event"]
    assert [(row.line, row.cells[0]) for row in table.rows] == [(27, "14:23:00"), (28, "14:25:12")]


def test_typed_views_follow_the_sections_schema() -> None:
    doc = parse(DOC)
    assert [(r.line, r.time, r.source, r.event) for r in doc.timeline] == [
        (27, "14:23:00", "deployment", "v2.4.0 deployed"),
        (28, "14:25:12", "alert", "🔥 Alert [Latency] firing"),
    ]
    # "Due Date" is an alias of the Due column.
    assert [(a.line, a.number, a.owner, a.priority, a.due, a.status) for a in doc.action_items] == [
        (37, "1", "sre-team", "P0", "2024-01-22", "OPEN")
    ]
    assert [(m.line, m.name, m.value) for m in doc.metrics] == [(43, "MTTD", "2 minutes")]


def test_dates_and_timestamps_stay_as_written() -> None:
    data = parse(DOC).data
    assert data["date"] == "2024-01-15"
    assert data["started_at"] == "2024-01-15T14:23:00Z"
    assert data["title"] == "Payment API: latency"


def test_impossible_timestamp_is_data_not_an_exception() -> None:
    doc = parse("---\nstarted_at: 2023-13-45T25:00:00Z\n---\n")
    assert doc.data == {"started_at": "2023-13-45T25:00:00Z"}
    assert doc.front_matter.problems == []


def test_escaped_pipe_stays_in_its_cell_and_bad_rows_are_kept() -> None:
    text = (
        "---\nid: x\n---\n## Timeline\n\n| Time (UTC) | Source | Event |\n|---|---|---|\n"
        "| 14:00 | chat | a \\| b |\n| 14:01 | chat | too | many |\n"
    )
    table = parse(text).outline.children[0].tables[0]
    assert [(r.line, r.cells) for r in table.rows] == [(8, ["14:00", "chat", "a | b"])]
    assert [(r.line, len(r.cells)) for r in table.bad_rows] == [(9, 4)]


def test_headings_after_lists_code_and_html_keep_their_lines() -> None:
    text = (
        "---\nid: x\n---\n- item\n## After list\n<!--\ncomment\n-->\n## After html\n"
        "```\n## not a heading\n```\n## After code\n    indented code\n\n## After indent\n"
        "Setext\n------\n"
    )
    doc = parse(text)
    assert outline(doc) == [
        (2, "After list", 5),
        (2, "After html", 9),
        (2, "After code", 13),
        (2, "After indent", 16),
        (2, "Setext", 17),
    ]


def test_duplicate_keys_are_reported_at_the_second_key() -> None:
    doc = parse("---\nseverity: SEV1\nid: x\nseverity: SEV3\n---\n")
    problems = [(p.kind, p.line, p.column) for p in doc.front_matter.problems]
    assert problems == [("duplicate_key", 4, 1)]
    assert "first on line 2" in doc.front_matter.problems[0].message


def test_alias_bomb_is_bounded_in_time() -> None:
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    started = time.perf_counter()
    doc = parse("\n".join([*lines, "---", ""]))
    assert time.perf_counter() - started < 2.0
    assert [(p.kind, p.line) for p in doc.front_matter.problems] == [("too_complex", 1)]
    assert doc.front_matter.data is None


def test_recursive_alias_is_bounded() -> None:
    doc = parse("---\na: &a [*a]\n---\n")
    assert [p.kind for p in doc.front_matter.problems] == ["too_complex"]


@pytest.mark.parametrize(
    ("text", "kind", "line", "column"),
    [
        ("", "missing", 1, 1),
        ("# Title\n", "missing", 1, 1),
        ("---\nid: x\n", "unclosed", 1, 1),
        ("---\n- a\n- b\n---\n", "not_mapping", 2, 1),
        ("---\njust text\n---\n", "not_mapping", 2, 1),
        ("---\nid: [\n---\n", "syntax", 3, 1),
        ("---\ntitle: a: b\n---\n", "syntax", 2, 9),
        ("---\nid: x\n\tdate: y\n---\n", "syntax", 3, 1),
        ("---\nid: !!python/object:os.system x\n---\n", "unsupported", 2, 5),
    ],
)
def test_front_matter_problems_have_their_own_position(
    text: str, kind: str, line: int, column: int
) -> None:
    problems = parse(text).front_matter.problems
    assert [(p.kind, p.line, p.column) for p in problems] == [(kind, line, column)]


def test_only_front_matter_parses_to_data_and_an_empty_outline() -> None:
    doc = parse("---\nid: INC-2024-0001\n---\n")
    assert doc.data == {"id": "INC-2024-0001"}
    assert doc.headings == []


def test_parsing_is_deterministic() -> None:
    first, second = parse(DOC), parse(DOC)
    assert outline(first) == outline(second)
    assert first.front_matter.key_positions == second.front_matter.key_positions
