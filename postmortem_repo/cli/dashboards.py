"""pmrepo actions and pmrepo report."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from postmortem_repo import api
from postmortem_repo.cli.params import (
    CONFIG,
    ROOT,
    TODAY,
    SpelledChoice,
    fail,
)
from postmortem_repo.core.errors import PmrepoError

if TYPE_CHECKING:  # the commands import what they use: `pmrepo check` starts faster
    pass


@click.command("actions")
@ROOT
@CONFIG
@click.option("--owner", help="Only this owner's items.")
@click.option("--priority", type=SpelledChoice(["P0", "P1", "P2"]))
@click.option("--status", help="Only items with this status (closed ones included).")
@click.option("--overdue", is_flag=True, help="Only overdue items.")
@click.option("--all", "include_closed", is_flag=True, help="Include DONE and WON'T DO items.")
@click.option(
    "--group-by",
    type=click.Choice(["priority", "owner", "due", "status"]),
    default="priority",
    show_default=True,
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.option("--check", "alert", is_flag=True, help="Exit 1 when a P0 is overdue by > 24 h.")
@TODAY
def actions_command(
    root: Path | None,
    config_path: Path | None,
    owner: str | None,
    priority: str | None,
    status: str | None,
    overdue: bool,
    include_closed: bool,
    group_by: str,
    output_format: str,
    alert: bool,
    today: dt.date | None,
) -> None:
    """Every open action item in the repository, grouped as an action-item dashboard shows them."""
    from postmortem_repo.render import dashboard

    day = today or dt.datetime.now(dt.UTC).date()
    try:
        repo = api.load_repository(root, config_path)
    except PmrepoError as error:
        fail(str(error))
        return
    everything = dashboard.collect(repo.incidents)
    filters = dashboard.Filters(owner, priority, status, overdue, include_closed)
    chosen = dashboard.select(everything, filters, day)
    alerts = [action for action in everything if action.alert(day)]
    if output_format == "json":
        click.echo(dashboard.render_json(chosen, day, len(alerts)))
    elif output_format == "markdown":
        click.echo(dashboard.render_markdown(chosen, group_by, day))
    else:
        click.echo(dashboard.render_text(chosen, group_by, day))
    if not alert:
        return
    for warning in dashboard.undated_p0_warnings(everything):
        click.echo(f"pmrepo: warning: {warning}", err=True)
    for message in dashboard.alert_messages(alerts, day):
        click.echo(f"pmrepo: {message}", err=True)
    if alerts:
        sys.exit(1)


@click.command("report")
@ROOT
@CONFIG
@click.option(
    "--quarter",
    help="A quarter like 2024Q1 (default: the newest incident's, not counting DRAFTs "
    "without started_at).",
)
@click.option("--year", type=click.IntRange(1900, 9999), help="A whole year instead of a quarter.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@TODAY
def report_command(
    root: Path | None,
    config_path: Path | None,
    quarter: str | None,
    year: int | None,
    output_format: str,
    today: dt.date | None,
) -> None:
    """Incidents, repeat rate, MTTD/MTTR and action-item health for a quarter or a year."""
    from postmortem_repo.render import report

    if quarter and year:
        fail("give --quarter or --year, not both")
    try:
        repo = api.load_repository(root, config_path)
        period = report.choose_period(repo.incidents, quarter, year)
    except PmrepoError as error:
        fail(str(error))
        return
    day = today or dt.datetime.now(dt.UTC).date()
    built = report.build(repo.incidents, repo.repeats, period, day, repo.severities)
    click.echo(
        report.render_json(built) if output_format == "json" else report.render_markdown(built)
    )
