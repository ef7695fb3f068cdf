"""The date and time written at the start of a timeline entry, in the forms people write
them: `2024-01-15 14:23`, `14:23 UTC`, `2:53 PM`, `Jan 14, 10:18 AM`, `June 14th, 2022,
10:00 AM`, `10/20/2022 - 15:38 CST`, `[03-26 23:04]`, with unknown parts (`2X:XX`,
`??:??`, `2024-01-15 HH:mm`) kept at the precision given."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from postmortem_repo.core.timeparse import MONTHS, ZONES

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE = (
    r"(?P<iy>\d{4,5})-(?P<im>\d{1,2}|\?\?|xx|mm)-(?P<id>\d{1,2}|\?\?|xx|dd)"
    r"|(?P<n1>\d{1,2})[/-](?P<n2>\d{1,2})(?:[/-](?P<n3>\d{1,5})(?!\d))?"
    rf"|{_WEEKDAY}(?P<mm>{_MONTH})\s+(?P<md>\d{{1,2}}){_ORDINAL}(?:,?\s+(?P<my>\d{{4}}))?"
    rf"|{_WEEKDAY}(?P<dd>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<dm>{_MONTH})(?:,?\s+(?P<dy>\d{{4}}))?"
)
_UNKNOWN = r"\?\?|xx|hh|mm|--"
_CLOCK = (
    rf"(?P<h>\d{{1,2}}|[\d?x]\?|[12]x|{_UNKNOWN}):(?P<m>\d{{2}}|[\d?x]\?|[0-5]x|{_UNKNOWN})"
    r"(?::(?P<s>\d{2}))?(?:\.\d+)?(?:\s*(?P<ampm>[ap])\.?m\b\.?)?"
    r"|(?P<h12>\d{1,2})\s*(?P<ampm12>[ap])\.?m\b\.?"
    r"|(?P<unknown>\?{2,3})"
)
_ZONE = r"(?:\s*\(?(?P<zone>" + "|".join(ZONES) + r")\b\)?|(?P<offset>Z|[+-]\d{2}:?\d{2})\b)?"
# What may follow a stamp at the start of an entry (anything else: the line is prose).
_AFTER = r"(?=$|[-–—:|),.~\s])"
_STAMP = re.compile(
    rf"(?:(?:{_DATE})(?:\s*(?:,|T|-|–|:|at)\s*|\s+|T)?)?(?:{_CLOCK})?{_ZONE}{_AFTER}",
    re.IGNORECASE,
)
_PARTS = ("iy", "n1", "mm", "dm", "h", "h12", "unknown")
# A range's end ('09:00 - 11:00', '12:26-12:??'): the entry happened at its start.
_RANGE_END = re.compile(r"\s*[-–]\s*[\d?x]{1,2}:[\d?x]{2}(?:\s*[ap]\.?m\.?)?\s*$", re.IGNORECASE)
# Emphasis, brackets and a tilde ('~10:45', '10:45~', '**16:58 UTC**', '[03-26 23:04]').
# Possessive, and tried from the start of a run only: a long run of stars is read once.
_WRAPPING = re.compile(r"^[\s*_`~\[]++|(?<![\s*_`~\]:])[\s*_`~\]:]++$")


@dataclass(frozen=True, slots=True)
class Stamp:
    """A date and time as written. Unknown parts are None (a day or month written '??'),
    or a range of values (hours 20–23 for '2X'). error: why it cannot be read ('' if it can)."""

    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    has_date: bool = False
    hours: tuple[int, int] | None = None  # None: no time written
    minutes: tuple[int, int] = (0, 59)
    second: int = 0
    zone: dt.tzinfo | None = None
    error: str = ""

    @property
    def exact_clock(self) -> dt.time | None:
        if self.hours is None or self.hours[0] != self.hours[1]:
            return None
        if self.minutes[0] != self.minutes[1]:
            return None
        return dt.time(self.hours[0], self.minutes[0], self.second)


def read_stamp(text: str) -> Stamp | None:
    """A whole cell or heading read as a stamp (None when it is not one)."""
    cleaned = _RANGE_END.sub("", _WRAPPING.sub("", " ".join(text.split())))
    match = _STAMP.fullmatch(cleaned)
    return _stamp(match, cleaned) if match and _has_parts(match) else None


def leading_stamp(line: str) -> tuple[Stamp, int, str] | None:
    """The stamp a line starts with: (stamp, its offset in the line, the text after it)."""
    start = len(line) - len(line.lstrip())
    body = line[start:]
    for opening, closing in (("[", "]"), ("**", "**"), ("__", "__"), ("_", "_"), ("*", "*")):
        if body.startswith(opening):
            end = body.find(closing, len(opening))
            if end > 0:
                stamp = read_stamp(body[len(opening) : end])
                if stamp is not None:
                    rest = body[end + len(closing) :].lstrip(" :-–—")
                    return stamp, start + len(opening), rest
            return None
    match = _STAMP.match(body)
    if match is None or not _has_parts(match):
        return None
    rest = body[match.end() :].lstrip(" :-–—|~")
    return _stamp(match, match.group(0).rstrip(" ,:-–")), start, rest


def _has_parts(match: re.Match[str]) -> bool:
    return any(match.group(part) for part in _PARTS)


def _stamp(match: re.Match[str], text: str) -> Stamp:
    groups = match.groupdict()
    zone = _zone(groups)
    try:
        year, month, day, has_date = _date(groups)
        hours, minutes, second = _clock(groups)
    except ValueError as error:
        return Stamp(text, error=str(error))
    if groups["unknown"]:
        hours = (0, 23)
    return Stamp(text, year, month, day, has_date, hours, minutes, second, zone)


def _zone(groups: dict[str, str | None]) -> dt.tzinfo | None:
    if groups["zone"]:
        return dt.timezone(dt.timedelta(minutes=ZONES[groups["zone"].upper()]))
    offset = groups["offset"]
    if not offset:
        return None
    if offset.upper() == "Z":
        return dt.UTC
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _date(groups: dict[str, str | None]) -> tuple[int | None, int | None, int | None, bool]:
    year: int | None
    month: int | None
    day: int | None
    if groups["iy"]:
        year, month, day = int(groups["iy"]), _number(groups["im"]), _number(groups["id"])
    elif groups["n1"]:
        first, second = int(groups["n1"] or 0), int(groups["n2"] or 0)
        # Month first, as US teams write it, unless the first number cannot be a month.
        month, day = (second, first) if first > 12 else (first, second)
        year = _year(groups["n3"])
    elif groups["mm"] or groups["dm"]:
        name = (groups["mm"] or groups["dm"] or "").rstrip(".").lower()
        month = MONTHS[name] if name in MONTHS else MONTHS[name[:3]]
        day = int(groups["md"] or groups["dd"] or 0)
        year = _number(groups["my"] or groups["dy"])
    else:
        return None, None, None, False
    if year is not None and not 1900 <= year <= 2999:
        raise ValueError(f"the year {year} is not a year")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"there is no month {month}")
    if month is not None and day is not None:
        dt.date(year or 2000, month, day)  # raises ValueError for a day the month lacks
    return year, month, day, True


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    if len(text) == 2:
        return 2000 + int(text)
    if len(text) != 4:
        raise ValueError(f"the year {text} is not a year")
    return int(text)


def _clock(groups: dict[str, str | None]) -> tuple[tuple[int, int] | None, tuple[int, int], int]:
    if groups["h12"]:
        hour = _twelve_hour(int(groups["h12"] or 0), groups["ampm12"] or "")
        return (hour, hour), (0, 0), 0
    if not groups["h"]:
        return None, (0, 59), 0
    hours = _digits(groups["h"] or "", 23)
    minutes = _digits(groups["m"] or "", 59)
    if groups["ampm"] and hours[0] == hours[1]:
        hour = _twelve_hour(hours[0], groups["ampm"])
        hours = (hour, hour)
    second = int(groups["s"] or 0)
    if second > 59:
        raise ValueError(f"there is no second {second}")
    return hours, minutes, second


def _twelve_hour(hour: int, half: str) -> int:
    """'2:53 PM' → 14; '13:06 PM' stays 13; '23:00 AM' says two different things."""
    if hour > 12:
        if half.lower() == "a":
            raise ValueError(f"{hour}:00 is not a morning (AM) time")
        return hour
    return hour % 12 + (12 if half.lower() == "p" else 0)


def _digits(text: str, top: int) -> tuple[int, int]:
    """The range a written number stands for: '14' → (14, 14), '2X' → (20, 23), '??' → all."""
    if text.isdigit():
        value = int(text)
        if value > top:
            raise ValueError(f"{text} is more than {top}")
        return value, value
    known = "".join(c if c.isdigit() else "0" for c in text.lower())
    high = "".join(c if c.isdigit() else "9" for c in text.lower())
    if not any(c.isdigit() for c in text):
        return 0, top
    return min(int(known), top), min(int(high), top)


_DATE_ANYWHERE = re.compile(rf"(?<![\w/-])(?:{_DATE})(?![\w/])", re.IGNORECASE)


def find_date(text: str) -> dt.date | None:
    """The first full date (with its year) written anywhere in text: a title such as
    'March 26th, 2019 Boskos Outage' or a file name such as '2022-01-27-ramp-card.md'."""
    for match in _DATE_ANYWHERE.finditer(text.replace("_", " ")):
        groups = match.groupdict()
        try:
            year, month, day, _ = _date(groups)
        except ValueError:
            continue
        if year is not None and month is not None and day is not None:
            return dt.date(year, month, day)
    return None
