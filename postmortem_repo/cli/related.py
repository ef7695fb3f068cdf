"""pmrepo related."""

from __future__ import annotations

from pathlib import Path

import click

from postmortem_repo.cli.params import CONFIG, ROOT, fail
from postmortem_repo.core.errors import PmrepoError


@click.command("related")
@click.argument("incident_id", metavar="INCIDENT_ID")
@ROOT
@CONFIG
@click.option("--top", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def related_command(
    incident_id: str, root: Path | None, config_path: Path | None, top: int, output_format: str
) -> None:
    """The earlier incidents most like INCIDENT_ID, with why: for its Related Incidents."""
    from postmortem_repo.render import related
    from postmortem_repo.repo.corpus import related_index

    try:
        index = related_index(root, config_path)
    except PmrepoError as error:
        fail(str(error))
        return
    target = index.by_id(incident_id)
    if target is None and incident_id not in index.withheld:
        fail(f"no post-mortem in the repository has the id {incident_id}")
    suggestions = index.suggest(target, top) if target is not None else []
    render = related.render_json if output_format == "json" else related.render_text
    click.echo(render(target, incident_id, suggestions))
