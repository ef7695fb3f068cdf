"""Timeline entries as moments: each entry's earliest and latest possible time, in UTC,
read at the precision written (a date alone is its whole day, `2X:XX` the hours 20–23)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from postmortem_repo.core.stamps import Stamp
from postmortem_repo.model.timeline import TimelineRow

HALF_DAY = dt.timedelta(hours=12)
Window = tuple[dt.datetime, dt.datetime] | None


@dataclass(frozen=True)
class TimedRow:
    row: TimelineRow
    column: int
    moment: dt.datetime | None  # the earliest it can be; None: the time cannot be read
    # "minute"; "day" or "month" when the time (or day) is marked unknown or not written;
    # "range" for a time with unknown digits
    precision: str = "minute"
    latest: dt.datetime | None = None  # the latest it can be (the moment when exact)
    problem: str = ""  # why the time cannot be read, when the reader can say
    unreadable: bool = False  # a time written that cannot be read ('??:??' can be)

    def before(self, other: TimedRow) -> bool:
        """Is this entry earlier than the other whatever their unknown parts are?"""
        assert self.moment is not None and other.moment is not None
        return (self.latest or self.moment) < other.moment


def place(
    clock: dt.time, previous: dt.datetime, window: Window, zone: dt.tzinfo = dt.UTC
) -> dt.datetime:
    """The day a clock time falls on: the previous row's day, the day before or after.
    A candidate inside the incident window wins (the earliest one not before the previous
    row, else the one nearest to it); outside the window a jump back of more than 12 hours
    is the timeline crossing midnight."""
    day = previous.date() if zone is dt.UTC else previous.astimezone(zone).date()
    same_day = dt.datetime.combine(day, clock, zone)
    if (
        window is not None
        and previous.utcoffset() == same_day.utcoffset()
        and previous <= same_day
        and window[0] <= same_day <= window[1]
    ):
        # The usual row, later the same day: the day before is before the previous row,
        # so the earliest candidate inside the window not before it is this one.
        return same_day
    candidates = []
    for shift in (-1, 0, 1):
        try:
            candidates.append(dt.datetime.combine(day + dt.timedelta(days=shift), clock, zone))
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
    rows: tuple[TimelineRow, ...] | list[TimelineRow],
    start: dt.datetime,
    window: Window,
    zone: dt.tzinfo = dt.UTC,
) -> list[TimedRow]:
    """Entries with their times: dates as written (a year left out is the one nearest the
    incident), a clock time under a date (a Date column, a date sub-heading), or a clock
    time alone placed on the day of the entry before it. start: where the timeline starts
    (started_at, else the incident's day at midnight); zone: the timeline's own zone."""
    previous = start
    timed = []
    for row in rows:
        try:
            found = _moments(row, previous, window, zone, start.date())
        except (OverflowError, ValueError) as error:
            found = (None, None, "minute", str(error))
        if found[0] is not None:
            previous = found[0]
        unreadable = row.stamp is None or bool(row.stamp.error) or bool(found[3])
        column = row.columns.get("time", 1)
        timed.append(TimedRow(row, column, found[0], found[2], found[1], found[3], unreadable))
    return timed


Moments = tuple[dt.datetime | None, dt.datetime | None, str, str]


def _moments(
    row: TimelineRow, previous: dt.datetime, window: Window, zone: dt.tzinfo, anchor: dt.date
) -> Moments:
    stamp = row.stamp
    if stamp is None or stamp.error:
        return None, None, "minute", stamp.error if stamp else ""
    tz = stamp.zone or zone
    dated = stamp if stamp.has_date else row.day
    if dated is None:
        return _clock_only(stamp, previous, window, tz)
    if dated.month is None:
        return None, None, "minute", ""  # 2022-??-??: no order to check
    year = dated.year or _nearest_year(dated.month, dated.day or 1, anchor)
    if dated.day is None:
        first = dt.datetime(year, dated.month, 1, tzinfo=tz)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(seconds=1), "month", ""
    day = dt.date(year, dated.month, dated.day)
    if stamp.hours is None or stamp.hours == (0, 23):
        midnight = dt.datetime.combine(day, dt.time(), tz)
        return midnight, midnight + dt.timedelta(days=1, seconds=-1), "day", ""
    low, high = _span(stamp)
    earliest = dt.datetime.combine(day, low, tz)
    precision = "minute" if low == high else "range"
    return earliest, dt.datetime.combine(day, high, tz), precision, ""


def _clock_only(stamp: Stamp, previous: dt.datetime, window: Window, tz: dt.tzinfo) -> Moments:
    if stamp.hours is None or stamp.hours == (0, 23):
        return None, None, "day", ""  # '??:??' alone: known to be some time, no order
    low, high = _span(stamp)
    earliest = place(low, previous, window, tz)
    spread = dt.datetime.combine(dt.date(2000, 1, 1), high) - dt.datetime.combine(
        dt.date(2000, 1, 1), low
    )
    return earliest, earliest + spread, "minute" if low == high else "range", ""


def _span(stamp: Stamp) -> tuple[dt.time, dt.time]:
    assert stamp.hours is not None
    low = dt.time(stamp.hours[0], stamp.minutes[0], stamp.second)
    high = dt.time(stamp.hours[1], stamp.minutes[1], stamp.second)
    return low, high


def _nearest_year(month: int, day: int, anchor: dt.date) -> int:
    """The year that puts month-day nearest the incident ('12-05' in a March report is the
    December before)."""

    def distance(year: int) -> int:
        try:
            return abs((dt.date(year, month, day) - anchor).days)
        except ValueError:
            return 10**6

    return min((anchor.year - 1, anchor.year, anchor.year + 1), key=distance)


def first_day(timed: list[TimedRow]) -> tuple[TimedRow, dt.date] | None:
    """The first entry whose date is written (in its stamp, a Date column or a date
    sub-heading), and that date in the timeline's own zone."""
    for entry in timed:
        if entry.moment is None or entry.row.stamp is None:
            continue
        if entry.row.stamp.has_date or entry.row.day is not None:
            return entry, entry.moment.date()
        return None
    return None
