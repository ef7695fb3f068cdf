"""`pmrepo report`: one quarter or year in numbers — incidents by severity, repeat incidents,
MTTD and MTTR (median and p90), the trend against the previous period, action-item health."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.model.incident import Incident
from postmortem_repo.render.dashboard import collect
from postmortem_repo.render.escape import DASH, cell, mermaid_string
from postmortem_repo.render.index import percent
from postmortem_repo.repo.repeats import REDUCTION_TARGET, Repeat

_QUARTER = re.compile(r"^(\d{4})[- ]?Q([1-4])$|^Q([1-4])[- ]?(\d{4})$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date  # inclusive
    kind: str  # quarter or year

    def previous(self) -> Period:
        if self.kind == "year":
            return year_period(self.start.year - 1)
        year, quarter = self.start.year, (self.start.month - 1) // 3 + 1
        return quarter_period(year - 1, 4) if quarter == 1 else quarter_period(year, quarter - 1)

    def a_year_before(self) -> Period:
        """The same quarter (or the year) a year earlier: the repeat target's baseline."""
        if self.kind == "year":
            return year_period(self.start.year - 1)
        return quarter_period(self.start.year - 1, (self.start.month - 1) // 3 + 1)

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def quarter_period(year: int, quarter: int) -> Period:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (
        dt.date(year, 12, 31)
        if quarter == 4
        else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
    )
    return Period(f"Q{quarter} {year}", start, end, "quarter")


def year_period(year: int) -> Period:
    return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def choose_period(incidents: list[Incident], quarter: str | None, year: int | None) -> Period:
    """The year or quarter asked for, else the quarter of the newest incident that happened
    (incidents are oldest first): a DRAFT with no started_at, just begun with `pmrepo new`,
    does not move the report to its quarter. With only such drafts, the newest one's."""
    if year:
        return year_period(year)
    if quarter:
        return parse_quarter(quarter)
    happened = [incident for incident in incidents if not _empty_draft(incident)]
    newest = (happened or incidents)[-1:]
    if newest:
        return quarter_period(*newest[0].quarter)
    raise PmrepoError("no post-mortems to report on")


def _empty_draft(incident: Incident) -> bool:
    return incident.status == "DRAFT" and incident.started is None


def parse_quarter(text: str) -> Period:
    match = _QUARTER.match(text.strip())
    if not match:
        raise PmrepoError(f"--quarter: '{text}' is not a quarter like 2024Q1")
    year = int(match[1] or match[4])
    quarter = int(match[2] or match[3])
    if not 1900 <= year <= 9999:
        raise PmrepoError(f"--quarter: the year {year} is out of range")
    return quarter_period(year, quarter)


def _percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (p90 of 10 values is the 9th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class Stats:
    incidents: int
    severities: dict[str, int]
    repeats: int
    drafts: int  # of the incidents: every post-mortem counts, a DRAFT too
    mttd: list[float]  # minutes
    mttr: list[float]

    @property
    def repeat_rate(self) -> float | None:
        return self.repeats / self.incidents if self.incidents else None

    def summary(self, values: list[float]) -> dict[str, float | None]:
        return {
            "median": statistics.median(values) if values else None,
            "p90": _percentile(values, 0.9),
        }


def period_stats(incidents: list[Incident], repeats: dict[str, Repeat], period: Period) -> Stats:
    members = [incident for incident in incidents if period.holds(incident.date)]
    mttd, mttr = [], []
    for incident in members:
        if incident.started and incident.detected and incident.detected >= incident.started:
            mttd.append((incident.detected - incident.started).total_seconds() / 60)
        if incident.detected and incident.resolved and incident.resolved >= incident.detected:
            mttr.append((incident.resolved - incident.detected).total_seconds() / 60)
    return Stats(
        incidents=len(members),
        severities=dict(Counter(incident.severity for incident in members)),
        repeats=sum(1 for incident in members if incident.id in repeats),
        drafts=sum(1 for incident in members if incident.draft),
        mttd=mttd,
        mttr=mttr,
    )


def _actions(
    incidents: list[Incident], period: Period, today: dt.date
) -> dict[str, dict[str, int]]:
    members = [incident for incident in incidents if period.holds(incident.date)]
    health: dict[str, dict[str, int]] = {}
    for action in collect(members):
        row = health.setdefault(
            action.priority or "?", {"done": 0, "won't do": 0, "open": 0, "overdue": 0}
        )
        if action.closed:
            row["done" if action.status == "DONE" else "won't do"] += 1
        else:
            row["open"] += 1
            row["overdue"] += action.overdue_days(today) > 0
    order = {"P0": 0, "P1": 1, "P2": 2}
    return dict(sorted(health.items(), key=lambda item: (order.get(item[0], 9), item[0])))


def build(
    incidents: list[Incident],
    repeats: dict[str, Repeat],
    period: Period,
    today: dt.date,
    severities: list[str],
) -> dict[str, object]:
    current = period_stats(incidents, repeats, period)
    previous_period = period.previous()
    previous = period_stats(incidents, repeats, previous_period)
    present = set(current.severities) | set(previous.severities)
    order = [level for level in severities if level in present] + sorted(present - set(severities))
    baseline_period = period.a_year_before()
    baseline = period_stats(incidents, repeats, baseline_period)
    change, met = _against_target(current.repeat_rate, baseline.repeat_rate)
    return {
        "version": 1,
        "period": period.label,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "today": today.isoformat(),
        "incidents": current.incidents,
        "drafts": current.drafts,
        "by_severity": {level: current.severities.get(level, 0) for level in order},
        "repeat_incidents": current.repeats,
        "repeat_rate": current.repeat_rate,
        "mttd_minutes": current.summary(current.mttd),
        "mttr_minutes": current.summary(current.mttr),
        "previous": {
            "period": previous_period.label,
            "incidents": previous.incidents,
            "by_severity": {level: previous.severities.get(level, 0) for level in order},
            "repeat_incidents": previous.repeats,
            "repeat_rate": previous.repeat_rate,
            "mttd_minutes": previous.summary(previous.mttd),
            "mttr_minutes": previous.summary(previous.mttr),
        },
        "repeat_baseline": {"period": baseline_period.label, "repeat_rate": baseline.repeat_rate},
        "repeat_rate_change": change,
        "repeat_target_met": met,
        "action_items": _actions(incidents, period, today),
    }


def _against_target(
    current: float | None, baseline: float | None
) -> tuple[float | None, bool | None]:
    """(relative change, target met) of the repeat rate against a year before. From a rate
    of 0 there is no relative change: staying at 0 meets the target, anything more misses."""
    if current is None or baseline is None:
        return None, None
    if baseline == 0:
        return None, current == 0
    change = (current - baseline) / baseline
    return change, change <= -REDUCTION_TARGET


def render_json(report: dict[str, object]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False)


def minutes(value: object) -> str:
    if not isinstance(value, int | float):
        return DASH
    return f"{value:.0f} min" if float(value).is_integer() else f"{value:.1f} min"


def _drafts_counted(report: dict[str, object]) -> str:
    """Whether DRAFTs are in the numbers (they are: an incident counts from its
    post-mortem's first draft), and how many of the incidents are."""
    drafts, incidents = report["drafts"], report["incidents"]
    if not drafts:
        return "DRAFT post-mortems are counted: none of these incidents is a DRAFT."
    many = f"the {incidents} incident{'s' * (incidents != 1)}"
    return (
        f"DRAFT post-mortems are counted: {drafts} of {many} "
        f"{'is a DRAFT' if drafts == 1 else 'are DRAFTs'}."
    )


def render_markdown(report: dict[str, object]) -> str:
    previous = report["previous"]
    assert isinstance(previous, dict)
    by_severity = report["by_severity"]
    assert isinstance(by_severity, dict)
    mttd, mttr = report["mttd_minutes"], report["mttr_minutes"]
    before_mttd, before_mttr = previous["mttd_minutes"], previous["mttr_minutes"]
    assert isinstance(mttd, dict) and isinstance(mttr, dict)
    assert isinstance(before_mttd, dict) and isinstance(before_mttr, dict)
    lines = [
        f"# Incident report: {report['period']}",
        "",
        f"{report['from']} to {report['to']}, compared with {previous['period']}. Action "
        f"items as of {report['today']}. {_drafts_counted(report)}",
        "",
        f"| | {report['period']} | {previous['period']} |",
        "|---|---|---|",
        f"| Incidents | {report['incidents']} | {previous['incidents']} |",
    ]
    for level, count in by_severity.items():
        lines.append(f"| {cell(level)} | {count} | {previous['by_severity'].get(level, 0)} |")
    lines += [
        f"| Repeat incidents | {report['repeat_incidents']} | {previous['repeat_incidents']} |",
        f"| Repeat rate | {percent(report['repeat_rate'])} | {percent(previous['repeat_rate'])} |",
        f"| MTTD median / p90 | {minutes(mttd['median'])} / {minutes(mttd['p90'])} | "
        f"{minutes(before_mttd['median'])} / {minutes(before_mttd['p90'])} |",
        f"| MTTR median / p90 | {minutes(mttr['median'])} / {minutes(mttr['p90'])} | "
        f"{minutes(before_mttr['median'])} / {minutes(before_mttr['p90'])} |",
        "",
    ]
    baseline = report["repeat_baseline"]
    assert isinstance(baseline, dict)
    change, met = report["repeat_rate_change"], report["repeat_target_met"]
    target = f"target: {100 * REDUCTION_TARGET:.0f}% fewer repeats than a year before"
    verdict = {True: "met", False: "not met"}.get(met) if isinstance(met, bool) else None
    if isinstance(change, float):
        lines.append(
            f"Repeat rate {100 * change:+.1f}% against {baseline['period']} "
            f"({percent(baseline['repeat_rate'])}; {target}: {verdict})."
        )
    elif verdict is not None:
        lines.append(
            f"Repeat rate {percent(report['repeat_rate'])} against "
            f"{percent(baseline['repeat_rate'])} in {baseline['period']} ({target}: {verdict})."
        )
    else:
        lines.append(f"No incidents in {baseline['period']} to measure the repeat target against.")
    lines += ["", "## Action items", ""]
    actions = report["action_items"]
    assert isinstance(actions, dict)
    if actions:
        lines += ["| Priority | Done | Won't do | Open | Overdue |", "|---|---|---|---|---|"]
        for priority, row in actions.items():
            wont = row["won't do"]
            lines.append(
                f"| {cell(priority)} | {row['done']} | {wont} | {row['open']} | {row['overdue']} |"
            )
    else:
        lines.append("No action items.")
    if report["incidents"]:
        lines += ["", "## Severity mix", "", "```mermaid", f'pie title "{report["period"]}"']
        lines += [
            f'    "{mermaid_string(level) if level else "(no severity)"}" : {count}'
            for level, count in by_severity.items()
            if count
        ]
        lines.append("```")
    return "\n".join(lines)
