"""pmrepo related."""

from __future__ import annotations

from pathlib import Path

import click

from postmortem_repo.cli.params import CONFIG, ROOT, fail
from postmortem_repo.cli.teams import TEAMS, given_teams
from postmortem_repo.core.errors import PmrepoError


@click.command("related")
@click.argument("incident_id", metavar="INCIDENT_ID")
@ROOT
@CONFIG
@TEAMS
@click.option("--top", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def related_command(
    incident_id: str,
    root: Path | None,
    config_path: Path | None,
    repos: tuple[Path, ...],
    org: Path | None,
    top: int,
    output_format: str,
) -> None:
    """The earlier incidents most like INCIDENT_ID, with why: for its Related Incidents.
    With several teams' repositories (--repo, --org), suggestions come from every team's,
    and INCIDENT_ID may name its team: payments/INC-2024-0015."""
    from postmortem_repo.render import related
    from postmortem_repo.repo import corpus
    from postmortem_repo.repo.org import team_sources

    teams = given_teams(root, config_path, repos, org)
    try:
        if teams:
            index = corpus.teams_related_index(team_sources(repos, org))
        else:
            index = corpus.related_index(root, config_path)
    except PmrepoError as error:
        fail(str(error))
        return
    found = index.named(incident_id)
    if not teams:
        found = found[:1]  # the first of the repository's incidents with that id
    elif len(found) > 1:
        names = ", ".join(incident.name for incident in found)
        fail(f"{incident_id} is the id of several teams' incidents ({names}): name one")
    target = found[0] if found else None
    withheld = {name for name in index.withheld if incident_id in (name, name.split("/")[-1])}
    if target is None and not withheld:
        where = "any team's repositories" if teams else "the repository"
        fail(f"no post-mortem in {where} has the id {incident_id}")
    suggestions = index.suggest(target, top) if target is not None else []
    render = related.render_json if output_format == "json" else related.render_text
    click.echo(render(target, incident_id, suggestions, teams=teams))
