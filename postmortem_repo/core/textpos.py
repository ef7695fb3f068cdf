"""Offsets to 1-based line numbers, and the normalisation every document goes through."""

from __future__ import annotations

import bisect
from itertools import accumulate


def normalise(text: str) -> str:
    """Drop a leading BOM and turn CRLF and lone CR into LF; line numbers are unchanged."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


class LineIndex:
    """Maps character offsets of one text to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self.starts = _line_starts(text.split("\n"))

    @classmethod
    def of_lines(cls, lines: list[str]) -> LineIndex:
        """The index of "\n".join(lines), from lines already split."""
        return cls._with_starts(_line_starts(lines))

    def blanked(self, offset: int) -> LineIndex:
        """The index of this text with everything before offset replaced by its newlines
        ("\n" * newlines + text[offset:]): the same lines, fewer characters before them."""
        newlines = bisect.bisect_right(self.starts, offset) - 1
        shift = newlines - offset
        kept = [start + shift for start in self.starts[newlines + 1 :]]
        return self._with_starts([*range(newlines + 1), *kept])

    @classmethod
    def _with_starts(cls, starts: list[int]) -> LineIndex:
        index = cls.__new__(cls)
        index.starts = starts
        return index

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    @property
    def count(self) -> int:
        return len(self.starts)


_PLUS_ONE = (1).__add__


def _line_starts(lines: list[str]) -> list[int]:
    # Each line starts one past the end of the one before: summed in C, not a find() loop.
    starts = list(accumulate(map(_PLUS_ONE, map(len, lines)), initial=0))
    starts.pop()  # where a line after the last would start
    return starts
