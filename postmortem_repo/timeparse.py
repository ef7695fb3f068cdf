"""The times, durations and dates people write in post-mortems, read leniently."""

from __future__ import annotations

import datetime as dt
import re

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(?:UTC|Z|GMT))?$", re.IGNORECASE)
_DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\b",
    re.IGNORECASE,
)
_UNIT_MINUTES = {"d": 1440.0, "h": 60.0, "m": 1.0, "s": 1 / 60}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?(?:\s+(\d{4}))?$")


_HAS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{1,2}:\d{2}")
_ONE_DIGIT_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2}[Tt ])(\d:)")
_DECORATION = re.compile(r"^[\s*_`~]+|[\s*_`~]+$")


def plain(value: str) -> str:
    """A cell's text without the emphasis or code marks around it (**22 min**, `14:23`)."""
    return _DECORATION.sub("", value)


def parse_timestamp(value: object) -> dt.datetime | None:
    """An ISO 8601 date and time as an aware datetime (naive means UTC); a date alone is
    not a timestamp."""
    if not isinstance(value, str):
        return None
    text = plain(value).replace("Z", "+00:00").replace("z", "+00:00")
    if text.upper().endswith(" UTC"):
        text = text[:-4]
    if not _HAS_TIME.match(text):
        return None
    text = _ONE_DIGIT_HOUR.sub(r"\g<1>0\2", text)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_date(value: object) -> dt.date | None:
    """A front-matter date (YYYY-MM-DD, or the start of a timestamp)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def parse_clock(value: str) -> dt.time | None:
    """HH:MM or HH:MM:SS, optionally followed by UTC."""
    match = _CLOCK.match(plain(value))
    if not match:
        return None
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return dt.time(hours, minutes, seconds)


def parse_duration(value: str) -> dt.timedelta | None:
    """'22 minutes', '2 hours 14 minutes', '1h 5m', '113 min'; a bare number is minutes."""
    # "22 min.", "22 min (approx)", "~22 minutes", "**22 minutes**"
    text = re.sub(r"\s*\([^)]*\)\s*$", "", plain(value)).rstrip(".").lstrip("~≈ ")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return dt.timedelta(minutes=float(text))
    parts = list(_DURATION_PART.finditer(text))
    leftover = _DURATION_PART.sub("", text)
    if not parts or re.sub(r"[\s,and~≈]+", "", leftover):
        return None
    minutes = sum(float(part[1]) * _UNIT_MINUTES[part[2][0].lower()] for part in parts)
    return dt.timedelta(minutes=minutes)


def parse_due(value: str, incident: dt.date) -> dt.date | None:
    """A due date: ISO (2024-01-22, 2024/01/22), or 'Jan 22' / '22 Jan' in the incident's
    year (the next year when that would be before the incident)."""
    # "Jan 5th", "2024-01-17 (moved)"
    text = re.sub(r"\s*\([^)]*\)\s*$", "", plain(value))
    text = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text)
    iso = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        month_day = _MONTH_DAY.match(text)
        day_month = _DAY_MONTH.match(text)
        if month_day:
            month, day, year = _MONTHS.get(month_day[1].lower()), month_day[2], month_day[3]
        elif day_month:
            month, day, year = _MONTHS.get(day_month[2].lower()), day_month[1], day_month[3]
        else:
            return None
        if month is None:
            return None
        if year:
            return dt.date(int(year), month, int(day))
        due = dt.date(incident.year, month, int(day))
        return due if due >= incident else dt.date(incident.year + 1, month, int(day))
    except ValueError:
        return None


def minutes(span: dt.timedelta) -> float:
    return span.total_seconds() / 60
