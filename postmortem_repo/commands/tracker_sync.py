"""`pmrepo actions --sync-from FILE`: read a tracker's export (Jira's CSV export, or the JSON
of `gh issue list --json number,state,labels`) and say which action items the tracker and
the post-mortems disagree on: one is closed (done, won't do) and the other open.

An issue belongs to an action item through the label `pmrepo-<incident id>-<number>` that
`pmrepo actions --format jira-csv | github-issues | linear-csv` gave it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.reading import NotReadable, read_limited_text
from postmortem_repo.render.dashboard import Action
from postmortem_repo.render.trackers import KEY_PREFIX, key_label

EXPORT_LIMIT = 64 * 1024 * 1024
# Jira's statuses in its "Done" category as shipped, and the usual ones teams add.
JIRA_CLOSED = frozenset(
    {"done", "closed", "resolved", "won't do", "won't fix", "cancelled", "canceled", "rejected"}
)


@dataclass(frozen=True)
class TrackerIssue:
    key: str  # the pmrepo label
    tracker_id: str  # PAY-12, #34
    status: str  # as the tracker names it
    closed: bool
    line: int  # in the export


@dataclass(frozen=True)
class Difference:
    action: Action
    issue: TrackerIssue


@dataclass(frozen=True)
class SyncReport:
    tracker: str  # Jira or GitHub
    differences: list[Difference]
    unknown: list[TrackerIssue]  # labelled, but no such item in the post-mortems
    missing: list[Action]  # open items with no issue in the export


def read_export(path: Path) -> tuple[str, list[TrackerIssue]]:
    """(tracker name, the issues with a pmrepo label) of a Jira CSV or GitHub JSON export."""
    try:
        text = read_limited_text(path, EXPORT_LIMIT)
    except NotReadable as error:
        raise PmrepoError(f"{path}: cannot read: {error.reason}") from error
    if text.lstrip().startswith("["):
        return "GitHub", _github(path, text)
    return "Jira", _jira(path, text)


def _github(path: Path, text: str) -> list[TrackerIssue]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PmrepoError(f"{path}:{error.lineno}: not JSON: {error.msg}") from error
    issues = []
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or "number" not in entry or "state" not in entry:
            raise PmrepoError(
                f"{path}: issue {index + 1} has no number or state: export with "
                "`gh issue list --state all --json number,state,labels`"
            )
        key = _key(name for name in _label_names(entry.get("labels")))
        if key is not None:
            state = str(entry["state"])
            closed = state.upper() == "CLOSED"
            issues.append(TrackerIssue(key, f"#{entry['number']}", state, closed, index + 1))
    return issues


def _label_names(labels: Any) -> list[str]:
    if not isinstance(labels, list):
        return []
    return [str(label.get("name", "")) if isinstance(label, dict) else "" for label in labels]


def _jira(path: Path, text: str) -> list[TrackerIssue]:
    reader = csv.reader(io.StringIO(text))
    headers = [header.strip() for header in next(reader, [])]
    wanted = {name.casefold(): index for index, name in reversed(list(enumerate(headers)))}
    key_column = wanted.get("issue key", wanted.get("key"))
    status_column = wanted.get("status")
    category_column = wanted.get("status category")
    label_columns = [i for i, name in enumerate(headers) if name.casefold() == "labels"]
    if key_column is None or status_column is None or not label_columns:
        raise PmrepoError(
            f"{path}:1: a Jira CSV export needs the columns Issue key, Status and Labels "
            f"(found: {', '.join(headers) or 'no header row'})"
        )
    issues = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(key_column, status_column):
            raise PmrepoError(f"{path}:{reader.line_num}: the row has {len(row)} cells only")
        labels = (row[i] for i in label_columns if i < len(row))
        key = _key(label for cell in labels for label in cell.split())
        if key is None:
            continue
        status = row[status_column].strip()
        category = row[category_column].strip() if category_column is not None else ""
        closed = category.casefold() == "done" or status.casefold() in JIRA_CLOSED
        issues.append(TrackerIssue(key, row[key_column], status, closed, reader.line_num))
    return issues


def _key(labels: Any) -> str | None:
    return next((label for label in labels if label.startswith(KEY_PREFIX)), None)


def compare(tracker: str, issues: list[TrackerIssue], actions: list[Action]) -> SyncReport:
    by_key = {key_label(action): action for action in actions}
    differences, unknown = [], []
    for issue in issues:
        action = by_key.get(issue.key)
        if action is None:
            unknown.append(issue)
        elif action.closed != issue.closed:
            differences.append(Difference(action, issue))
    tracked = {issue.key for issue in issues}
    # A withheld item (uncleared security incident) is never exported: it lacks no issue.
    missing = [
        a for a in actions if not a.closed and not a.withheld and key_label(a) not in tracked
    ]
    return SyncReport(tracker, differences, unknown, missing)


def render(report: SyncReport) -> list[str]:
    lines = [
        f"{d.action.label} #{d.action.number}: the post-mortem says "
        f"{d.action.status or '(no status)'}, {report.tracker} {d.issue.tracker_id} says "
        f"{d.issue.status}" + (f" ({d.action.relpath}:{d.action.line})" if d.action.relpath else "")
        for d in report.differences
    ]
    lines += [
        f"{issue.key}: {report.tracker} {issue.tracker_id} has no such action item in the "
        "post-mortems"
        for issue in report.unknown
    ]
    if report.missing:
        lines.append(
            f"{len(report.missing)} open item{'s' * (len(report.missing) != 1)} with no "
            f"{report.tracker} issue: "
            + ", ".join(f"{a.label} #{a.number}" for a in report.missing)
        )
    if not report.differences:
        lines.append(f"No status differs between {report.tracker} and the post-mortems.")
    return lines
