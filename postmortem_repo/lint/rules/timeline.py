"""PM5xx: timeline and metrics — readable times, in order, inside the incident window, and
an Incident Metrics table that agrees with the front-matter timestamps."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator

from postmortem_repo.core.findings import Diagnostic, Severity
from postmortem_repo.core.fixes import Edit, Fix, safe
from postmortem_repo.core.timeparse import (
    ZONES,
    minutes,
    parse_clock,
    parse_date,
    parse_duration,
    parse_timestamp,
    plain,
)
from postmortem_repo.lint.context import RuleContext
from postmortem_repo.lint.reorder import sorted_rows_fix
from postmortem_repo.lint.rules import document_rule
from postmortem_repo.lint.valuefix import clock_like, duration_like
from postmortem_repo.model.document import Document, Metric, tables_within
from postmortem_repo.model.incident import file_name_date, incident_day, title_date
from postmortem_repo.model.people import without_brackets
from postmortem_repo.model.sections import normalise_heading
from postmortem_repo.model.timeline_forms import forms_used
from postmortem_repo.model.timing import TimedRow, Window, timed_rows

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


def _anchor(doc: Document, stamps: dict[str, dt.datetime], zone: dt.tzinfo) -> dt.datetime:
    """Where the timeline starts: started_at, else midnight of the incident's day."""
    if "started" in stamps:
        return stamps["started"]
    day = incident_day(doc) or dt.date(1970, 1, 1)
    return dt.datetime.combine(day, dt.time(), zone)


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


def read_times(
    doc: Document,
    slack: tuple[int, int] = (60, 60),
    stamps: dict[str, dt.datetime] | None = None,
    zone: dt.tzinfo | None = None,
) -> list[TimedRow]:
    """The timeline's entries with their times: in the zone the timeline declares, else
    zone (the config's), else UTC. stamps: timestamps(doc), when the caller has read them."""
    if stamps is None:
        stamps = timestamps(doc)
    declared = doc.timeline_read.zone
    tz = declared.tzinfo if declared is not None else zone or dt.UTC
    return timed_rows(doc.timeline, _anchor(doc, stamps, tz), _window(doc, stamps, slack), tz)


def _rows(doc: Document, ctx: RuleContext) -> list[TimedRow]:
    slack = (ctx.config.timeline_slack_before, ctx.config.timeline_slack_after)
    zone = ctx.config.timeline_zone
    return ctx.memo(doc, "timed-rows", lambda: read_times(doc, slack, _timestamps(doc, ctx), zone))


def _clock(moment: dt.datetime) -> str:
    try:
        return moment.astimezone(dt.UTC).strftime("%H:%M")
    except OverflowError:
        return moment.strftime("%H:%M")


@document_rule("PM501", "timeline-time", Severity.ERROR)
def timeline_time(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A timeline row's time cannot be read.

    Times are what order the timeline and measure the incident. pmrepo reads HH:MM,
    HH:MM:SS, 12-hour times (`2:53 PM`), full ISO 8601 timestamps (`2024-01-15 14:23` too),
    dates written `Jan 14, 10:18 AM`, `10/20/2022` or `[03-26 23:04]`, the start of a range
    (`14:10 - 14:30`), and unknown parts (`2024-01-15 ??:??`, `HH:mm`, `2X:XX`). Times are
    in the zone the timeline declares ("All times in PST", `## Timeline (times in BST)`,
    a `Time (UTC)` column), else the config's `timeline: {zone: ...}`, else UTC.

    Bad: `| quarter past two | alert | Alert fired |`
    Good: `| 14:15:00 | alert | Alert fired |`
    """
    rows = _rows(doc, ctx)
    if not any(timed.row.time for timed in rows):
        return  # no time column at all: PM306 says which column is missing
    placeholders = doc.spec.placeholders
    for timed in rows:
        if not timed.unreadable:
            continue
        if any(p.search(timed.row.time) for p in placeholders):
            continue  # a template placeholder: PM307's, once the post-mortem leaves DRAFT
        shown = timed.row.time or "an empty cell"
        yield Diagnostic(
            timed.row.line,
            timed.column,
            f"cannot read the time '{shown}'" if timed.row.time else "the row has no time",
            _unreadable_hint(doc, timed),
        )


_WRITE_IT = "write HH:MM or HH:MM:SS in UTC, or a full timestamp like 2024-01-15T14:23:00Z"


def _unreadable_hint(doc: Document, timed: TimedRow) -> str:
    """Why the time cannot be read, when the reader can say, and the zone the timeline
    declares when the entry names another one ('23:00 AM MST' in a PST timeline)."""
    parts = [timed.problem] if timed.problem else []
    zone = doc.timeline_read.zone
    written = _ZONE_WORD.search(timed.row.time)
    if zone is not None and written and written.group(1).upper() != zone.name:
        parts.append(
            f"the timeline's times are in {zone.name} (line {zone.line}), "
            f"this one says {written.group(1)}"
        )
    return "; ".join([*parts, _WRITE_IT])


_ZONE_WORD = re.compile(r"\b(" + "|".join(ZONES) + r")\b", re.IGNORECASE)


@document_rule("PM502", "timeline-order", Severity.ERROR)
def timeline_order(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """Timeline rows are not in chronological order.

    Readers reconstruct the incident from the timeline top to bottom. A timeline that
    crosses midnight is fine: a jump back of more than 12 hours is read as the next day.
    Each entry is compared with the one just before it, so one entry out of place is one
    finding. Unknown parts are read at the precision written: `2X:XX` is any time from
    20:00 to 23:59, a date alone its whole day.

    Bad: a row at 14:30 followed by a row at 14:25.
    Good: rows sorted by time, earliest first.

    Fix: unsafe: the table's rows are sorted, when every time is complete (no unknown
    parts) and nothing stands between the rows. A person checks that the times were right
    and the order wrong, not the other way round.
    """
    groups: dict[object, list[TimedRow]] = {}
    for timed in _rows(doc, ctx):
        if timed.moment is not None:  # each table keeps its own order (a generated block)
            groups.setdefault(timed.row.columns.get("_table"), []).append(timed)
    found = [
        finding._replace(fix=sorted_rows_fix(doc, group))
        for group in groups.values()
        for finding in _misplaced(group)
    ]
    yield from sorted(found, key=lambda finding: (finding.line, finding.column))


def _misplaced(entries: list[TimedRow]) -> Iterator[Diagnostic]:
    """One finding for each entry out of place: the entries left out of the longest run
    in order (the fewest entries to move), each explained by a neighbour in that run."""
    kept = set(in_order(entries))
    for index, timed in enumerate(entries):
        if index in kept:
            continue
        before = [entries[k] for k in sorted(kept) if k < index]
        after = [entries[k] for k in sorted(kept) if k > index]
        earlier_than = next((e for e in reversed(before) if timed.before(e)), None)
        if earlier_than is not None:
            other, relation = earlier_than, "comes after {} (line {}) but is earlier"
        else:
            later_than = next((e for e in after if e.before(timed)), None)
            if later_than is None:
                continue
            other, relation = later_than, "comes before {} (line {}) but is later"
        yield Diagnostic(
            timed.row.line,
            timed.column,
            f"{timed.row.time} " + relation.format(other.row.time, other.row.line),
            "keep the timeline sorted, earliest first",
        )


_LONGEST_RUN_LIMIT = 600  # entries; beyond it each entry is compared with the one before


def in_order(entries: list[TimedRow]) -> list[int]:
    """Indexes of a longest run of entries in chronological order, keeping the earlier
    entry of two that disagree (the later one is the one reported)."""
    count = len(entries)
    if count > _LONGEST_RUN_LIMIT:
        return [0] + [i for i in range(1, count) if not entries[i].before(entries[i - 1])]
    # longest[i]: the longest run in order that starts at entry i
    longest = [1] * count
    for i in range(count - 2, -1, -1):
        for j in range(i + 1, count):
            if longest[j] >= longest[i] and not entries[j].before(entries[i]):
                longest[i] = longest[j] + 1
    run, need, last = [], max(longest, default=0), None
    for i in range(count):
        if longest[i] == need and (last is None or not entries[i].before(entries[last])):
            run.append(i)
            need, last = need - 1, i
    return run


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
            f"check the time zone ({_zone_read(doc, ctx)}) and the date; widen the window "
            "with timeline.slack_* in the config if events this far out belong here",
        )


def _zone_read(doc: Document, ctx: RuleContext) -> str:
    """The zone the timeline's times were read in, and why."""
    declared = doc.timeline_read.zone
    if declared is not None:
        return f"{declared.name}, as line {declared.line} says"
    if ctx.config.timeline_zone is not None:
        return "the config's timeline.zone"
    return (
        "read as UTC: the timeline declares no zone; write 'All times in PST' or set timeline.zone"
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
    UTC clock times. A hand-computed metric that disagrees misleads every report. A
    duration within one minute of the timestamps' passes (±1 minute: people round to the
    minute, and timestamps carry seconds): `22 minutes` for 22 min 40 s is right.

    Bad: `| MTTR | 25 minutes |` with detected_at 14:25 and resolved_at 14:45.
    Good: `| MTTR | 20 minutes |`.

    Fix: safe: a value that disagrees is rewritten from the timestamps, in the form it is
    written in, its units kept (`25 minutes` → `20 minutes`, `1h 5m` → `1h 20m`, `0h 30m`
    → `0h 22m`, `14:30 UTC` → `14:23 UTC`). A value pmrepo cannot read needs a person.
    """
    stamps = _timestamps(doc, ctx)
    # Timestamps out of order (PM505) are a typo to fix first: no metric is rewritten
    # from them, or the typo would be copied into the table.
    trusted = _in_order(stamps)
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
                    fix=_value_fix(doc, metric, column, duration_like(value, expected))
                    if trusted
                    else None,
                )
        elif target[0] in stamps:
            for diagnostic in _clock_metric(metric, target[0], stamps[target[0]], column):
                if trusted and diagnostic.message.startswith(metric.name):  # a clock that disagrees
                    fixed = clock_like(value, _clock(stamps[target[0]]))
                    diagnostic = diagnostic._replace(fix=_value_fix(doc, metric, column, fixed))
                yield diagnostic


def _in_order(stamps: dict[str, dt.datetime]) -> bool:
    """Whether started ≤ detected ≤ resolved, for those the front matter gives."""
    times = [stamps[name] for name in ("started", "detected", "resolved") if name in stamps]
    return all(earlier <= later for earlier, later in itertools.pairwise(times))


def _value_fix(doc: Document, metric: Metric, column: int, wanted: str | None) -> Fix | None:
    """Write wanted in place of the metric's value, where the row holds it as read."""
    line = doc.lines[metric.line - 1]
    written = metric.value
    if wanted is None or line[column - 1 : column - 1 + len(written)] != written:
        return None
    edit = Edit(metric.line, column, metric.line, column + len(written), wanted)
    return safe(f"Write '{wanted}'", edit)


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


@document_rule("PM506", "timeline-date-mismatch", Severity.WARNING)
def timeline_date_mismatch(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The title or the file name is dated more than a day away from the timeline.

    The title's date is reported when it is outside the timeline's dates by more than a
    day, the file name's date when it is more than a day before the timeline starts.
    Without a `date` in the front matter, the title and the file name are what tell
    readers, indexes and reports when the incident happened: a date copied from another
    report, or a month typed wrong, files it under the wrong day. The timeline's dates,
    written where things happened, say which one is right. A file name may carry the day
    the report was written, after the incident, so only a file name dated before the
    timeline is reported.

    Bad: `# 2022-01-27 Ramp card` whose timeline starts `| Jun 2 | 02:34 |`.
    Good: `# 2022-06-02 Ramp card` whose timeline starts `| Jun 2 | 02:34 |`.
    """
    if parse_date(doc.data.get("date")) is not None:
        return  # the front matter says the date; PM1xx/PM2xx check it
    days = _written_days(_rows(doc, ctx))
    if days is None:
        return
    (first, first_line), (last, _) = days
    claims = []
    titled = title_date(doc)
    if titled is not None and not first - _DAY <= titled[0] <= last + _DAY:
        claims.append((titled[0], "title", titled[1]))
    named = file_name_date(doc)
    if named is not None and named < first - _DAY:
        claims.append((named, "file name", 1))
    for claimed, where, line in claims:
        span = f"starts on {first} (line {first_line})"
        if last != first:
            span += f" and ends on {last}"
        yield Diagnostic(
            line,
            1,
            f"the {where} says {claimed} but the timeline {span}",
            f"correct the date in the {where}, or the timeline's dates",
        )


_DAY = dt.timedelta(days=1)


def _written_days(
    rows: list[TimedRow],
) -> tuple[tuple[dt.date, int], tuple[dt.date, int]] | None:
    """The first and last dates the timeline writes (with their lines): entries with
    their own date, or under a Date column or a date sub-heading."""
    dated = [
        (timed.moment.date(), timed.row.line)
        for timed in rows
        if timed.moment is not None
        and timed.row.stamp is not None
        and (timed.row.stamp.has_date or timed.row.day is not None)
    ]
    if not dated:
        return None
    return min(dated), max(dated)


# A timeline with fewer entries read than this is read again in every form, to see whether
# it is written in a form the sections schema does not read.
_FEW_ENTRIES = 3


@document_rule("PM507", "timeline-unread", Severity.ERROR)
def timeline_unread(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The timeline is in a form the sections schema does not read: nothing checks it.

    pmrepo reads a timeline in the forms the sections schema's `timeline_forms` lists (a
    table, by default). A timeline written as bullets, a heading per entry, bare lines or
    chat-log stamps is then read by nothing: its order, times and window would pass
    unchecked. Add the form to `timeline_forms` (`pmrepo init --from-existing` proposes
    the forms a repository writes), or write the timeline in a form the schema reads.

    A Timeline whose schema requires a table and that has none is PM305's to report.

    Bad: `- 14:20 paged the on-call` under `## Timeline`, with `timeline_forms` unset.
    Good: `"timeline_forms": ["table", "list"]` on the Timeline section.
    """
    read = doc.timeline_read
    if read.line == 0 or len(read.rows) >= _FEW_ENTRIES or _table_missing(doc):
        return
    allowed = set(doc.timeline_forms)
    other = {form: count for form, count in forms_used(doc).items() if form not in allowed}
    total = sum(other.values())
    if total < 2 or total <= len(read.rows):
        return
    forms = ", ".join(f"'{form}'" for form in sorted(other, key=lambda f: -other[f]))
    yield Diagnostic(
        read.line,
        1,
        f"the timeline has {total} entries written as {forms}, which the sections schema "
        "does not read: no timeline rule checks them",
        f"add {forms} to the Timeline section's timeline_forms in the sections schema",
    )


def _table_missing(doc: Document) -> bool:
    """Whether the timeline's section lacks the table its schema requires (PM305)."""
    owner = doc.spec.timeline_spec()
    section = doc.timeline_section
    required = owner is not None and owner.table is not None and owner.table.required
    return required and section is not None and not tables_within(section)
