"""pmrepo reads the words of ASCII prose with bytes.translate and split, not the word regex:
for any text the two readings must find the same words, so that which units and sentences
the blameless rules read never depends on the path taken."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_repo import blame

SETTINGS = settings(
    max_examples=int(os.environ.get("PMREPO_PROPERTY_EXAMPLES", "300")), deadline=None
)

# Trigger words, punctuation that ends sentences or joins words, and letters the regex
# path folds (a curly apostrophe, a dotted capital I): the ASCII path must agree wherever
# it is taken, and the other path is taken for the rest.
PIECES = st.sampled_from(
    [
        *sorted(blame._ALL_TRIGGERS)[::7],
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
    return not blame._ALL_TRIGGERS.isdisjoint(blame._WORDS.findall(_fold(text)))


def _sentences_by_regex(text: str) -> list[blame.Sentence]:
    """sentences() as it read every unit's words with the regex."""
    lowered = _fold(text)
    bounds = []
    start = 0
    for match in blame._SENTENCE_END.finditer(text):
        bounds.append((start, match.end()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    words = frozenset(blame._WORDS.findall(lowered))
    if blame._ALL_TRIGGERS.isdisjoint(words):
        return []
    if len(bounds) == 1:
        return [blame.Sentence(0, len(text), words)]
    return [
        blame.Sentence(begin, end, frozenset(blame._WORDS.findall(lowered[begin:end])))
        for begin, end in bounds
        if not text[begin:end].isspace()
    ]


@SETTINGS
@given(TEXTS)
def test_may_blame_reads_the_words_the_regex_reads(text: str) -> None:
    assert blame.may_blame(text) == _may_blame_by_regex(text)


@SETTINGS
@given(TEXTS)
def test_sentences_hold_the_words_the_regex_reads(text: str) -> None:
    assert blame.sentences(text) == _sentences_by_regex(text)


def test_every_ascii_character_splits_or_joins_words_as_the_regex_does() -> None:
    for code in range(128):
        text = f"forgot{chr(code)}forgot"
        expected = blame._WORDS.findall(text.lower())
        assert sorted(blame._ascii_words(text)) == sorted(set(expected)), repr(chr(code))
