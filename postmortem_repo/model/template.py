"""What a repository's own template holds that a finished post-mortem should not: its
placeholders ('[Service name]', 'ISSUE NAME', 'XXX') and its instructions and example
sentences, as lines to compare a post-mortem's lines with."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from postmortem_repo.core.markup import CodeFences

# '[Service name]', an ALL-CAPS run of two words or more ('ISSUE NAME', 'DATE RANGE'), and a
# letter written three times or more ('XXX', 'YYY').
_PLACEHOLDER = re.compile(
    r"\[[^\[\]\n]{1,60}\]|\b[A-Z]{2,}(?:[ \t]+[A-Z]{2,})+\b|\b([A-Z])\1{2,}\b"
)
# A link or a checkbox is not a placeholder: '[text](url)', '[ ]', '[x]'.
_NOT_PLACEHOLDER = re.compile(r"^\[(?: |x|X)?\]$")
# Instructions are set apart: in italics, quoted, or in a comment.
_INSTRUCTION = re.compile(r"^(?:>\s*.+|_[^_].*_|\*[^*].*\*|<!--.*-->)$")
_MARKS = re.compile(r"^(?:[-*+>]|\d+[.)])\s+|[*_`]")
# A plain sentence of the template this long is its example text, not a short default
# ('All times in UTC.') that a post-mortem keeps because it is true.
_EXAMPLE_WORDS = 6


class TemplateText(NamedTuple):
    placeholders: frozenset[str]
    lines: frozenset[str]  # instruction and example lines, as normalised_line gives them


def normalised_line(text: str) -> str:
    """A line without list, quote and emphasis marks, spacing folded, case ignored."""
    return " ".join(_MARKS.sub("", text.strip()).split()).casefold()


@lru_cache(maxsize=8)
def template_text(text: str) -> TemplateText:
    placeholders: set[str] = set()
    lines: set[str] = set()
    fences = CodeFences()
    for raw in text.splitlines():
        line = raw.strip()
        in_code = fences.is_code(raw)
        for match in _PLACEHOLDER.finditer(line):
            if not _NOT_PLACEHOLDER.match(match.group(0)) and not _is_link(line, match):
                placeholders.add(match.group(0))
        if in_code or not line or line.startswith(("#", "|", "---")):
            continue
        normal = normalised_line(line)
        if _INSTRUCTION.match(line) or len(normal.split()) >= _EXAMPLE_WORDS:
            lines.add(normal)
    return TemplateText(frozenset(placeholders), frozenset(lines))


def _is_link(line: str, match: re.Match[str]) -> bool:
    return match.group(0).startswith("[") and line[match.end() : match.end() + 1] in ("(", "[")


def placeholders_in(line: str, template: TemplateText) -> list[tuple[int, str]]:
    """(column, placeholder) for each of the template's placeholders in the line."""
    found = []
    for placeholder in sorted(template.placeholders):
        pattern = re.escape(placeholder)
        if placeholder[0].isalnum():
            pattern = rf"\b{pattern}\b"
        found += [(m.start() + 1, placeholder) for m in re.finditer(pattern, line)]
    return sorted(found)
