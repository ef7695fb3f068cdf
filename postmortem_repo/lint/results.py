"""What a check gives: every finding, and what the engine learns of each file on the way."""

from __future__ import annotations

from dataclasses import dataclass, field

from postmortem_repo.core.findings import Finding, Severity
from postmortem_repo.lint.context import RepoEntry
from postmortem_repo.lint.suppressions import Suppressions


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def files_with_findings(self) -> int:
        return len({f.path for f in self.findings})


@dataclass
class FileOutcome:
    shown: str
    key: str  # the resolved path
    findings: list[Finding]
    suppressions: Suppressions | None
    entry: RepoEntry | None
    # What a check with a store keeps of a parsed file: (entry key, entry, incident key,
    # incident), encoded where the file was parsed (in a worker, for a parallel check).
    rows: tuple[str, str, str, str] | None = None
    # What repository-wide rules see of the file (its RepoEntry), as a digest, when there is
    # a store: equal summaries, equal repository-wide findings.
    summary: str | None = None
