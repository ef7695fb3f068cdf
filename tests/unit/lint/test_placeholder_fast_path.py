"""PM307 looks for placeholders in the whole (inline-code-blanked) text first, and reads
line by line only where one is: for any placeholder pattern and any document it must report
what reading every line reports."""

from __future__ import annotations

import dataclasses
import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortem_repo.lint.rules import structure
from postmortem_repo.model.document import parse_document
from postmortem_repo.repo.config import Config

SETTINGS = settings(
    max_examples=int(os.environ.get("PMREPO_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
PATTERNS = [
    *Config().sections.placeholders,
    re.compile(r"\[ +\]"),  # matches only once inline code is blanked
    re.compile(r"\bTODO\b"),
    re.compile(r"x\By"),
    re.compile(r"[^\n]*FIXME"),
    re.compile(r"^TBD"),  # an anchor: never the shortcut
    re.compile(r"TBD$", re.MULTILINE),
    re.compile(r"(?<![a-z])tbd", re.IGNORECASE),
    re.compile(r"a(?=\n)"),
]
PIECES = st.sampled_from(
    [
        "[Description]",
        "[Name]",
        "[`x`]",
        "`[Name]`",
        "TODO",
        "xTODO",
        "TBD",
        "tbd",
        "FIXME",
        "xy",
        "x y",
        "a",
        "```\n",
        "`",
        "\n",
        " ",
        "## Summary\n",
        "text",
        "[",
        "]",
    ]
)
BODIES = st.lists(PIECES, max_size=40).map("".join)


def _findings(text: str, pattern: re.Pattern[str]) -> list[Any]:
    spec = dataclasses.replace(Config().sections, placeholders=(pattern,))
    doc = parse_document(text, path="a.md", relpath="a.md", spec=spec)
    return list(structure.placeholder_left(doc, None))  # type: ignore[arg-type]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda pattern: pattern.pattern[:30])
@SETTINGS
@given(body=BODIES)
def test_the_whole_text_search_finds_what_every_line_finds(
    pattern: re.Pattern[str], body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "---\nid: INC-2024-0001\nstatus: PUBLISHED\n---\n" + body
    fast = _findings(text, pattern)
    with monkeypatch.context() as patched:
        patched.setattr(structure, "_line_local", lambda pattern: False)
        assert fast == _findings(text, pattern)


def test_patterns_that_depend_on_the_ends_of_a_line_are_read_line_by_line() -> None:
    assert structure._line_local(Config().sections.placeholders[0])
    for source in (
        r"^TBD",
        r"TBD$",
        r"\ATBD",
        r"TBD\Z",
        r"(?<=x)y",
        r"x(?!y)",
        r"(?>x+)y",
        r"x++y",
        r"[a]^",
    ):
        assert not structure._line_local(re.compile(source)), source
    for source in (r"\bTBD\b", r"x\By", r"[^\]]+", r"(a)?(?(1)b|c)", r"[]^$]x", r"[^]^]", r"a\$"):
        assert structure._line_local(re.compile(source)), source
