"""How the blameless detectors run a pattern over the sentences worth reading: compiled on
first use, and skipped in any sentence that lacks every word a match needs."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

# (start, end) offsets of the sentences of a unit that one detector reads.
Spans = list[tuple[int, int]]


class LazyPattern:
    """A pattern compiled when it is first used. As a pre-commit hook pmrepo often checks
    one file, and most patterns only run on a sentence that holds one of their words.

    Measured on pmrepo's 28 module-level patterns (CPython 3.11, bytecode cached): compiling
    them all at import makes importing the detectors ~16 ms slower (~5 ms instead of ~21 ms,
    median of 25 fresh processes), and `bench/startup.py --runs 15` shows a single-file
    `pmrepo check` ~17 ms slower (327 ms instead of 344 ms). That is more than the ~5 ms a
    plain re.compile may cost, so the compiling waits for a use.
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
    for start, end in spans:
        if needs and not holds_one(text[start:end].lower(), needs):
            continue
        yield from pattern.finditer(text, start, end)


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
