"""Inline code spans and HTML comments found in linear time, whatever the text holds.

A regex such as (`+)(?:(?!\\1).)+?\\1 tries every shorter opening run at every backtick
of a long run, each time scanning ahead: a line of a few thousand backticks took minutes.
The scans here give the same spans the regexes give, reading each run of backticks once.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

_BACKTICKS = re.compile("`+")


def code_spans(text: str, limit: int | None = None) -> Iterator[tuple[int, int]]:
    """The (start, end) of each match, left to right, that re.finditer would give for
    (`+)(?:(?!\\1).){1,limit}?\\1 with re.DOTALL (limit None: no limit)."""
    return CodeSpans(text, limit).after(0)


class CodeSpans:
    """The code spans of one text, found from any offset that does not split a run of
    backticks (a search that resumes after some other match).

    From an offset i with R backticks ahead, the opening of L backticks needs 2L > R (or
    the text right after it would begin with the closing run) and a later run of at least
    L backticks (the first such run closes it; within limit characters when limited). The
    regex tries L from R down, and each i in turn: the first that fits is its match."""

    def __init__(self, text: str, limit: int | None = None) -> None:
        self.limit = limit
        self.runs = [(m.start(), m.end() - m.start()) for m in _BACKTICKS.finditer(text)]
        self.starts = [start for start, _ in self.runs]
        # The next run longer than each run: following it from the run after k lists the
        # runs that are longer than every run between k and them (the only ones that can
        # close an opening after k, each for the lengths above its predecessor's).
        count = len(self.runs)
        self.longer = [count] * count
        stack: list[int] = []
        for index, (_, length) in enumerate(self.runs):
            while stack and self.runs[stack[-1]][1] < length:
                self.longer[stack.pop()] = index
            stack.append(index)

    def after(self, offset: int) -> Iterator[tuple[int, int]]:
        """The spans a search from offset finds, left to right."""
        runs, longer, limit = self.runs, self.longer, self.limit
        count = len(runs)
        k = bisect.bisect_left(self.starts, offset)
        if k >= count - 1:
            return
        start = runs[k][0]
        while k < count - 1:
            run_start, run_length = runs[k]
            end = run_start + run_length
            position, length = runs[k + 1]
            found: tuple[int, int, int] | None
            if length >= end - start and (limit is None or position <= end + limit):
                found = start, k + 1, end - start  # most spans: `code`, ``code``
            else:
                records: list[tuple[int, int, int]] = []  # (position, length, index)
                q = k + 1
                while q < count:
                    position, length = runs[q]
                    if limit is not None and position > end + limit:
                        break  # too far for any opening in this run
                    records.append((position, length, q))
                    if length >= end - start:
                        break  # closes the longest opening: later runs close none first
                    q = longer[q]
                found = _first_span(records, start, end, limit)
            if found is None:
                k += 1
                start = runs[k][0]
                continue
            opening, k, length = found
            position = runs[k][0]
            yield opening, position + length
            # The rest of the closing run, if any, is where the next search starts.
            if length < runs[k][1]:
                start = position + length
            else:
                k += 1
                if k < count:
                    start = runs[k][0]


def _first_span(
    records: list[tuple[int, int, int]], start: int, end: int, limit: int | None
) -> tuple[int, int, int] | None:
    """(opening offset, closing run's index, L) of the first match from an offset in
    [start, end), the backticks of one run; None when none begins in it."""
    if not records:
        return None
    longest = records[-1][1]
    # With R > 2 * longest - 1 no L fits: skip those offsets at once.
    first = max(start, end - (2 * longest - 1))
    for i in range(first, end):
        ahead = end - i
        lowest = ahead // 2 + 1
        previous = len(records) - 1
        while previous >= 0:
            position, length, index = records[previous]
            below = records[previous - 1][1] if previous else 0
            top = min(length, ahead)
            if top < lowest:
                break
            if top > below:
                # This record closes every L in (below, top]; the limit asks for
                # L >= position - i - limit.
                need = max(below + 1, lowest)
                if limit is not None:
                    need = max(need, position - i - limit)
                if top >= need:
                    return i, index, top
            previous -= 1
    return None


def blank_code_spans(text: str, limit: int | None = None) -> str:
    """text with each code span (as code_spans finds them) replaced by as many spaces."""
    if "`" not in text:
        return text
    parts: list[str] = []
    last = 0
    for begin, end in code_spans(text, limit):
        parts.append(text[last:begin])
        parts.append(" " * (end - begin))
        last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def comment_spans(text: str) -> Iterator[tuple[int, int]]:
    """The matches of <!--.*?--> (re.DOTALL), left to right: once no '-->' follows an
    opening, none follows a later one either, so the search stops there."""
    position = text.find("<!--")
    while position >= 0:
        close = text.find("-->", position + 4)
        if close < 0:
            return
        yield position, close + 3
        position = text.find("<!--", close + 3)


def without_comments(text: str) -> str:
    """text with every HTML comment removed, as re.sub(r'<!--.*?-->', '', text, DOTALL)."""
    if "<!--" not in text:
        return text
    parts: list[str] = []
    last = 0
    for begin, end in comment_spans(text):
        parts.append(text[last:begin])
        last = end
    parts.append(text[last:])
    return "".join(parts)


# A fence line: three or more backticks (an info string without backticks) or tildes.
_FENCE = re.compile(r"^[ ]{0,3}(?:(`{3,})([^`]*)|(~{3,})(.*))$")


class CodeFences:
    """Which lines of Markdown are fenced code, read one line at a time in order."""

    __slots__ = ("_fence",)

    def __init__(self) -> None:
        self._fence = ""  # the open fence's backticks or tildes

    def is_code(self, line: str) -> bool:
        """Whether the line (without its line break) opens, closes or is inside a fenced
        code block. A fence closes with the same character, at least as long, and no info
        string."""
        fenced = _FENCE.match(line)
        if fenced is None:
            return bool(self._fence)
        marks = fenced.group(1) or fenced.group(3)
        info = fenced.group(2) or fenced.group(4) or ""
        if not self._fence:
            self._fence = marks
        elif marks[0] == self._fence[0] and len(marks) >= len(self._fence) and not info.strip():
            self._fence = ""
        return True
