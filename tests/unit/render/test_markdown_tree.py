"""The site's Markdown tree is mistune's own, whatever the text: the shortcuts for plain text
and for table rows change how fast it is built, never what it holds."""

from __future__ import annotations

from pathlib import Path

import mistune
import pytest
from conftest import SAMPLE_REPO

from postmortem_repo.render.excerpts import split_front_matter
from postmortem_repo.render.markdown_tree import markdown_parser

TRICKY = [
    "",
    "plain words only",
    "a line\nand the next",
    "two spaces at the end  \nbreak the line",
    "*emphasis*, __strong__, ~~struck~~ and `code | with pipe`",
    "snake_case_words and 2*3*4",
    "[a link](../Q1/INC-2024-0001-x.md) and ![an image](x.png) and <https://example.com>",
    "<script>alert(1)</script> and <!-- a comment -->",
    "a backslash \\* before a star, and a trailing one \\",
    "\u2003 an em space around \u2003",
    "| Time | Event |\n|------|-------|\n| 10:00 | plain |\n| 10:05 | a \\| pipe escaped |\n",
    "| A | B |\n|---|---|\n| a \\\\| b |\n| one | two | three |\n",
    "| A | B |\n|:--|--:|\n|   | empty first |\n| *x* | `y|z` |\n",
    "| not | a table |\n| --- | x-y |\n",
    "A | B\n--|--\n1 | 2\n",
    "- item one\n- item *two*\n  continued\n\n1. first\n2. second | with pipe\n",
    "> quoted | text\n> - a list in a quote\n",
    "```\n| code | block |\n```\n",
]


def mistunes_own() -> mistune.Markdown:
    return mistune.create_markdown(renderer=None, plugins=["table", "strikethrough"])


@pytest.mark.parametrize("text", TRICKY)
def test_the_tree_is_mistunes_for_tricky_text(text: str) -> None:
    assert markdown_parser().parse(text)[0] == mistunes_own().parse(text)[0]


def test_the_tree_is_mistunes_for_every_post_mortem_of_sample_repo() -> None:
    files = sorted(Path(SAMPLE_REPO).rglob("*.md"))
    assert len(files) > 10
    for path in files:
        body = split_front_matter(path.read_text("utf-8"))[1]
        assert markdown_parser().parse(body)[0] == mistunes_own().parse(body)[0], path
