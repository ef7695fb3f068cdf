"""pmrepo site, digest, review-deck and announce: what the repository tells people who do
not read it every day."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from postmortem_repo import api
from postmortem_repo.cli.params import CONFIG, ROOT, TODAY, DateParam, fail
from postmortem_repo.cli.teams import TEAMS, chosen_teams
from postmortem_repo.core.errors import PmrepoError


@click.command("site")
@ROOT
@CONFIG
@TEAMS
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder to build the site in, replaced whole (default: _site/ in the repository; "
    "with --repo or --org, in the working folder).",
)
@click.option("--include-drafts", is_flag=True, help="Show DRAFT post-mortems too.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Render the pages in this many processes (default: one per CPU; the site is the same).",
)
@TODAY
def site_command(
    root: Path | None,
    config_path: Path | None,
    repos: tuple[Path, ...],
    org: Path | None,
    output: Path | None,
    include_drafts: bool,
    jobs: int | None,
    today: dt.date | None,
) -> None:
    """Build a static HTML site of the post-mortems: pages, charts, filters, no server; with
    --repo or --org, one site of several teams' repositories, each read with its own config."""
    from postmortem_repo.commands.site import DEFAULT_OUTPUT, build_site, build_team_site

    day = today or dt.datetime.now(dt.UTC).date()
    workers = jobs or os.cpu_count() or 1
    teams = chosen_teams(root, config_path, repos, org, jobs=workers)
    try:
        if teams is not None:
            target = output if output is not None else Path(DEFAULT_OUTPUT)
            written = build_team_site(
                teams, target, today=day, include_drafts=include_drafts, jobs=workers
            )
        else:
            repo = api.load_repository(root, config_path, jobs=workers)
            target = output if output is not None else repo.root / DEFAULT_OUTPUT
            written = build_site(
                repo, target, today=day, include_drafts=include_drafts, jobs=workers
            )
    except PmrepoError as error:
        fail(str(error))
        return
    click.echo(f"built {target} ({written} files); open {target / 'index.html'}")


@click.command("announce")
@click.argument("incident_id")
@ROOT
@CONFIG
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "slack"]),
    default="text",
    show_default=True,
    help="slack: a Block Kit message as JSON, for a CI step to post.",
)
@click.option(
    "--site-url",
    help="Where the site (pmrepo site) is published: the message links to the incident's "
    "page there. Without it, the message names the post-mortem's path in the repository.",
)
def announce_command(
    incident_id: str,
    root: Path | None,
    config_path: Path | None,
    output_format: str,
    site_url: str | None,
) -> None:
    """The announcement of a published post-mortem: title, severity, duration, impact,
    root cause in one line and a link. pmrepo prints it and posts nothing."""
    from postmortem_repo.commands.publishing import excerpts_for, find_incident
    from postmortem_repo.render import announce
    from postmortem_repo.render.site.catalogue import incident_page

    try:
        repo = api.load_repository(root, config_path)
        incident = find_incident(repo, incident_id)
    except PmrepoError as error:
        fail(str(error))
        return
    link = f"{site_url.rstrip('/')}/{incident_page(incident.id)}" if site_url else incident.relpath
    message = announce.Announcement(incident, excerpts_for(repo, incident), link)
    if incident.status.strip().upper() == "DRAFT":
        click.echo(f"pmrepo: warning: {incident.id} is a DRAFT, not published yet", err=True)
    if output_format == "slack":
        click.echo(announce.render_slack(message))
    else:
        click.echo(announce.render_text(message))


@click.command("digest")
@ROOT
@CONFIG
@click.option("--since", type=DateParam(), help="From this day to --today.")
@click.option("--week", is_flag=True, help="The 7 days up to --today (the default).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "html", "text"]),
    default="markdown",
    show_default=True,
)
@click.option(
    "--today",
    type=DateParam(),
    default=None,
    help="The period's last day (default: today, in UTC).",
)
def digest_command(
    root: Path | None,
    config_path: Path | None,
    since: dt.date | None,
    week: bool,
    output_format: str,
    today: dt.date | None,
) -> None:
    """The newsletter summary of the post-mortems published in a period (published_at,
    else the day git first saw the file): title, severity, summary, key lessons, P0/P1
    action items."""
    from postmortem_repo.commands.publishing import digest_of
    from postmortem_repo.render import digest

    if since and week:
        fail("give --since or --week, not both")
    end = today or dt.datetime.now(dt.UTC).date()
    start = since or end - dt.timedelta(days=6)
    if start > end:
        fail(f"--since {start.isoformat()} is after the period's end {end.isoformat()}")
    try:
        repo = api.load_repository(root, config_path)
        found = digest_of(repo, start, end)
    except PmrepoError as error:
        fail(str(error))
        return
    render = {
        "html": digest.render_html,
        "text": digest.render_text,
    }.get(output_format, digest.render_markdown)
    click.echo(render(found), nl=False)


@click.command("review-deck")
@ROOT
@CONFIG
@click.option(
    "--quarter",
    help="A quarter like 2024Q1 (default: the newest incident's, not counting DRAFTs "
    "without started_at).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["marp", "html"]),
    default="marp",
    show_default=True,
    help="marp: Markdown slides for Marp; html: one self-contained HTML file.",
)
@TODAY
def review_deck_command(
    root: Path | None,
    config_path: Path | None,
    quarter: str | None,
    output_format: str,
    today: dt.date | None,
) -> None:
    """The quarterly incident review as slides: the numbers, the charts, the quarter's
    incidents (SEV1 and SEV2 one slide each), action items and patterns."""
    from postmortem_repo.commands.publishing import review_of
    from postmortem_repo.render import deck, report

    day = today or dt.datetime.now(dt.UTC).date()
    try:
        repo = api.load_repository(root, config_path)
        period = report.choose_period(repo.incidents, quarter, None)
        review = review_of(repo, period, day)
    except PmrepoError as error:
        fail(str(error))
        return
    render = deck.render_html if output_format == "html" else deck.render_marp
    click.echo(render(review), nl=False)
