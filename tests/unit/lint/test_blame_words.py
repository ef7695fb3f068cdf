"""pmrepo reads the words of ASCII prose with bytes.translate and split, not the word regex:
for any text the two readings must find the same words, so that which units and sentences
the blameless rules read never depends on the path taken."""

from __future__ import annotations

import os
import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_repo.lint.blameless.lexicon import INDIVIDUAL, RCA_TRIGGERS, TRIGGERS
from postmortem_repo.lint.blameless.prose import ProseUnit
from postmortem_repo.lint.blameless.scan import FOLDED, Spans, has_folded
from postmortem_repo.lint.blameless.sentences import (
    ALL_TRIGGERS,
    SENTENCE_END,
    SENTENCE_END_IN_LINE,
    WORD,
    Sentence,
    ascii_words,
    in_root_cause_analysis,
    may_blame,
    may_say_whose,
    sentences,
    trigger_spans,
)

SETTINGS = settings(
    max_examples=int(os.environ.get("PMREPO_PROPERTY_EXAMPLES", "300")), deadline=None
)

# Trigger words, punctuation that ends sentences or joins words, and letters the regex
# path folds (a curly apostrophe, a dotted capital I): the ASCII path must agree wherever
# it is taken, and the other path is taken for the rest.
PIECES = st.sampled_from(
    [
        *sorted(ALL_TRIGGERS)[::7],
        "Alice",
        "FORGOT",
        "Should've",
        "didn't",
        "didn\u2019t",
        "İt",
        "é",
        ". ",
        "!",
        "?",
        ".",
        "\n\n",
        "\n",
        " \t",
        "'",
        "-",
        "_",
        "`",
        "42",
        ",",
    ]
)
TEXTS = st.one_of(
    st.lists(PIECES, max_size=30).map(" ".join),
    st.lists(PIECES, max_size=30).map("".join),
    st.text(max_size=200),
    st.text(alphabet=st.characters(max_codepoint=127), max_size=200),
)


def _fold(text: str) -> str:
    return text.lower().replace("\u2019", "'")


def _may_blame_by_regex(text: str) -> bool:
    return not ALL_TRIGGERS.isdisjoint(WORD.findall(_fold(text)))


def _sentences_by_regex(text: str) -> list[Sentence]:
    """sentences() as it read every unit's words with the regex."""
    lowered = _fold(text)
    bounds = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        bounds.append((start, match.end()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    words = frozenset(WORD.findall(lowered))
    if ALL_TRIGGERS.isdisjoint(words):
        return []
    if len(bounds) == 1:
        return [Sentence(0, len(text), words)]
    return [
        Sentence(begin, end, frozenset(WORD.findall(lowered[begin:end])))
        for begin, end in bounds
        if not text[begin:end].isspace()
    ]


@SETTINGS
@given(TEXTS)
def test_may_blame_reads_the_words_the_regex_reads(text: str) -> None:
    assert may_blame(text) == _may_blame_by_regex(text)


@SETTINGS
@given(TEXTS)
def test_sentences_hold_the_words_the_regex_reads(text: str) -> None:
    assert sentences(text) == _sentences_by_regex(text)


def test_every_ascii_character_splits_or_joins_words_as_the_regex_does() -> None:
    for code in range(128):
        text = f"forgot{chr(code)}forgot"
        expected = WORD.findall(text.lower())
        assert sorted(ascii_words(text)) == sorted(set(expected)), repr(chr(code))


def _trigger_spans_by_code(unit: ProseUnit, parts: list[Sentence]) -> dict[str, Spans]:
    """trigger_spans() as it tested every sentence's words against each detector's."""
    found: dict[str, Spans] = {}
    rca = bool(parts) and in_root_cause_analysis(unit.section)
    for code, triggers in TRIGGERS.items():
        if code == INDIVIDUAL and rca:
            triggers = RCA_TRIGGERS
        spans = [
            (part.start, part.end)
            for part in parts
            if not part.words.isdisjoint(triggers)
            or (code == INDIVIDUAL and may_say_whose(part.words))
        ]
        if spans:
            found[code] = spans
    return found


@SETTINGS
@given(TEXTS, st.sampled_from(["Impact", "Root Cause Analysis / Root Cause", "Timeline"]))
def test_each_detector_reads_the_sentences_that_hold_its_words(text: str, section: str) -> None:
    unit = ProseUnit(section, 1, 1, text)
    parts = sentences(text)
    found = trigger_spans(unit, parts)
    assert list(found.items()) == list(_trigger_spans_by_code(unit, parts).items())


def test_the_letters_the_patterns_fold_are_all_beyond_ascii() -> None:
    # has_folded answers False for any ASCII text without looking: true only so.
    assert not any(char.isascii() for char in FOLDED)
    assert has_folded("It was \u017fo") and not has_folded("It was so")


# How sentence ends were written before they began with their character set: each
# condition tried at every character of a unit.
_NOT_AFTER_TITLE = r"(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bMx)(?<!\bDr)(?<!\b[A-Z])"
_ENDS_CONDITIONS_FIRST = re.compile(
    r"(?<![.!?])(?:[!?]|" + _NOT_AFTER_TITLE + r"\.)[.!?]*+(?=\s|$)|\n[ \t]*+\n"
)
_ENDS_IN_LINE_CONDITIONS_FIRST = re.compile(
    r"(?<![.!?])(?:[!?]|" + _NOT_AFTER_TITLE + r"\.)[.!?]*+(?=\s|$)"
)
ENDS_PIECES = st.sampled_from(
    [
        *("Mr", "Mrs", "Ms", "Mx", "Dr", "J", "xMr", "Whitfield", "it"),
        *(".", "!", "?", "...", "?!", " ", "\n", "\n\n", "\n \t\n", "\t", "é", "2"),
    ]
)
ENDS_TEXTS = st.one_of(
    st.lists(ENDS_PIECES, max_size=30).map("".join),
    st.text(alphabet="MrsDJx.!?\n \t", max_size=60),
    st.text(max_size=100),
)


@SETTINGS
@given(ENDS_TEXTS, st.integers(min_value=0, max_value=60))
def test_sentence_ends_are_where_the_conditions_first_found_them(text: str, pos: int) -> None:
    found = [m.span() for m in SENTENCE_END.finditer(text)]
    assert found == [m.span() for m in _ENDS_CONDITIONS_FIRST.finditer(text)]
    in_line = [m.span() for m in SENTENCE_END_IN_LINE.finditer(text)]
    assert in_line == [m.span() for m in _ENDS_IN_LINE_CONDITIONS_FIRST.finditer(text)]
    after = SENTENCE_END.search(text, pos)
    expected = _ENDS_CONDITIONS_FIRST.search(text, pos)
    assert (after and after.span()) == (expected and expected.span())


def test_sentence_ends_begin_with_the_characters_that_can_end_a_sentence() -> None:
    """So the regex skips every other character at once: with the conditions first, they
    were tried at every character of every unit (a third of PM4's time in regexes)."""
    for pattern in (SENTENCE_END, SENTENCE_END_IN_LINE):
        first_op, _ = _parser.parse(pattern.pattern).data[0]
        assert first_op is sre.IN
