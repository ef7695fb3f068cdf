"""What the commands share: parameter types, common options, and how an error ends a run."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.lint import rules as registry


def repository_folders(paths: list[Path], config_path: Path | None) -> list[Path]:
    """The folders an --output path must not leave through a symlink: the repository's root
    and the folder of its config file (often the git work tree around the root)."""
    from postmortem_repo import api
    from postmortem_repo.repo.discover import repository_root

    config = api.resolve_config(paths, config_path)
    folders = [repository_root(config, paths[0] if paths else None)]
    if config.source is not None:
        folders.append(config.source.parent)
    return folders


class CodeList(click.ParamType):  # type: ignore[type-arg]
    """A comma-separated list of rule codes, prefixes or names: `PM2,blame-judgement`; '' is
    an empty list."""

    name = "codes"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        codes = []
        for part in str(value).split(","):
            if not part.strip():
                continue
            try:
                codes.append(registry.resolve_selector(part))
            except KeyError:
                self.fail(
                    f"unknown rule code or name '{part.strip()}' (see 'pmrepo rules')", param, ctx
                )
        return tuple(codes)


class DateParam(click.ParamType):  # type: ignore[type-arg]
    name = "date"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"'{value}' is not a date like 2024-01-31", param, ctx)


class TimestampParam(click.ParamType):  # type: ignore[type-arg]
    name = "timestamp"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        from postmortem_repo.commands import timeline_sources

        try:
            return timeline_sources.parse_time(str(value), "the value")
        except PmrepoError as error:
            self.fail(str(error).replace("the value: ", ""), param, ctx)


def use_color(stream: Any, output: Path | None) -> bool:
    if output is not None or "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def fail(message: str) -> None:
    click.echo(f"pmrepo: error: {message}", err=True)
    sys.exit(2)


ROOT = click.argument(
    "root", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True)
)
CHECK_ONLY = click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; show a diff, exit 1 if stale."
)
CONFIG = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Use this config file instead of searching for one.",
)


TODAY = click.option(
    "--today",
    type=DateParam(),
    default=None,
    help="The day to measure overdue items against (default: today, in UTC).",
)
