"""The lines of checked files, for `pmrepo check --show-source`: the offending line under a
finding, and a caret line under its columns."""

from __future__ import annotations

from pathlib import Path

from postmortem_repo.core.findings import Finding
from postmortem_repo.core.textpos import normalise
from postmortem_repo.model.document import read_text
from postmortem_repo.render.escape import terminal_text


class SourceLines:
    """Reads each file once, when a finding in it is shown (findings come sorted by file,
    so only the last file's lines are kept). A file that cannot be read shows no source."""

    def __init__(self) -> None:
        self._path: str | None = None
        self._lines: list[str] = []

    def line(self, path: str, number: int) -> str | None:
        if path != self._path:
            text = read_text(Path(path))
            self._path = path
            self._lines = normalise(text).split("\n") if isinstance(text, str) else []
        return self._lines[number - 1] if 0 < number <= len(self._lines) else None

    def excerpt(self, finding: Finding) -> list[str]:
        """`  NN | the line` and `     |   ^^^^` under the finding's columns (one caret where
        the rule knows only where the text starts); nothing when the line is not there."""
        text = self.line(finding.path, finding.line)
        if text is None:
            return []
        start = min(finding.column, len(text) + 1) - 1
        end = start + 1
        if finding.end_line == finding.line and finding.end_column is not None:
            end = max(end, min(finding.end_column - 1, len(text)))
        elif finding.end_line is not None and finding.end_line > finding.line:
            end = max(end, len(text))  # the range goes on below: up to this line's end
        number = str(finding.line)
        indent = " " * len(terminal_text(text[:start]))
        carets = "^" * max(1, len(terminal_text(text[start:end])))
        return [
            f"    {number} | {terminal_text(text)}".rstrip(),
            f"    {' ' * len(number)} | {indent}{carets}",
        ]
