"""LineIndex sums line lengths instead of searching for newlines, and derives the index of
a body with its front matter blanked out from the file's: both must give the lines a plain
scan for newlines gives."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_repo.core.textpos import LineIndex

SETTINGS = settings(
    max_examples=int(os.environ.get("PMREPO_PROPERTY_EXAMPLES", "300")), deadline=None
)
TEXTS = st.text(alphabet=st.sampled_from("ab-\n \u00e9"), max_size=80)


def _starts_by_scan(text: str) -> list[int]:
    return [0, *(offset + 1 for offset, char in enumerate(text) if char == "\n")]


@SETTINGS
@given(TEXTS)
def test_an_index_starts_its_lines_after_every_newline(text: str) -> None:
    assert LineIndex(text).starts == _starts_by_scan(text)
    assert LineIndex.of_lines(text.split("\n")).starts == _starts_by_scan(text)


@SETTINGS
@given(TEXTS, st.integers(min_value=0, max_value=80))
def test_a_blanked_index_is_the_index_of_the_blanked_text(text: str, offset: int) -> None:
    offset = min(offset, len(text))
    body = "\n" * text.count("\n", 0, offset) + text[offset:]
    assert LineIndex(text).blanked(offset).starts == _starts_by_scan(body)
