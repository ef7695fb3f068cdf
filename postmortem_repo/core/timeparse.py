"""The times, durations and dates people write in post-mortems, read leniently."""

from __future__ import annotations

import datetime as dt
import functools
import re

from postmortem_repo.core.errors import PmrepoError

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(?:UTC|Z|GMT))?$", re.IGNORECASE)
# Read from the first digit of a number only, and possessively: from each digit of a long
# number in turn, the regex read the rest of it again (16,000 digits took seconds). A
# number is only ever matched whole, so where and what it matches is unchanged.
_DURATION_PART = re.compile(
    r"(?<!\d)(\d++(?:\.\d++)?)\s*+(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\b",
    re.IGNORECASE,
)
_UNIT_MINUTES = {"d": 1440.0, "h": 60.0, "m": 1.0, "s": 1 / 60}
MONTHS = {
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
# The trailing run is tried from the start of each run only (a run that does not reach
# the end fails from any of its characters): from each, a long run took seconds.
_DECORATION = re.compile(r"^[\s*_`~]++|(?<![\s*_`~])[\s*_`~]++$")


def plain(value: str) -> str:
    """A cell's text without the emphasis or code marks around it (**22 min**, `14:23`)."""
    return _DECORATION.sub("", value)


# Zone abbreviations people write after a time, with their fixed offsets in minutes.
# Ambiguous ones (IST, CST in China) take their most common meaning in incident reports.
ZONES = {
    "UTC": 0, "GMT": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120,
    "EET": 120, "EEST": 180, "MSK": 180, "IST": 330, "SGT": 480, "JST": 540, "KST": 540,
    "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "EST": -300, "EDT": -240,
    "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "PT": -480, "ET": -300,
}  # fmt: skip
# From the start of a run of spaces only, as it always matched: a match from inside the
# run would have matched from its start, which is further left.
_ZONE_AFTER = re.compile(r"(?<!\s)\s*+\(?\b(" + "|".join(ZONES) + r")\)?$", re.IGNORECASE)
_TWELVE_HOUR = re.compile(r"\b(\d{1,2})(:\d{2}(?::\d{2})?)\s*+([ap])\.?m\.?$", re.IGNORECASE)


def _zone(text: str) -> tuple[str, dt.timezone | None]:
    """text without a trailing zone abbreviation ('14:51 PDT', '14:51 (CET)'), and its zone."""
    match = _ZONE_AFTER.search(text)
    if match is None:
        return text, None
    offset = dt.timedelta(minutes=ZONES[match.group(1).upper()])
    return text[: match.start()].rstrip(), dt.timezone(offset)


def _twenty_four_hour(text: str) -> str:
    """'2:53 PM' → '14:53', '12:05 am' → '00:05' (unchanged when not 12-hour)."""
    match = _TWELVE_HOUR.search(text)
    if match is None or not 1 <= int(match.group(1)) <= 12:
        return text
    hours = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
    return f"{text[: match.start()]}{hours:02d}{match.group(2)}"


def parse_timestamp(value: object) -> dt.datetime | None:
    """An ISO 8601 date and time as an aware datetime (naive means UTC); also with a space,
    a one-digit or 12-hour clock, and a zone abbreviation. A date alone is not a timestamp."""
    if not isinstance(value, str):
        return None
    return _timestamp(value)


# The same few times recur in every post-mortem's front matter and timeline: each text is
# read once per run (the results are immutable).
@functools.lru_cache(maxsize=4096)
def _timestamp(value: str) -> dt.datetime | None:
    text, zone = _zone(plain(value))
    text = _twenty_four_hour(text).replace("Z", "+00:00").replace("z", "+00:00")
    if not _HAS_TIME.match(text):
        return None
    text = _ONE_DIGIT_HOUR.sub(r"\g<1>0\2", text)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or dt.UTC)
    return moment


def parse_date(value: object) -> dt.date | None:
    """A front-matter date (YYYY-MM-DD, or the start of a timestamp)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def parse_clock(value: str) -> dt.time | None:
    """HH:MM or HH:MM:SS (or 12-hour, '2:53 PM'), in UTC or in the zone written after it
    ('14:51 PDT'), as a UTC clock time."""
    text, zone = _zone(plain(value))
    match = _CLOCK.match(_twenty_four_hour(text))
    if not match:
        return None
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    clock = dt.time(hours, minutes, seconds)
    if zone is None:
        return clock
    moment = dt.datetime.combine(dt.date(2000, 1, 2), clock, zone).astimezone(dt.UTC)
    return moment.time()


def without_last_parenthetical(text: str) -> str:
    """text without a parenthetical at its end and the spaces around it, as
    re.sub(r"\\s*\\([^)]*\\)\\s*$", "", text), which reads the rest of the text from every
    '(' (a cell of '(' took a minute)."""
    stripped = text.rstrip()
    if not stripped.endswith(")"):
        return text
    close = len(stripped) - 1
    opening = stripped.find("(", stripped.rfind(")", 0, close) + 1, close)
    if opening < 0:
        return text
    return stripped[:opening].rstrip()


def parse_duration(value: str) -> dt.timedelta | None:
    """'22 minutes', '2 hours 14 minutes', '1h 5m', '113 min'; a bare number is minutes."""
    # "22 min.", "22 min (approx)", "~22 minutes", "**22 minutes**"
    text = without_last_parenthetical(plain(value)).rstrip(".").lstrip("~≈ ")
    try:
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return dt.timedelta(minutes=float(text))
        parts = list(_DURATION_PART.finditer(text))
        leftover = _DURATION_PART.sub("", text)
        if not parts or re.sub(r"[\s,and~≈]+", "", leftover):
            return None
        minutes = sum(float(part[1]) * _UNIT_MINUTES[part[2][0].lower()] for part in parts)
        return dt.timedelta(minutes=minutes)
    except OverflowError:
        return None  # longer than a timedelta holds (a million years): no duration


def parse_due(value: str, incident: dt.date) -> dt.date | None:
    """A due date: ISO (2024-01-22, 2024/01/22), or 'Jan 22' / '22 Jan' in the incident's
    year (the next year when that would be before the incident)."""
    # "Jan 5th", "2024-01-17 (moved)"
    text = without_last_parenthetical(plain(value))
    text = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text)
    iso = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        month_day = _MONTH_DAY.match(text)
        day_month = _DAY_MONTH.match(text)
        if month_day:
            month, day, year = MONTHS.get(month_day[1].lower()), month_day[2], month_day[3]
        elif day_month:
            month, day, year = MONTHS.get(day_month[2].lower()), day_month[1], day_month[3]
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


class TimestampError(PmrepoError):
    """A timestamp that must be read and cannot be."""


def parse_zoned(value: object, where: str) -> dt.datetime:
    """An ISO 8601 timestamp with a zone (or a Unix epoch number), in UTC, as exported
    events carry them; TimestampError, naming where, for anything else."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and re.fullmatch(r"\d{9,}(\.\d+)?", value)
    ):
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    if not isinstance(value, str) or not value.strip():
        raise TimestampError(f"{where}: no timestamp")
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    # Go and Alertmanager write nanoseconds; Python reads microseconds.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as error:
        raise TimestampError(f"{where}: cannot read the timestamp '{value}'") from error
    if moment.tzinfo is None:
        raise TimestampError(
            f"{where}: the timestamp '{value}' has no time zone: add Z or an offset like +09:00"
        )
    return moment.astimezone(dt.UTC)


_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_rfc3339_datetime(value: object) -> bool:
    """The front-matter schema's date-time format: RFC 3339, read as written (a string
    that looks right but names no real moment raises ValueError). Not a string: True."""
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    dt.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    return True


def is_iso_date(value: object) -> bool:
    """The schema's date format, YYYY-MM-DD, read the same way."""
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    dt.date.fromisoformat(value)
    return True
