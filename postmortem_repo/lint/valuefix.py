"""Fixes of front-matter values a machine can rewrite without judgement: an enum value in
another case or spelling of its separator (`sev2`, `in_review`), a timestamp written in an
unambiguous other format (`2024-01-15 14:23:00 UTC`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from postmortem_repo.core.fixes import Edit, Fix, safe
from postmortem_repo.model.document import Document

_PLAIN_END = re.compile(r"\s+#|\s*$")
_SEPARATORS = re.compile(r"[\s_-]+")


def _spelling(value: str) -> str:
    return _SEPARATORS.sub(" ", value.strip()).casefold()


def enum_fix(doc: Document, line: int, column: int, value: Any, choices: list[Any]) -> Fix | None:
    """Write the one choice value differs from only in case or separators."""
    if not isinstance(value, str):
        return None
    near = [c for c in choices if isinstance(c, str) and _spelling(c) == _spelling(value)]
    if len(near) != 1:
        return None
    return _rewrite(doc, line, column, value, near[0])


# Timestamps that mean one instant: a date, a time with seconds or without, and a zone
# (UTC named, or an offset).
_OTHER_TIMESTAMP = re.compile(
    r"(?P<date>\d{4}-\d\d-\d\d)[ T](?P<time>\d\d:\d\d(?::\d\d)?)\s*"
    r"(?:(?P<utc>Z|UTC|GMT)|(?P<sign>[+-])(?P<hours>\d\d):?(?P<minutes>\d\d))"
)


def timestamp_fix(doc: Document, line: int, column: int, value: Any) -> Fix | None:
    """Write `2024-01-15 14:23 UTC` as `2024-01-15T14:23:00Z`, `2024-01-15 15:23 +0100` as
    `2024-01-15T15:23:00+01:00`: the same instant in RFC 3339."""
    if not isinstance(value, str):
        return None
    found = _OTHER_TIMESTAMP.fullmatch(value.strip())
    if found is None:
        return None
    time = found["time"] if found["time"].count(":") == 2 else found["time"] + ":00"
    zone = "Z" if found["utc"] else f"{found['sign']}{found['hours']}:{found['minutes']}"
    wanted = f"{found['date']}T{time}{zone}"
    try:
        dt.datetime.fromisoformat(wanted.replace("Z", "+00:00"))
    except ValueError:
        return None  # 2024-13-45: no instant to write
    return _rewrite(doc, line, column, value, wanted)


_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip
_YEAR_FIRST = re.compile(r"(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})")
_DAY_MONTH = re.compile(r"(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{4})", re.I)
_MONTH_DAY = re.compile(r"(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})", re.I)


def date_fix(doc: Document, line: int, column: int, value: Any) -> Fix | None:
    """Write a date in an unambiguous other form (`2024/01/15`, `15 January 2024`,
    `Jan 15, 2024`) as `2024-01-15`; day-and-month numbers (`01/02/2024`) are a guess."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in (_YEAR_FIRST, _DAY_MONTH, _MONTH_DAY):
        found = pattern.fullmatch(text)
        if found is None:
            continue
        month = found["month"]
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
        try:
            day = dt.date(int(found["year"]), number or 0, int(found["day"]))
        except ValueError:
            return None
        return _rewrite(doc, line, column, value, day.isoformat())
    return None


def _rewrite(doc: Document, line: int, column: int, value: str, wanted: str) -> Fix | None:
    """Replace the scalar written at (line, column) when it reads as value; keep its quotes."""
    if not 1 <= line <= len(doc.lines):
        return None
    text = doc.lines[line - 1]
    start = column - 1
    quote = text[start : start + 1]
    if quote in ("'", '"'):
        end = text.find(quote, start + 1)
        if end < 0 or text[start + 1 : end] != value:
            return None
        start, stop = start + 1, end
    else:
        tail = _PLAIN_END.search(text, start)
        stop = tail.start() if tail else len(text)
        if text[start:stop] != value:
            return None
    return safe(f"Write '{wanted}'", Edit(line, start + 1, line, stop + 1, wanted))


_AMOUNT = re.compile(r"(\d+)(\s*)([a-z]+)", re.IGNORECASE)
_HOURS = ("hours", "hour", "hrs", "hr", "h")
_MINUTES = ("minutes", "minute", "mins", "min", "m")
_SINGULAR = {"hours": "hour", "minutes": "minute", "hrs": "hr", "mins": "min"}


def duration_like(written: str, span: dt.timedelta) -> str | None:
    """span written as written is ('22 minutes', '1 hour 5 minutes', '1h 5m'), or None
    when written is in a form this does not know."""
    parts = _AMOUNT.findall(written)
    if not parts or _AMOUNT.sub("", written).strip():
        return None
    units = [unit.lower() for _, _, unit in parts]
    if not all(unit in _HOURS + _MINUTES for unit in units):
        return None
    total = round(span.total_seconds() / 60)
    gap = parts[0][1]
    hour_unit = next((u for u in units if u in _HOURS), None)
    minute_unit = next((u for u in units if u in _MINUTES), "minutes" if gap else "m")
    if hour_unit is None:
        return _amount(total, gap, minute_unit)
    hours, rest = divmod(total, 60)
    # A unit the author wrote at zero stays at zero ('0h 30m' → '0h 22m').
    zero = {unit.lower() for count, _, unit in parts if not int(count)}
    pieces = [_amount(hours, gap, hour_unit)] if hours or hour_unit in zero else []
    if rest or not hours or minute_unit in zero:
        pieces.append(_amount(rest, gap, minute_unit))
    return " ".join(pieces)


def _amount(count: int, gap: str, unit: str) -> str:
    plural = {single: many for many, single in _SINGULAR.items()}
    if count == 1:
        unit = _SINGULAR.get(unit, unit)
    elif unit in plural:
        unit = plural[unit]
    return f"{count}{gap}{unit}"


_CLOCK_VALUE = re.compile(r"(?P<clock>\d{1,2}:\d\d)(?P<zone>\s*(?:UTC|Z)?)", re.IGNORECASE)


def clock_like(written: str, clock: str) -> str | None:
    """clock ('14:23') written as written is ('14:30 UTC'), or None for another form."""
    found = _CLOCK_VALUE.fullmatch(written.strip())
    return None if found is None else clock + found["zone"]
