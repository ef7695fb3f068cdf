"""Repeat incidents, defined once for every report pmrepo writes.

An incident is a repeat when an earlier incident (earlier date, or the same date and a
lower id) in the repository
1. is named by its `repeat_of`, or
2. is named in its `related` list, or
3. shares a root-cause tag and a service with it, and happened within the window
   (365 days by default; `repeats.window_days` in the config). Tags in
   `repeats.ignore_tags` (default: unknown) never make a repeat.

pmrepo tracks the repeat rate per quarter and aims for a 30% reduction year over year.
"""

from __future__ import annotations

from dataclasses import dataclass

from postmortem_repo.model.incident import Incident

REDUCTION_TARGET = 0.30


@dataclass(frozen=True)
class RepeatPolicy:
    window_days: int = 365
    ignore_tags: tuple[str, ...] = ("unknown",)


@dataclass(frozen=True)
class Repeat:
    incident: str
    earlier: str
    reason: str


def find_repeats(
    incidents: list[Incident], policy: RepeatPolicy, *, hidden: frozenset[str] = frozenset()
) -> dict[str, Repeat]:
    """Incident id → why it is a repeat (the first reason found, in the order above). An
    incident in hidden (one a reader is not shown) counts, but is never the earlier one."""
    ordered = sorted(incidents, key=lambda incident: incident.sort_key)
    position = {
        incident.id: index for index, incident in enumerate(ordered) if incident.id not in hidden
    }
    ignored = frozenset(policy.ignore_tags)
    causes = [
        (frozenset(incident.tags) - ignored, frozenset(incident.services)) for incident in ordered
    ]
    repeats: dict[str, Repeat] = {}
    for index, incident in enumerate(ordered):
        found = _linked(incident, index, position) or _same_cause(
            index, ordered, causes, policy, position
        )
        if found is not None:
            repeats[incident.id] = found
    return repeats


def _linked(incident: Incident, index: int, position: dict[str, int]) -> Repeat | None:
    if incident.repeat_of and position.get(incident.repeat_of, index) < index:
        return Repeat(incident.id, incident.repeat_of, "repeat_of")
    for other in incident.related:
        if position.get(other, index) < index:
            return Repeat(incident.id, other, "related")
    return None


Causes = list[tuple[frozenset[str], frozenset[str]]]  # (tags that count, services)


def _same_cause(
    index: int,
    ordered: list[Incident],
    causes: Causes,
    policy: RepeatPolicy,
    position: dict[str, int],
) -> Repeat | None:
    """The latest earlier incident within the window with a tag and a service in common."""
    incident = ordered[index]
    tags, services = causes[index]
    if not tags or not services:
        return None
    for earlier in range(index - 1, -1, -1):
        prior = ordered[earlier]
        if (incident.date - prior.date).days > policy.window_days:
            break
        if prior.id not in position:
            continue
        shared_tags = tags & causes[earlier][0]
        shared_services = services & causes[earlier][1] if shared_tags else frozenset()
        if shared_tags and shared_services:
            reason = f"root cause '{min(shared_tags)}' again on {min(shared_services)}"
            return Repeat(incident.id, prior.id, reason)
    return None


@dataclass(frozen=True)
class QuarterStats:
    year: int
    quarter: int
    total: int
    repeats: int

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.year}"

    @property
    def rate(self) -> float | None:
        return self.repeats / self.total if self.total else None


# Beyond this many quarters between the first incident and the last (a date typed as 0024
# or 9999 makes thousands), only quarters with incidents are listed.
MAX_FILLED_QUARTERS = 100


def quarterly(incidents: list[Incident], repeats: dict[str, Repeat]) -> list[QuarterStats]:
    """Every quarter from the first incident's to the last one's, empty quarters included
    (unless they span more than MAX_FILLED_QUARTERS)."""
    if not incidents:
        return []
    counts: dict[tuple[int, int], list[int]] = {}
    for incident in incidents:
        slot = counts.setdefault(incident.quarter, [0, 0])
        slot[0] += 1
        slot[1] += incident.id in repeats
    first, last = min(counts), max(counts)
    if (last[0] - first[0]) * 4 + last[1] - first[1] >= MAX_FILLED_QUARTERS:
        return [QuarterStats(y, q, *counts[(y, q)]) for y, q in sorted(counts)]
    stats = []
    year, quarter = first
    while (year, quarter) <= last:
        total, repeated = counts.get((year, quarter), (0, 0))
        stats.append(QuarterStats(year, quarter, total, repeated))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return stats


def same_quarter_last_year(stats: list[QuarterStats], current: QuarterStats) -> QuarterStats | None:
    wanted = (current.year - 1, current.quarter)
    low, high = 0, len(stats)  # stats are in order: a binary search, not a scan
    while low < high:
        middle = (low + high) // 2
        if (stats[middle].year, stats[middle].quarter) < wanted:
            low = middle + 1
        else:
            high = middle
    found = stats[low] if low < len(stats) else None
    return found if found is not None and (found.year, found.quarter) == wanted else None


def year_over_year(stats: list[QuarterStats], current: QuarterStats) -> float | None:
    """The relative change of the repeat rate against the same quarter a year before."""
    previous = same_quarter_last_year(stats, current)
    if previous is None or not previous.rate or current.rate is None:
        return None
    return (current.rate - previous.rate) / previous.rate
