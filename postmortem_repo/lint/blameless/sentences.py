"""The sentences of a prose unit worth a detector's reading: a unit or a sentence without
one of a detector's trigger words (lexicon.TRIGGERS) cannot hold a finding of it, and
most prose has none of them."""

from __future__ import annotations

import re
from typing import NamedTuple

from postmortem_repo.lint.blameless.lexicon import (
    ALL_TRIGGERS,
    INDIVIDUAL,
    RCA_TRIGGERS,
    ROLE_NOUNS,
    TITLES,
    TRIGGERS,
    WORK_NOUNS,
)
from postmortem_repo.lint.blameless.prose import ProseUnit
from postmortem_repo.lint.blameless.scan import Spans
from postmortem_repo.model.people import first_names_lowered, word_set

WORD = re.compile(r"[a-z0-9']+")
# A run of sentence marks ends a sentence when whitespace or the end follows the whole run;
# it is read from its first mark only, and whole (possessive): read from each mark in turn,
# 32,000 dots before a letter took seconds.
# A dot after a title or an initial ("Mr. J. Whitfield") ends no sentence.
# Each pattern begins with the character set every end begins with, its conditions looked
# back at from after that character: the regex then skips every other character at once,
# where conditions written first were tried at each one (a third of PM4's regex time).
_AFTER_THE_FIRST_MARK = (
    r"(?<![.!?].)"
    + "".join(rf"(?<!\b{title}\.)" for title in TITLES)
    + r"(?<!\b[A-Z]\.)[.!?]*+(?=\s|$)"
)
SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)[ \t]*+\n|(?<!\n)" + _AFTER_THE_FIRST_MARK + ")")
# The same in text without a newline (most units).
SENTENCE_END_IN_LINE = re.compile(r"[.!?]" + _AFTER_THE_FIRST_MARK)


# For ASCII text the words WORD finds in text.lower() are, byte for byte, the words
# text.encode().translate(_WORD_BYTES).split() gives: it lowers capitals and turns every
# byte a word cannot hold into a space. Reading them so costs half as much as the regex,
# and most prose is ASCII.
_WORD_BYTES = bytes(
    byte + 32 if 65 <= byte <= 90 else byte if re.fullmatch(WORD, chr(byte)) else 32
    for byte in range(256)
)
_ALL_TRIGGER_BYTES = frozenset(word.encode() for word in ALL_TRIGGERS)


def may_blame(text: str) -> bool:
    """Whether any detector could match text: a unit without one of the trigger words is
    not worth preparing (masking only ever removes words)."""
    if text.isascii():
        words = text.encode().translate(_WORD_BYTES).split()
        if not _ALL_TRIGGER_BYTES.isdisjoint(words):
            return True
        held = set(words)
        if not (b"on" in held or b"again" in held or b"too" in held or b"'s" in text.encode()):
            return False  # the common case: nothing to read
        return may_say_whose(frozenset(word.decode() for word in held))
    words_found = frozenset(WORD.findall(text.lower().replace("\u2019", "'")))
    return not ALL_TRIGGERS.isdisjoint(words_found) or may_say_whose(words_found)


def ascii_words(text: str) -> frozenset[str]:
    """The words of ASCII text as WORD reads them in its lowercase (see _WORD_BYTES)."""
    return frozenset(text.encode().translate(_WORD_BYTES).decode().split())


def words_of(text: str) -> frozenset[str]:
    """The words WORD reads in text's lowercase, for any text."""
    if text.isascii():
        return ascii_words(text)
    return frozenset(WORD.findall(text.lower().replace("\u2019", "'")))


class Sentence(NamedTuple):
    start: int
    end: int
    words: frozenset[str]


def sentences(text: str) -> list[Sentence]:
    """The unit's sentences with their lowercase words: detectors skip most of them, and
    a unit without a single trigger word has none worth reading."""
    bounds = sentence_bounds(text)
    if text.isascii():
        return _unless_untriggered(
            [
                Sentence(begin, end, ascii_words(text[begin:end]))
                for begin, end in bounds
                if not text[begin:end].isspace()
            ]
        )
    lowered = text.lower().replace("\u2019", "'")
    if len(bounds) > 1 and len(lowered) == len(text):
        # A word never spans two sentences: the unit's words are its sentences' words.
        return _unless_untriggered(
            [
                Sentence(begin, end, frozenset(WORD.findall(lowered, begin, end)))
                for begin, end in bounds
                if not text[begin:end].isspace()
            ]
        )
    return _sentences_of_whole_unit(text, lowered, bounds)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence, the last one running to the end of text."""
    bounds = []
    start = 0
    ends = SENTENCE_END if "\n" in text else SENTENCE_END_IN_LINE
    for match in ends.finditer(text):
        bounds.append((start, match.end()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _unless_untriggered(parts: list[Sentence]) -> list[Sentence]:
    """parts, or none of them when not one holds a trigger word."""
    if all(ALL_TRIGGERS.isdisjoint(part.words) and not may_say_whose(part.words) for part in parts):
        return []
    return parts


def _sentences_of_whole_unit(
    text: str, lowered: str, bounds: list[tuple[int, int]]
) -> list[Sentence]:
    """The unit's words read first, then each sentence's: for a single sentence, and where
    lower() made the text longer (a dotted capital I), the words are read as they were
    before sentences were read one by one."""
    words = frozenset(WORD.findall(lowered))
    if ALL_TRIGGERS.isdisjoint(words) and not may_say_whose(words):
        return []
    if len(bounds) == 1:
        return [Sentence(0, len(text), words)]
    return [
        Sentence(begin, end, frozenset(WORD.findall(lowered[begin:end])))
        for begin, end in bounds
        if not text[begin:end].isspace()
    ]


# Each detector with its trigger words, in the detectors' order; in Root Cause Analysis
# PM402 reads more.
_BY_CODE = tuple(TRIGGERS.items())
_BY_CODE_RCA = tuple(
    (code, RCA_TRIGGERS if code == INDIVIDUAL else triggers) for code, triggers in _BY_CODE
)


def trigger_spans(unit: ProseUnit, parts: list[Sentence]) -> dict[str, Spans]:
    """For each detector, the sentences that hold one of its trigger words; a detector
    with none is left out."""
    if not parts:
        return {}
    by_code = _BY_CODE_RCA if reads_as_root_cause(unit) else _BY_CODE
    found: dict[str, Spans] = {}
    for part in parts:
        # A sentence holds few trigger words: each detector looks among those, not among
        # all of its words.
        held = ALL_TRIGGERS.intersection(part.words)
        for code, triggers in by_code:
            if not triggers.isdisjoint(held) or (
                code == INDIVIDUAL and (may_say_whose(part.words) or _act_linked(part.words))
            ):
                found.setdefault(code, []).append((part.start, part.end))
    return {code: found[code] for code, _ in by_code if code in found}


# "Why did the pods restart? Sandeep restarted them.": an answer to a why-question is
# offered as a cause, in whatever section it is written.
_WHY_ANSWERED = re.compile(r"\bwhy\b[^?\n]{0,200}\?[ \t]*\S", re.IGNORECASE)


def reads_as_root_cause(unit: ProseUnit) -> bool:
    """Whether a unit is read as Root Cause Analysis: in that section, or answering why."""
    if in_root_cause_analysis(unit.section):
        return True
    return ("why" in unit.text or "Why" in unit.text) and bool(_WHY_ANSWERED.search(unit.text))


# Words of a sentence that may say whose the incident was with no trigger word: "this one
# is on Oksana", "the dupe was also Ravi's change".
_ON_SOMEONE = frozenset(("this", "that", "it", "one"))
_NOT_POSSESSIVE = word_set("it's that's there's what's here's let's who's he's she's one's")
_IS = word_set("is was")
_AGAIN = word_set("again too")


def may_say_whose(words: frozenset[str]) -> bool:
    """Whether a sentence without a trigger word may still name whose the incident was."""
    if not _ON_SOMEONE.isdisjoint(words) and ("on" in words or not _AGAIN.isdisjoint(words)):
        return not _IS.isdisjoint(words) or "on" in words
    if WORK_NOUNS.isdisjoint(words):
        return False
    return any(word.endswith("'s") and word not in _NOT_POSSESSIVE for word in words)


# "Checkout failed after a config push by Dmitri": an act done by someone, linked to what
# went wrong, is read in every section.
_ACT_LINKS = word_set(
    """after following since from bc because due owing resulted resulting originated once
    moment minute second during causing leading which start beginning"""
)


def _act_linked(words: frozenset[str]) -> bool:
    """Whether a sentence may tell an act by someone ('by', a possessive, a role or a
    given name) and link it to what went wrong."""
    if _ACT_LINKS.isdisjoint(words):
        return False
    return (
        "by" in words
        or any(word.endswith("'s") and word not in _NOT_POSSESSIVE for word in words)
        or not ROLE_NOUNS.isdisjoint(words)
        or not first_names_lowered().isdisjoint(words)
    )


def in_root_cause_analysis(section: str) -> bool:
    """Whether a section is Root Cause Analysis (or a part of it), where PM402 reads more."""
    return section.casefold().startswith("root cause")
