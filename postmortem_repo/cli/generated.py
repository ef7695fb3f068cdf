"""pmrepo index and pmrepo patterns: regenerate the generated files, or --check them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from postmortem_repo import api
from postmortem_repo.cli.params import (
    CHECK_ONLY,
    CONFIG,
    ROOT,
    fail,
)
from postmortem_repo.cli.teams import TEAMS, chosen_teams
from postmortem_repo.core.errors import PmrepoError

if TYPE_CHECKING:  # the commands import what they use: `pmrepo check` starts faster
    from postmortem_repo.render import plans as generate
    from postmortem_repo.render.markers import PlannedWrite
    from postmortem_repo.render.patterns import Suggestion


@click.command("index")
@ROOT
@CHECK_ONLY
@CONFIG
def index_command(root: Path | None, check_only: bool, config_path: Path | None) -> None:
    """Regenerate the README index (between its pmrepo:index markers)."""
    from postmortem_repo.render import plans as generate

    try:
        repo = api.load_repository(root, config_path)
        _finish(generate.plan_index(repo), repo, check_only)
    except PmrepoError as error:
        fail(str(error))


@click.command("patterns")
@ROOT
@CHECK_ONLY
@CONFIG
@TEAMS
@click.option("--suggest", is_flag=True, help="List recurring causes no pattern covers.")
@click.option("--write", is_flag=True, help="With --suggest: create PATTERN files for them.")
def patterns_command(
    root: Path | None,
    check_only: bool,
    config_path: Path | None,
    repos: tuple[Path, ...],
    org: Path | None,
    suggest: bool,
    write: bool,
) -> None:
    """Regenerate pattern files and patterns/README.md; --suggest proposes new patterns
    (with --repo or --org: recurring causes across the teams' repositories)."""
    from postmortem_repo.render import plans as generate

    if write and not suggest:
        fail("--write needs --suggest")
    if (repos or org) and suggest and write:
        fail(
            "--write works on one repository: with --repo or --org, --suggest only lists the "
            "causes recurring across the teams; write a team's pattern files in its own "
            "repository (pmrepo patterns --suggest --write ROOT)"
        )
    if (repos or org) and not suggest:
        fail("--repo and --org go with --suggest only: pattern files are written per repository")
    teams = chosen_teams(root, config_path, repos, org)
    if teams is not None:
        from postmortem_repo.render.teams import suggestions

        try:
            _echo_suggestions(suggestions(teams))
        except PmrepoError as error:
            fail(str(error))
        return
    try:
        repo = api.load_repository(root, config_path)
        if suggest:
            found = generate.suggestions(repo)
            _echo_suggestions(found)
            if write and found:
                _finish(generate.plan_new_patterns(repo, found), repo, check_only)
            return
        _finish(generate.plan_patterns(repo), repo, check_only)
    except PmrepoError as error:
        fail(str(error))


def _echo_suggestions(found: list[Suggestion]) -> None:
    for item in found:
        click.echo(f"{item.title}: {item.why} ({', '.join(item.incidents)})")
    if not found:
        click.echo("No recurring cause without a pattern.")


def _finish(plan: list[PlannedWrite], repo: generate.Repository, check_only: bool) -> None:
    """--check: print a diff and exit 1 when out of date; otherwise write what changed."""
    from postmortem_repo.render.markers import apply

    changed = [item for item in plan if item.changed]
    if check_only:
        for item in changed:
            click.echo(item.diff(repo.shown(item.path)), nl=False)
        for item in changed:
            click.echo(f"pmrepo: {repo.shown(item.path)} is out of date", err=True)
        sys.exit(1 if changed else 0)
    apply(plan, repo.root, repo.shown)
    for item in changed:
        verb = "created" if item.old is None else "updated"
        click.echo(f"{verb} {repo.shown(item.path)}")
    if not changed:
        click.echo("Everything is up to date.")
