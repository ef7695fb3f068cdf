"""Placing a clock time on a day takes a shortcut for the usual row (later the same UTC day,
inside the incident window): it must place every time where weighing all three candidate
days does."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_repo.model.timing import HALF_DAY, Window
from postmortem_repo.model.timing import place as _place

SETTINGS = settings(
    max_examples=int(os.environ.get("PMREPO_PROPERTY_EXAMPLES", "300")), deadline=None
)


def _place_weighing_every_day(clock: dt.time, previous: dt.datetime, window: Window) -> dt.datetime:
    day = previous.date()
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
    same_day = dt.datetime.combine(day, clock, dt.UTC)
    return same_day + dt.timedelta(days=1) if same_day < previous - HALF_DAY else same_day


ZONES = st.sampled_from(
    [dt.UTC, dt.timezone(dt.timedelta(0))]
    + [dt.timezone(dt.timedelta(hours=hours)) for hours in (2, -5, 14)]
)
MOMENTS = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2000, 1, 5), timezones=ZONES
)
CLOCKS = st.times()
WINDOWS = st.one_of(
    st.none(),
    st.tuples(MOMENTS, st.integers(min_value=0, max_value=5000)).map(
        lambda pair: (pair[0], pair[0] + dt.timedelta(minutes=pair[1]))
    ),
)


@SETTINGS
@given(CLOCKS, MOMENTS, WINDOWS)
def test_a_clock_time_lands_where_weighing_every_day_puts_it(
    clock: dt.time, previous: dt.datetime, window: Window
) -> None:
    assert _place(clock, previous, window) == _place_weighing_every_day(clock, previous, window)


def _outcome(
    place: Callable[[dt.time, dt.datetime, Window], dt.datetime], *args: Any
) -> dt.datetime | str:
    """The moment, or the overflow the caller (timed_rows) reads as an unreadable time."""
    try:
        return place(*args)
    except OverflowError:
        return "overflow"


def test_the_edges_of_the_calendar_are_placed_alike() -> None:
    for previous in (
        dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.UTC),
        dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC),
    ):
        for clock in (dt.time(0, 10), dt.time(23, 50)):
            window = (previous - dt.timedelta(minutes=20), previous + dt.timedelta(minutes=20))
            for window_ in (None, window):
                expected = _outcome(_place_weighing_every_day, clock, previous, window_)
                assert _outcome(_place, clock, previous, window_) == expected


def test_a_previous_row_east_of_utc_can_leave_the_day_before_open() -> None:
    # 00:30 at +02:00 is 22:30 UTC the day before: 23:00 UTC that day is the next moment.
    previous = dt.datetime(2000, 1, 2, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    window = (dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2000, 1, 3, tzinfo=dt.UTC))
    expected = dt.datetime(2000, 1, 1, 23, 0, tzinfo=dt.UTC)
    assert _place_weighing_every_day(dt.time(23, 0), previous, window) == expected
    assert _place(dt.time(23, 0), previous, window) == expected
