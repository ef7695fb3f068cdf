"""pmrepo's lean list and table rules find the blocks mistune's own rules find.

The lean rules (postmortem_repo/model/outline.py) reuse private helpers of mistune 3.3+;
without them pmrepo falls back to mistune's rules. Both must give the same blocks, at the
same lines, for every document: the outline, and every finding, is built on them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from postmortem_repo.core.textpos import LineIndex, normalise
from postmortem_repo.model.outline import LEAN_RULES, markdown_parser, parse_blocks

ROOT = REPO
DOCUMENTS = sorted(
    path
    for folder in (ROOT / "sample-repo", ROOT / "tests")
    for path in folder.rglob("*.md")
    if path.is_file()
)
TRICKY = [
    "- a\n- b\n\n  continued\n# Heading\n",
    "1. one\n3. three\n\n10) ten\n- other bullet\n",
    "* a\n  * nested\n    > quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| 4 \\| 5 | 6 |\n\ntext\n",
    "a | b\n--|--\n1 | 2\nparagraph\n",
    "> - quoted list\n> continued\nlazy\n\n- item\n```\ncode\n```\n",
    "- \n- empty item\n\nparagraph\n2. not a start\n",
    "| only header |\n|:-:|\n",
    "- a\n\n\n- b after two blank lines\n---\n",
]


def blocks(text: str, lean: bool) -> list[tuple[str, int, int]]:
    text = normalise(text)
    parsed = parse_blocks(text, LineIndex(text), text.split("\n"), markdown_parser(lean))
    return [(block.kind, block.line, block.end_line) for block in parsed]


def test_the_installed_mistune_has_what_the_lean_rules_use() -> None:
    # pyproject.toml allows the mistune this runs with: CI tests the lean rules on it.
    assert LEAN_RULES


needs_lean_rules = pytest.mark.skipif(not LEAN_RULES, reason="this mistune lacks their helpers")


@needs_lean_rules
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_lean_rules_find_mistune_s_blocks_in_real_documents(path: Path) -> None:
    text = path.read_text("utf-8", errors="replace")
    assert blocks(text, lean=True) == blocks(text, lean=False)


@needs_lean_rules
@pytest.mark.parametrize("text", TRICKY)
def test_lean_rules_find_mistune_s_blocks_in_edge_cases(text: str) -> None:
    assert blocks(text, lean=True) == blocks(text, lean=False)


@pytest.mark.parametrize("lean", [True, False] if LEAN_RULES else [False])
def test_a_list_ended_by_a_heading_is_one_block_before_it(lean: bool) -> None:
    assert blocks("- a\n- b\n# H\n", lean) == [("list", 1, 2), ("heading", 3, 3)]
