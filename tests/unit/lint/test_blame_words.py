"""pmrepo reads the words of ASCII prose with bytes.translate and split, not the word regex:
for any text the two readings must find the same words, so that which units and sentences
the blameless rules read never depends on the path taken."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_repo.lint.blameless.lexicon import INDIVIDUAL, RCA_TRIGGERS, TRIGGERS
from postmortem_repo.lint.blameless.prose import ProseUnit
from postmortem_repo.lint.blameless.scan import FOLDED, Spans, has_folded
from postmortem_repo.lint.blameless.sentences import (
    ALL_TRIGGERS,
    SENTENCE_END,
    WORD,
    Sentence,
    ascii_words,
    in_root_cause_analysis,
    may_blame,
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
        spans = [(part.start, part.end) for part in parts if not part.words.isdisjoint(triggers)]
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
