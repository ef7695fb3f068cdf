"""PM402 tries at each word only the predicates that word can begin, and only those whose
needed words the sentence holds. These tests read every predicate's pattern to prove that
nothing left out could have matched, and compare the findings with one alternation of
all the predicates tried at every word, as pmrepo did before."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, TESTS

from postmortem_repo.lint.blameless import lexicon, predicates
from postmortem_repo.lint.blameless.lexicon import FIRST_WORDS, FIRST_WORDS_RCA, WRONG
from postmortem_repo.lint.blameless.predicates import (
    GROUPS,
    PREDICATES,
    Predicate,
    PredicateSpan,
    find_predicates,
    predicate_pattern,
    starting_words,
)
from postmortem_repo.lint.blameless.scan import FOLDED, LazyPattern, Spans, find_in_spans
from postmortem_repo.lint.blameless.sentences import (
    ALL_TRIGGERS,
    SENTENCE_END,
    WORD,
    Sentence,
    may_say_whose,
    sentences,
)

DATA = TESTS / "data" / "blame"
Items = list[tuple[Any, Any]]
LETTERS = frozenset(string.ascii_letters)


class AnyWord(Exception):
    """The pattern can begin with letters it does not spell out."""


def _exact(op: Any, av: Any) -> set[str] | None:
    """Every string one parsed item can match, lowercased, if there are few."""
    if op is sre.LITERAL:
        return {chr(av).lower()}
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return {""}  # matches no characters
    if op is sre.IN and all(item_op is sre.LITERAL for item_op, _ in av):
        return {chr(code).lower() for _, code in av}
    if op is sre.SUBPATTERN:
        return _exact_all(av[3].data)
    if op is sre.BRANCH:
        found: set[str] = set()
        for branch in av[1]:
            strings = _exact_all(branch.data)
            if strings is None:
                return None
            found |= strings
        return found
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[1] <= 2:
        once = _exact_all(av[2].data)
        if once is None:
            return None
        found = {""} if av[0] == 0 else set()
        for count in range(max(1, av[0]), av[1] + 1):
            found |= _product([once] * count) or set()
        return found
    return None


def _product(parts: list[set[str]]) -> set[str] | None:
    found = {""}
    for part in parts:
        if len(found) * len(part) > 20000:
            return None
        found = {a + b for a in found for b in part}
    return found


def _exact_all(items: Items) -> set[str] | None:
    parts = [_exact(op, av) for op, av in items]
    return None if any(part is None for part in parts) else _product(parts)  # type: ignore[arg-type]


def _can_begin_with_letter(op: Any, av: Any) -> bool:
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] > 0 and len(av[2].data) == 1:
        return _can_begin_with_letter(*av[2].data[0])
    if op is sre.IN:
        return not all(
            (item_op is sre.CATEGORY and code is sre.CATEGORY_SPACE)
            or (item_op is sre.LITERAL and chr(code) not in LETTERS)
            for item_op, code in av
        )
    return True


def first_words(source: str) -> set[str]:
    """The words (lowercased ASCII letters up to the first other character) every match of
    source can begin with. Raises AnyWord when it can begin with any."""
    words: set[str] = set()
    open_: set[str] = {""}  # what has been read of a first word not yet ended
    for op, av in _parser.parse(source, re.IGNORECASE).data:
        strings = _exact(op, av)
        if strings is None:
            if _can_begin_with_letter(op, av):
                raise AnyWord(source)
            words |= open_
            open_ = set()
        else:
            still_open = set()
            for text in (prefix + string_ for prefix in open_ for string_ in strings):
                end = next((i for i, char in enumerate(text) if char not in LETTERS), None)
                if end is None:
                    still_open.add(text)
                else:
                    words.add(text[:end])
            open_ = still_open
        if not open_:
            break
    return words | open_  # a pattern that ends in a word ends at a word boundary


def holds_one(items: Items, needs: tuple[str, ...]) -> bool:
    """Whether every match of the parsed items holds one of needs (lowercased)."""
    whole = _exact_all(items)
    if whole is not None:
        return all(any(need in text for need in needs) for text in whole)
    run: list[set[str]] = []  # consecutive items with few strings
    for op, av in items:
        strings = _exact(op, av)
        if strings is not None:
            run.append(strings)
            joined = _product(run)
            if joined is not None and all(any(need in t for need in needs) for t in joined):
                return True
            continue
        run = []
        if op is sre.SUBPATTERN and holds_one(av[3].data, needs):
            return True
        if op is sre.BRANCH and all(holds_one(branch.data, needs) for branch in av[1]):
            return True
        repeat = op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] > 0
        if repeat and holds_one(av[2].data, needs):
            return True
    return False


@pytest.mark.parametrize("predicate", PREDICATES, ids=lambda p: p.source[:40])
def test_every_word_a_predicate_can_begin_with_is_listed(predicate: Predicate) -> None:
    try:
        found = first_words(predicate.source)
    except AnyWord:
        assert "*" in predicate.firsts
        return
    assert found and found <= predicate.firsts


@pytest.mark.parametrize(
    "predicate", [p for p in PREDICATES if p.needs], ids=lambda p: p.source[:40]
)
def test_every_phrase_a_predicate_matches_holds_a_word_it_needs(
    predicate: Predicate,
) -> None:
    assert holds_one(_parser.parse(predicate.source, re.IGNORECASE).data, predicate.needs)


def test_the_checks_of_the_patterns_can_fail() -> None:
    assert first_words(r"(?:could|did)(?:n't)? be") == {"could", "couldn", "did", "didn"}
    with pytest.raises(AnyWord):
        first_words(r"[a-z]+ed\s+wrong")
    assert not holds_one(_parser.parse(r"was\s+(?:tired|lazy)", re.I).data, ("tired",))
    assert holds_one(_parser.parse(r"was\s+(?:tired|lazy)", re.I).data, ("tired", "lazy"))


# --- the same matches as one alternation of them all -------------------------------------


def _all_at_every_word(text: str, spans: Spans, in_rca: bool) -> Iterator[re.Match[str]]:
    """How PM402 read a sentence before: one pattern of every predicate, tried at every
    word that can begin one."""
    chosen = [p for p in PREDICATES if in_rca or p.group != "action"]
    pattern = predicate_pattern(chosen)
    first_words = FIRST_WORDS_RCA if in_rca else FIRST_WORDS
    for start, end in spans:
        last_end = start
        generic = WRONG.search(text, start, end) is not None
        for word in re.finditer(r"[A-Za-z]+", text[:end]):
            if word.start() < start or word.start() < last_end:
                continue
            lowered = word.group().lower()
            if lowered in first_words or (generic and lowered.endswith(("ed", "ing"))):
                match = pattern.match(text, word.start(), end)
                if match:
                    last_end = match.end()
                    yield match


def _texts() -> Iterator[str]:
    for path in sorted(DATA.glob("*/*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8")).get("items", []):
            yield str(item["text"])
    for path in sorted((FIXTURES / "dfds").glob("*")):
        yield from path.read_text("utf-8").split("\n\n")
    for predicate in PREDICATES:
        # A sentence for each predicate's own words, next to every needed word.
        for first in sorted(predicate.firsts - {"*"}):
            yield f"Alice {first} {' '.join(predicate.needs)} the wrong production config."


# Letters the patterns read as others (ſ as s, K as k, ı and İ as i), and capitals.
_VARIANTS = (
    str.upper,
    str.title,
    lambda text: text.replace("s", "\u017f"),
    lambda text: text.replace("k", "\u212a"),
    lambda text: text.replace("i", "\u0131"),
    lambda text: text.replace("i", "\u0130"),
)


def _spans(text: str) -> Spans:
    spans = [(part.start, part.end) for part in sentences(text)]
    return spans or [(0, len(text))]


def _found(matches: Iterator[re.Match[str]]) -> list[tuple[Any, ...]]:
    return [(m.span(), m.group(), *(m.group(g) for g in GROUPS)) for m in matches]


@pytest.mark.parametrize("in_rca", [False, True])
def test_the_predicates_find_what_one_alternation_of_them_all_finds(in_rca: bool) -> None:
    checked = matched = 0
    for text in _texts():
        for variant in (lambda text: text, *_VARIANTS):
            written = variant(text)
            spans = _spans(written)
            expected = _found(_all_at_every_word(written, spans, in_rca))
            assert _found(find_predicates(written, spans, in_rca)) == expected, written
            checked += 1
            matched += bool(expected)
    assert matched > 500 and checked > 5000  # the comparison saw the predicates at work


# The patterns with needs are the language's, all in the lexicon.
_SCANNED = [value for value in vars(lexicon).values() if isinstance(value, LazyPattern)]


@pytest.mark.parametrize(
    "pattern", [p for p in _SCANNED if p.needs], ids=lambda pattern: pattern.source[:40]
)
def test_every_match_of_a_scanned_pattern_holds_a_word_it_needs(pattern: LazyPattern) -> None:
    assert holds_one(_parser.parse(pattern.source, re.IGNORECASE).data, pattern.needs)


def test_the_scanned_patterns_with_needs_are_the_expensive_ones() -> None:
    needing = {pattern.source[:20] for pattern in _SCANNED if pattern.needs}
    # _WRONG is searched in every sentence PM402 reads (whether any -ed word may begin a
    # predicate there): its needs skip the regex where none of its words is. The
    # counterfactual conditions (IF_HAD, HAD_INVERTED), OBLIGATION, BECAUSE,
    # IDENTIFIED_AS, NOT_FOLLOWED, CULPRIT_HUNT, CAUSE_LIES_WITH and CAUSED_WORK_BY look far
    # ahead, and JUDGEMENT_STATE and PERSON_STATE are long; RAISED_TO_TURN reads every
    # sentence with a finding;
    # IS_THE_CAUSE and WENT_WRONG begin with 'is', 'was' or 'this', which most sentences hold;
    # THAT_DAMAGED and THAT_WAS_WHY begin with 'that', 'which' or 'this', BROKE_AFTER with
    # 'start' and words as common; JUDGEMENT_PHRASE is long, and BY_AGENT may begin at any
    # word. SLIP_TYPED is apart from HUMAN_ERROR_PHRASE so that its rare words skip most
    # sentences.
    assert len(needing) == 26


def test_the_scanned_patterns_find_in_every_span_what_they_find_without_their_needs() -> None:
    texts = [*_texts(), "Root cause: HUMAN ERROR.", "We should've known; if only.", "id-10-t error"]
    matched = 0
    for pattern in (p for p in _SCANNED if p.needs):
        for text in texts:
            for variant in (lambda text: text, *_VARIANTS):
                written = variant(text)
                spans = _spans(written)
                expected = [
                    m.span() for start, end in spans for m in pattern.finditer(written, start, end)
                ]
                assert [m.span() for m in find_in_spans(pattern, written, spans)] == expected
                matched += bool(expected)
    assert matched > 300


def _sentences_as_before(text: str) -> list[Sentence]:
    lowered = text.lower().replace("\u2019", "'")
    words = frozenset(WORD.findall(lowered))
    if ALL_TRIGGERS.isdisjoint(words) and not may_say_whose(words):
        return []
    found = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        found.append((start, match.end()))
        start = match.end()
    if start < len(text):
        found.append((start, len(text)))
    if len(found) == 1:
        return [Sentence(0, len(text), words)]
    return [
        Sentence(begin, end, frozenset(WORD.findall(lowered[begin:end])))
        for begin, end in found
        if not text[begin:end].isspace()
    ]


def test_sentences_read_a_unit_as_they_did_when_they_read_its_words_first() -> None:
    texts = [*_texts(), "", "  \n\n ", "Fine.\n\nAll good. ", "İt was fine. We forgot it."]
    for text in texts:
        for variant in (lambda text: text, *_VARIANTS):
            assert sentences(variant(text)) == _sentences_as_before(variant(text))


def test_spans_are_generic_exactly_where_wrong_is_found() -> None:
    for text in [*_texts(), "It was WRONG.", "the Mi\u017ftaken one", "incorrectly", "wrong"]:
        for variant in (lambda text: text, *_VARIANTS):
            written = variant(text)
            lowered = None if any(c in written for c in FOLDED) else written.lower()
            for start, end in _spans(written):
                span = PredicateSpan(written, lowered, start, end, False)
                assert span.generic == (WRONG.search(written, start, end) is not None)


def test_the_words_that_can_begin_a_predicate_are_found_in_ascii_as_by_the_regex() -> None:
    for text in [*_texts(), "re-deployed and RE-pushed", "can't-forgot_forgot9forgot"]:
        lowered = text.lower()
        for first_words in (FIRST_WORDS, FIRST_WORDS_RCA):
            for start, end in _spans(text):
                expected = first_words.intersection(re.findall(r"[a-z]+", lowered[start:end]))
                found = starting_words(first_words, lowered, start, end)
                assert sorted(found) == sorted(expected)


def _sentences_of_the_sets() -> list[str]:
    texts = []
    for path in sorted((DATA / "sentences").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    for path in sorted(DATA.glob("*/*.yaml")):
        texts += [str(item["text"]) for item in yaml.safe_load(path.read_text("utf-8"))["items"]]
    return texts


def test_every_person_targeted_match_holds_one_of_its_patterns_words() -> None:
    """PM405 reads a sentence with a pattern only when the sentence holds one of the words
    the pattern is listed with; a match without one would be skipped."""
    matched = 0
    for text in _sentences_of_the_sets():
        for pattern, anchors in lexicon.PERSON_TARGETED_ANCHORS.items():
            for match in pattern.finditer(text):
                matched += 1
                words = set(WORD.findall(match.group().lower().replace("\u2019", "'")))
                assert words & anchors, (match.group(), text)
    assert matched > 100


def test_each_predicate_is_compiled_once_whatever_the_words_around_it() -> None:
    """Compiled into one pattern per choice of predicates, the same predicates were
    compiled again in each choice: a quarter of PM4's cost on the real post-mortems."""
    for text in _texts():
        for in_rca in (False, True):
            list(find_predicates(text, _spans(text), in_rca))
    compiled = [pattern.pattern for pattern in predicates._PATTERNS.values()]
    alone = {predicate_pattern([predicate]).pattern for predicate in PREDICATES}
    assert len(compiled) > 50
    assert len(compiled) <= len(PREDICATES) and set(compiled) <= alone
