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
    """A link of one of team's post-mortems, qualified: an id of its own repository gets
    its team; another team's incident (`platform/INC-…`) is named so already."""
    return link if SEPARATOR in link else qualify(team, link)


def qualified_incident(team: str, incident: Incident) -> Incident:
    """The incident with its id, and the ids it links to, qualified (qualify_link)."""
    return dataclasses.replace(
        incident,
        id=qualify(team, incident.id),
        repeat_of=qualify_link(team, incident.repeat_of) if incident.repeat_of else None,
        related=tuple(qualify_link(team, other) for other in incident.related),
    )


def merged(teams: list[Team]) -> tuple[list[Incident], dict[str, Repeat]]:
    """Every team's incidents, oldest first, and the repeats each repository found under its
    own config, all with qualified ids."""
    incidents: list[Incident] = []
    repeats: dict[str, Repeat] = {}
    for team in teams:
        incidents += [qualified_incident(team.name, incident) for incident in team.repo.incidents]
        for repeat in team.repo.repeats.values():
            key = qualify(team.name, repeat.incident)
            repeats[key] = Repeat(key, qualify(team.name, repeat.earlier), repeat.reason)
    incidents.sort(key=lambda incident: incident.sort_key)
    return incidents, repeats


# Of a team's incidents, those a view counts (a site's: no DRAFT unless asked for).
Counted = Callable[[list[Incident]], list[Incident]]


def organisation_repeats(teams: list[Team], counted: Counted | None = None) -> dict[str, Repeat]:
    """Every incident that repeats an earlier one, by qualified id: the other team's
    incident its `repeat_of` names, else of its own team's (as its repository finds it),
    else of another team's (repeat_across). The one count of repeats over the organisation,
    which `pmrepo report`, `pmrepo review` and `pmrepo site` share. counted: only those of
    each team's incidents count, and a withheld one is never the earlier one (what a reader
    of the site is shown); default: all, as the report counts."""
    repeats = merged(teams)[1] if counted is None else _counted_repeats(teams, counted)
    for team in teams:
        for incident in counted_of(team, counted):
            key = qualify(team.name, incident.id)
            # repeat_of comes first, as in one repository: before a `related` of its own team.
            link = qualify_link(team.name, incident.repeat_of) if incident.repeat_of else None
            if key in repeats and not _of_another(team.name, link):
                continue
            across = repeat_across(team, incident, teams, counted)
            if across is not None and (key not in repeats or across.reason == "repeat_of"):
                repeats[key] = across
    return repeats


def _counted_repeats(teams: list[Team], counted: Counted) -> dict[str, Repeat]:
    """The repeats each repository finds among the incidents counted, qualified."""
    repeats: dict[str, Repeat] = {}
    for team in teams:
        for repeat in team.repo.repeats_among(counted_of(team, counted)).values():
            key = qualify(team.name, repeat.incident)
            repeats[key] = Repeat(key, qualify(team.name, repeat.earlier), repeat.reason)
    return repeats


def counted_of(team: Team, counted: Counted | None) -> list[Incident]:
    return team.repo.incidents if counted is None else counted(team.repo.incidents)


def repeat_across(
    team: Team, incident: Incident, teams: list[Team], counted: Counted | None = None
) -> Repeat | None:
    """The earlier incident of another team that this one repeats: the one its `repeat_of`
    or `related` names (`platform/INC-…`), else the latest by the repeat rule of its own
    team's config (a root-cause tag and a service in common, within the window): the
    repeat definition itself, asked about this incident and the others' (those counted)."""
    if incident.redacted:
        return None
    config = team.repo.config
    policy = RepeatPolicy(config.repeat_window_days, config.repeat_ignore_tags)
    own = _other_teams_links(qualified_incident(team.name, incident))
    # Only the others' incidents within the window, or named, can be the earlier one.
    days = min(policy.window_days, (incident.date - dt.date.min).days)  # a window of ages
    since = incident.date - dt.timedelta(days=days)
    named = {own.repeat_of, *own.related}
    others = [
        _unlinked(qualified_incident(other.name, candidate))
        for other in teams
        if other.name != team.name
        for candidate in counted_of(other, counted)
        if candidate.date <= incident.date
        and not candidate.redacted
        and (since <= candidate.date or qualify(other.name, candidate.id) in named)
    ]
    return find_repeats([own, *others], policy).get(own.id) if others else None


def _other_teams_links(incident: Incident) -> Incident:
    """The incident (qualified) with only its links to other teams' incidents: its own
    team's repeats are its repository's to find."""
    team = team_of(incident.id)
    return dataclasses.replace(
        incident,
        repeat_of=incident.repeat_of if _of_another(team, incident.repeat_of) else None,
        related=tuple(link for link in incident.related if _of_another(team, link)),
    )


def _of_another(team: str, link: str | None) -> bool:
    return link is not None and team_of(link) != team


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
    incidents, _ = merged(teams)
    patterns = [pattern for team in teams for pattern, _ in load_patterns(team.repo)]
    ignored = {tag for team in teams for tag in team.repo.config.repeat_ignore_tags}
    return suggest(incidents, patterns, ignore_tags=tuple(sorted(ignored)))
