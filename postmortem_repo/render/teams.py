"""Several teams' repositories as one: each incident's id carries its team ("payments/
INC-2024-0015"), so that two teams' INC-2024-0001 stay two incidents in a report, a
pattern suggestion or a review."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from postmortem_repo.model.incident import Incident
from postmortem_repo.render.patterns import Suggestion, suggest
from postmortem_repo.render.plans import Repository, load_patterns
from postmortem_repo.repo.repeats import Repeat, RepeatPolicy, find_repeats

SEPARATOR = "/"


@dataclass(frozen=True)
class Team:
    """One team's repository, read with its own config."""

    name: str
    repo: Repository
    url: str | None = None  # the web address of its files, for links back to them


def qualify(team: str, incident_id: str) -> str:
    return f"{team}{SEPARATOR}{incident_id}"


def team_of(qualified_id: str) -> str:
    return qualified_id.split(SEPARATOR, 1)[0]


def qualify_link(team: str, link: str) -> str:
    """An id that team's post-mortem links to, as the organisation names it: a bare id is
    of the team's own repository; `platform/INC-…` already names another team's incident."""
    return link if SEPARATOR in link else qualify(team, link)


def qualified_incident(team: str, incident: Incident) -> Incident:
    """The incident with its id, and the ids it links to, qualified."""
    return dataclasses.replace(
        incident,
        id=qualify(team, incident.id),
        repeat_of=qualify_link(team, incident.repeat_of) if incident.repeat_of else None,
        related=tuple(qualify_link(team, other) for other in incident.related),
    )


def merged(teams: list[Team]) -> list[Incident]:
    """Every team's incidents, oldest first, with qualified ids."""
    incidents = [
        qualified_incident(team.name, incident)
        for team in teams
        for incident in team.repo.incidents
    ]
    return sorted(incidents, key=lambda incident: incident.sort_key)


# Of a team's incidents, those a view counts (a site's: no DRAFT unless asked for).
Counted = Callable[[list[Incident]], list[Incident]]


def organisation_repeats(teams: list[Team], counted: Counted | None = None) -> dict[str, Repeat]:
    """Every incident that repeats an earlier one, by qualified id: of its own team's (as its
    repository finds it), else of another team's (repeat_across). The one count of repeats
    over the organisation, which `pmrepo report`, `pmrepo review` and `pmrepo site` share.
    counted: only those incidents count, and a withheld one is never the earlier one (what
    a reader of the site is shown); default: every incident, as the report counts them."""
    repeats: dict[str, Repeat] = {}
    for team in teams:
        own = (
            team.repo.repeats
            if counted is None
            else team.repo.repeats_among(counted_of(team, counted))
        )
        for repeat in own.values():
            key = qualify(team.name, repeat.incident)
            repeats[key] = Repeat(key, qualify(team.name, repeat.earlier), repeat.reason)
    for team in teams:
        for incident in counted_of(team, counted):
            key = qualify(team.name, incident.id)
            if key not in repeats and (across := repeat_across(team, incident, teams, counted)):
                repeats[key] = across
    return repeats


def counted_of(team: Team, counted: Counted | None) -> list[Incident]:
    return team.repo.incidents if counted is None else counted(team.repo.incidents)


def repeat_across(
    team: Team, incident: Incident, teams: list[Team], counted: Counted | None = None
) -> Repeat | None:
    """The latest earlier incident of another team that this one repeats, by the repeat
    rule of its own team's config: named in its `repeat_of` or `related` (platform/INC-…),
    else a root-cause tag and a service in common within the window; the repeat definition
    itself, asked about this incident and the others' (those counted, none withheld)."""
    if incident.redacted:
        return None
    config = team.repo.config
    policy = RepeatPolicy(config.repeat_window_days, config.repeat_ignore_tags)
    own = qualified_incident(team.name, incident)
    named = {*own.related, *([own.repeat_of] if own.repeat_of else [])}
    # Only the others' incidents it names, or within the window, can be the earlier one.
    days = min(policy.window_days, (incident.date - dt.date.min).days)  # a window of ages
    since = incident.date - dt.timedelta(days=days)
    others = [
        _unlinked(qualified_incident(other.name, candidate))
        for other in teams
        if other.name != team.name
        for candidate in counted_of(other, counted)
        if not candidate.redacted
        and candidate.date <= incident.date
        and (since <= candidate.date or qualify(other.name, candidate.id) in named)
    ]
    return find_repeats([own, *others], policy).get(own.id) if others else None


def _unlinked(incident: Incident) -> Incident:
    return dataclasses.replace(incident, repeat_of=None, related=())


def severities(teams: list[Team]) -> list[str]:
    """The severity levels of every team's schema, each once, in the order they come."""
    levels: list[str] = []
    for team in teams:
        levels += [level for level in team.repo.severities if level not in levels]
    return levels


def suggestions(teams: list[Team]) -> list[Suggestion]:
    """Recurring causes across the teams that no team's pattern covers (a tag any team's
    config leaves out of repeats is left out here too)."""
    incidents = merged(teams)
    patterns = [pattern for team in teams for pattern, _ in load_patterns(team.repo)]
    ignored = {tag for team in teams for tag in team.repo.config.repeat_ignore_tags}
    return suggest(incidents, patterns, ignore_tags=tuple(sorted(ignored)))
