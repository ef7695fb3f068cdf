"""Reporters only format findings: text, json (a stable, documented shape), GitHub
workflow commands and SARIF 2.1.0."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from postmortem_repo import __version__
from postmortem_repo.core.findings import Finding, Severity
from postmortem_repo.render.escape import TERMINAL_UNSAFE, cell, terminal_text

if TYPE_CHECKING:
    from postmortem_repo.lint.engine import CheckResult
    from postmortem_repo.lint.rules import Rule as registry_Rule
    from postmortem_repo.lint.source import SourceLines

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


class BaseReporter:
    """What every format is given: where to write, and how the user asked to see the run.

    quiet: the findings and nothing else (no summary), as ruff's --quiet.
    statistics: one line per code instead of the findings (text only).
    source: the lines of the checked files, to show under each finding (text only).
    root: the folder paths are given relative to, where a format needs one that does not
    depend on the working folder (github, sarif): the repository's git work tree or root.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        color: bool = False,
        quiet: bool = False,
        statistics: bool = False,
        source: SourceLines | None = None,
        root: Path | None = None,
    ) -> None:
        self.stream = stream
        self.color = color
        self.quiet = quiet
        self.statistics = statistics
        self.source = source
        self.root = root

    def path_of(self, finding: Finding) -> str:
        """The finding's path relative to root (as given when there is no root, or when the
        file is outside it)."""
        if self.root is None:
            return finding.path
        path = Path(finding.path).absolute()
        try:
            return (path.parent.resolve() / path.name).relative_to(self.root).as_posix()
        except (OSError, ValueError):
            return finding.path


class TextReporter(BaseReporter):
    """`path:line:col: CODE message` per finding, a hint line where there is one, a summary;
    or, with statistics, a count per code."""

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
        if self.statistics:
            for line in statistics_lines(result.findings):
                write(line + "\n")
        else:
            for finding in result.findings:
                write(self.line_for(finding) + "\n")
                if self.source is not None:
                    write("".join(f"{line}\n" for line in self.source.excerpt(finding)))
                if finding.hint:
                    write(f"    hint: {terminal_text(finding.hint)}\n")
        if not self.quiet:
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


def statistics_lines(findings: list[Finding]) -> list[str]:
    """`count<TAB>code<TAB>name` per code, the most frequent first (ties by code), the
    count right-aligned: ruff's --statistics."""
    counts = Counter((f.code, f.name) for f in findings)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    width = max((len(str(count)) for count in counts.values()), default=1)
    return [f"{count:>{width}}\t{code}\t{name}" for (code, name), count in ranked]


class JsonReporter(BaseReporter):
    """One JSON object: {"version", "pmrepo", "summary", "findings": [...]}."""

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
                    "end_line": f.end_line,
                    "end_column": f.end_column,
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


class GithubReporter(BaseReporter):
    """GitHub Actions workflow commands: one annotation per finding on the changed line,
    its file relative to the repository (root), wherever pmrepo ran."""

    def report(self, result: CheckResult) -> None:
        for f in result.findings:
            command = "error" if f.severity is Severity.ERROR else "warning"
            properties = ",".join(
                f"{key}={workflow_property(str(value))}"
                for key, value in (
                    ("file", self.path_of(f)),
                    ("line", f.line),
                    ("col", f.column),
                    ("title", f"{f.code} {f.name}"),
                )
            )
            message = _log_text(f.message) + (f"\nhint: {_log_text(f.hint)}" if f.hint else "")
            self.stream.write(f"::{command} {properties}::{workflow_data(message)}\n")
        if not self.quiet:
            self.stream.write(TextReporter(self.stream).summary(result) + "\n")


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class SarifReporter(BaseReporter):
    """SARIF 2.1.0 for code scanning: every rule with its help, every finding located
    (relative to the repository, root, wherever pmrepo ran)."""

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
                    "results": [
                        _sarif_result(f, index[f.code], self.path_of(f)) for f in result.findings
                    ],
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


def _sarif_region(finding: Finding) -> dict[str, int]:
    region = {"startLine": finding.line, "startColumn": finding.column}
    if finding.end_line is not None:
        region["endLine"] = finding.end_line
        if finding.end_column is not None:
            region["endColumn"] = finding.end_column
    return region


def _sarif_result(finding: Finding, rule_index: int, path: str) -> dict[str, object]:
    text = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": "error" if finding.severity is Severity.ERROR else "warning",
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(path)},
                    "region": _sarif_region(finding),
                }
            }
        ],
    }


def _uri(path: str) -> str:
    """A relative URI reference for a path (forward slashes, spaces and the like escaped)."""
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/-_.~")


def append_step_summary(
    result: CheckResult, summary_file: str, *, root: Path | None = None
) -> None:
    """Add the run's summary to a GitHub Actions job summary file (GITHUB_STEP_SUMMARY).
    Raises OSError when it cannot be written."""
    with open(summary_file, "a", encoding="utf-8") as handle:
        handle.write(step_summary(result, root=root))


def step_summary(result: CheckResult, *, root: Path | None = None) -> str:
    """The Markdown a GitHub Actions job summary shows for a run (each cell escaped as the
    index's are: file names and messages carry text from the post-mortems). root: the
    folder paths are relative to, as the annotations' (see BaseReporter)."""
    reporter = TextReporter(io.StringIO(), root=root)
    lines = ["## pmrepo check", "", reporter.summary(result), ""]
    if result.findings:
        lines += ["| File | Line | Rule | Message |", "|---|---|---|---|"]
        for f in result.findings[:200]:
            path = cell(reporter.path_of(f))
            lines.append(
                f"| {path} | {f.line} | {cell(f.code)} {cell(f.name)} | {cell(f.message)} |"
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
