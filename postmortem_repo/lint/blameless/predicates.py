"""PM402's predicates ("forgot", "didn't follow", "pushed the wrong config"): the phrases
after a subject that blame it, and how a sentence is searched for them.

At each word only the predicates that word can begin, and whose needed words the sentence
holds, are tried there, one after the other in their order: one pattern of them all takes
longer to compile than most files take to check, and tried at every word it costs more
than the rest of the check. Each predicate is compiled alone, once: compiled into one
pattern per choice of them, the same predicates were compiled again in each choice, and
that cost a quarter of PM4's instructions on the real post-mortems (which try fewer than
three predicates at a word, at a few hundred words).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import NamedTuple

from postmortem_repo.lint.blameless.lexicon import (
    AMBIGUOUS,
    CAUSAL_ACTION,
    FIRST_WORDS,
    FIRST_WORDS_RCA,
    HUMAN_ONLY,
    PROCESS,
    WRONG,
    Predicates,
)
from postmortem_repo.lint.blameless.scan import LazyPattern, Spans, has_folded, holds_one
from postmortem_repo.model.people import word_set

GROUPS = ("human", "process", "ambiguous", "action")


class Predicate(NamedTuple):
    group: str  # one of GROUPS
    firsts: frozenset[str]  # the words it can begin with
    needs: tuple[str, ...]  # every phrase it matches holds one of these; () when not known
    source: str


def _predicates(group: str, entries: Predicates) -> list[Predicate]:
    found = []
    for entry in entries:
        if isinstance(entry, str):
            entry = (entry.split(" ", 1)[0], entry)
        firsts, source, needs = entry if len(entry) == 3 else (*entry, "")
        found.append(Predicate(group, word_set(firsts), tuple(needs.split()), source))
    return found


# The neutral actions count only in Root Cause Analysis.
PREDICATES = (
    _predicates("human", HUMAN_ONLY)
    + _predicates("process", PROCESS)
    + _predicates("ambiguous", AMBIGUOUS)
    + _predicates("action", tuple(CAUSAL_ACTION.split("|")))
)


def predicate_pattern(chosen: list[Predicate]) -> re.Pattern[str]:
    """One alternation of the chosen predicates, in their order and in their groups: at any
    word it matches what the alternation of them all would, as long as no predicate left
    out could match there."""
    groups: dict[str, list[str]] = {group: [] for group in GROUPS}
    for predicate in chosen:
        groups[predicate.group].append(predicate.source)
    human, process, ambiguous, action = ("|".join(group) or "(?!)" for group in groups.values())
    return re.compile(
        rf"\b(?:(?P<human>{human})|(?P<process>{process})|(?P<ambiguous>{ambiguous})"
        rf"|(?P<action>{action}))\b",
        re.IGNORECASE,
    )


# One predicate's pattern (with every group, empty but its own): trying the predicates
# one by one in their order finds what their alternation finds, as the alternation tries
# them in that order (PREDICATES is in the order of GROUPS).
Tried = tuple[re.Pattern[str], ...]


class _Choice:
    """The predicates that can begin at one word, and the patterns of those of them whose
    needs a span meets."""

    __slots__ = ("chosen", "gated", "patterns")

    def __init__(self, chosen: tuple[int, ...]) -> None:
        self.chosen = chosen
        # The needs of those that have some, in order.
        self.gated = tuple(PREDICATES[index].needs for index in chosen if PREDICATES[index].needs)
        # By which of the needs a span meets.
        self.patterns: dict[tuple[bool, ...], Tried] = {}

    def pattern(self, held: tuple[bool, ...]) -> Tried:
        """The patterns of the chosen predicates whose needs are held (one flag per gated
        predicate), in order; () when there are none."""
        flags = iter(held)
        tried = tuple(_pattern_of(i) for i in self.chosen if not PREDICATES[i].needs or next(flags))
        self.patterns[held] = tried
        return tried


def _pattern_of(index: int) -> re.Pattern[str]:
    """One predicate's pattern, compiled on its first use."""
    pattern = _PATTERNS.get(index)
    if pattern is None:
        pattern = _PATTERNS[index] = predicate_pattern([PREDICATES[index]])
    return pattern


# By (in Root Cause Analysis, a span with "wrong"), then by first word.
_CHOICES: dict[tuple[bool, bool], dict[str, _Choice]] = {
    (in_rca, generic): {} for in_rca in (False, True) for generic in (False, True)
}
# By the index of its predicate.
_PATTERNS: dict[int, re.Pattern[str]] = {}


def _choice(word: str, in_rca: bool, generic: bool) -> _Choice:
    """The predicates that can begin at a word (lowercased).

    One is left out only when none of its first words starts with word (the patterns read
    text case-insensitively: "reſtarted" matches where only "re" is plain letters), or when
    it is the one that begins with any word and the span has no "wrong" for it to reach.
    """
    chosen = tuple(
        index
        for index, predicate in enumerate(PREDICATES)
        if (in_rca or predicate.group != "action")
        and (generic or "*" not in predicate.firsts)
        and any(first == "*" or first.startswith(word) for first in predicate.firsts)
    )
    found = _CHOICES[in_rca, generic][word] = _Choice(chosen)
    return found


class PredicateSpan:
    """One sentence as the predicates read it; lowered is the unit's text in lowercase, or
    None where lower() may not keep every letter the patterns read (see scan.FOLDED)."""

    __slots__ = ("end", "generic", "holds", "in_rca", "lowered", "start", "text")

    def __init__(self, text: str, lowered: str | None, start: int, end: int, in_rca: bool):
        self.text, self.lowered, self.start, self.end = text, lowered, start, end
        self.in_rca = in_rca
        # Any -ed or -ing word can begin "clicked the wrong ...": only where "wrong" is.
        # WRONG only finds what the lowercase span holds (see scan.FOLDED): most spans hold
        # none of its words, and a substring test says so faster than the regex.
        self.generic = (
            lowered is None or holds_one(lowered[start:end], WRONG.needs)
        ) and WRONG.search(text, start, end) is not None
        self.holds: dict[tuple[str, ...], bool] = {}

    def has(self, needs: tuple[str, ...]) -> bool:
        """Whether the span holds one of the words a predicate needs (True if unsure)."""
        if self.lowered is None:
            return True
        held = self.holds.get(needs)
        if held is None:
            held = self.holds[needs] = holds_one(self.lowered[self.start : self.end], needs)
        return held

    def pattern_at(self, word: str) -> Tried:
        """The patterns of the predicates that can begin at word (lowercased) here."""
        choice = _CHOICES[self.in_rca, self.generic].get(word)
        if choice is None:
            choice = _choice(word, self.in_rca, self.generic)
        held = tuple([self.has(needs) for needs in choice.gated]) if choice.gated else ()
        tried = choice.patterns.get(held)
        return choice.pattern(held) if tried is None else tried

    def starts(self, first_words: frozenset[str]) -> list[tuple[int, Tried]]:
        """Where a predicate can begin, in order, with the patterns to try there."""
        if self.lowered is None or self.generic:
            return self._starts_at_letters(first_words)
        return self._starts_at_first_words(first_words, self.lowered)

    def _starts_at_letters(self, first_words: frozenset[str]) -> list[tuple[int, Tried]]:
        """Every letter run tried in turn: where case folding leaves lowered unknown, or
        where any -ed or -ing word can begin a predicate."""
        found = []
        for letters in _LETTERS.finditer(self.text, self.start, self.end):
            word = letters.group().lower()
            if word in first_words or (self.generic and word.endswith(("ed", "ing"))):
                tried = self.pattern_at(word)
                if tried:
                    found.append((letters.start(), tried))
        return found

    def _starts_at_first_words(
        self, first_words: frozenset[str], lowered: str
    ) -> list[tuple[int, Tried]]:
        """Most words begin no predicate: let the set find the few that can."""
        start, end = self.start, self.end
        found = []
        for word in starting_words(first_words, lowered, start, end):
            tried = self.pattern_at(word)
            if not tried:
                continue
            at = lowered.find(word, start, end)
            while at >= 0:
                after = at + len(word)
                if (at == start or lowered[at - 1] not in _ASCII_LOWER) and (
                    after == end or lowered[after] not in _ASCII_LOWER
                ):
                    found.append((at, tried))
                at = lowered.find(word, after, end)
        found.sort(key=lambda item: item[0])
        return found


_LETTERS = LazyPattern(r"[A-Za-z]+")
_LOWER_LETTERS = LazyPattern(r"[a-z]+")
_ASCII_LOWER = frozenset(string.ascii_lowercase)
# Every byte but a-z as a space: for ASCII text, the words split() then gives are the ones
# _LOWER_LETTERS finds, and reading them so costs a fraction of the regex.
_LETTER_BYTES = bytes(byte if 97 <= byte <= 122 else 32 for byte in range(256))
_FIRST_BYTES = {
    words: frozenset(word.encode() for word in words) for words in (FIRST_WORDS, FIRST_WORDS_RCA)
}


def starting_words(first_words: frozenset[str], lowered: str, start: int, end: int) -> list[str]:
    """The words of first_words among the lowercase letter runs of lowered[start:end]."""
    first_bytes = _FIRST_BYTES.get(first_words)
    if first_bytes is not None and lowered.isascii():
        letters = lowered[start:end].encode().translate(_LETTER_BYTES).split()
        return [word.decode() for word in first_bytes.intersection(letters)]
    return list(first_words.intersection(_LOWER_LETTERS.findall(lowered, start, end)))


def find_predicates(text: str, spans: Spans, in_rca: bool) -> Iterator[re.Match[str]]:
    """The predicates in spans, tried only where a word that can begin one starts."""
    first_words = FIRST_WORDS_RCA if in_rca else FIRST_WORDS
    lowered = None if has_folded(text) else text.lower()
    for start, end in spans:
        last_end = start
        for at, tried in PredicateSpan(text, lowered, start, end, in_rca).starts(first_words):
            if at < last_end:
                continue
            for pattern in tried:
                match = pattern.match(text, at, end)
                if match:
                    last_end = match.end()
                    yield match
                    break
