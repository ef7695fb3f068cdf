"""`pmrepo actions --sync-from FILE --fix`: write into the Status cell of each item whose
status differs from the tracker's the status the tracker's state is (tracker_sync reads it),
through the fix machinery of `pmrepo check --fix`: an edit of the cell's text only, the
generated blocks that count the items (the README index, the patterns) brought up to date,
and every file written, or none.

The items of a security incident not cleared for publication are never edited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from postmortem_repo.commands.fixes import Checker, FixRun, fix_generated_after, read_for_fix
from postmortem_repo.commands.tracker_sync import (
    Difference,
    SyncReport,
    conflict_lines,
    difference_line,
    untracked_lines,
    where,
)
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.fixes import Edit, apply_edits
from postmortem_repo.model.document import ActionItem, Document
from postmortem_repo.render.plans import Repository
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import display_path


@dataclass
class StatusFix:
    """What --fix changes (or, with --diff, would change): nothing is written yet."""

    changed: list[tuple[Difference, str]] = field(default_factory=list)  # (item, new status)
    withheld: list[Difference] = field(default_factory=list)  # never edited
    runs: list[FixRun] = field(default_factory=list)  # one per repository
    edited: set[Path] = field(default_factory=set)  # the post-mortems whose statuses change


def plan(
    report: SyncReport,
    export: Path,
    homes: Mapping[str, Repository],
    checker_for: Callable[[Config, Path], Checker],
) -> StatusFix:
    """The edits of every differing item's Status cell, and of the generated blocks they
    put out of date, per repository (homes: each team's, "" naming the one repository
    read alone). PmrepoError (file and line; nothing to write) when an item cannot be
    edited: the export does not say which status, its file cannot be written, or its row is
    not as the post-mortems were read."""
    fixing = StatusFix()
    by_file: dict[tuple[str, str], list[tuple[Difference, str]]] = {}
    for difference in report.differences:
        if difference.action.withheld:
            fixing.withheld.append(difference)
            continue
        status = _meant(difference, export, report.tracker)
        fixing.changed.append((difference, status))
        key = (difference.action.team, difference.action.relpath)
        by_file.setdefault(key, []).append((difference, status))
    for team in dict.fromkeys(team for team, _ in by_file):
        home = homes[team]
        texts = {
            home.root / relpath: _edited(home, relpath, items)
            for (owner, relpath), items in by_file.items()
            if owner == team
        }
        fixing.edited |= set(texts)
        checker = checker_for(home.config, home.root)
        fixing.runs.append(fix_generated_after(checker, home.config, home.root, texts))
    return fixing


def _meant(difference: Difference, export: Path, tracker: str) -> str:
    issue = difference.issue
    if issue.meant:
        return issue.meant
    raise PmrepoError(
        f"{export}: entry {issue.line}: {tracker} {issue.tracker_id} is {issue.status}, and the "
        "export does not say whether it was done or closed as not planned: export with `gh "
        "issue list --state all --json number,state,stateReason,labels`; nothing was written"
    )


def _edited(home: Repository, relpath: str, items: list[tuple[Difference, str]]) -> tuple[str, str]:
    """The post-mortem's text as stored, and with the items' new statuses."""
    path = home.root / relpath
    try:
        text = read_for_fix(path, home.root)
    except PmrepoError as error:
        shown = display_path(path)
        why = str(error).removeprefix(shown + ": ")
        line = items[0][0].action.line
        raise PmrepoError(f"{shown}:{line}: cannot fix: {why}; nothing was written") from error
    doc = home.config.parse(text, path=str(path), relpath=relpath)
    edits = [_status_edit(doc, path, difference, status) for difference, status in items]
    return text, apply_edits(text, edits)


def _status_edit(doc: Document, path: Path, difference: Difference, status: str) -> Edit:
    action = difference.action
    item = next((item for item in doc.action_items if item.line == action.line), None)
    if item is None or item.number != action.number or _said(item) != action.status:
        raise PmrepoError(
            f"{display_path(path)}:{action.line}: changed since pmrepo read it (item "
            f"#{action.number}, {action.status or 'no status'}); nothing was written (run again)"
        )
    column = item.columns.get("status")
    cell = doc.lines[item.line - 1]
    if column is None or not cell.startswith(item.status, column - 1):
        raise PmrepoError(
            f"{display_path(path)}:{item.line}: item #{item.number} has no Status cell pmrepo "
            "can write in; nothing was written (write its status by hand)"
        )
    return status_cell_edit(item, cell, column, status)


def _said(item: ActionItem) -> str:
    """The status as a dashboard's Action holds it."""
    return " ".join(item.status.upper().split())


def status_cell_edit(item: ActionItem, cell: str, column: int, status: str) -> Edit:
    """The edit that writes status in place of the cell's text (its line is cell); an empty
    cell gets the status between single spaces."""
    if item.status:
        return Edit(item.line, column, item.line, column + len(item.status), status)
    start = column - 1  # the cell holds spaces only: column is where they end
    while start > 0 and cell[start - 1] in " \t":
        start -= 1
    return Edit(item.line, start + 1, item.line, column, f" {status} ")


def render(report: SyncReport, fixing: StatusFix, written: bool) -> list[str]:
    """What --fix changed (written) or --diff would change, what it leaves, and the issues
    and items only one side has."""
    tracker = report.tracker
    lines = [
        f"{d.action.label} #{d.action.number}: {d.action.status or '(no status)'} → {status}, "
        f"as {tracker} {d.issue.tracker_id} says {d.issue.status}{where(d.action)}"
        for d, status in fixing.changed
    ]
    lines += [
        f"{difference_line(tracker, d)}: not changed: pmrepo never edits the items of a "
        "security incident not cleared for publication"
        for d in fixing.withheld
    ]
    lines += conflict_lines(report) + untracked_lines(report)
    files = {(d.action.team, d.action.relpath) for d, _ in fixing.changed}
    count = len(fixing.changed)
    if not count:
        lines.append(f"No status to change from {tracker}.")
        return lines
    cells = f"{count} Status cell{'s' * (count != 1)} in {len(files)} post-mortem"
    cells += "s" * (len(files) != 1)
    blocks = sorted(
        display_path(path) for run in fixing.runs for path in run.texts if path not in fixing.edited
    )
    summary = f"Changed {cells}" if written else f"Would change {cells}"
    if blocks:
        summary += f", and the generated blocks of {', '.join(blocks)}"
    lines.append(summary + ".")
    return lines
