"""The finding type shared by rules, the engine and the reporters."""

from __future__ import annotations

import enum
from typing import NamedTuple

from postmortem_repo.core.fixes import Fix


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Diagnostic(NamedTuple):
    """What a rule reports: where (1-based line and column) and what, without rule metadata.
    A rule that knows where the offending text ends gives end_line and end_column: the
    position just after its last character (exclusive, as SARIF's endColumn)."""

    line: int
    column: int
    message: str
    hint: str = ""
    end_line: int | None = None
    end_column: int | None = None
    fix: Fix | None = None  # the edit that fixes it, when a machine can (see core.fixes)


class Finding(NamedTuple):
    """A diagnostic stamped by the engine with its file, rule and configured severity."""

    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
    hint: str = ""
    end_line: int | None = None  # just after the offending text, where the rule knows it
    end_column: int | None = None
    fix: Fix | None = None  # the rule's fix, where it has one (see core.fixes)

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"
