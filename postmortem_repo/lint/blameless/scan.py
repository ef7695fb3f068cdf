"""How the blameless detectors run a pattern over the sentences worth reading: compiled on
first use, and skipped in any sentence that lacks every word a match needs."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator

# (start, end) offsets of the sentences of a unit that one detector reads.
Spans = list[tuple[int, int]]


class LazyPattern:
    """A pattern compiled when it is first used. As a pre-commit hook pmrepo often checks
    one file, and most patterns only run on a sentence that holds one of their words.

    Measured with the 28 module-level patterns (26 in lexicon.py, 2 in predicates.py) on
    CPython 3.11 with bytecode cached: compiled at import instead, they make
    `python -X importtime` report ~20 ms of self time for lexicon instead of ~0.8 ms,
    importing the detectors take ~18 ms instead of ~6 ms (median of 30 fresh processes),
    and `bench/startup.py --runs 15` time a single-file `pmrepo check` 18 to 40 ms slower
    (three runs; e.g. 282 ms instead of 263 ms). That is well over the ~5 ms a plain
    re.compile may cost, so compiling waits for a first use.
    """

    __slots__ = ("_compiled", "_flags", "_source", "needs")

    def __init__(self, source: str, flags: int = 0, needs: tuple[str, ...] = ()) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None
        # Words (lowercase) one of which every match holds: find_in_spans skips spans
        # without any.
        self.needs = needs

    @property
    def source(self) -> str:
        return self._source

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return (self._compiled or self.compiled).finditer(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return (self._compiled or self.compiled).search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return (self._compiled or self.compiled).match(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[str]:
        return (self._compiled or self.compiled).findall(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return (self._compiled or self.compiled).fullmatch(text, pos, endpos)


def find_in_spans(pattern: LazyPattern, text: str, spans: Spans) -> Iterator[re.Match[str]]:
    """The pattern's matches in spans, looked for only in those that hold a word it needs:
    a pattern tried at every character costs far more than a few substring checks."""
    needs = pattern.needs
    if needs and has_folded(text):
        needs = ()  # see FOLDED
    if needs:
        lowered = lowercase(text)
        # Most units hold none of a pattern's words: one look at the whole text says so.
        if not holds_one(lowered, needs):
            return
        if len(spans) == 1:
            needs = ()
    for start, end in spans:
        if needs and not holds_one(lowered[start:end], needs):
            continue
        yield from pattern.finditer(text, start, end)


@functools.lru_cache(maxsize=16)
def lowercase(text: str) -> str:
    """A unit's text in lowercase, made once for all the patterns that look in it (without
    FOLDED characters, lowercasing keeps every offset)."""
    return text.lower()


def holds_one(segment: str, needs: tuple[str, ...]) -> bool:
    """Whether segment holds one of needs."""
    # A loop, not any() over a generator: this runs for most sentences and is ~30% faster.
    for need in needs:  # noqa: SIM110
        if need in segment:
            return True
    return False


# What the patterns read as ASCII letters (ignoring case) besides them, and what lower()
# turns into one: where none is, text.lower() holds every word a pattern matches, at the
# same offsets. Where one is, every pattern is tried as if its needs were met.
FOLDED = "\u017f\u0131\u0130\u212a"


def has_folded(text: str) -> bool:
    """Whether text holds one of the FOLDED characters."""
    # Every FOLDED character is beyond ASCII, and most prose is ASCII: isascii() is O(1).
    return not text.isascii() and any(c in text for c in FOLDED)
