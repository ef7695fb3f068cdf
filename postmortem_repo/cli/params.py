"""What the commands share: parameter types, common options, and how an error ends a run."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from postmortem_repo.core.errors import PmrepoError

F = TypeVar("F", bound=Callable[..., Any])


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
        from postmortem_repo.lint import rules as registry  # the rules, only where codes are

        codes = []
        for part in str(value).split(","):
            if not part.strip():
                continue
            try:
                codes.append(registry.resolve_selector(part))
            except KeyError:
                self.fail(registry.unknown_selector(part), param, ctx)
        return tuple(codes)


def joined_codes(
    ctx: click.Context, param: click.Parameter, value: tuple[tuple[str, ...], ...]
) -> tuple[str, ...] | None:
    """A repeatable code-list option's uses joined, as ruff joins them: `--select PM4
    --select PM2` selects both. None when the option was not given (the config decides)."""
    if not value:
        return None
    return tuple(code for codes in value for code in codes)


def code_list_option(name: str, help_text: str) -> Callable[[F], F]:
    """A repeatable option taking comma-separated rule codes, prefixes or names."""
    return click.option(
        name,
        type=CodeList(),
        multiple=True,
        callback=joined_codes,
        metavar="CODES",
        help=help_text + " Comma-separated or repeated; codes, prefixes (PM4) or rule names.",
    )


class SpelledChoice(click.Choice):  # type: ignore[type-arg]
    """A choice matched in any case and always shown as the schema spells it: `--severity
    sev2` is SEV2, and help and errors list SEV1, SEV2, ... (click's case-insensitive
    choice would list them in lower case)."""

    def __init__(self, choices: Sequence[str]) -> None:
        super().__init__(choices, case_sensitive=True)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        for choice in self.choices:
            if str(value).casefold() == str(choice).casefold():
                return choice
        return super().convert(value, param, ctx)


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
