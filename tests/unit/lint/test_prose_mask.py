"""The masking pattern announces the characters its alternatives begin with, so that the
regex skips the rest quickly: masking must blank exactly what the bare alternatives do.
Comments and code spans are found by plain scans: together with the pattern they blank
exactly what the one regex REFERENCE (all of it, backtracking and all) blanks."""

from __future__ import annotations

import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_repo.lint.blameless import prose

SETTINGS = settings(
    max_examples=int(os.environ.get("PMREPO_PROPERTY_EXAMPLES", "300")), deadline=None
)
_LOOKAHEAD = re.compile(r"^\(\?=\[[^\]]*\]\)\(\?:(?P<alternatives>.*)\)$", re.DOTALL)
PIECES = st.sampled_from(
    [
        *"<>`[]()\"'\u201c\u201d\u2018\u2019h!/-:\n *_~",
        "<!--",
        "-->",
        "``",
        "http://",
        "https://x.y/z",
        "<br>",
        "</a>",
        "[text](url)",
        "don't",
        "word",
        "Alice",
    ]
)


def _bare() -> re.Pattern[str]:
    found = _LOOKAHEAD.match(prose._MASK.pattern)
    assert found is not None
    return re.compile(found.group("alternatives"), prose._MASK.flags)


BARE = _bare()

# What masking blanks, as one regex: too slow on hostile text, exact on any.
REFERENCE = re.compile(
    "(?:"
    r"<!--.*?-->"
    r"|(`+)(?:(?!\1).){1,2000}?\1"
    r"|\[[^\]\n]{0,400}\]\([^)\n]{0,400}\)"
    r"|<[A-Za-z/!][^>\n]{0,400}>"
    r"|https?://\S+"
    r'|"[^"]{1,400}"'
    r"|\u201c[^\u201d]{1,400}\u201d"
    r"|\u2018[^\u2019]{1,400}\u2019"
    r"|(?<![\w'\u2019])'[^'\n]{1,200}'(?!\w)"
    ")",
    re.DOTALL,
)


def _blank(match: re.Match[str]) -> str:
    shown = match.group()
    return re.sub("[^\n]", " ", shown) if "\n" in shown else " " * len(shown)


def _masked(text: str) -> str:
    return prose._blank_spans(text, prose._masked_spans(text))


@SETTINGS
@given(st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=120)))
def test_masking_blanks_what_the_bare_alternatives_blank(text: str) -> None:
    assert prose._MASK.sub(_blank, text) == BARE.sub(_blank, text)
    assert _masked(text) == REFERENCE.sub(_blank, text)


def test_the_announced_characters_are_where_the_alternatives_begin() -> None:
    # A text of every character the alternatives may begin with, none else: each one is
    # found at its place, so the lookahead lets every alternative through.
    for sample in [
        "[a](b)",
        "<b>",
        "http://x",
        '"q"',
        "\u201cq\u201d",
        "\u2018q\u2019",
        " 'q' ",
    ]:
        assert prose._MASK.sub(_blank, sample) == BARE.sub(_blank, sample)
        assert BARE.search(sample) is not None
    for sample in ["<!-- c -->", "`x`", "``a`b``"]:
        assert _masked(sample) == " " * len(sample)


@SETTINGS
@given(st.text(alphabet="ab\n", max_size=30), st.data())
def test_a_units_positions_count_the_lines_before_them(text: str, data: st.DataObject) -> None:
    unit = prose.ProseUnit("Impact", 10, 4, text)
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    before = text[:offset]
    if "\n" not in before:
        assert unit.position(offset) == (10, 4 + offset)
    else:
        assert unit.position(offset) == (10 + before.count("\n"), offset - before.rfind("\n"))
    assert unit.position(offset) == unit.position(offset)  # also once the lines are known


@SETTINGS
@given(st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=120)))
def test_masking_skips_only_text_the_patterns_leave_alone(text: str) -> None:
    masked = prose._JIRA_MENTION.sub(r" @\1 ", REFERENCE.sub(_blank, text))
    expected = prose._EMPHASIS.sub(lambda m: " " * len(m.group()), masked)
    assert prose.mask(text) == expected


def test_a_jira_mention_reads_as_a_handle_at_the_same_offsets() -> None:
    text = "Per the audit log it was [~lnguyen] who rotated it; see [docs](https://x.y)."
    masked = prose.mask(text)
    assert masked.startswith("Per the audit log it was  @lnguyen  who rotated it; see ")
    assert len(masked) == len(text)
