"""The four charts of the site and the review deck, from the incidents they count."""

from __future__ import annotations

from collections import Counter

from postmortem_repo.model.incident import Incident, is_closed
from postmortem_repo.render.report import period_stats, quarter_period
from postmortem_repo.render.site.charts import Chart, Series
from postmortem_repo.repo.repeats import REDUCTION_TARGET, QuarterStats, Repeat, quarterly


def figures(
    incidents: list[Incident], repeats: dict[str, Repeat], severities: list[str]
) -> list[Chart]:
    """Incidents per quarter by severity, the repeat rate against its target, MTTD and MTTR,
    and action items opened and closed: one value per quarter, oldest first."""
    stats = quarterly(incidents, repeats)
    if not stats:
        return []
    labels = tuple(quarter.label for quarter in stats)
    slots = [(quarter.year, quarter.quarter) for quarter in stats]
    return [
        _by_severity(incidents, slots, labels, severities),
        _repeat_rate(stats, labels),
        _response_times(incidents, slots, labels),
        _action_items(incidents, slots, labels),
    ]


def _by_severity(
    incidents: list[Incident],
    slots: list[tuple[int, int]],
    labels: tuple[str, ...],
    severities: list[str],
) -> Chart:
    counts = Counter((incident.quarter, incident.severity) for incident in incidents)
    present = {severity for _, severity in counts}
    levels = [level for level in severities if level in present]
    others = sorted(present - set(levels))
    series = [
        Series(level, tuple(float(counts[(slot, level)]) for slot in slots)) for level in levels
    ]
    if others:
        series.append(
            Series(
                "other",
                tuple(float(sum(counts[(slot, level)] for level in others)) for slot in slots),
            )
        )
    return Chart(
        slug="chart-severity",
        title="Incidents per quarter by severity",
        summary=f"Stacked bars: incidents in each quarter from {labels[0]} to {labels[-1]}, "
        f"by severity ({', '.join(one.name for one in series)}, from the bottom). "
        "The table beside it gives every number.",
        categories=labels,
        series=tuple(series),
        stacked=True,
    )


def _repeat_rate(stats: list[QuarterStats], labels: tuple[str, ...]) -> Chart:
    by_slot = {(quarter.year, quarter.quarter): quarter for quarter in stats}
    rates, targets = [], []
    for quarter in stats:
        rates.append(None if quarter.rate is None else 100 * quarter.rate)
        before = by_slot.get((quarter.year - 1, quarter.quarter))
        target = None if before is None or before.rate is None else before.rate
        targets.append(None if target is None else 100 * target * (1 - REDUCTION_TARGET))
    goal = f"{100 * REDUCTION_TARGET:.0f}%"
    return Chart(
        slug="chart-repeats",
        title="Repeat rate per quarter, with its target",
        summary=f"Lines: the share of incidents that repeat an earlier one, per quarter, and "
        f"the target ({goal} below the same quarter a year before, dashed). "
        "The table beside it gives every number.",
        categories=labels,
        series=(
            Series("Repeat rate", tuple(rates)),
            Series(f"Target ({goal} below a year before)", tuple(targets), dashed=True),
        ),
        unit="%",
    )


def _response_times(
    incidents: list[Incident], slots: list[tuple[int, int]], labels: tuple[str, ...]
) -> Chart:
    columns: list[list[float | None]] = [[], [], [], []]
    for year, quarter in slots:
        stats = period_stats(incidents, {}, quarter_period(year, quarter))
        detect, repair = stats.summary(stats.mttd), stats.summary(stats.mttr)
        values = (detect["median"], detect["p90"], repair["median"], repair["p90"])
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    names = ("MTTD median", "MTTD p90", "MTTR median", "MTTR p90")
    return Chart(
        slug="chart-response",
        title="Time to detect and to resolve, per quarter (minutes)",
        summary="Lines: the median and the 90th percentile of the minutes from start to "
        "detection (MTTD) and from detection to resolution (MTTR), per quarter. "
        "The table beside it gives every number.",
        categories=labels,
        series=tuple(
            Series(name, tuple(column), dashed="p90" in name)
            for name, column in zip(names, columns, strict=True)
        ),
        unit="min",
    )


def _action_items(
    incidents: list[Incident], slots: list[tuple[int, int]], labels: tuple[str, ...]
) -> Chart:
    opened: Counter[tuple[int, int]] = Counter()
    closed: Counter[tuple[int, int]] = Counter()
    for incident in incidents:
        for item in incident.action_items:
            opened[incident.quarter] += 1
            closed[incident.quarter] += is_closed(item.status)
    return Chart(
        slug="chart-actions",
        title="Action items opened and closed, per quarter",
        summary="Lines: the action items opened by the incidents of each quarter, and how many "
        "of them are closed (done or won't do) today. The table beside it gives every number.",
        categories=labels,
        series=(
            Series("Opened", tuple(float(opened[slot]) for slot in slots)),
            Series("Closed", tuple(float(closed[slot]) for slot in slots)),
        ),
    )
