"""Inline suppressions: <!-- pmrepo-disable CODES -->, -enable, -disable-next-line, -disable-file.

In the front matter the same directives work as YAML comments (`# pmrepo-disable-next-line
PM206`). Codes match by prefix (PM3 covers PM301); no codes means every rule.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from postmortem_repo.lint.rules import matches

_HTML = re.compile(
    r"^\s*<!--\s*pmrepo-(disable-next-line|disable-file|disable|enable)\b([^>]*?)-->\s*$"
)
_YAML = re.compile(r"^\s*#\s*pmrepo-(disable-next-line|disable-file|disable|enable)\b(.*)$")
_ALL = ("ALL",)


@dataclass
class Suppressions:
    file_wide: list[str] = field(default_factory=list)
    next_line: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # (first line, last line or None for open-ended, codes)
    ranges: list[tuple[int, int | None, tuple[str, ...]]] = field(default_factory=list)
    # For each code asked about: the starts and ends of the merged ranges that cover it.
    _spans: dict[str, tuple[list[int], list[float]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def covers(self, code: str, line: int) -> bool:
        if matches(code, self.file_wide) >= 0:
            return True
        if line in self.next_line and matches(code, self.next_line[line]) >= 0:
            return True
        if not self.ranges:
            return False
        spans = self._spans.get(code)
        if spans is None:
            spans = self._spans[code] = self._merged(code)
        starts, ends = spans
        index = bisect.bisect_right(starts, line) - 1
        return index >= 0 and line <= ends[index]

    def _merged(self, code: str) -> tuple[list[int], list[float]]:
        """The ranges that cover code, merged where they overlap, sorted: a finding is
        looked up by bisection, not against every range (a file can hold thousands)."""
        covering = sorted(
            (first, float("inf") if last is None else last)
            for first, last, codes in self.ranges
            if matches(code, codes) >= 0
        )
        starts: list[int] = []
        ends: list[float] = []
        for first, last in covering:
            if ends and first <= ends[-1]:
                ends[-1] = max(ends[-1], last)
            else:
                starts.append(first)
                ends.append(last)
        return starts, ends

    def or_none(self) -> Suppressions | None:
        """None when nothing is suppressed: most files, which then cost nothing to keep."""
        return self if self.file_wide or self.next_line or self.ranges else None


def parse_suppressions(lines: list[str], front_matter_end: int) -> Suppressions:
    found = Suppressions()
    open_ranges = _OpenRanges()
    for number, text in enumerate(lines, start=1):
        if "pmrepo-" not in text:
            continue
        pattern = _YAML if number <= front_matter_end else _HTML
        match = pattern.match(text)
        if not match:
            continue
        action = match.group(1)
        codes = tuple(code.upper() for code in re.findall(r"[A-Za-z]+\d*", match.group(2))) or _ALL
        if action == "disable-next-line":
            found.next_line[number + 1] = codes
        elif action == "disable-file":
            found.file_wide.extend(codes)
        elif action == "disable":
            open_ranges.open(number, codes)
        else:
            found.ranges.extend(open_ranges.close(number, codes))
    found.ranges.extend(open_ranges.still_open())
    return found


Range = tuple[int, int | None, tuple[str, ...]]


class _OpenRanges:
    """The ranges a disable opened and no enable closed yet, by the set of their codes: an
    enable closes those whose codes it names all of, found without reading every open one
    (a file of disables that no enable closes once took a minute)."""

    def __init__(self) -> None:
        self.by_codes: dict[frozenset[str], list[tuple[int, tuple[str, ...]]]] = {}

    def open(self, line: int, codes: tuple[str, ...]) -> None:
        self.by_codes.setdefault(frozenset(codes), []).append((line, codes))

    def close(self, line: int, codes: tuple[str, ...]) -> list[Range]:
        """The ranges this enable closes, in the order they were opened."""
        if codes == _ALL:
            keys = list(self.by_codes)
        else:
            named = frozenset(codes)
            if len(named) <= 10 and 2 ** len(named) < len(self.by_codes):
                subsets = (
                    frozenset(subset)
                    for size in range(1, len(named) + 1)
                    for subset in itertools.combinations(sorted(named), size)
                )
                keys = [key for key in subsets if key in self.by_codes]
            else:
                keys = [key for key in self.by_codes if key <= named]
        closed = [entry for key in keys for entry in self.by_codes.pop(key)]
        return [(first, line, disabled) for first, disabled in sorted(closed)]

    def still_open(self) -> list[Range]:
        entries = sorted(entry for entries in self.by_codes.values() for entry in entries)
        return [(first, None, codes) for first, codes in entries]
