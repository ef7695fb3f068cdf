"""pmrepo site, digest, review-deck and announce: what the repository tells people who do
not read it every day."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from postmortem_repo import api
from postmortem_repo.cli.params import CONFIG, ROOT, TODAY, DateParam, fail, repository_folders
from postmortem_repo.cli.teams import TEAMS, chosen_teams
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.writer import write_output

OUTPUT_FILE = click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (replaced whole) instead of printing.",
)
SITE_URL = click.option(
    "--site-url",
    help="Where the site (pmrepo site) is published: the message links to the incident's "
    "page there. Without it, the message names the post-mortem's path in the repository.",
)


def _emit(text: str, output: Path | None, root: Path | None, config_path: Path | None) -> None:
    """Print text, or write it to output (never out of the repository through a symlink)."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_output(output, text, roots=repository_folders([root] if root else [], config_path))
    except OSError as error:
        fail(f"{output}: cannot write it: {error.strerror or error}")
    except PmrepoError as error:
        fail(str(error))
    click.echo(f"wrote {output}")


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
            repo = api.load_repository(root, config_path, complete=True, jobs=workers)
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
@SITE_URL
@OUTPUT_FILE
@click.option(
    "--unpublished",
    is_flag=True,
    help="Announce a post-mortem that is not PUBLISHED yet (a DRAFT or one IN REVIEW): the "
    "message says so instead of 'published'.",
)
def announce_command(
    incident_id: str,
    root: Path | None,
    config_path: Path | None,
    output_format: str,
    site_url: str | None,
    output: Path | None,
    unpublished: bool,
) -> None:
    """The announcement of a published post-mortem: title, severity, duration, impact,
    root cause in one line and a link. pmrepo prints it and posts nothing."""
    from postmortem_repo.commands.publishing import excerpts_for, find_incident, page_url
    from postmortem_repo.render import announce
    from postmortem_repo.render.site.catalogue import is_draft

    try:
        repo = api.load_repository(root, config_path, complete=True)
        incident = find_incident(repo, incident_id)
        # The site builds no page for a DRAFT: the message names its file instead.
        link = incident.relpath
        if site_url is not None and not is_draft(incident):
            link = page_url(site_url, incident)
    except PmrepoError as error:
        fail(str(error))
        return
    status = incident.status.strip().upper()
    if status != "PUBLISHED" and not unpublished:
        fail(
            f"{incident.id}: its status is {incident.status.strip() or 'not given'}, not "
            "PUBLISHED: announce it once it is published (or give --unpublished); "
            "nothing was written"
        )
    message = announce.Announcement(incident, excerpts_for(repo, incident), link)
    render = announce.render_slack if output_format == "slack" else announce.render_text
    _emit(render(message) + "\n", output, root, config_path)


@click.command("digest")
@ROOT
@CONFIG
@click.option("--since", type=DateParam(), help="From this day to --today, both included.")
@click.option(
    "--week",
    is_flag=True,
    help="The 7 days before --today, --today not included (the default): run every week "
    "on the same weekday, each post-mortem is in exactly one digest.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "html", "text", "slack"]),
    default="markdown",
    show_default=True,
    help="slack: a Block Kit message as JSON, for a CI step to post (with --site-url, each "
    "title links to its page).",
)
@click.option(
    "--today",
    type=DateParam(),
    default=None,
    help="Today (default: today, in UTC): the last day of --since's period, the day after "
    "--week's.",
)
@click.option(
    "--site-url",
    help="Where the site (pmrepo site) is published: each post-mortem links to its page there.",
)
@OUTPUT_FILE
def digest_command(
    root: Path | None,
    config_path: Path | None,
    since: dt.date | None,
    week: bool,
    output_format: str,
    today: dt.date | None,
    site_url: str | None,
    output: Path | None,
) -> None:
    """The newsletter summary of the post-mortems published in a period (published_at,
    else the day git first saw the file): title, severity, summary, key lessons, P0/P1
    action items."""
    from postmortem_repo.commands.publishing import digest_of, week_before
    from postmortem_repo.render import digest

    if since and week:
        fail("give --since or --week, not both")
    day = today or dt.datetime.now(dt.UTC).date()
    start, end = (since, day) if since else week_before(day)
    if start > end:
        fail(f"--since {start.isoformat()} is after the period's end {end.isoformat()}")
    try:
        repo = api.load_repository(root, config_path, complete=True)
        found = digest_of(repo, start, end, site_url)
    except PmrepoError as error:
        fail(str(error))
        return
    if found.undated:
        click.echo(
            f"pmrepo: warning: {', '.join(found.undated)}: PUBLISHED with no published_at, "
            "and git does not say when the file was first committed (a shallow clone has no "
            "such history: check out with fetch-depth: 0; or the file is not committed): left "
            "out of the digest; give each a published_at",
            err=True,
        )
    render = {
        "html": digest.render_html,
        "text": digest.render_text,
        "slack": digest.render_slack,
    }.get(output_format, digest.render_markdown)
    _emit(render(found), output, root, config_path)


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
@click.option("--include-drafts", is_flag=True, help="Count and show DRAFT post-mortems too.")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the deck to this file; a Marp deck's charts go beside it as SVG files "
    "(deck.md: deck-charts/). Without it, the deck is printed and its chart slides give "
    "the numbers only.",
)
@TODAY
def review_deck_command(
    root: Path | None,
    config_path: Path | None,
    quarter: str | None,
    output_format: str,
    include_drafts: bool,
    output: Path | None,
    today: dt.date | None,
) -> None:
    """The quarterly incident review as slides: the numbers, the charts, the quarter's
    incidents (SEV1 and SEV2 one slide each), action items and patterns."""
    from postmortem_repo.commands.publishing import review_of, write_deck
    from postmortem_repo.render import deck, report

    day = today or dt.datetime.now(dt.UTC).date()
    try:
        repo = api.load_repository(root, config_path, complete=True)
        period = report.choose_period(repo.incidents, quarter, None)
        if period.start > day:
            raise PmrepoError(
                f"--quarter: {period.label} starts after {day.isoformat()} (--today): "
                "there is nothing to review yet"
            )
        review = review_of(repo, period, day, include_drafts=include_drafts)
        if output is not None:
            folders = repository_folders([root] if root else [], config_path)
            written = write_deck(review, output, output_format, roots=folders)
            click.echo("wrote " + ", ".join(str(path) for path in written))
            return
    except PmrepoError as error:
        fail(str(error))
        return
    render = deck.render_html if output_format == "html" else deck.render_marp
    click.echo(render(review), nl=False)
