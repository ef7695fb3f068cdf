"""A rule's declared fix: text edits (and, for a misplaced file, a move) and how safe they are.

Positions are those of findings: 1-based lines and columns, counted in characters of the
text as pmrepo reads it (a leading BOM dropped; CRLF, LF and a lone CR each end a line).
An edit replaces the text from (line, column) up to, not including, (end_line,
end_column); an empty range inserts. apply_edits maps the positions back onto the text as
it is on disk, so a BOM and the line endings outside the edits are kept byte for byte, and
the line breaks of a replacement are written as the file writes its own.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from postmortem_repo.core.errors import PmrepoError


class Applicability(enum.StrEnum):
    SAFE = "safe"  # keeps the meaning: applied by --fix
    UNSAFE = "unsafe"  # may change what a reader sees or where the file is: --unsafe-fixes


class Edit(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str


class Fix(NamedTuple):
    applicability: Applicability
    title: str  # what the fix does, for a code action: "Write 'SEV2'"
    edits: tuple[Edit, ...] = ()
    # For a file in the wrong place: the path (relative to the repository root, '/'-separated)
    # it moves to. A move is always unsafe.
    move_to: str | None = None

    def to_json(self) -> list[Any]:
        edits = [list(edit) for edit in self.edits]
        return [self.applicability.value, self.title, edits, self.move_to]

    @classmethod
    def from_json(cls, data: list[Any]) -> Fix:
        applicability, title, edits, move_to = data
        return cls(
            Applicability(applicability),
            title,
            tuple(Edit(int(a), int(b), int(c), int(d), str(e)) for a, b, c, d, e in edits),
            move_to,
        )


def safe(title: str, *edits: Edit) -> Fix:
    return Fix(Applicability.SAFE, title, tuple(edits))


def unsafe(title: str, *edits: Edit) -> Fix:
    return Fix(Applicability.UNSAFE, title, tuple(edits))


def replace_line(line: int, old: str, new: str) -> Edit:
    """An edit that replaces all of line `line` (whose text is old) with new."""
    return Edit(line, 1, line, len(old) + 1, new)


class EditConflict(PmrepoError):
    """Edits that overlap, or that lie outside the text: none was applied."""


_LINE_END = re.compile(r"\r\n|\r|\n")


def _line_starts(text: str) -> tuple[list[int], list[int]]:
    """Where each line starts and where its content ends (before its line break)."""
    starts, ends = [0], []
    for brk in _LINE_END.finditer(text):
        ends.append(brk.start())
        starts.append(brk.end())
    ends.append(len(text))
    return starts, ends


def _offset(starts: list[int], ends: list[int], line: int, column: int, bom: int) -> int:
    """The offset in the text on disk of a (line, column) of the text as read. Column
    length + 2 is the start of the next line: an edit that takes the line break too."""
    if not 1 <= line <= len(starts):
        raise EditConflict(f"an edit names line {line}, and the text has {len(starts)}")
    start = starts[line - 1] + (bom if line == 1 else 0)
    width = ends[line - 1] - start
    if column == width + 2 and line < len(starts):
        return starts[line]
    if not 1 <= column <= width + 1:
        raise EditConflict(f"an edit names column {column} of line {line}, beyond its end")
    return start + column - 1


def newline_of(text: str) -> str:
    """The line break a file writes: its first one (LF for a file of one line)."""
    found = _LINE_END.search(text)
    return found.group() if found else "\n"


def overlapping(first: Sequence[Edit], second: Sequence[Edit]) -> bool:
    """Whether an edit of one set touches the range of an edit of the other (two insertions
    at one place count as overlapping: their order would be a guess)."""
    for a in first:
        for b in second:
            a_start, a_end = (a.line, a.column), (a.end_line, a.end_column)
            b_start, b_end = (b.line, b.column), (b.end_line, b.end_column)
            if (a_start < b_end and b_start < a_end) or a_start == b_start:
                return True
    return False


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """text with the edits made (positions as a check reads text: see the module's doc).
    EditConflict when two edits overlap or one lies outside the text; text is unchanged."""
    ordered = sorted(edits, key=lambda edit: (edit.line, edit.column, edit.end_line))
    if not ordered:
        return text
    bom = 1 if text.startswith("\ufeff") else 0
    starts, ends = _line_starts(text)
    newline = newline_of(text)
    pieces, kept_from = [], 0
    for edit in ordered:
        start = _offset(starts, ends, edit.line, edit.column, bom)
        end = _offset(starts, ends, edit.end_line, edit.end_column, bom)
        if start < kept_from or end < start:
            raise EditConflict(
                f"edits overlap at line {edit.line}, column {edit.column}: none was applied"
            )
        pieces.append(text[kept_from:start])
        pieces.append(edit.replacement.replace("\n", newline))
        kept_from = end
    pieces.append(text[kept_from:])
    return "".join(pieces)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def rewrite(old: str, new: str) -> Edit:
    """The one edit that turns old into new (both as read: see normalise), changing only
    the characters between their common beginning and their common end."""
    head = _common_length(old, new)
    tail = _common_length(old[head:][::-1], new[head:][::-1])
    start, end = _position(old, head), _position(old, len(old) - tail)
    return Edit(*start, *end, new[head : len(new) - tail])


def _common_length(first: str, second: str) -> int:
    """How many characters the two texts begin with alike: a binary search over slice
    comparisons (made in C), so a README of megabytes costs milliseconds."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
