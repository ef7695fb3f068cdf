"""pmrepo site, digest, review-deck and announce: what the repository tells people who do
not read it every day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from postmortem_repo import api
from postmortem_repo.cli.params import CONFIG, ROOT, TODAY, fail
from postmortem_repo.core.errors import PmrepoError


@click.command("site")
@ROOT
@CONFIG
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder to build the site in, replaced whole (default: _site/ in the repository).",
)
@click.option("--include-drafts", is_flag=True, help="Show DRAFT post-mortems too.")
@TODAY
def site_command(
    root: Path | None,
    config_path: Path | None,
    output: Path | None,
    include_drafts: bool,
    today: dt.date | None,
) -> None:
    """Build a static HTML site of the post-mortems: pages, charts, filters, no server."""
    from postmortem_repo.commands.site import DEFAULT_OUTPUT, build_site

    day = today or dt.datetime.now(dt.UTC).date()
    try:
        repo = api.load_repository(root, config_path)
        target = output if output is not None else repo.root / DEFAULT_OUTPUT
        written = build_site(repo, target, today=day, include_drafts=include_drafts)
    except PmrepoError as error:
        fail(str(error))
        return
    click.echo(f"built {target} ({written} files); open {target / 'index.html'}")
