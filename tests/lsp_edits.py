"""Applying an LSP client's text edits, as an editor does, for the language server's tests."""

from __future__ import annotations

from lsprotocol import types


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """The text after the edits (ranges in code points: the tests' texts are ASCII where
    edits land), applied from the last to the first."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(position: types.Position) -> int:
        return offsets[position.line] + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text
