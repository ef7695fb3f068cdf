"""`pmrepo actions --sync-from FILE`: read a tracker's export (Jira's CSV export, or the JSON
of `gh issue list --json number,state,stateReason,labels`) and say which action items the
tracker and the post-mortems disagree on: one is closed (done, won't do) and the other open.
Each issue's state is read as the status a post-mortem would write for it (`--fix` writes it).

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
# The Action Items statuses (PM603) a tracker's state is read as.
OPEN, IN_PROGRESS, DONE, WONT_DO = "OPEN", "IN PROGRESS", "DONE", "WON'T DO"
# Jira's statuses and resolutions that close an issue without doing it, as shipped and as
# teams usually add them; its statuses in the "Done" category as shipped; those that say
# work has started.
JIRA_NOT_DONE = frozenset(
    {"won't do", "won't fix", "cancelled", "canceled", "rejected", "declined", "duplicate"}
)
JIRA_CLOSED = frozenset({"done", "closed", "resolved"}) | JIRA_NOT_DONE
JIRA_STARTED = frozenset({"in progress", "in review"})
# GitHub's state reasons (`gh issue list --json stateReason`) of an issue closed undone.
GITHUB_NOT_DONE = frozenset({"NOT_PLANNED", "DUPLICATE"})


@dataclass(frozen=True)
class TrackerIssue:
    key: str  # the pmrepo label, as the tracker spells it
    tracker_id: str  # PAY-12, #34
    status: str  # as the tracker names it
    closed: bool
    line: int  # in the export: the line (Jira CSV) or the entry (GitHub JSON)
    # The Action Items status the issue's state is ("" when the export does not say whether
    # a closed issue was done: a GitHub export without stateReason)
    meant: str = ""

    @property
    def match(self) -> str:
        return same_label(self.key)


def same_label(label: str) -> str:
    """A label as the trackers compare them: GitHub labels and Jira's label search ignore
    case, so `PMREPO-INC-2024-0015-2` is the label `pmrepo-INC-2024-0015-2`."""
    return label.casefold()


@dataclass(frozen=True)
class Export:
    tracker: str  # Jira or GitHub
    issues: list[TrackerIssue]  # those with a pmrepo label
    warnings: list[str]  # what pmrepo read past: said, never silently skipped


@dataclass(frozen=True)
class Difference:
    action: Action
    issue: TrackerIssue


@dataclass(frozen=True)
class Conflict:
    """Issues with one item's key that disagree on its status: pmrepo takes neither."""

    action: Action
    issues: list[TrackerIssue]


@dataclass(frozen=True)
class SyncReport:
    tracker: str  # Jira or GitHub
    differences: list[Difference]
    unknown: list[TrackerIssue]  # labelled, but no such item in the post-mortems
    missing: list[Action]  # open items with no issue in the export
    conflicts: list[Conflict]  # items left as they are: their issues disagree


def read_export(path: Path) -> Export:
    """The issues with a pmrepo label of a Jira CSV or GitHub JSON export, and a warning
    for each entry pmrepo cannot read a label of and each key two issues carry."""
    try:
        text = read_limited_text(path, EXPORT_LIMIT)
    except NotReadable as error:
        raise PmrepoError(_unreadable(path, error.reason)) from error
    warnings: list[str] = []
    if text.lstrip().startswith("["):
        tracker, issues = "GitHub", _github(path, text, warnings)
    else:
        tracker, issues = "Jira", _jira(path, text, warnings)
    return Export(tracker, issues, warnings + _shared_keys(path, tracker, issues))


def _shared_keys(path: Path, tracker: str, issues: list[TrackerIssue]) -> list[str]:
    warnings = []
    for group in by_key(issues).values():
        earlier = group[0]
        verdict = (
            "they disagree, so pmrepo leaves the item as it is"
            if disagree(group)
            else "they agree: read as one"
        )
        warnings += [
            f"{path}: {_place(tracker, issue)}: {tracker} {issue.tracker_id} has the key "
            f"{issue.key}, as {earlier.tracker_id} ({_place(tracker, earlier)}) has, and says "
            f"{issue.status} ({earlier.tracker_id}: {earlier.status}): one issue per action "
            f"item ({verdict})"
            for issue in group[1:]
        ]
    return warnings


def by_key(issues: list[TrackerIssue]) -> dict[str, list[TrackerIssue]]:
    """The issues of each key, as the trackers match labels, in the export's order."""
    grouped: dict[str, list[TrackerIssue]] = {}
    for issue in issues:
        grouped.setdefault(issue.match, []).append(issue)
    return grouped


def disagree(issues: list[TrackerIssue]) -> bool:
    """Whether issues of one key say different things of its item (open or closed, or the
    status --fix would write): taking either would be a guess."""
    return len({(issue.closed, issue.meant) for issue in issues}) > 1


def _place(tracker: str, issue: TrackerIssue) -> str:
    return f"entry {issue.line}" if tracker == "GitHub" else f"line {issue.line}"


# What --sync-from reads, as the messages about other files name it: with stateReason,
# which --fix needs to tell a closed issue done from one closed as not planned.
GH_LIST = "gh issue list --state all --json number,state,stateReason,labels"
_SHOWN_HEADERS = 6  # of a header row without the columns, shown in the message
_SHOWN_HEADER_CHARS = 40


def _unreadable(path: Path, reason: str) -> str:
    if reason.startswith("not valid UTF-8"):
        return (
            f"{path}: {reason}; --sync-from reads an export as UTF-8, as Jira and gh write "
            "it: re-save the file as UTF-8"
        )
    return f"{path}: cannot read: {reason}"


def _not_jira(path: Path, text: str, headers: list[str]) -> str:
    """What a file read as a Jira CSV export without its columns looks like, and what
    --sync-from expects: in a line, never the file's text."""
    first = text.lstrip().split("\n", 1)[0]
    if first.startswith("{"):
        return (
            f"{path}:1: this is JSON lines, one issue a line, as pmrepo actions --format "
            "github-issues writes them to create issues; --sync-from reads what the tracker "
            f"says of them: Jira's CSV export, or the JSON array that `{GH_LIST}` prints"
        )
    separator = next((s for s in (";", "\t", "|") if len(headers) == 1 and s in first), None)
    if separator is not None:
        return (
            f"{path}:1: the columns are separated by {separator!r}; --sync-from reads Jira's "
            "CSV export, separated by ',' with the columns Issue key, Status and Labels: "
            "export it from Jira again, or save the file with ',' between columns"
        )
    return (
        f"{path}:1: a Jira CSV export needs the columns Issue key, Status and Labels "
        f"(found: {_headers_shown(headers)})"
    )


def _headers_shown(headers: list[str]) -> str:
    if not headers:
        return "no header row"
    shown = [
        name if len(name) <= _SHOWN_HEADER_CHARS else name[: _SHOWN_HEADER_CHARS - 1] + "…"
        for name in headers[:_SHOWN_HEADERS]
    ]
    more = len(headers) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _github(path: Path, text: str, warnings: list[str]) -> list[TrackerIssue]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PmrepoError(f"{path}:{error.lineno}: not JSON: {error.msg}") from error
    issues = []
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or "number" not in entry or "state" not in entry:
            raise PmrepoError(
                f"{path}: issue {index + 1} has no number or state: export with `{GH_LIST}`"
            )
        names, bad = _label_names(entry.get("labels"))
        if bad:
            warnings.append(
                f"{path}: entry {index + 1} (#{entry['number']}): {bad} is not a label "
                '{"name": …}: read past (export with `gh issue list --json labels`)'
            )
        key = _key(names, path, f"entry {index + 1}", warnings)
        if key is not None:
            state = str(entry["state"])
            closed = state.upper() == "CLOSED"
            meant = _github_meaning(closed, entry)
            number = f"#{entry['number']}"
            issues.append(TrackerIssue(key, number, state, closed, index + 1, meant))
    return issues


def _github_meaning(closed: bool, entry: dict[str, Any]) -> str:
    """An open (or reopened) issue is OPEN; a closed one DONE, or WON'T DO when closed as not
    planned or as a duplicate; unknown ("") when the export has no stateReason."""
    if not closed:
        return OPEN
    if "stateReason" not in entry:
        return ""
    return WONT_DO if str(entry["stateReason"]).upper() in GITHUB_NOT_DONE else DONE


def _label_names(labels: Any) -> tuple[list[str], str]:
    """The label names of an issue, and what is not a label in the entry ('' if none)."""
    if labels is None:
        return [], ""
    if not isinstance(labels, list):
        return [], f"labels {json.dumps(labels)[:40]}"
    names = [label.get("name") if isinstance(label, dict) else None for label in labels]
    bad = [i for i, name in enumerate(names) if not isinstance(name, str)]
    what = f"label {bad[0] + 1} {json.dumps(labels[bad[0]])[:40]}" if bad else ""
    return [name for name in names if isinstance(name, str)], what


def _jira(path: Path, text: str, warnings: list[str]) -> list[TrackerIssue]:
    reader = csv.reader(io.StringIO(text))
    headers = [header.strip() for header in next(reader, [])]
    wanted = {name.casefold(): index for index, name in reversed(list(enumerate(headers)))}
    key_column = wanted.get("issue key", wanted.get("key"))
    status_column = wanted.get("status")
    category_column = wanted.get("status category")
    resolution_column = wanted.get("resolution")
    resolved_column = wanted.get("resolved")
    label_columns = [i for i, name in enumerate(headers) if name.casefold() == "labels"]
    if key_column is None or status_column is None or not label_columns:
        raise PmrepoError(_not_jira(path, text, headers))
    issues = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(key_column, status_column):
            raise PmrepoError(f"{path}:{reader.line_num}: the row has {len(row)} cells only")
        labels = (row[i] for i in label_columns if i < len(row))
        names = [label for cell in labels for label in cell.split()]
        key = _key(names, path, f"line {reader.line_num}", warnings)
        if key is None:
            continue
        status = row[status_column].strip()
        resolution = _cell(row, resolution_column)
        category = _cell(row, category_column)
        if category_column is None and _resolved(resolution, _cell(row, resolved_column)):
            category = "Done"  # what Jira's category would say of a resolved issue
        meant = _jira_meaning(status, category, resolution)
        closed = meant in (DONE, WONT_DO)
        issues.append(TrackerIssue(key, row[key_column], status, closed, reader.line_num, meant))
    return issues


def _resolved(resolution: str, resolved: str) -> bool:
    """Whether Jira resolved the issue: a Resolution (Jira writes "Unresolved" for none in
    some exports) or a Resolved date. Read only without a Status Category column, which
    says it better: some workflows leave the resolution of a reopened issue."""
    return _spelled(resolution) not in ("", "unresolved") or bool(resolved)


def _cell(row: list[str], column: int | None) -> str:
    return row[column].strip() if column is not None and column < len(row) else ""


def _jira_meaning(status: str, category: str, resolution: str) -> str:
    """A status of the Done category, or a closing one, is DONE, or WON'T DO when the status
    or the resolution says the work was not done; an open one IN PROGRESS when the status
    (or its category) says work has started, else OPEN."""
    name, kind, why = (_spelled(text) for text in (status, category, resolution))
    if kind == "done" or name in JIRA_CLOSED:
        return WONT_DO if name in JIRA_NOT_DONE or why in JIRA_NOT_DONE else DONE
    return IN_PROGRESS if kind == "in progress" or name in JIRA_STARTED else OPEN


def _spelled(text: str) -> str:
    """A Jira name as compared: any case, a typographic apostrophe as a plain one."""
    return " ".join(text.replace("\u2019", "'").casefold().split())


def _key(labels: list[str], path: Path, where: str, warnings: list[str]) -> str | None:
    """The issue's pmrepo label; an issue with two names two items, said and read as the
    first."""
    keys = list(
        dict.fromkeys(label for label in labels if same_label(label).startswith(KEY_PREFIX))
    )
    if len(keys) > 1:
        warnings.append(
            f"{path}: {where}: the issue has {len(keys)} pmrepo keys ({', '.join(keys)}): "
            f"read as {keys[0]}"
        )
    return keys[0] if keys else None


def compare(tracker: str, issues: list[TrackerIssue], actions: list[Action]) -> SyncReport:
    items = {same_label(key_label(action)): action for action in actions}
    differences, unknown, conflicts = [], [], []
    for key, group in by_key(issues).items():
        action = items.get(key)
        if action is None:
            unknown += group
        elif disagree(group):
            conflicts.append(Conflict(action, group))
        elif action.closed != group[0].closed:
            differences.append(Difference(action, group[0]))
    tracked = {issue.match for issue in issues}
    # A withheld item (uncleared security incident) is never exported: it lacks no issue.
    missing = [
        a
        for a in actions
        if not a.closed and not a.withheld and same_label(key_label(a)) not in tracked
    ]
    return SyncReport(tracker, differences, unknown, missing, conflicts)


def render(report: SyncReport) -> list[str]:
    lines = [difference_line(report.tracker, d) for d in report.differences]
    lines += conflict_lines(report) + untracked_lines(report)
    if not (report.differences or report.conflicts):
        lines.append(f"No status differs between {report.tracker} and the post-mortems.")
    return lines


def conflict_lines(report: SyncReport) -> list[str]:
    """The items whose issues disagree: left as they are, until one issue is left."""
    return [
        f"{c.action.label} #{c.action.number}: "
        + ", ".join(f"{report.tracker} {i.tracker_id} says {i.status}" for i in c.issues)
        + ": left as it is, with the post-mortem's "
        + f"{c.action.status or '(no status)'} (one issue per action item: close or "
        + f"relabel the others){where(c.action)}"
        for c in report.conflicts
    ]


def difference_line(tracker: str, difference: Difference) -> str:
    action, issue = difference.action, difference.issue
    return (
        f"{action.label} #{action.number}: the post-mortem says "
        f"{action.status or '(no status)'}, {tracker} {issue.tracker_id} says {issue.status}"
        + where(action)
    )


def where(action: Action) -> str:
    return f" ({action.relpath}:{action.line})" if action.relpath else ""


def untracked_lines(report: SyncReport) -> list[str]:
    """The issues no item has, and the open items no issue has."""
    lines = [
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
    return lines
