"""Inline suppressions: what the directives of a file (model.directives) suppress, and which
of them suppressed nothing; and the config's per_file_ignores.

A directive names rule codes, prefixes (PM3 covers PM301) or rule names; none means every
rule. A selector that names no rule suppresses nothing (PM901 reports it): a directive of
only such selectors suppresses nothing, never everything.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from postmortem_repo.core.errors import ConfigError
from postmortem_repo.lint.rules import matches, resolve_selector, unknown_selector
from postmortem_repo.model.directives import SAME_LINE, Directives
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.exclude import Exclusion

_ALL = ("ALL",)

# What one directive covers: (its line, first line, last line or None for the end of the
# file, codes).
Span = tuple[int, int, int | None, tuple[str, ...]]


@dataclass
class Suppressions:
    spans: list[Span] = field(default_factory=list)
    # pmrepo-enable directives that closed no disable: (line, codes)
    idle_enables: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    # Where each directive's comment starts: line → 1-based column (one directive a line).
    columns: dict[int, int] = field(default_factory=dict)
    # For each code asked about: the starts and ends of the merged spans that cover it.
    _merged: dict[str, tuple[list[int], list[float]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def covers(self, code: str, line: int) -> bool:
        merged = self._merged.get(code)
        if merged is None:
            merged = self._merged[code] = self._merge(code)
        starts, ends = merged
        index = bisect.bisect_right(starts, line) - 1
        return index >= 0 and line <= ends[index]

    def _merge(self, code: str) -> tuple[list[int], list[float]]:
        """The spans that cover code, merged where they overlap, sorted: a finding is
        looked up by bisection, not against every span (a file can hold thousands)."""
        covering = sorted(
            (first, float("inf") if last is None else last)
            for _, first, last, codes in self.spans
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
        return self if self.spans or self.idle_enables else None

    def unused(
        self, suppressed: Iterable[tuple[str, int]]
    ) -> list[tuple[int, int, tuple[str, ...], bool]]:
        """(line, column, unused codes, False) of each directive with a code that covers
        none of the suppressed (code, line) findings; (line, column, codes, True) of each
        enable that closed nothing."""
        lines_by_prefix: dict[str, list[int]] = {}
        for code, line in suppressed:
            for prefix in ("ALL", *(code[:length] for length in range(2, len(code) + 1))):
                lines_by_prefix.setdefault(prefix, []).append(line)
        for lines in lines_by_prefix.values():
            lines.sort()
        found = []
        for line, first, last, codes in self.spans:
            idle = tuple(
                code for code in codes if not _any_within(lines_by_prefix.get(code), first, last)
            )
            if idle:
                found.append((line, self.columns.get(line, 1), idle, False))
        found.extend(
            (line, self.columns.get(line, 1), codes, True) for line, codes in self.idle_enables
        )
        return sorted(found)


def _any_within(lines: list[int] | None, first: int, last: int | None) -> bool:
    if not lines:
        return False
    index = bisect.bisect_left(lines, first)
    return index < len(lines) and (last is None or lines[index] <= last)


def suppressions_of(directives: Directives) -> Suppressions:
    """What a file's directives suppress (selectors that name no rule left out)."""
    found = Suppressions()
    open_ranges = _OpenRanges()
    for directive in directives.found:
        codes = _codes(directive.selectors)
        line = directive.line
        found.columns[line] = directive.column
        if directive.action == "disable-next-line":
            found.spans.append((line, line + 1, line + 1, codes))
        elif directive.action == SAME_LINE:
            found.spans.append((line, line, line, codes))
        elif directive.action == "disable-file":
            found.spans.append((line, 1, None, codes))
        elif directive.action == "disable":
            open_ranges.open(line, codes)
        else:
            closed = open_ranges.close(line, codes)
            found.spans.extend(closed)
            if not closed:
                found.idle_enables.append((line, codes))
    found.spans.extend(open_ranges.still_open())
    return found


def _codes(selectors: tuple[str, ...]) -> tuple[str, ...]:
    if not selectors:
        return _ALL
    codes = []
    for selector in selectors:
        try:
            codes.append(resolve_selector(selector))
        except KeyError:
            continue  # PM901 reports it
    return tuple(codes)


class _OpenRanges:
    """The ranges a disable opened and no enable closed yet, by the set of their codes: an
    enable closes those whose codes it names all of, found without reading every open one
    (a file of disables that no enable closes once took a minute)."""

    def __init__(self) -> None:
        self.by_codes: dict[frozenset[str], list[tuple[int, tuple[str, ...]]]] = {}

    def open(self, line: int, codes: tuple[str, ...]) -> None:
        self.by_codes.setdefault(frozenset(codes), []).append((line, codes))

    def close(self, line: int, codes: tuple[str, ...]) -> list[Span]:
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
        return [(first, first, line, disabled) for first, disabled in sorted(closed)]

    def still_open(self) -> list[Span]:
        entries = sorted(entry for entries in self.by_codes.values() for entry in entries)
        return [(first, first, None, codes) for first, codes in entries]


@dataclass(frozen=True)
class PerFileIgnores:
    """The config's per_file_ignores: a pattern (.gitignore syntax, relative to the root)
    → the codes it ignores in the files it matches."""

    entries: tuple[tuple[Exclusion, tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, config: Config) -> PerFileIgnores:
        entries = []
        for pattern, selectors in config.per_file_ignores:
            codes = []
            for selector in selectors:
                try:
                    codes.append(resolve_selector(selector))
                except KeyError:
                    raise ConfigError(
                        f"{config.source}: invalid config at 'per_file_ignores.{pattern}': "
                        f"{unknown_selector(selector)}"
                    ) from None
            entries.append((Exclusion((pattern,)), tuple(codes)))
        return cls(tuple(entries))

    def codes_for(self, relpath: str) -> tuple[str, ...]:
        """The codes ignored in the file at relpath ('/'-separated, relative to the root)."""
        return tuple(
            code
            for exclusion, codes in self.entries
            if exclusion.excludes(relpath)
            for code in codes
        )

    @cached_property
    def empty(self) -> bool:
        return not self.entries
