"""`pmrepo actions --format jira-csv | github-issues | linear-csv | ics`: action items as
files the trackers' own importers read, made without any network call.

Every item carries a stable key, its incident id and item number (`INC-2024-0015-2`; over
several teams' repositories, with the team: `payments/INC-2024-0015-2`), as the label
`pmrepo-INC-2024-0015-2` (the UID of its calendar event): a re-export names the same
item the same way, so a tracker search by that label, or `pmrepo actions --sync-from`, finds
the issue already made from it. README (action items in trackers) says how to import each.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from urllib.parse import quote

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.model.document import numbering_problems
from postmortem_repo.model.people import ROLE_PARTS
from postmortem_repo.render.dashboard import Action, owner_handle
from postmortem_repo.repo.revisions import Revision

KEY_PREFIX = "pmrepo-"
# The revision of each post-mortem, by team ("" for one repository) and path.
Versions = Mapping[tuple[str, str], Revision]
POSTMORTEM_LABEL = "postmortem"

# Jira's CSV importer: one row per issue, Summary required, a field that takes several
# values (Labels) given as several columns of the same name.
JIRA_HEADERS = (
    "Summary",
    "Issue Type",
    "Priority",
    "Assignee",
    "Due Date",
    "Labels",
    "Labels",
    "Labels",
    "Description",
)
JIRA_PRIORITY = {"P0": "Highest", "P1": "High", "P2": "Medium"}
JIRA_SUMMARY_LIMIT = 255

# The columns of Linear's own CSV export that its CSV import reads back.
LINEAR_HEADERS = ("Title", "Description", "Priority", "Assignee", "Labels", "Due Date")
LINEAR_PRIORITY = {"P0": "Urgent", "P1": "High", "P2": "Medium"}

# What `gh issue create` takes, one flag per field: --title, --body, --label, --assignee.
GITHUB_FIELDS = ("title", "body", "labels", "assignees")
_LOGIN = re.compile(r"^@?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$")


def _login(owner: str) -> re.Match[str] | None:
    """A GitHub login the owner is, if any: 'sre-team' or 'platform' names a team, which
    `gh issue create --assignee` refuses."""
    login = _LOGIN.match(owner.strip())
    if login is None or any(part in ROLE_PARTS for part in login[1].lower().split("-")):
        return None
    return login


def item_key(action: Action) -> str:
    """The item's stable key: its incident id and its number in the Action Items table, the
    id with its team when several teams' repositories are exported together."""
    return f"{action.label}-{action.number.strip()}"


def key_label(action: Action) -> str:
    """The key as a label every tracker takes: no space (Jira), no comma (Linear's list)."""
    return KEY_PREFIX + re.sub(r"[^\w./-]+", "-", item_key(action))


def refuse_keyless(chosen: list[Action], everything: list[Action]) -> None:
    """Refuse, naming every one, the chosen items that have no key of their own: a number
    that is missing, not a whole number or another item's (PM607: counted over all the
    post-mortem's items, closed ones too, since their issues carry their keys), or a key
    another item has (two teams whose names differ only in spaces, an incident id twice)."""
    numbering = _numbering(chosen, everything)
    collisions = _collisions([action for action in chosen if action not in numbering])
    count = len(numbering) + sum(len(actions) for actions in collisions.values())
    if count:
        many = count != 1
        raise PmrepoError(
            f"{count} action item{'s' * many} would have no key of "
            f"{'their' if many else 'its'} own in a tracker, so nothing is exported:\n"
            + "\n".join(f"  {line}" for line in [*numbering.values(), *_said(collisions)])
        )


def _numbering(chosen: list[Action], everything: list[Action]) -> dict[Action, str]:
    rows: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for action in everything:
        rows[(action.team, action.incident)].append((action.line, action.number))
    found = {key: numbering_problems(lines) for key, lines in rows.items()}
    return {
        action: f"{_where(action)}: {action.label}: action item {problem} (PM607)"
        for action in chosen
        if (problem := found.get((action.team, action.incident), {}).get(action.line))
    }


def _collisions(chosen: list[Action]) -> dict[str, list[Action]]:
    by_key: dict[str, list[Action]] = defaultdict(list)
    for action in chosen:
        by_key[key_label(action)].append(action)
    return {key: actions for key, actions in by_key.items() if len(actions) > 1}


def _said(collisions: dict[str, list[Action]]) -> list[str]:
    return [
        f"the key {key} is the key of: "
        + "; ".join(f"{a.label} #{a.number.strip()} ({_where(a)})" for a in actions)
        for key, actions in collisions.items()
    ]


def _where(action: Action) -> str:
    """Where the item is written: its team, if any, its file and line."""
    team = f"team {action.team}, " if action.team else ""
    return f"{team}{action.relpath}:{action.line}" if action.relpath else f"{team}{action.label}"


def title(action: Action) -> str:
    return f"{action.action} ({action.label} #{action.number})"


def description(action: Action, links: dict[str, str]) -> str:
    """The issue's text: the action, where it comes from (a link when its repository's web
    address is in links, by team; "" for a single repository), its owner as the post-mortem
    writes it, and its key."""
    where = f"{action.relpath}, line {action.line}" if action.relpath else "(path withheld)"
    link_base = links.get(action.team)
    if link_base and action.relpath:
        where = f"{link_base.rstrip('/')}/{quote(action.relpath, safe='/-_.~')}#L{action.line}"
    due = action.due.isoformat() if action.due else action.due_text or "none"
    return "\n".join(
        [
            action.action,
            "",
            f"Action item #{action.number} of post-mortem {action.label}: {where}",
            f"Owner: {action.owner or '(none)'}; priority {action.priority or '(none)'}; "
            f"due {due}; status {action.status or '(none)'}",
            f"pmrepo key: {item_key(action)}",
        ]
    )


# A cell a spreadsheet would read as a formula (OWASP: CSV injection) when it starts so.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: str) -> str:
    """The cell with a leading apostrophe when it starts like a formula: a post-mortem's
    "=HYPERLINK(…)" stays text in the spreadsheet a CSV is often opened in first."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv(headers: tuple[str, ...], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: CRLF rows, quotes around what needs them
    writer.writerow(headers)
    writer.writerows([neutralised(value) for value in row] for row in rows)
    return out.getvalue()


def jira_csv(actions: list[Action], links: dict[str, str]) -> str:
    rows = [
        [
            title(action)[:JIRA_SUMMARY_LIMIT],
            "Task",
            JIRA_PRIORITY.get(action.priority, ""),
            owner_handle(action.owner),
            action.due.isoformat() if action.due else "",
            key_label(action),
            POSTMORTEM_LABEL,
            re.sub(r"\s+", "-", action.incident),
            description(action, links),
        ]
        for action in actions
    ]
    return _csv(JIRA_HEADERS, rows)


def linear_csv(actions: list[Action], links: dict[str, str]) -> str:
    rows = [
        [
            title(action),
            description(action, links),
            LINEAR_PRIORITY.get(action.priority, "No priority"),
            owner_handle(action.owner),
            ", ".join([key_label(action), POSTMORTEM_LABEL]),
            action.due.isoformat() if action.due else "",
        ]
        for action in actions
    ]
    return _csv(LINEAR_HEADERS, rows)


def github_issues(actions: list[Action], links: dict[str, str]) -> str:
    """One JSON object a line, its fields named after the `gh issue create` flags."""
    lines = []
    for action in actions:
        login = _login(action.owner)
        record = {
            "title": title(action),
            "body": description(action, links),
            "labels": [key_label(action), POSTMORTEM_LABEL]
            + ([action.priority] if action.priority else []),
            "assignees": [login[1]] if login else [],
        }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines)


def ics(actions: list[Action], links: dict[str, str], versions: Versions) -> str:
    """An iCalendar file (RFC 5545) with an all-day event on each item's due date; items
    without a readable due date have no event (the command says how many).

    An event's SEQUENCE, LAST-MODIFIED and DTSTAMP are those of the post-mortem's revision
    (versions: by team and path): once it changed, a re-import replaces the event, as
    RFC 5546 says an update with a higher SEQUENCE does. No clock is read."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//pmrepo//action items//EN"]
    lines.append("CALSCALE:GREGORIAN")
    for action in actions:
        if action.due is None:
            continue
        revision = versions[(action.team, action.relpath)]
        stamp = revision.modified.strftime("%Y%m%dT%H%M%SZ")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{key_label(action)}@pmrepo",
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{stamp}",
            f"SEQUENCE:{revision.sequence}",
            f"DTSTART;VALUE=DATE:{action.due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(action.due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(f'[{action.priority}] {title(action)}')}",
            f"DESCRIPTION:{_ics_text(description(action, links))}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_folded(line) + "\r\n" for line in lines)


def _ics_text(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11)."""
    escaped = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n")


def _folded(line: str) -> str:
    """Lines longer than 75 octets folded (RFC 5545 3.1), never inside a character."""
    parts: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not parts else 74  # a continuation line starts with a space
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return "\r\n ".join(parts)


def withheld(actions: list[Action]) -> list[Action]:
    """The items of security incidents not cleared for publication: no tracker gets them,
    not even as a placeholder issue (a later export could never give it its text)."""
    return [action for action in actions if action.withheld]


def without_due(actions: list[Action]) -> int:
    return sum(1 for action in actions if action.due is None)


RENDERERS: dict[str, Callable[[list[Action], dict[str, str]], str]] = {
    "jira-csv": jira_csv,
    "github-issues": github_issues,
    "linear-csv": linear_csv,
}


def render(
    output_format: str,
    actions: list[Action],
    links: dict[str, str],
    *,
    everything: list[Action],
    versions: Versions,
) -> str:
    """The file of a tracker format for actions (chosen among everything, the items of
    their post-mortems), refused when an item would have no key of its own."""
    actions = [action for action in actions if not action.withheld]
    refuse_keyless(actions, everything)
    if output_format == "ics":
        return ics(actions, links, versions)
    return RENDERERS[output_format](actions, links)
