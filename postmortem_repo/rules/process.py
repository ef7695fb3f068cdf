"""PM7xx: process and cross-references across the repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from postmortem_repo.context import RepoIndex, RuleContext
from postmortem_repo.discover import display_path
from postmortem_repo.errors import PmrepoError
from postmortem_repo.findings import Diagnostic, Severity
from postmortem_repo.generate import Repository, plan_index, plan_patterns
from postmortem_repo.markers import PlannedWrite
from postmortem_repo.patterns import pattern_files
from postmortem_repo.rules import repo_rule


def _uses_index(readme: Path) -> bool:
    try:
        text = readme.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "pmrepo:index:start" in text


def _first_difference(item: PlannedWrite) -> int:
    old = (item.old or "").splitlines()
    new = item.new.splitlines()
    for number, (before, after) in enumerate(zip(old, new, strict=False), start=1):
        if before != after:
            return number
    return min(len(old), len(new)) + 1


def _stale(plan: list[PlannedWrite], command: str) -> Iterator[tuple[str, Diagnostic]]:
    for item in plan:
        if item.changed:
            message = f"generated block is out of date: run '{command}'"
            line = _first_difference(item)
            yield display_path(item.path), Diagnostic(line, 1, message)


@repo_rule("PM705", "generated-out-of-date", Severity.ERROR)
def generated_out_of_date(index: RepoIndex, ctx: RuleContext) -> Iterator[tuple[str, Diagnostic]]:
    """A block that `pmrepo index` or `pmrepo patterns` generates is out of date or broken.

    The README index and the pattern files are only useful when they are current: a new or
    changed post-mortem makes them stale. Runs only when the root README has an index block
    or the repository has pattern files. Fix it by running the command the message names.

    Bad: a post-mortem was added and the README index still lists the old incidents.
    Good: `pmrepo index` and `pmrepo patterns` were run before the commit.
    """
    root = ctx.root
    if root is None or not root.is_dir():
        return
    readme = root / "README.md"
    uses_index = _uses_index(readme)
    uses_patterns = bool(pattern_files(root))
    if not (uses_index or uses_patterns):
        return
    repo = Repository.load(root, ctx.config, warn=False, parsed=index.parsed_incidents())
    for wanted, planner, command in (
        (uses_index, plan_index, "pmrepo index"),
        (uses_patterns, plan_patterns, "pmrepo patterns"),
    ):
        if not wanted:
            continue
        try:
            yield from _stale(planner(repo), command)
        except PmrepoError as error:  # broken markers, a bad pattern file ...
            yield _broken(str(error), readme)


def _broken(message: str, fallback: Path) -> tuple[str, Diagnostic]:
    """A refusal of the generators as a finding, at the file and line its message names."""
    where, _, reason = message.partition(": ")
    path_text, _, line_text = where.partition(":")
    line = int(line_text) if line_text.isdigit() else 1
    shown = path_text if path_text else display_path(fallback)
    return shown, Diagnostic(line, 1, reason or message)
