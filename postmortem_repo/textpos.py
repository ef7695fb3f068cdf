"""Offsets to 1-based line numbers, and the normalisation every document goes through."""

from __future__ import annotations

import bisect


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
        starts = [0]
        find = text.find
        position = find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = find("\n", position + 1)
        self.starts = starts

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    @property
    def count(self) -> int:
        return len(self.starts)
