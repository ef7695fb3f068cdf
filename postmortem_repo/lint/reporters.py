"""Reporters only format findings: text, json (a stable, documented shape), GitHub
workflow commands and SARIF 2.1.0."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, TextIO

from postmortem_repo import __version__
from postmortem_repo.core.findings import Finding, Severity
from postmortem_repo.render.escape import TERMINAL_UNSAFE, cell, terminal_text

if TYPE_CHECKING:
    from postmortem_repo.lint.engine import CheckResult
    from postmortem_repo.lint.rules import Rule as registry_Rule

JSON_FORMAT_VERSION = 1


def _log_text(text: str) -> str:
    """An annotation's text, which GitHub also prints in the job's log (and its log viewer
    acts on escape sequences): controls shown as terminal_text shows them, except CR and LF,
    which the workflow command carries escaped (workflow_data)."""
    if not TERMINAL_UNSAFE.search(text):
        return text
    return "\n".join(
        "\r".join(terminal_text(part) for part in line.split("\r")) for line in text.split("\n")
    )


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
        location = self._paint(terminal_text(finding.location()), "1")
        code = self._paint(finding.code, "1;" + colour)
        line = f"{location}: {code} {terminal_text(finding.message)}"
        if finding.severity is Severity.WARNING:
            line += self._paint(" (warning)", "33")
        return line

    def report(self, result: CheckResult) -> None:
        write = self.stream.write
        for finding in result.findings:
            write(self.line_for(finding) + "\n")
            if finding.hint:
                write(f"    hint: {terminal_text(finding.hint)}\n")
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


def workflow_data(text: str) -> str:
    """A workflow command's message (after the second '::'): '%' first, then CR and LF,
    as GitHub's toolkit escapes data and the runner decodes it; the command stays one line."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A workflow command's property value: as data, and also ':' (which would end the
    properties) and ',' (which would start another property)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """GitHub Actions workflow commands: one annotation per finding on the changed line."""

    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream

    def report(self, result: CheckResult) -> None:
        for f in result.findings:
            command = "error" if f.severity is Severity.ERROR else "warning"
            properties = ",".join(
                f"{key}={workflow_property(str(value))}"
                for key, value in (
                    ("file", f.path),
                    ("line", f.line),
                    ("col", f.column),
                    ("title", f"{f.code} {f.name}"),
                )
            )
            message = _log_text(f.message) + (f"\nhint: {_log_text(f.hint)}" if f.hint else "")
            self.stream.write(f"::{command} {properties}::{workflow_data(message)}\n")
        self.stream.write(TextReporter(self.stream).summary(result) + "\n")


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class SarifReporter:
    """SARIF 2.1.0 for code scanning: every rule with its help, every finding located."""

    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream

    def report(self, result: CheckResult) -> None:
        from postmortem_repo.lint import rules as registry

        rules = registry.all_rules()
        index = {rule.code: position for position, rule in enumerate(rules)}
        document = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "pmrepo",
                            "version": __version__,
                            "rules": [_sarif_rule(rule) for rule in rules],
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": [_sarif_result(f, index[f.code]) for f in result.findings],
                }
            ],
        }
        json.dump(document, self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")


def _sarif_rule(rule: registry_Rule) -> dict[str, object]:
    level = "error" if rule.severity is Severity.ERROR else "warning"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": level},
    }


def _sarif_result(finding: Finding, rule_index: int) -> dict[str, object]:
    text = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": "error" if finding.severity is Severity.ERROR else "warning",
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.path)},
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                }
            }
        ],
    }


def _uri(path: str) -> str:
    """A relative URI reference for a path (forward slashes, spaces and the like escaped)."""
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/-_.~")


def append_step_summary(result: CheckResult, summary_file: str) -> None:
    """Add the run's summary to a GitHub Actions job summary file (GITHUB_STEP_SUMMARY).
    Raises OSError when it cannot be written."""
    with open(summary_file, "a", encoding="utf-8") as handle:
        handle.write(step_summary(result))


def step_summary(result: CheckResult) -> str:
    """The Markdown a GitHub Actions job summary shows for a run (each cell escaped as the
    index's are: file names and messages carry text from the post-mortems)."""
    lines = ["## pmrepo check", "", TextReporter(io.StringIO()).summary(result), ""]
    if result.findings:
        lines += ["| File | Line | Rule | Message |", "|---|---|---|---|"]
        for f in result.findings[:200]:
            lines.append(
                f"| {cell(f.path)} | {f.line} | {cell(f.code)} {cell(f.name)} | {cell(f.message)} |"
            )
        if len(result.findings) > 200:
            lines.append(f"| … | | | {len(result.findings) - 200} more |")
    return "\n".join(lines) + "\n"


Reporter = TextReporter | JsonReporter | GithubReporter | SarifReporter
REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
}
