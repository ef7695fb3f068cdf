"""pmrepo new, pmrepo init and pmrepo timeline: what starts or fills in post-mortems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from postmortem_repo import api
from postmortem_repo.cli.params import (
    CONFIG,
    ROOT,
    DateParam,
    SpelledChoice,
    TimestampParam,
    fail,
    repository_folders,
)
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.writer import write_output
from postmortem_repo.repo.discover import display_path, repository_root
from postmortem_repo.schema.validate import frontmatter_enum

if TYPE_CHECKING:  # the commands import what they use: `pmrepo check` starts faster
    pass

SEVERITIES = frontmatter_enum("severity")  # as the front-matter schema lists them
SOURCE_KINDS = ("alertmanager", "pagerduty", "slack", "csv", "jsonl", "k8s", "git")


def _services(values: tuple[str, ...]) -> list[str]:
    """Every use of --services, each comma-separated: `--services a --services b,c` is three."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@click.command("new")
@ROOT
@CONFIG
@click.option("--title", required=True, help="What happened, in a few words.")
@click.option(
    "--severity",
    type=SpelledChoice(SEVERITIES),
    required=True,
)
@click.option("--date", "day", type=DateParam(), default=None, help="Default: today (UTC).")
@click.option(
    "--services",
    multiple=True,
    help="Services, comma-separated or repeated, e.g. payment-api,knox-api.",
)
def new_command(
    root: Path | None,
    config_path: Path | None,
    title: str,
    severity: str,
    day: dt.date | None,
    services: tuple[str, ...],
) -> None:
    """Start the next post-mortem (INC-YYYY-NNNN) from TEMPLATE.md, as a DRAFT."""
    from postmortem_repo.commands import scaffold

    try:
        config = api.resolve_config([root] if root else [], config_path)
        base = repository_root(config, root)
        path = scaffold.new_post_mortem(
            base,
            config,
            title=title,
            severity=severity,
            date=day or dt.datetime.now(dt.UTC).date(),
            services=_services(services),
        )
    except PmrepoError as error:
        fail(str(error))
        return
    click.echo(display_path(path))


@click.command("init")
@click.argument("folder", required=False, type=click.Path(path_type=Path), default=Path("."))
@click.option(
    "--from-existing",
    "existing",
    is_flag=True,
    help="Read the post-mortems already in FOLDER and propose a config and a sections schema "
    "that fit them (file names, headings, tables), instead of the default layout.",
)
def init_command(folder: Path, existing: bool) -> None:
    """Set up a post-mortem repository: config, TEMPLATE.md, README, patterns/, pre-commit.

    With --from-existing, adopt a repository that already has post-mortems in its own
    format: nothing of theirs is changed, files that exist are kept.
    """
    if existing:
        _adopt(folder)
        return
    from postmortem_repo.commands import scaffold

    source = scaffold.hooks_source()
    try:
        results = scaffold.init_repository(folder, source)
    except PmrepoError as error:
        fail(str(error))
        return
    for path, created in results:
        click.echo(f"{'created' if created else 'kept   '} {display_path(path)}")
    click.echo("\n" + "\n".join(scaffold.next_steps(folder, results, source)))


def _adopt(folder: Path) -> None:
    from postmortem_repo.commands import adopt
    from postmortem_repo.render.escape import terminal_text

    try:
        adoption = adopt.adopt(folder)
    except PmrepoError as error:
        fail(str(error))
        return
    for note in adoption.notes:
        click.echo(terminal_text(note))
    if adoption.kept_config is not None:
        click.echo(
            f"{display_path(adoption.kept_config)} is this repository's config and was kept; "
            "nothing was written. The proposal, to merge by hand:\n",
            err=True,
        )
        click.echo(adoption.proposal, nl=False)
        return
    for path, created in adoption.written:
        click.echo(f"{'created' if created else 'kept   '} {display_path(path)}")
    from postmortem_repo.commands import scaffold

    click.echo("\n" + "\n".join(scaffold.adoption_next_steps()))


@click.command("timeline")
@ROOT
@CONFIG
@click.option(
    "--start",
    type=TimestampParam(),
    help="e.g. 2024-01-15T14:00:00Z (with --into, default: the incident's started_at).",
)
@click.option(
    "--end",
    type=TimestampParam(),
    help="e.g. 2024-01-15T15:00:00Z (with --into, default: the incident's resolved_at).",
)
@click.option("--service", help="Only events of this service, where a source says.")
@click.option(
    "--source",
    "sources",
    multiple=True,
    required=True,
    metavar="KIND:PATH",
    help=f"An export to read; KIND is one of {', '.join(SOURCE_KINDS)}.",
)
@click.option("--into", "into", metavar="INC-YYYY-NNNN", help="Write into this post-mortem.")
@click.option(
    "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the table here."
)
def timeline_command(
    root: Path | None,
    config_path: Path | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    service: str | None,
    sources: tuple[str, ...],
    into: str | None,
    output: Path | None,
) -> None:
    """Merge exported alerts, pages, deploys, chat, git and k8s events into a timeline."""
    from postmortem_repo.commands import timeline_build
    from postmortem_repo.render.markers import apply

    if into and output:
        fail("give --into or --output, not both")
    if not into and (start is None or end is None):
        fail("give --start and --end (with --into, they default to the incident's own times)")
    try:
        if into:
            config = api.resolve_config([root] if root else [], config_path)
            base = repository_root(config, root)
            path = timeline_build.find_post_mortem(base, config, into)
            if start is None or end is None:
                own_start, own_end = timeline_build.incident_window(
                    path, config, display_path(path)
                )
                start, end = start or own_start, end or own_end
        assert start is not None and end is not None
        merged = timeline_build.merge(list(sources), start, end, service)
        table = timeline_build.render(merged.events)
        for warning in merged.warnings:
            click.echo(f"pmrepo: warning: {warning}", err=True)
        if into:
            plan = [timeline_build.plan_into(path, table, display_path(path))]
            changed = apply(plan, base, display_path)
            verb = "updated" if changed else "unchanged:"
            click.echo(f"{verb} {display_path(path)} ({len(merged.events)} events)")
        elif output:
            try:
                folders = repository_folders([root] if root else [], config_path)
                write_output(output, table + "\n", roots=folders)
            except OSError as error:
                raise PmrepoError(
                    f"{output}: cannot write the timeline: {error.strerror or error}"
                ) from error
            click.echo(f"wrote {output} ({len(merged.events)} events)")
        else:
            click.echo(table)
    except PmrepoError as error:
        fail(str(error))
