"""Inline suppressions: <!-- pmrepo-disable CODES -->, -enable, -disable-next-line, -disable-file.

In the front matter the same directives work as YAML comments (`# pmrepo-disable-next-line
PM206`). Codes match by prefix (PM3 covers PM301); no codes means every rule.
"""

from __future__ import annotations

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

    def covers(self, code: str, line: int) -> bool:
        if matches(code, self.file_wide) >= 0:
            return True
        if line in self.next_line and matches(code, self.next_line[line]) >= 0:
            return True
        return any(
            first <= line and (last is None or line <= last) and matches(code, codes) >= 0
            for first, last, codes in self.ranges
        )

    def or_none(self) -> Suppressions | None:
        """None when nothing is suppressed: most files, which then cost nothing to keep."""
        return self if self.file_wide or self.next_line or self.ranges else None


def parse_suppressions(lines: list[str], front_matter_end: int) -> Suppressions:
    found = Suppressions()
    open_ranges: list[tuple[int, tuple[str, ...]]] = []
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
            open_ranges.append((number, codes))
        else:
            open_ranges = _close(found, open_ranges, number, codes)
    found.ranges.extend((first, None, codes) for first, codes in open_ranges)
    return found


OpenRanges = list[tuple[int, tuple[str, ...]]]


def _close(
    found: Suppressions, open_ranges: OpenRanges, line: int, codes: tuple[str, ...]
) -> OpenRanges:
    still_open = []
    for first, disabled in open_ranges:
        if codes == _ALL or set(disabled) <= set(codes):
            found.ranges.append((first, line, disabled))
        else:
            still_open.append((first, disabled))
    return still_open
