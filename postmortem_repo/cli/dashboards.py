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
from postmortem_repo.cli.teams import TEAMS, chosen_teams
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.render.escape import terminal_text

if TYPE_CHECKING:  # the commands import what they use: `pmrepo check` starts faster
    from postmortem_repo.commands.tracker_sync import Export, SyncReport
    from postmortem_repo.render.dashboard import Action
    from postmortem_repo.render.plans import Repository
    from postmortem_repo.render.teams import Team
    from postmortem_repo.render.trackers import Versions

TRACKER_FORMATS = ("jira-csv", "github-issues", "linear-csv", "ics")


@click.command("actions")
@ROOT
@CONFIG
@TEAMS
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
    type=click.Choice(["text", "markdown", "json", *TRACKER_FORMATS]),
    default="text",
    show_default=True,
    help="jira-csv, github-issues, linear-csv and ics are files for the trackers' importers "
    "(see README: action items in trackers).",
)
@click.option(
    "--link-base",
    metavar="URL",
    callback=lambda _ctx, _param, value: _web_address(value),
    help="The web address of the repository's files, for links back from tracker issues "
    "(with --repo/--org: each team's url in org.yaml instead).",
)
@click.option(
    "--sync-from",
    "sync_from",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A Jira CSV export or `gh issue list --state all --json number,state,stateReason,"
    "labels` output: list the items whose status differs from the tracker's (exit 1 when "
    "one does); with --fix, change them; with a tracker --format, export only the items "
    "that have no issue there yet.",
)
@click.option(
    "--fix",
    is_flag=True,
    help="With --sync-from: write the tracker's status into the Status cell of each item "
    "that differs (DONE, WON'T DO, IN PROGRESS or OPEN; see README: action items in "
    "trackers) and update the generated blocks that count items; exit 1 when a difference "
    "remains (items of uncleared security incidents are never edited).",
)
@click.option(
    "--diff",
    is_flag=True,
    help="With --sync-from: print what --fix would change as a unified diff and write "
    "nothing (exit 1 when there is a change).",
)
@click.option(
    "--check",
    "alert",
    is_flag=True,
    help="Exit 1 when a P0 the filters select is overdue by > 24 h.",
)
@TODAY
def actions_command(
    root: Path | None,
    config_path: Path | None,
    repos: tuple[Path, ...],
    org: Path | None,
    owner: str | None,
    priority: str | None,
    status: str | None,
    overdue: bool,
    include_closed: bool,
    group_by: str,
    output_format: str,
    link_base: str | None,
    sync_from: Path | None,
    fix: bool,
    diff: bool,
    alert: bool,
    today: dt.date | None,
) -> None:
    """Every open action item in the repository (or the teams' repositories), grouped as an
    action-item dashboard shows them, or as a file for a tracker's importer."""
    if link_base and (repos or org):
        fail(
            "--link-base is the address of one repository's files: with --repo or --org, "
            "give each team's as its url in an org.yaml (see README: many repositories)"
        )
    from postmortem_repo.render import dashboard

    day = today or dt.datetime.now(dt.UTC).date()
    writing = _sync_fix_mode(fix, diff, sync_from, output_format)
    if alert and writing == "fix":
        fail(
            "--check answers for the post-mortems as they are, and --fix changes them: run "
            "--sync-from FILE --fix first, then --check"
        )
    # What a check or a sync answers for must all be read: none left out with a warning.
    complete = alert or sync_from is not None
    everything, links, repositories = _all_actions(root, config_path, repos, org, complete)
    filters = dashboard.Filters(owner, priority, status, overdue, include_closed)
    selected = chosen = dashboard.select(everything, filters, day)
    # --check answers for the items the filters select (a team's CI: --owner), no others.
    alerts = [action for action in selected if action.alert(day)]
    if sync_from is not None and output_format not in TRACKER_FORMATS:
        code = _sync(sync_from, everything, writing, repositories)
        sys.exit(max(code, _alert(selected, alerts, day) if alert else 0))
    if sync_from is not None:  # a tracker format: only the items the tracker lacks
        chosen = _untracked(sync_from, chosen)
    if output_format in TRACKER_FORMATS:
        links |= {"": link_base} if link_base else {}
        roots = {team: repository.root for team, repository in repositories.items()}
        _export(output_format, chosen, everything, links, roots)
    elif output_format == "json":
        click.echo(dashboard.render_json(chosen, day, len(alerts)))
    elif output_format == "markdown":
        click.echo(dashboard.render_markdown(chosen, group_by, day))
    else:
        click.echo(dashboard.render_text(chosen, group_by, day))
    if alert and _alert(selected, alerts, day):
        sys.exit(1)


def _alert(selected: list[Action], alerts: list[Action], day: dt.date) -> int:
    """--check: say which P0 items are overdue (and which have no due date); 1 when one is."""
    from postmortem_repo.render import dashboard

    for warning in dashboard.undated_p0_warnings(selected):
        click.echo(f"pmrepo: warning: {warning}", err=True)
    for message in dashboard.alert_messages(alerts, day):
        click.echo(f"pmrepo: {message}", err=True)
    return 1 if alerts else 0


def _web_address(value: str | None) -> str | None:
    from postmortem_repo.repo.org import is_web_address

    if value is not None and not is_web_address(value):
        raise click.BadParameter(
            f"{value!r} is not an http(s) address like https://github.com/example/pm/blob/main",
            param_hint="'--link-base'",
        )
    return value


def _all_actions(
    root: Path | None,
    config_path: Path | None,
    repos: tuple[Path, ...],
    org: Path | None,
    complete: bool,
) -> tuple[list[Action], dict[str, str], dict[str, Repository]]:
    """Every action item of the repository, or of each team's (with its team), the web
    address of each team's files where org.yaml gives one, and each team's repository
    ("": the one repository's). Exit 2 when root is no post-mortem repository, and, when
    complete, when a post-mortem cannot be read (as always with --repo/--org)."""
    from postmortem_repo.render import dashboard

    teams = chosen_teams(root, config_path, repos, org)
    if teams is not None:
        everything = [a for t in teams for a in dashboard.collect(t.repo.incidents, t.name)]
        for team in teams:
            _warn(dashboard.unread_row_warnings(team.repo.incidents, team.name))
        links = {team.name: team.url for team in teams if team.url}
        return everything, links, {team.name: team.repo for team in teams}
    try:
        repo = api.load_repository(root, config_path, complete=complete, known=True)
        _warn(dashboard.unread_row_warnings(repo.incidents))
        return dashboard.collect(repo.incidents), {}, {"": repo}
    except PmrepoError as error:
        fail(str(error))
        raise  # not reached: fail() exits


def _warn(messages: list[str]) -> None:
    for message in messages:
        click.echo(f"pmrepo: warning: {message}", err=True)


def _export(
    output_format: str,
    chosen: list[Action],
    everything: list[Action],
    links: dict[str, str],
    roots: dict[str, Path],
) -> None:
    from postmortem_repo.render import trackers

    versions = _versions(chosen, roots) if output_format == "ics" else {}
    try:
        text = trackers.render(
            output_format, chosen, links, everything=everything, versions=versions
        )
        click.echo(text, nl=False)
    except PmrepoError as error:
        fail(str(error))
    if hidden := len(trackers.withheld(chosen)):
        click.echo(
            f"pmrepo: {hidden} item{'s' * (hidden != 1)} of security incidents not cleared "
            "for publication withheld (export them once security_cleared is true)",
            err=True,
        )
    undated = trackers.without_due([action for action in chosen if not action.withheld])
    if output_format == "ics" and undated:
        click.echo(
            f"pmrepo: {undated} item{'s' * (undated != 1)} without a readable due date "
            "left out of the calendar",
            err=True,
        )


def _versions(chosen: list[Action], roots: dict[str, Path]) -> Versions:
    """The revision of each post-mortem the items come from, by team and path."""
    from postmortem_repo.repo.revisions import revisions

    return {
        (team, path): revision
        for team, root in roots.items()
        for path, revision in revisions(
            root, {a.relpath for a in chosen if a.team == team and a.relpath}
        ).items()
    }


def _read_export(export: Path, everything: list[Action]) -> Export:
    from postmortem_repo.commands import tracker_sync
    from postmortem_repo.render.trackers import refuse_keyless

    try:
        refuse_keyless(everything, everything)
        read = tracker_sync.read_export(export)
    except PmrepoError as error:
        fail(str(error))
        raise  # not reached: fail() exits
    _warn([terminal_text(warning) for warning in read.warnings])
    return read


def _untracked(export: Path, chosen: list[Action]) -> list[Action]:
    from postmortem_repo.commands.tracker_sync import same_label
    from postmortem_repo.render.trackers import key_label

    tracked = {issue.match for issue in _read_export(export, chosen).issues}
    return [action for action in chosen if same_label(key_label(action)) not in tracked]


def _sync_fix_mode(fix: bool, diff: bool, sync_from: Path | None, output_format: str) -> str:
    """What --fix or --diff asks: "fix", "diff" or "" (report only); exit 2 when the
    options do not go together."""
    if not (fix or diff):
        return ""
    if fix and diff:
        fail("give --fix or --diff, not both")
    if sync_from is None or output_format in TRACKER_FORMATS:
        fail("--fix and --diff go with --sync-from FILE alone (no tracker --format)")
    return "fix" if fix else "diff"


def _sync(
    export: Path, everything: list[Action], writing: str, repositories: dict[str, Repository]
) -> int:
    """--sync-from without a tracker format: the exit code."""
    from postmortem_repo.commands import tracker_sync

    read = _read_export(export, everything)
    report = tracker_sync.compare(read.tracker, read.issues, everything)
    if writing:
        return _sync_fix(report, export, repositories, writing)
    for line in tracker_sync.render(report):
        click.echo(terminal_text(line))
    return 1 if report.differences or report.conflicts else 0


def _sync_fix(
    report: SyncReport, export: Path, repositories: dict[str, Repository], writing: str
) -> int:
    """--fix (write) or --diff (show): the exit code."""
    from postmortem_repo.cli.fixing import print_diffs
    from postmortem_repo.commands import tracker_fix
    from postmortem_repo.commands.fixes import write_all

    try:
        fixing = tracker_fix.plan(report, export, repositories, api.generated_blocks_check)
        if writing == "fix":
            write_all(fixing.runs)
    except PmrepoError as error:
        fail(str(error))
        raise  # not reached: fail() exits
    for line in tracker_fix.render(report, fixing, writing == "fix"):
        click.echo(terminal_text(line), err=writing == "diff")
    if writing == "diff":
        for run in fixing.runs:
            print_diffs(run)
        return 1 if fixing.changed or report.conflicts else 0
    return 1 if fixing.withheld or report.conflicts else 0


@click.command("report")
@ROOT
@CONFIG
@TEAMS
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
    repos: tuple[Path, ...],
    org: Path | None,
    quarter: str | None,
    year: int | None,
    output_format: str,
    today: dt.date | None,
) -> None:
    """Incidents, repeat rate, MTTD/MTTR and action-item health for a quarter or a year;
    with --repo or --org, for all the teams together and for each one."""
    from postmortem_repo.render import report

    if quarter and year:
        fail("give --quarter or --year, not both")
    day = today or dt.datetime.now(dt.UTC).date()
    teams = chosen_teams(root, config_path, repos, org)
    if teams is not None:
        _teams_report(teams, quarter, year, day, output_format)
        return
    try:
        repo = api.load_repository(root, config_path)
        period = report.choose_period(repo.incidents, quarter, year)
    except PmrepoError as error:
        fail(str(error))
        return
    built = report.build(repo.incidents, repo.repeats, period, day, repo.severities)
    click.echo(
        report.render_json(built) if output_format == "json" else report.render_markdown(built)
    )


def _teams_report(
    teams: list[Team], quarter: str | None, year: int | None, day: dt.date, output_format: str
) -> None:
    from postmortem_repo.render import crossteam, report

    try:
        period = crossteam.choose_period(teams, quarter, year)
    except PmrepoError as error:
        fail(str(error))
        return
    built = crossteam.build_report(teams, period, day)
    click.echo(
        report.render_json(built)
        if output_format == "json"
        else crossteam.render_report_markdown(built)
    )


@click.command("review")
@ROOT
@CONFIG
@TEAMS
@click.option("--month", required=True, help="The month to review, like 2024-01.")
@click.option(
    "--severity",
    "levels",
    default="SEV1,SEV2",
    show_default=True,
    help="The severities to review, comma-separated.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@TODAY
def review_command(
    root: Path | None,
    config_path: Path | None,
    repos: tuple[Path, ...],
    org: Path | None,
    month: str,
    levels: str,
    output_format: str,
    today: dt.date | None,
) -> None:
    """The monthly cross-team review: every incident of those severities in the teams'
    repositories, what they share across teams, repeats of another team's incidents and
    their open P0/P1 action items."""
    from postmortem_repo.render import crossteam

    day = today or dt.datetime.now(dt.UTC).date()
    teams = chosen_teams(root, config_path, repos, org) or _one_team(root, config_path)
    try:
        review = crossteam.build_review(
            teams, crossteam.parse_month(month), crossteam.parse_severities(levels, teams)
        )
    except PmrepoError as error:
        fail(str(error))
        return
    click.echo(
        crossteam.render_review_json(review, day)
        if output_format == "json"
        else crossteam.render_review_markdown(review)
    )


def _one_team(root: Path | None, config_path: Path | None) -> list[Team]:
    """The one repository at root as a team named after its folder."""
    from postmortem_repo.render.teams import Team

    try:
        repo = api.load_repository(root, config_path, known=True)
    except PmrepoError as error:
        fail(str(error))
        raise  # not reached: fail() exits
    return [Team(repo.root.resolve().name, repo)]
