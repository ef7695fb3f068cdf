"""Which rules run, and at what severity: --select, --ignore and the config's severity map."""

from __future__ import annotations

from dataclasses import dataclass

from postmortem_repo.core.findings import Severity
from postmortem_repo.lint import rules as registry
from postmortem_repo.store.keys import describe


@dataclass
class Selection:
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    severity: dict[str, Severity]

    def enabled(self, code: str) -> bool:
        """Selected, and not ignored by an equally or more specific prefix. A rule that is
        off by default is selected only by its code, its name or a prefix with its family
        digit (PM9, PM90): never by ALL."""
        selected = registry.matches(code, self.select)
        rule = registry.REGISTRY.get(code)
        if (
            rule is not None
            and not rule.default_enabled
            and not registry.selects_off_rule(selected)
        ):
            return False
        return selected >= 0 and selected > registry.matches(code, self.ignore)

    def severity_of(self, rule: registry.Rule) -> Severity:
        best, level = -1, rule.severity
        for prefix, override in self.severity.items():
            if rule.code.startswith(prefix) and len(prefix) > best:
                best, level = len(prefix), override
        return level

    def cache_key(self) -> str:
        return describe(self)
