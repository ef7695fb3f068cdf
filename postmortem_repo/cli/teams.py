"""The options that read several teams' repositories at once: `--repo PATH` (repeated) or
`--org org.yaml`. A command takes them with @TEAMS and asks chosen_teams() for the teams."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from postmortem_repo.cli.params import fail
from postmortem_repo.core.errors import PmrepoError

if TYPE_CHECKING:
    from postmortem_repo.render.teams import Team

F = TypeVar("F", bound=Callable[..., Any])


def TEAMS(command: F) -> F:
    """--repo PATH (repeatable) and --org FILE."""
    command = click.option(
        "--org",
        "org",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help="An org.yaml listing each team's repository (see README: many repositories).",
    )(command)
    return click.option(
        "--repo",
        "repos",
        multiple=True,
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        help="A team's post-mortem repository; repeat it for several teams (each team is "
        "named after its folder).",
    )(command)


def given_teams(
    root: Path | None, config_path: Path | None, repos: tuple[Path, ...], org: Path | None
) -> bool:
    """Whether --repo or --org is given (exit 2 when a ROOT or --config is too)."""
    if not repos and org is None:
        return False
    if root is not None or config_path is not None:
        fail("give a ROOT (and --config) or --repo/--org, not both: each team's config is its own")
    return True


def chosen_teams(
    root: Path | None,
    config_path: Path | None,
    repos: tuple[Path, ...],
    org: Path | None,
    jobs: int = 1,
) -> list[Team] | None:
    """The teams --repo or --org name (exit 2 on a bad one); None when neither is given and
    the command reads the one repository at root. jobs: processes to read files with. Every
    post-mortem of every team must be read (exit 2 naming each team's unreadable files, as
    for what is published): a view across teams does not leave one out without a word."""
    if not given_teams(root, config_path, repos, org):
        return None
    from postmortem_repo import api

    try:
        return api.load_teams(repos, org, jobs=jobs, complete=True)
    except PmrepoError as error:
        fail(str(error))
    return None  # not reached: fail() exits
