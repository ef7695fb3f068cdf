"""`pmrepo actions`: every action item in the repository, as an action-item dashboard shows them
(by priority, owner, due date or status), with what is overdue on a given day."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from postmortem_repo.core.timeparse import parse_due
from postmortem_repo.model.incident import Incident, is_closed
from postmortem_repo.render.escape import cell, cell_keeping_code, terminal_text
from postmortem_repo.render.teams import qualify

PRIORITY_ORDER = {"P0": 0, "P1": 1, "P2": 2}
WITHHELD = "(security incident not cleared for publication: details withheld)"


@dataclass(frozen=True)
class Action:
    incident: str
    relpath: str
    line: int
    number: str
    action: str
    owner: str
    priority: str
    due: dt.date | None
    due_text: str
    status: str
    closed: bool
    team: str = ""  # when several teams' repositories are read together
    withheld: bool = False  # of a security incident not cleared for publication

    @property
    def label(self) -> str:
        """The incident as output names it: with its team when there are several."""
        return qualify(self.team, self.incident) if self.team else self.incident

    def overdue_days(self, today: dt.date) -> int:
        """Whole days past the due date (0 when not overdue, closed, or no date)."""
        if self.closed or self.due is None or today <= self.due:
            return 0
        return (today - self.due).days

    def alert(self, today: dt.date) -> bool:
        """The alert: a P0 overdue by more than 24 hours."""
        return self.priority == "P0" and self.overdue_days(today) > 1

    def to_json(self, today: dt.date) -> dict[str, object]:
        team = {"team": self.team} if self.team else {}
        return {
            **team,
            "incident": self.incident,
            "path": self.relpath,
            "line": self.line,
            "number": self.number,
            "action": self.action,
            "owner": self.owner,
            "priority": self.priority,
            "due": self.due.isoformat() if self.due else self.due_text,
            "status": self.status,
            "overdue_days": self.overdue_days(today),
            "closed": self.closed,
        }


def unread_row_warnings(incidents: Iterable[Incident], team: str = "") -> list[str]:
    """Action-item rows no list can hold (their cells do not match the header): said, so
    that a dashboard or a tracker export never drops an item without a word."""
    label = f"{team}/" if team else ""
    return [
        terminal_text(
            f"{incident.id if incident.redacted else incident.relpath}:{line}: "
            f"{label}{incident.id}: an action-item row whose cells do not match the header "
            "is left out (PM306: write a literal '|' in a cell as '\\|')"
        )
        for incident in incidents
        for line in incident.unread_action_rows
    ]


def undated_p0_warnings(actions: list[Action]) -> list[str]:
    """Open P0 items whose due date cannot be read: no alert can ever fire for them."""
    return [
        terminal_text(
            f"P0 with no readable due date: {action.label} #{action.number}{_where(action)}"
        )
        for action in actions
        if action.priority == "P0" and not action.closed and action.due is None
    ]


def alert_messages(alerts: list[Action], today: dt.date) -> list[str]:
    return [
        terminal_text(
            f"P0 overdue by {action.overdue_days(today)} days: {action.label} "
            f"#{action.number}{_where(action)}"
        )
        for action in alerts
    ]


def _where(action: Action) -> str:
    return f" ({action.relpath}:{action.line})" if action.relpath else ""


def collect(incidents: list[Incident], team: str = "") -> list[Action]:
    actions = []
    for incident in incidents:
        for item in incident.action_items:
            actions.append(
                Action(
                    incident=incident.id,
                    # The file name of an uncleared security incident says too much.
                    relpath="" if incident.redacted else incident.relpath,
                    line=item.line,
                    number=item.number,
                    action=WITHHELD if incident.redacted else item.action,
                    owner=item.owner,
                    priority=item.priority.strip().upper(),
                    due=parse_due(item.due, incident.date),
                    due_text=item.due,
                    status=" ".join(item.status.upper().split()),
                    closed=is_closed(item.status),
                    team=team,
                    withheld=incident.redacted,
                )
            )
    return actions


@dataclass(frozen=True)
class Filters:
    owner: str | None = None
    priority: str | None = None
    status: str | None = None
    overdue: bool = False
    include_closed: bool = False


def owner_handle(owner: str) -> str:
    """The owner as a tracker's assignee: '@dana-okoye' is the handle dana-okoye."""
    return owner.strip().removeprefix("@")


def select(actions: list[Action], filters: Filters, today: dt.date) -> list[Action]:
    asked = owner_handle(filters.owner or "").casefold()
    chosen = []
    for action in actions:
        if asked and owner_handle(action.owner).casefold() != asked:
            continue
        if filters.priority and action.priority != filters.priority.upper():
            continue
        if filters.status and action.status != " ".join(filters.status.upper().split()):
            continue
        if filters.overdue and not action.overdue_days(today):
            continue
        if action.closed and not (filters.include_closed or filters.status):
            continue
        chosen.append(action)
    return sorted(chosen, key=_sort_key)


def _sort_key(action: Action) -> tuple[int, dt.date, str, str]:
    return (
        PRIORITY_ORDER.get(action.priority, 9),
        action.due or dt.date.max,
        action.label,
        action.number.zfill(4),
    )


def group(actions: list[Action], by: str) -> list[tuple[str, list[Action]]]:
    groups: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        if by == "owner":
            key = action.owner.casefold() or "(no owner)"
        elif by == "due":
            key = action.due.strftime("%Y-%m") if action.due else "(no due date)"
        elif by == "status":
            key = action.status or "(no status)"
        else:
            key = action.priority or "(no priority)"
        groups[key].append(action)

    def order(key: str) -> tuple[int, str]:
        if by == "priority":
            return PRIORITY_ORDER.get(key, 9), key
        return (1 if key.startswith("(") else 0), key.casefold()

    return [(key, groups[key]) for key in sorted(groups, key=order)]


def _status_of(action: Action, today: dt.date) -> str:
    days = action.overdue_days(today)
    return f"{action.status}, overdue {days} d" if days else action.status


def render_text(actions: list[Action], by: str, today: dt.date) -> str:
    if not actions:
        return "No action items match."
    lines = []
    for key, members in group(actions, by):
        overdue = sum(1 for action in members if action.overdue_days(today))
        lines.append(f"{key}: {len(members)} item{'s' * (len(members) != 1)}, {overdue} overdue")
        for action in members:
            due = action.due.isoformat() if action.due else action.due_text or "no due date"
            lines.append(
                f"  {action.label} #{action.number} [{action.priority}] {action.action} "
                f"(owner {action.owner or '?'}, due {due}, {_status_of(action, today)})"
            )
    # What post-mortems wrote reaches a terminal: shown, never acted on.
    return "\n".join(terminal_text(line) for line in lines)


def render_markdown(actions: list[Action], by: str, today: dt.date) -> str:
    lines = [f"# Action items on {today.isoformat()}"]
    if not actions:
        return "\n".join([*lines, "", "No action items match."])
    for key, members in group(actions, by):
        lines += [
            "",
            f"## {cell(key)}",
            "",
            "| Incident | # | Action | Owner | Priority | Due | Status |",
            "|---|---|---|---|---|---|---|",
        ]
        for action in members:
            due = action.due.isoformat() if action.due else action.due_text
            incident = (
                f"[{cell(action.incident)}]({quote(action.relpath, safe='/-_.~')})"
                if action.relpath and not action.team  # a path in another team's repository
                else cell(action.label)
            )
            lines.append(
                f"| {incident} | {cell(action.number)} | "
                f"{cell_keeping_code(action.action)} | {cell(action.owner)} | "
                f"{cell(action.priority)} | "
                f"{cell(due)} | {cell(_status_of(action, today))} |"
            )
    return "\n".join(lines)


def render_json(actions: list[Action], today: dt.date, alerts: int) -> str:
    """alerts: P0 items overdue by more than 24 hours in the whole repository."""
    payload = {
        "version": 1,
        "today": today.isoformat(),
        "summary": {
            "items": len(actions),
            "overdue": sum(1 for action in actions if action.overdue_days(today)),
            "p0_alerts": alerts,
        },
        "items": [action.to_json(today) for action in actions],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)
