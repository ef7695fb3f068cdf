"""Reporters only format findings: text and json (a stable, documented shape)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from postmortem_repo import __version__
from postmortem_repo.findings import Finding, Severity

if TYPE_CHECKING:
    from postmortem_repo.engine import CheckResult

JSON_FORMAT_VERSION = 1


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class TextReporter:
    """`path:line:col: CODE message` per finding, a hint line where there is one, a summary."""

    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream
        self.color = color

    def _paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def line_for(self, finding: Finding) -> str:
        colour = "31" if finding.severity is Severity.ERROR else "33"
        location = self._paint(finding.location(), "1")
        code = self._paint(finding.code, "1;" + colour)
        line = f"{location}: {code} {finding.message}"
        if finding.severity is Severity.WARNING:
            line += self._paint(" (warning)", "33")
        return line

    def report(self, result: CheckResult) -> None:
        write = self.stream.write
        for finding in result.findings:
            write(self.line_for(finding) + "\n")
            if finding.hint:
                write(f"    hint: {finding.hint}\n")
        write(self.summary(result) + "\n")

    def summary(self, result: CheckResult) -> str:
        files = _plural(result.files_checked, "file")
        if not result.findings:
            return self._paint(f"All checks passed ({files} checked).", "32")
        counts = [_plural(result.errors, "error")]
        if result.warnings:
            counts.append(_plural(result.warnings, "warning"))
        return (
            f"Found {' and '.join(counts)} in "
            f"{_plural(result.files_with_findings, 'file')} ({files} checked)."
        )


class JsonReporter:
    """One JSON object: {"version", "pmrepo", "summary", "findings": [...]}."""

    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream

    def report(self, result: CheckResult) -> None:
        document = {
            "version": JSON_FORMAT_VERSION,
            "pmrepo": __version__,
            "summary": {
                "files_checked": result.files_checked,
                "errors": result.errors,
                "warnings": result.warnings,
            },
            "findings": [
                {
                    "path": f.path,
                    "line": f.line,
                    "column": f.column,
                    "code": f.code,
                    "name": f.name,
                    "severity": f.severity.value,
                    "message": f.message,
                    "hint": f.hint or None,
                }
                for f in result.findings
            ],
        }
        json.dump(document, self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")


REPORTERS: dict[str, type[TextReporter] | type[JsonReporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
}
