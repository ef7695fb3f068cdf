"""The cross-team views over several teams' repositories: `pmrepo report --repo … --repo …`
(the whole organisation's numbers, then each team's) and `pmrepo review --month`, the
monthly review of the most severe incidents across teams: every one of them, the root-cause
tags, services and patterns they share across teams, the repeats of another team's incident,
and their open P0/P1 action items."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.model.incident import Incident
from postmortem_repo.render import report
from postmortem_repo.render.dashboard import Action, collect
from postmortem_repo.render.escape import DASH, cell, cell_keeping_code
from postmortem_repo.render.index import percent
from postmortem_repo.render.patterns import Pattern
from postmortem_repo.render.plans import load_patterns
from postmortem_repo.render.teams import (
    Team,
    merged,
    organisation_repeats,
    qualified_incident,
    repeat_across,
    severities,
    team_of,
)
from postmortem_repo.repo.repeats import Repeat

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
REVIEWED_PRIORITIES = ("P0", "P1")


# --- pmrepo report over several repositories ---------------------------------------------


def build_report(teams: list[Team], period: report.Period, today: dt.date) -> dict[str, object]:
    """The report of every team's incidents together, and under "teams" each team's own."""
    incidents, _ = merged(teams)
    repeats = organisation_repeats(teams)
    built = report.build(incidents, repeats, period, today, severities(teams))
    built["teams"] = {
        team.name: report.build(
            team.repo.incidents, team.repo.repeats, period, today, team.repo.severities
        )
        for team in teams
    }
    return built


def choose_period(teams: list[Team], quarter: str | None, year: int | None) -> report.Period:
    return report.choose_period(merged(teams)[0], quarter, year)


def render_report_markdown(built: dict[str, object]) -> str:
    teams = built["teams"]
    assert isinstance(teams, dict)
    lines = [
        report.render_markdown(built),
        "",
        "## By team",
        "",
        "| Team | Incidents | By severity | Repeat rate | MTTD median | MTTR median | "
        "Open items | Overdue |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, own in teams.items():
        by_severity = ", ".join(
            f"{level or '(no severity)'} {n}" for level, n in own["by_severity"].items() if n
        )
        health = own["action_items"].values()
        lines.append(
            f"| {cell(name)} | {own['incidents']} | {cell(by_severity) or DASH} | "
            f"{percent(own['repeat_rate'])} | {report.minutes(own['mttd_minutes']['median'])} | "
            f"{report.minutes(own['mttr_minutes']['median'])} | {sum(r['open'] for r in health)} | "
            f"{sum(r['overdue'] for r in health)} |"
        )
    return "\n".join(lines)


# --- pmrepo review ----------------------------------------------------------------------


def parse_month(text: str) -> tuple[int, int]:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise PmrepoError(f"--month: '{text}' is not a month like 2024-01")
    return int(match[1]), int(match[2])


def parse_severities(text: str, teams: list[Team]) -> tuple[str, ...]:
    """The levels asked for, spelled as the teams' schemas spell them; an unknown one is an
    error (a typo must not make an empty review)."""
    known = severities(teams)
    chosen = []
    for part in (part.strip() for part in text.split(",")):
        if not part:
            continue
        level = next((k for k in known if k.casefold() == part.casefold()), None)
        if level is None:
            raise PmrepoError(
                f"--severity: unknown severity '{part}' (the teams' schemas have "
                f"{', '.join(known) or 'none'})"
            )
        chosen.append(level)
    if not chosen:
        raise PmrepoError("--severity: give at least one severity, like SEV1,SEV2")
    return tuple(chosen)


@dataclass(frozen=True)
class Reviewed:
    team: str
    incident: Incident  # as its own repository names it
    repeat: Repeat | None  # of an earlier incident of the same team
    across: Repeat | None  # of an earlier incident of another team (qualified ids)


@dataclass(frozen=True)
class Shared:
    kind: str  # root-cause tag, service, pattern
    name: str
    incidents: tuple[str, ...]  # qualified ids

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(sorted({team_of(incident) for incident in self.incidents}))


@dataclass(frozen=True)
class Review:
    month: str
    severities: tuple[str, ...]
    teams: tuple[str, ...]
    incidents: list[Reviewed]
    shared: list[Shared]
    actions: list[Action]
    unrated: dict[str, int]  # team → incidents of the month with no severity


def build_review(teams: list[Team], month: tuple[int, int], levels: tuple[str, ...]) -> Review:
    """The month's incidents of those severities, in every team's repository."""
    reviewed: list[Reviewed] = []
    unrated: dict[str, int] = {}
    for team in teams:
        in_month = [i for i in team.repo.incidents if (i.date.year, i.date.month) == month]
        if unrated_here := sum(1 for incident in in_month if not incident.severity):
            unrated[team.name] = unrated_here
        reviewed += [_reviewed(team, i, teams) for i in in_month if i.severity in levels]
    reviewed.sort(key=lambda r: (r.incident.date, r.team, r.incident.id))
    actions = [
        action
        for r in reviewed
        for action in collect([r.incident], r.team)
        if not action.closed and action.priority in REVIEWED_PRIORITIES
    ]
    return Review(
        month=f"{month[0]:04d}-{month[1]:02d}",
        severities=levels,
        teams=tuple(team.name for team in teams),
        incidents=reviewed,
        shared=_shared(reviewed, teams),
        actions=sorted(actions, key=lambda a: (a.priority, a.due or dt.date.max, a.label)),
        unrated=unrated,
    )


def _reviewed(team: Team, incident: Incident, teams: list[Team]) -> Reviewed:
    # A repeat's reason names tags and services: not of an uncleared incident.
    repeat = None if incident.redacted else team.repo.repeats.get(incident.id)
    return Reviewed(team.name, incident, repeat, repeat_across(team, incident, teams))


def _shared(reviewed: list[Reviewed], teams: list[Team]) -> list[Shared]:
    """Tags, services and patterns that incidents of two teams or more have in common."""
    visible = [r for r in reviewed if not r.incident.redacted]
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in visible:
        qualified = qualified_incident(r.team, r.incident).id
        for tag in r.incident.tags:
            groups[("root-cause tag", tag)].append(qualified)
        for service in r.incident.services:
            groups[("service", service)].append(qualified)
    for owner, pattern in _patterns(teams):
        for r in visible:
            # The incidents a pattern names are its own team's; others match by its criteria.
            seen_as = r.incident if r.team == owner else qualified_incident(r.team, r.incident)
            if pattern.matches(seen_as):
                name = f"{pattern.id} {pattern.title} ({owner})"
                groups[("pattern", name)].append(qualified_incident(r.team, r.incident).id)
    shared = [Shared(kind, name, tuple(ids)) for (kind, name), ids in groups.items()]
    order = {"pattern": 0, "root-cause tag": 1, "service": 2}
    return sorted((s for s in shared if len(s.teams) > 1), key=lambda s: (order[s.kind], s.name))


def _patterns(teams: list[Team]) -> list[tuple[str, Pattern]]:
    return [(team.name, pattern) for team in teams for pattern, _ in load_patterns(team.repo)]


def _title(incident: Incident) -> str:
    return (
        "(security incident not cleared for publication)" if incident.redacted else incident.title
    )


def render_review_markdown(review: Review) -> str:
    year, month = (int(part) for part in review.month.split("-"))
    label = dt.date(year, month, 1).strftime("%B %Y")
    teams_with = sorted({r.team for r in review.incidents})
    lines = [
        f"# Cross-team review: {label} ({', '.join(review.severities)})",
        "",
        f"{len(review.incidents)} incident{'s' * (len(review.incidents) != 1)} from "
        f"{len(teams_with)} of {len(review.teams)} teams ({cell(', '.join(review.teams))}).",
    ]
    for team, count in sorted(review.unrated.items()):
        lines.append(
            f"{cell(team)}: {count} incident{'s' * (count != 1)} of the month without a "
            "severity, not in this review."
        )
    sections = (
        ("Incidents", _incident_rows(review), "No incident of these severities this month."),
        (
            "Shared across teams",
            _shared_rows(review),
            "No root-cause tag, service or pattern in common between teams.",
        ),
        ("Repeats across teams", _across_lines(review), "No incident repeats another team's."),
        ("Open P0/P1 action items", _action_rows(review), "No open P0 or P1 action item."),
    )
    for title, body, nothing in sections:
        lines += ["", f"## {title}", "", *(body or [nothing])]
    return "\n".join(lines)


def _incident_rows(review: Review) -> list[str]:
    rows = []
    for r in review.incidents:
        hidden = r.incident.redacted
        repeat = ", ".join(f"{rep.earlier} ({rep.reason})" for rep in (r.repeat, r.across) if rep)
        rows.append(
            f"| {cell(r.team)} | {cell(r.incident.id)} | {r.incident.date.isoformat()} | "
            f"{cell(r.incident.severity)} | {cell(_title(r.incident))} | "
            f"{DASH if hidden else cell(', '.join(r.incident.services)) or DASH} | "
            f"{DASH if hidden else cell(', '.join(r.incident.tags)) or DASH} | "
            f"{cell(repeat) or DASH} |"
        )
    header = [
        "| Team | Incident | Date | Severity | Title | Services | Root cause | Repeat of |",
        "|---|---|---|---|---|---|---|---|",
    ]
    return header + rows if rows else []


def _shared_rows(review: Review) -> list[str]:
    rows = [
        f"| {s.kind} | {cell(s.name)} | {cell(', '.join(s.teams))} | "
        f"{cell(', '.join(s.incidents))} |"
        for s in review.shared
    ]
    return ["| What | Name | Teams | Incidents |", "|---|---|---|---|", *rows] if rows else []


def _across_lines(review: Review) -> list[str]:
    return [
        f"- {cell(r.across.incident)} repeats {cell(r.across.earlier)}: {cell(r.across.reason)}"
        for r in review.incidents
        if r.across is not None
    ]


def _action_rows(review: Review) -> list[str]:
    rows = []
    for a in review.actions:
        due = a.due.isoformat() if a.due else a.due_text
        rows.append(
            f"| {cell(a.team)} | {cell(a.incident)} | {cell(a.number)} | "
            f"{cell_keeping_code(a.action)} | {cell(a.owner)} | {cell(a.priority)} | "
            f"{cell(due) or DASH} | {cell(a.status)} |"
        )
    header = [
        "| Team | Incident | # | Action | Owner | Priority | Due | Status |",
        "|---|---|---|---|---|---|---|---|",
    ]
    return header + rows if rows else []


def render_review_json(review: Review, today: dt.date) -> str:
    payload = {
        "version": 1,
        "month": review.month,
        "severities": list(review.severities),
        "teams": list(review.teams),
        "unrated": review.unrated,
        "incidents": [
            {
                "team": r.team,
                "id": r.incident.id,
                "date": r.incident.date.isoformat(),
                "severity": r.incident.severity,
                "title": _title(r.incident),
                "services": [] if r.incident.redacted else list(r.incident.services),
                "root_cause_tags": [] if r.incident.redacted else list(r.incident.tags),
                "repeat_of": dataclasses.asdict(r.repeat) if r.repeat else None,
                "repeat_across_teams": dataclasses.asdict(r.across) if r.across else None,
            }
            for r in review.incidents
        ],
        "shared": [
            {"kind": s.kind, "name": s.name, "teams": list(s.teams), "incidents": list(s.incidents)}
            for s in review.shared
        ],
        "open_actions": [action.to_json(today) for action in review.actions],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)
