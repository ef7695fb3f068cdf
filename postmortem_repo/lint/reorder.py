"""The unsafe fix of a timeline out of order: its rows sorted, earliest first."""

from __future__ import annotations

from postmortem_repo.core.fixes import Edit, Fix, unsafe
from postmortem_repo.model.document import Document
from postmortem_repo.model.timing import TimedRow


def sorted_rows_fix(doc: Document, entries: list[TimedRow]) -> Fix | None:
    """The table's rows in time order (a stable sort), when every row is a table row of
    its own line, one after the other, with a complete time (no unknown parts, no date
    sub-heading the row falls under); else None: a person sorts it."""
    if not entries or any(not _complete(timed) for timed in entries):
        return None
    lines = [timed.row.line for timed in entries]
    if lines != list(range(lines[0], lines[0] + len(lines))):
        return None  # a line between rows (a directive, a note) would lose its place
    ordered = sorted(entries, key=lambda timed: timed.moment or 0)
    texts = [doc.lines[timed.row.line - 1] for timed in ordered]
    last = lines[-1]
    edit = Edit(lines[0], 1, last, len(doc.lines[last - 1]) + 1, "\n".join(texts))
    return unsafe("Sort the timeline, earliest first", edit)


def _complete(timed: TimedRow) -> bool:
    row = timed.row
    return (
        timed.moment is not None
        and timed.precision == "minute"
        and row.form == "table"
        and not row.date
    )
