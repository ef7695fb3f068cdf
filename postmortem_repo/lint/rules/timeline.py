"""PM5xx: timeline and metrics — readable times, in order, inside the incident window, and
an Incident Metrics table that agrees with the front-matter timestamps."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from postmortem_repo.core.findings import Diagnostic, Severity
from postmortem_repo.core.timeparse import (
    minutes,
    parse_clock,
    parse_date,
    parse_duration,
    parse_timestamp,
    plain,
)
from postmortem_repo.lint.context import RuleContext
from postmortem_repo.lint.rules import document_rule
from postmortem_repo.model.document import Document, Metric, TimelineRow
from postmortem_repo.model.people import without_brackets
from postmortem_repo.model.sections import normalise_heading

HALF_DAY = dt.timedelta(hours=12)
_NO_OFFSET = dt.timedelta(0)
Window = tuple[dt.datetime, dt.datetime] | None
TOLERANCE_MINUTES = 1.0


def timestamps(doc: Document) -> dict[str, dt.datetime]:
    """started / detected / resolved, when present and valid."""
    found = {}
    for key in ("started", "detected", "resolved"):
        moment = parse_timestamp(doc.data.get(f"{key}_at"))
        if moment is not None:
            found[key] = moment
    return found


def _timestamps(doc: Document, ctx: RuleContext) -> dict[str, dt.datetime]:
    """timestamps(doc), read once for the rules that all need them: do not change it."""
    return ctx.memo(doc, "timestamps", lambda: timestamps(doc))


def _value_position(doc: Document, key: str) -> tuple[int, int]:
    return doc.front_matter.position((f"{key}_at",), of_value=True)


@dataclass(frozen=True)
class TimedRow:
    row: TimelineRow
    column: int
    moment: dt.datetime | None  # None: the time could not be read
    # "minute"; "day" or "month" for a date whose time (or day) is marked unknown
    precision: str = "minute"

    def before(self, other: TimedRow) -> bool:
        """Is this row earlier than the other, compared at the coarser of their precisions?"""
        assert self.moment is not None and other.moment is not None
        coarsest = max(_PRECISIONS.index(self.precision), _PRECISIONS.index(other.precision))
        if coarsest == 0:
            return self.moment < other.moment
        width = 10 if coarsest == 1 else 7  # YYYY-MM-DD or YYYY-MM
        return self.moment.date().isoformat()[:width] < other.moment.date().isoformat()[:width]


_PRECISIONS = ("minute", "day", "month")
# A time range ('09:00 - 11:00', '12:26-12:??'): the row happened at its start.
_RANGE_END = re.compile(r"(\d{1,2}:\d{2})\s*[-–]\s*[\d?]{1,2}:[\d?x]{2}$", re.IGNORECASE)
# A date whose time, or day, is marked unknown: '2022-05-25 HH:mm', '2024-03-13 14:??',
# '2022-05-?? ??:??', or a date alone.
_PARTIAL = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2}|\?\?|xx|dd)"
    r"(?:[ T]+(?:hh|\?\?|xx|--|\d{1,2}):(?:mm|\?\?|xx|--))?$",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=4096)  # a timeline's times recur across post-mortems
def _read_time(text: str) -> tuple[dt.datetime | None, dt.time | None, str]:
    """(timestamp, clock time, precision) of a timeline cell, each None when absent."""
    cleaned = _RANGE_END.sub(r"\1", " ".join(plain(text).split()))
    moment = parse_timestamp(cleaned)
    if moment is not None:
        return moment, None, "minute"
    clock = parse_clock(cleaned)
    if clock is not None:
        return None, clock, "minute"
    partial = _PARTIAL.match(cleaned)
    if partial is None:
        return None, None, "minute"
    year, month, day = partial.groups()
    try:
        if day.isdigit():
            return dt.datetime(int(year), int(month), int(day), tzinfo=dt.UTC), None, "day"
        return dt.datetime(int(year), int(month), 1, tzinfo=dt.UTC), None, "month"
    except ValueError:
        return None, None, "minute"


def _anchor(doc: Document, stamps: dict[str, dt.datetime]) -> dt.datetime:
    if "started" in stamps:
        return stamps["started"]
    day = parse_date(doc.data.get("date")) or dt.date(1970, 1, 1)
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _window(doc: Document, stamps: dict[str, dt.datetime], slack: tuple[int, int]) -> Window:
    if "started" not in stamps or "resolved" not in stamps:
        return None
    try:
        return (
            stamps["started"] - dt.timedelta(minutes=slack[0]),
            stamps["resolved"] + dt.timedelta(minutes=slack[1]),
        )
    except OverflowError:
        return None


def _place(clock: dt.time, previous: dt.datetime, window: Window) -> dt.datetime:
    """The day a clock time falls on: the previous row's day, the day before or after.
    A candidate inside the incident window wins (the earliest one not before the previous
    row, else the one nearest to it); outside the window a jump back of more than 12 hours
    is the timeline crossing midnight."""
    day = previous.date()
    same_day = dt.datetime.combine(day, clock, dt.UTC)
    if (
        window is not None
        and previous.utcoffset() == _NO_OFFSET
        and previous <= same_day
        and window[0] <= same_day <= window[1]
    ):
        # The usual row, later the same (UTC) day: the day before is before the previous
        # row, so the earliest candidate inside the window not before it is this one.
        return same_day
    candidates = []
    for shift in (-1, 0, 1):
        try:
            candidates.append(dt.datetime.combine(day + dt.timedelta(days=shift), clock, dt.UTC))
        except OverflowError:
            continue
    if window is not None:
        inside = [moment for moment in candidates if window[0] <= moment <= window[1]]
        later = [moment for moment in inside if moment >= previous]
        if later:
            return min(later)
        if inside:
            return min(inside, key=lambda moment: abs(moment - previous))
    return same_day + dt.timedelta(days=1) if same_day < previous - HALF_DAY else same_day


def timed_rows(
    doc: Document,
    slack: tuple[int, int] = (60, 60),
    stamps: dict[str, dt.datetime] | None = None,
) -> list[TimedRow]:
    """Timeline rows with their times as datetimes: full timestamps as written, a Date
    column with a clock time, or a clock time placed on the incident's days. stamps:
    timestamps(doc), when the caller has read them."""
    if stamps is None:
        stamps = timestamps(doc)
    window = _window(doc, stamps, slack)
    previous = _anchor(doc, stamps)
    rows = []
    for row in doc.timeline:
        column = row.columns.get("time", 1)
        moment, clock, precision = _read_time(row.time)
        if clock is not None:
            on_date = _date(row.date)
            try:
                if on_date is not None:
                    moment = dt.datetime.combine(on_date, clock, dt.UTC)
                else:
                    moment = _place(clock, previous, window)
            except OverflowError:
                moment = None
        if moment is not None:
            previous = moment
        rows.append(TimedRow(row, column, moment, precision))
    return rows


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(plain(text)) if text.strip() else None
    except ValueError:
        return None


def _rows(doc: Document, ctx: RuleContext) -> list[TimedRow]:
    slack = (ctx.config.timeline_slack_before, ctx.config.timeline_slack_after)
    return ctx.memo(doc, "timed-rows", lambda: timed_rows(doc, slack, _timestamps(doc, ctx)))


def _clock(moment: dt.datetime) -> str:
    try:
        return moment.astimezone(dt.UTC).strftime("%H:%M")
    except OverflowError:
        return moment.strftime("%H:%M")


@document_rule("PM501", "timeline-time", Severity.ERROR)
def timeline_time(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A timeline row's time cannot be read.

    Times are what order the timeline and measure the incident. pmrepo reads HH:MM,
    HH:MM:SS (UTC), full ISO 8601 timestamps (`2024-01-15 14:23` too), the start of a range
    (`14:10 - 14:30`), and a date whose time is marked unknown (`2024-01-15 ??:??`, `HH:mm`).

    Bad: `| quarter past two | alert | Alert fired |`
    Good: `| 14:15:00 | alert | Alert fired |`
    """
    rows = _rows(doc, ctx)
    if not any(timed.row.time for timed in rows):
        return  # no time column at all: PM306 says which column is missing
    placeholders = doc.spec.placeholders
    for timed in rows:
        if timed.moment is None and any(p.search(timed.row.time) for p in placeholders):
            continue  # a template placeholder: PM307's, once the post-mortem leaves DRAFT
        if timed.moment is None:
            shown = timed.row.time or "an empty cell"
            yield Diagnostic(
                timed.row.line,
                timed.column,
                f"cannot read the time '{shown}'" if timed.row.time else "the row has no time",
                "write HH:MM or HH:MM:SS in UTC, or a full timestamp like 2024-01-15T14:23:00Z",
            )


@document_rule("PM502", "timeline-order", Severity.ERROR)
def timeline_order(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """Timeline rows are not in chronological order.

    Readers reconstruct the incident from the timeline top to bottom. A timeline that
    crosses midnight is fine: a jump back of more than 12 hours is read as the next day.

    Bad: a row at 14:30 followed by a row at 14:25.
    Good: rows sorted by time, earliest first.
    """
    latest: TimedRow | None = None
    for timed in _rows(doc, ctx):
        if latest is not None and timed.row.columns.get("_table") != latest.row.columns.get(
            "_table"
        ):
            latest = None  # each table keeps its own order (hand-written rows, a generated block)
        if timed.moment is None:
            continue
        if latest is not None and latest.moment is not None and timed.before(latest):
            yield Diagnostic(
                timed.row.line,
                timed.column,
                f"{timed.row.time} comes after {latest.row.time} (line {latest.row.line}) "
                "but is earlier",
                "keep the timeline sorted, earliest first",
            )
        else:
            latest = timed


@document_rule("PM503", "timeline-window", Severity.ERROR)
def timeline_window(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A timeline row lies outside the incident window (started_at to resolved_at).

    An event long before the start or after the resolution usually means a wrong date or
    time zone. The window has slack on both sides (60 minutes by default; `timeline:
    {slack_before_minutes, slack_after_minutes}` in the config), so a war room that closes
    after resolution is inside.

    Bad: `| 09:14:00 | ... |` in an incident that started at 14:23 UTC.
    Good: times in UTC between started_at and resolved_at.
    """
    stamps = _timestamps(doc, ctx)
    slack = (ctx.config.timeline_slack_before, ctx.config.timeline_slack_after)
    window = _window(doc, stamps, slack)
    if window is None:
        return
    first, last = window
    for timed in _rows(doc, ctx):
        if timed.moment is None or timed.precision != "minute" or first <= timed.moment <= last:
            continue
        side = "before started_at" if timed.moment < first else "after resolved_at"
        anchor = stamps["started"] if timed.moment < first else stamps["resolved"]
        gap = abs(minutes(timed.moment - anchor))
        yield Diagnostic(
            timed.row.line,
            timed.column,
            f"{timed.row.time} is {gap:.0f} minutes {side} ({_clock(anchor)} UTC)",
            "check the time zone (UTC) and the date; widen the window with timeline.slack_* "
            "in the config if events this far out belong here",
        )


# Metric rows pmrepo can compute, by normalised name.
_DURATIONS = {
    "total duration": ("started", "resolved"),
    "duration": ("started", "resolved"),
    "mttd": ("started", "detected"),
    "time to detect": ("started", "detected"),
    "mttr": ("detected", "resolved"),
    "time to resolve": ("detected", "resolved"),
    "time to recover": ("detected", "resolved"),
}
_CLOCKS = {
    "start time": "started",
    "detection time": "detected",
    "resolution time": "resolved",
}


def _describe(span: dt.timedelta) -> str:
    total = round(minutes(span))
    return f"{total} minute" + ("" if total == 1 else "s")


@document_rule("PM504", "metrics-mismatch", Severity.ERROR)
def metrics_mismatch(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The Incident Metrics table disagrees with the front-matter timestamps.

    pmrepo defines MTTD = detected − started, MTTR = resolved − detected and Total
    Duration = resolved − started; Start, Detection and Resolution Time are the timestamps'
    UTC clock times. A hand-computed metric that disagrees misleads every report.

    Bad: `| MTTR | 25 minutes |` with detected_at 14:25 and resolved_at 14:45.
    Good: `| MTTR | 20 minutes |`.
    """
    stamps = _timestamps(doc, ctx)
    for metric in doc.metrics:
        kind, target = _metric_kind(metric.name)
        column = metric.columns.get("value", 1)
        value = plain(metric.value)
        if kind is None or not value or value.upper() in ("N/A", "NA", "-", "\u2014", "TBD"):
            continue
        if kind == "duration":
            start, end = target
            if start not in stamps or end not in stamps:
                continue
            expected = stamps[end] - stamps[start]
            written = parse_duration(value)
            if written is None:
                yield Diagnostic(
                    metric.line,
                    column,
                    f"cannot read '{metric.value}' as a duration",
                    "write it like '22 minutes' or '1 hour 5 minutes'",
                )
            elif abs(minutes(written - expected)) > TOLERANCE_MINUTES:
                yield Diagnostic(
                    metric.line,
                    column,
                    f"{metric.name} is '{metric.value}' but {end}_at − {start}_at is "
                    f"{_describe(expected)}",
                    f"{metric.name} = {end}_at − {start}_at",
                )
        elif target[0] in stamps:
            yield from _clock_metric(metric, target[0], stamps[target[0]], column)


def _metric_kind(name: str) -> tuple[str | None, tuple[str, ...]]:
    """What a metric row measures: ("duration", (from, to)), ("clock", (key,)) or None.
    Names are read loosely: 'MTTD (minutes)', 'Time to Detect (MTTD)'."""
    text = normalise_heading(without_brackets(name, "("))
    full = normalise_heading(name)
    for needle, span in (("mttd", ("started", "detected")), ("mttr", ("detected", "resolved"))):
        if needle in full:
            return "duration", span
    if text in _DURATIONS:
        return "duration", _DURATIONS[text]
    if text in _CLOCKS:
        return "clock", (_CLOCKS[text],)
    return None, ()


def _clock_metric(
    metric: Metric, key: str, stamp: dt.datetime, column: int
) -> Iterator[Diagnostic]:
    expected = _clock(stamp)
    moment = parse_timestamp(metric.value)
    written = _clock(moment) if moment else None
    if written is None:
        clock = parse_clock(metric.value)
        written = clock.strftime("%H:%M") if clock else None
    if written is None:
        yield Diagnostic(
            metric.line,
            column,
            f"cannot read '{metric.value}' as a time",
            "write the UTC time as HH:MM UTC, like 14:23 UTC",
        )
    elif written != expected:
        yield Diagnostic(
            metric.line,
            column,
            f"{metric.name} is '{metric.value}' but {key}_at is {expected} UTC",
            f"write the UTC clock time of {key}_at",
        )


@document_rule("PM505", "timestamps-order", Severity.ERROR)
def timestamps_order(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """started_at, detected_at, resolved_at and published_at are not in that order.

    An incident is detected after it starts and resolved after it is detected; otherwise
    MTTD and MTTR come out negative.

    Bad: `detected_at: 2024-01-15T14:20:00Z` with `started_at: 2024-01-15T14:23:00Z`.
    Good: started_at ≤ detected_at ≤ resolved_at.
    """
    stamps = dict(_timestamps(doc, ctx))  # published_at is added below
    published = parse_timestamp(doc.data.get("published_at"))
    if published is not None and "resolved" in stamps:
        stamps["published"] = published
    pairs = (
        ("started", "detected"),
        ("detected", "resolved"),
        ("started", "resolved"),
        ("resolved", "published"),
    )
    for earlier, later in pairs:
        if earlier in stamps and later in stamps and stamps[later] < stamps[earlier]:
            if earlier == "started" and later == "resolved" and "detected" in stamps:
                continue  # already reported through detected_at
            line, column = _value_position(doc, later)
            yield Diagnostic(
                line,
                column,
                f"{later}_at is before {earlier}_at",
                "started_at ≤ detected_at ≤ resolved_at ≤ published_at",
            )
