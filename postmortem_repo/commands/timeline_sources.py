"""Readers for the exports `pmrepo timeline` merges: each turns one file (or folder) into
events with UTC times, and names the file and the record when something is wrong."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.git import GitFailed, GitNotFound, run_git
from postmortem_repo.core.timeparse import TimestampError, parse_zoned

FIRING, RESOLVED, DEPLOY, HUMAN = "\U0001f525", "\u2705", "\U0001f680", "\U0001f464"


@dataclass(frozen=True)
class Event:
    time: dt.datetime  # aware, UTC
    source: str  # the Source column: alert, deployment, human, page, git, k8s, ...
    text: str
    origin: str  # file and record, for messages
    service: str = ""  # when the export says which service


class SourceError(PmrepoError):
    """A source that cannot be read: nothing is written."""


def parse_time(value: object, where: str) -> dt.datetime:
    """An exported event's timestamp, in UTC (see core.timeparse.parse_zoned)."""
    try:
        return parse_zoned(value, where)
    except TimestampError as error:
        raise SourceError(str(error)) from error


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{path}: cannot read: {error}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); is the export "
            "complete?"
        ) from error


def _records(data: Any, key: str, path: Path) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get(key), list):
        return list(data[key])
    if isinstance(data, list):
        return data
    raise SourceError(f"{path}: expected a list of {key}, or an object with '{key}'")


def _object(value: Any, where: str) -> dict[str, Any]:
    """A record, which must be a JSON object."""
    if not isinstance(value, dict):
        raise SourceError(f"{where}: expected an object, got {json.dumps(value)[:40]}")
    return value


def _field(value: Any) -> dict[str, Any]:
    """A nested object of a record ({} when the export has something else there)."""
    return value if isinstance(value, dict) else {}


def alertmanager(path: Path) -> Iterator[Event]:
    """Alertmanager webhook payloads (one object, a list of them, or JSON lines)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{path}: cannot read: {error}") from error
    try:
        data = json.loads(text)
        payloads = data if isinstance(data, list) else [data]
    except json.JSONDecodeError as error:
        if len([line for line in text.splitlines() if line.strip()]) < 2:
            # Not JSON lines either: say where the JSON broke.
            raise SourceError(
                f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); is the "
                "export complete?"
            ) from error
        payloads = [
            _line(line, path, n) for n, line in enumerate(text.splitlines(), 1) if line.strip()
        ]
    for p_index, payload in enumerate(payloads, start=1):
        for a_index, alert in enumerate(_records(payload, "alerts", path), start=1):
            where = f"{path}: payload {p_index}, alert {a_index}"
            alert = _object(alert, where)
            labels = _field(alert.get("labels"))
            name = labels.get("alertname") or "unnamed"
            service = str(labels.get("service") or labels.get("app") or labels.get("job") or "")
            yield Event(
                parse_time(alert.get("startsAt"), where),
                "alert",
                f"{FIRING} Alert [{name}] firing",
                where,
                service,
            )
            ends = alert.get("endsAt")
            if alert.get("status") == "resolved" and ends and not str(ends).startswith("0001"):
                yield Event(
                    parse_time(ends, where),
                    "alert",
                    f"{RESOLVED} Alert [{name}] resolved",
                    where,
                    service,
                )


def _line(line: str, path: Path, number: int) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise SourceError(f"{path}:{number}: not valid JSON ({error.msg})") from error


_PAGERDUTY = {
    "trigger_log_entry": ("alert", "{fire} Page triggered: {summary}"),
    "acknowledge_log_entry": ("human", "{human} {agent}: Acknowledged the page"),
    "resolve_log_entry": ("human", "{human} {agent}: Resolved the page"),
    "escalate_log_entry": ("page", "Page escalated: {summary}"),
    "notify_log_entry": ("page", "Paged {user}"),
    "annotate_log_entry": ("human", "{human} {agent}: {note}"),
    "assign_log_entry": ("page", "Page assigned: {summary}"),
}


def pagerduty(path: Path) -> Iterator[Event]:
    """PagerDuty incident log entries (GET /incidents/{id}/log_entries)."""
    for index, entry in enumerate(_records(_load_json(path), "log_entries", path), start=1):
        where = f"{path}: log entry {index}"
        entry = _object(entry, where)
        kind = entry.get("type", "")
        if not isinstance(kind, str) or kind not in _PAGERDUTY:
            continue  # an entry type that says nothing about the response
        source, template = _PAGERDUTY[kind]
        incident = _field(entry.get("incident"))
        service = str(_field(entry.get("service") or incident.get("service")).get("summary", ""))
        text = template.format(
            fire=FIRING,
            human=HUMAN,
            # The incident's title says what fired; an entry's summary says how it arrived.
            summary=incident.get("summary") or entry.get("summary") or "",
            agent=_field(entry.get("agent")).get("summary") or "someone",
            user=_field(entry.get("user")).get("summary") or "someone",
            note=_field(entry.get("channel")).get("summary") or entry.get("summary") or "",
        )
        yield Event(parse_time(entry.get("created_at"), where), source, text, where, service)


_SLACK_LINK = re.compile(r"<([^>|]+)(?:\|([^>]+))?>")


def slack(path: Path) -> Iterator[Event]:
    """A Slack channel export: a folder of YYYY-MM-DD.json files (users.json beside or
    above it names the users)."""
    if not path.is_dir():
        raise SourceError(f"{path}: a Slack export is a folder of YYYY-MM-DD.json files")
    users: dict[str, str] = {}
    for candidate in (path / "users.json", path.parent / "users.json"):
        if candidate.is_file():
            for user in _records(_load_json(candidate), "members", candidate):
                user = _field(user)
                users[str(user.get("id", ""))] = str(
                    user.get("name") or user.get("real_name") or ""
                )
            break
    for day in sorted(path.glob("*.json")):
        if day.name == "users.json":
            continue
        for index, message in enumerate(_records(_load_json(day), "messages", day), start=1):
            where = f"{day}: message {index}"
            message = _object(message, where)
            if message.get("type") != "message" or message.get("subtype") in (
                "channel_join",
                "channel_leave",
                "bot_add",
                "channel_topic",
            ):
                continue
            profile = _field(message.get("user_profile"))
            who = (
                profile.get("name")
                or users.get(str(message.get("user", "")))
                or profile.get("real_name")
                or message.get("username")
                or message.get("user")
                or "someone"
            )
            text = _slack_text(str(message.get("text", "")), users)
            if text:
                yield Event(
                    parse_time(message.get("ts"), where), "human", f"{HUMAN} {who}: {text}", where
                )


def _slack_text(text: str, users: dict[str, str]) -> str:
    def link(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return "@" + (label or users.get(target[1:], target[1:]))
        if target.startswith("#"):
            return "#" + (label or target[1:])
        return label or target

    text = _SLACK_LINK.sub(link, text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def _generic(rows: Iterator[tuple[str, Any]]) -> Iterator[Event]:
    for where, row in rows:
        row = _object(row, where)
        missing = [key for key in ("timestamp", "description") if not row.get(key)]
        if missing:
            raise SourceError(f"{where}: missing {', '.join(missing)}")
        yield Event(
            parse_time(row["timestamp"], where),
            str(row.get("source") or "event").strip(),
            " ".join(str(row["description"]).split()),
            where,
            str(row.get("service") or ""),
        )


def csv_events(path: Path) -> Iterator[Event]:
    """A CSV file with a header: timestamp, source, description (severity, service optional)."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SourceError(f"{path}: cannot read as CSV: {error}") from error
    yield from _generic((f"{path}:{n}", row) for n, row in enumerate(rows, start=2))


def jsonl_events(path: Path) -> Iterator[Event]:
    """JSON lines with the same fields as the CSV."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{path}: cannot read: {error}") from error
    yield from _generic(
        (f"{path}:{n}", _line(line, path, n)) for n, line in enumerate(lines, 1) if line.strip()
    )


def kubernetes(path: Path) -> Iterator[Event]:
    """`kubectl get events -o json`."""
    for index, item in enumerate(_records(_load_json(path), "items", path), start=1):
        where = f"{path}: item {index}"
        item = _object(item, where)
        moment = item.get("lastTimestamp") or item.get("eventTime") or item.get("firstTimestamp")
        target = _field(item.get("involvedObject"))
        name = f"{target.get('kind', '')}/{target.get('name', '')}".strip("/")
        text = f"{item.get('type', 'Normal')} {item.get('reason', '')} on {name}: " + " ".join(
            str(item.get("message", "")).split()
        )
        yield Event(parse_time(moment, where), "k8s", text, where, str(target.get("name", "")))


def git_history(path: Path, start: dt.datetime, end: dt.datetime) -> Iterator[Event]:
    """Commits (merges too) and tags of a repository path within the window, from git."""

    def git(*args: str, paths: tuple[str, ...] = ()) -> str:
        folder = path if path.is_dir() else path.parent
        try:
            # Decoded as text in the locale's encoding, as git writes it.
            return run_git(folder, *args, paths=paths, encoding=None, errors=None)
        except GitNotFound as error:
            raise SourceError("git: not installed") from error
        except GitFailed as error:
            raise SourceError(f"{path}: git {args[0]} failed: {error.stderr.strip()}") from error

    since, until = start.isoformat(), end.isoformat()
    log = git(
        "log",
        "--all",
        f"--since={since}",
        f"--until={until}",
        # Fields end at NUL, which git keeps out of names and messages (a subject may hold
        # any other control character, \x1f too).
        "--format=%H%x00%cI%x00%P%x00%an%x00%s",
        paths=(str(path),),
    )
    # Split at newlines only: splitlines() also splits at characters a subject may hold.
    for line in filter(None, log.split("\n")):
        fields = line.split("\x00")
        if len(fields) != 5:
            raise SourceError(f"{path}: git log: cannot read the commit line {line[:50]!r}")
        sha, when, parents, author, subject = fields
        kind = "Merge" if len(parents.split()) > 1 else "Commit"
        yield Event(
            parse_time(when, f"{path}: {sha[:10]}"),
            "git",
            f"{kind} {sha[:7]} by {author}: {subject}",
            f"{path}: {sha[:10]}",
        )
    tags = git("for-each-ref", "refs/tags", "--format=%(refname:short)%1f%(creatordate:iso-strict)")
    for line in filter(None, tags.split("\n")):
        name, when = line.split("\x1f")
        yield Event(
            parse_time(when, f"{path}: tag {name}"), "git", f"Tag {name}", f"{path}: tag {name}"
        )


Reader = Callable[[Path], Iterator[Event]]
READERS: dict[str, Reader] = {
    "alertmanager": alertmanager,
    "pagerduty": pagerduty,
    "slack": slack,
    "csv": csv_events,
    "jsonl": jsonl_events,
    "k8s": kubernetes,
}
KINDS = (*READERS, "git")
