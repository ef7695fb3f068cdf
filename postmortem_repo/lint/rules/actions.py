"""PM6xx: action items — complete, prioritised, due inside pmrepo's windows, and concrete."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from postmortem_repo.core.findings import Diagnostic, Severity
from postmortem_repo.core.timeparse import parse_date, parse_due
from postmortem_repo.lint.context import RuleContext
from postmortem_repo.lint.rules import document_rule
from postmortem_repo.model.document import ActionItem, Document, numbering_problems
from postmortem_repo.model.incident import is_template_row

PRIORITIES = ("P0", "P1", "P2")
STATUSES = ("OPEN", "IN PROGRESS", "DONE", "WON'T DO")
# A value that says nothing. Template placeholders ([Name]) are PM307's, in every cell.
_TEMPLATE = re.compile(r"^\[.*\]$")
_PLACEHOLDER = re.compile(r"^(?:\[.*\]|tbd|tba|todo|\?+|-+|\u2014|n/?a|none|someone)$", re.I)
_EMPTY = re.compile(r"^(?:tbd|tba|todo|\?+|-+|\u2014|n/?a|none|someone)?$", re.I)
# A status cell that holds nothing: a word in it (TODO, TBD) is a status that is not one of
# the schema's, which PM603 names, not a missing one.
_NO_STATUS = re.compile(r"^(?:\?+|-+|\u2014)?$")
# Actions that name a wish, not a change: "improve testing" is not an action item.
_THINGS = (
    r"(?:the\s+)?(?:testing|tests|monitoring|alerting|observability|communication|"
    r"documentation|process(?:es)?|reliability|quality|coverage|visibility|training|runbooks?)"
)
_VAGUE = re.compile(
    r"^(?:(?:we\s+)?(?:should|must|need\s+to|will)\s+)?(?:be\s+more\s+(?:careful|vigilant|"
    rf"diligent|attentive)|(?:improve|better|more|increase|enhance)\s+{_THINGS}"
    rf"(?:\s*(?:,|and|&)\s*{_THINGS})*|(?:monitor|test|communicate|document|alert)\s+"
    r"(?:better|more)|(?:investigate|look\s+into|review|revisit|discuss)(?:\s+(?:the\s+)?"
    r"(?:issue|incident|problem|it|this|root\s+cause|options?|further))?|follow[- ]up|"
    r"add\s+more\s+(?:tests|monitoring|alerts)|fix\s+(?:the\s+)?(?:issue|bug|problem|it))"
    r"[.!]?$",
    re.IGNORECASE,
)


_WINDOW = re.compile(r"^(\d+)\s*([dwm])$")


def add_window(start: dt.date, window: str) -> dt.date | None:
    """start plus a window: '7d' days, '2w' weeks, '1m' calendar months (clamped to the
    month's last day, so Jan 31 + 1m is Feb 29 in a leap year)."""
    match = _WINDOW.match(window.strip().lower())
    if not match:
        return None
    amount, unit = int(match[1]), match[2]
    try:
        if unit in "dw":
            return start + dt.timedelta(days=amount * (7 if unit == "w" else 1))
        month_index = start.month - 1 + amount
        year, month = start.year + month_index // 12, month_index % 12 + 1
        for day in range(start.day, 27, -1):
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
        return dt.date(year, month, min(start.day, 28))
    except (OverflowError, ValueError):
        return None  # past year 9999: the window has no end a date can name


def describe_window(window: str) -> str:
    match = _WINDOW.match(window.strip().lower())
    if not match:
        return window
    amount, unit = int(match[1]), {"d": "day", "w": "week", "m": "month"}[match[2]]
    return f"{amount} {unit}" + ("" if amount == 1 else "s")


def _column(item: ActionItem, key: str) -> int:
    return item.columns.get(key, 1)


def _columns(doc: Document) -> set[str]:
    """The keys of the columns the Action Items table has."""
    found = doc.view_table("action_items")
    if found is None:
        return set()
    table, spec = found
    return {
        column.key for column in spec.columns for header in table.header if column.matches(header)
    }


def _status(value: str) -> str:
    text = " ".join(value.upper().replace("\u2019", "'").replace("_", " ").split())
    return "WON'T DO" if text == "WONT DO" else text


@document_rule("PM601", "action-incomplete", Severity.ERROR)
def action_incomplete(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """An action item has no owner, priority, due date or status.

    Every action item must have an owner, a priority and a due date; without
    them the post-mortem is just storytelling. A placeholder ([Name], TBD, ?) counts as
    missing.

    Bad: `| 3 | Add a canary latency check | TBD | P1 | | OPEN |`
    Good: `| 3 | Add a canary latency check | platform-team | P1 | 2024-02-14 | OPEN |`
    """
    if doc.status == "DRAFT":
        return  # a draft is still being written; IN REVIEW and PUBLISHED must be complete
    columns = _columns(doc)
    for item in doc.action_items:
        for field_name, key, value in (
            ("action", "action", item.action),
            ("owner", "owner", item.owner),
            ("priority", "priority", item.priority),
            ("due date", "due", item.due),
            ("status", "status", item.status),
        ):
            # A column the table lacks is PM306's finding, once, not one per row.
            empty = _NO_STATUS if key == "status" else _EMPTY
            if key in columns and empty.match(value.strip()):
                yield Diagnostic(
                    item.line,
                    _column(item, key),
                    f"action item {item.number or '?'} has no {field_name}",
                    "every action item needs an action, an owner (a person or a team), a "
                    "priority, a due date and a status",
                )


@document_rule("PM602", "action-priority", Severity.ERROR)
def action_priority(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """An action item's priority is not P0, P1 or P2.

    The priority sets the due-date window and the escalation path (P0: within a week,
    daily tracking; P1: a month; P2: a quarter).

    Bad: `| 2 | ... | sre-team | High | 2024-01-22 | OPEN |`
    Good: `| 2 | ... | sre-team | P0 | 2024-01-22 | OPEN |`
    """
    for item in doc.action_items:
        value = item.priority.strip()
        if value and not _PLACEHOLDER.match(value) and value.upper() not in PRIORITIES:
            yield Diagnostic(
                item.line,
                _column(item, "priority"),
                f"priority '{value}' is not P0, P1 or P2",
                "P0 prevents recurrence (1 week), P1 reduces likelihood or impact (1 month), "
                "P2 is a nice-to-have (1 quarter)",
            )


@document_rule("PM603", "action-status", Severity.ERROR)
def action_status(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """An action item's status is not OPEN, IN PROGRESS, DONE or WON'T DO.

    A fixed set of statuses is what lets `pmrepo actions` and the index count open items.

    Bad: `| 1 | ... | sre-team | P0 | 2024-01-22 | finished |`
    Good: `| 1 | ... | sre-team | P0 | 2024-01-22 | DONE |`
    """
    for item in doc.action_items:
        value = item.status.strip()
        if _NO_STATUS.match(value) or _TEMPLATE.match(value):
            continue  # PM601's (nothing written) or PM307's (a template placeholder)
        if _status(value) not in STATUSES:
            yield Diagnostic(
                item.line,
                _column(item, "status"),
                f"status '{value}' is not one of OPEN, IN PROGRESS, DONE, WON'T DO",
                "use OPEN, IN PROGRESS, DONE or WON'T DO",
            )


@document_rule("PM604", "action-due", Severity.ERROR)
def action_due(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """An action item's due date is unreadable, before the incident, or past its window.

    A priority sets how soon its items are due: P0 within 1 week, P1 within 1 month, P2
    within 1 quarter of the incident date. The windows are pmrepo's defaults and can be changed
    with `actions: {due_within: {P0: 7d, P1: 1m, P2: 3m}}` (d days, w weeks, m months).
    Dates like 2024-01-22, Jan 22 and 22 January (the incident's year) are read.

    Bad: a P0 due 14 days after the incident.
    Good: a P0 due within 7 days of the incident date.
    """
    date = parse_date(doc.data.get("date"))
    if date is None:
        return
    windows = ctx.config.due_windows
    for item in doc.action_items:
        value = item.due.strip()
        if not value or _PLACEHOLDER.match(value):
            continue
        column = _column(item, "due")
        due = parse_due(value, date)
        if due is None:
            yield Diagnostic(
                item.line, column, f"cannot read the due date '{value}'", "write YYYY-MM-DD"
            )
            continue
        if due < date:
            yield Diagnostic(
                item.line,
                column,
                f"due date {due.isoformat()} is before the incident ({date.isoformat()})",
                "a due date lies after the incident date",
            )
            continue
        priority = item.priority.strip().upper()
        window = windows.get(priority)
        latest = add_window(date, window) if window else None
        if latest is not None and due > latest:
            yield Diagnostic(
                item.line,
                column,
                f"{priority} due {due.isoformat()} is {(due - date).days} days after the "
                f"incident; {priority} items are due within {describe_window(window or '')} "
                f"(by {latest.isoformat()})",
                f"bring the due date to {latest.isoformat()} or earlier, or lower the priority",
            )


@document_rule("PM605", "action-vague", Severity.WARNING)
def action_vague(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """An action item is too vague to be done ("improve testing", "be more careful").

    Vague actions like "improve testing" are not action items. Name the specific
    change, so that someone can finish it and everyone can tell that it is finished.

    Bad: `Improve monitoring`
    Good: `Add a connection-pool utilization alert (> 80% for 5 min) to payment-api`
    """
    for item in doc.action_items:
        text = " ".join(item.action.split())
        if _VAGUE.match(text):
            yield Diagnostic(
                item.line,
                _column(item, "action"),
                f"action '{text}' is too vague to be done",
                "name the specific change, e.g. 'Add integration test for payment webhook "
                "timeout scenario' instead of 'improve testing'",
            )


@document_rule("PM606", "actions-missing", Severity.ERROR)
def actions_missing(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A PUBLISHED post-mortem has no action items.

    Action items are the primary output of a post-mortem: every one must produce concrete,
    assigned work that prevents recurrence or improves the response.

    Bad: a PUBLISHED post-mortem whose Action Items table has no rows.
    Good: at least one action item with an owner, a priority and a due date.
    """
    if doc.status != "PUBLISHED" or doc.action_items:
        return
    yield Diagnostic(
        doc.view_line("action_items"),
        1,
        "a PUBLISHED post-mortem has no action items",
        "add the action items agreed in the review; a post-mortem without them is just "
        "storytelling",
    )


@document_rule("PM607", "action-number", Severity.ERROR)
def action_number(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """An action item's number (the # column) is missing, not a whole number, or taken.

    The number is the item's name: "item 2 of INC-2024-0015", and its key in trackers
    (`pmrepo actions --format jira-csv` labels the issue `pmrepo-INC-2024-0015-2`), so that a
    re-export updates the issue rather than making another. An item without a number, or
    with another item's number, has no key of its own: the export refuses it.

    Bad: `| 2 | Add a canary latency check | ... |` after another row numbered 2
    Good: `| 3 | Add a canary latency check | ... |`
    """
    if "number" not in _columns(doc):
        return  # a table without its # column is PM306's
    items = [item for item in doc.action_items if not is_template_row(item, doc)]
    problems = numbering_problems((item.line, item.number) for item in items)
    for item in items:
        if item.line in problems:
            yield Diagnostic(
                item.line,
                _column(item, "number"),
                f"action item {problems[item.line]}",
                "number the items 1, 2, 3, … once each: the number is the item's key in "
                "trackers, so keep an item's number once it is exported",
            )
