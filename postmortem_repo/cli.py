"""The `pmrepo` command line: a thin click layer over postmortem_repo.api."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from postmortem_repo import __version__, api
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.writer import write_output
from postmortem_repo.lint import rules as registry
from postmortem_repo.lint.reporters import REPORTERS, append_step_summary
from postmortem_repo.repo.discover import display_path, repository_root
from postmortem_repo.schema.validate import frontmatter_enum

if TYPE_CHECKING:  # the commands import what they use: `pmrepo check` starts faster
    from postmortem_repo.render import plans as generate
    from postmortem_repo.render.markers import PlannedWrite

SEVERITIES = frontmatter_enum("severity")  # as the front-matter schema lists them
SOURCE_KINDS = ("alertmanager", "pagerduty", "slack", "csv", "jsonl", "k8s", "git")


class CodeList(click.ParamType):  # type: ignore[type-arg]
    """A comma-separated list of rule codes or prefixes: `PM2,PM301`; '' is an empty list."""

    name = "codes"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        codes = tuple(part.strip().upper() for part in str(value).split(",") if part.strip())
        for code in codes:
            if not registry.known_prefix(code):
                self.fail(f"unknown rule code '{code}' (see 'pmrepo rules')", param, ctx)
        return codes


def _use_color(stream: Any, output: Path | None) -> bool:
    if output is not None or "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def _fail(message: str) -> None:
    click.echo(f"pmrepo: error: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pmrepo")
def main() -> None:
    """pmrepo: lint and index a repository of incident post-mortems."""


class _CheckCommand(click.Command):
    """`--changed=REF` keeps REF as given even when it starts with '-': click would parse
    such a value as an option of its own (`--changed=--output=FILE` writing the report to
    FILE), and pmrepo refuses it as a revision instead (git would take it for an option)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ref, kept = None, []
        for index, arg in enumerate(args):
            if arg == "--":
                kept += args[index:]
                break
            name, equals, value = arg.partition("=")
            if name == "--changed" and equals and value.startswith("-"):
                ref = value
            else:
                kept.append(arg)
        remaining = super().parse_args(ctx, kept)
        if ref is not None:
            ctx.params["changed"] = ref
        return remaining


@main.command(cls=_CheckCommand)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--select", type=CodeList(), default=None, help="Only these codes/prefixes.")
@click.option("--ignore", type=CodeList(), default="", help="Skip these codes/prefixes.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Use this config file instead of searching for one.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of standard output.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are errors.")
@click.option(
    "--changed",
    "changed",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[REF]",
    help="Only post-mortems changed since REF (default: the merge base with the default "
    "branch; the staged files in a git hook), and the files their ids touch.",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    default=None,
    help="Processes for large inputs (default: the number of CPUs; small inputs run in one).",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Keep the result cache here (default: .pmrepo_cache/ in the repository root).",
)
def check(
    paths: tuple[Path, ...],
    output_format: str,
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...],
    config_path: Path | None,
    output: Path | None,
    exit_zero: bool,
    changed: str | None,
    no_cache: bool,
    jobs: int | None,
    cache_dir: Path | None,
) -> None:
    """Check post-mortem files or folders (default: the configured root, or '.')."""
    if no_cache and cache_dir:
        _fail("give --no-cache or --cache-dir, not both")
    if changed is not None and paths:
        _fail("give paths or --changed, not both")
    if cache_dir is not None and _foreign_folder(cache_dir):
        _fail(
            f"--cache-dir {cache_dir}: the folder has files and is not a pmrepo cache "
            "(no CACHEDIR.TAG): give a new or empty folder, or an earlier --cache-dir"
        )
    cache: bool | Path = False if no_cache else (cache_dir or True)
    try:
        result = api.check(
            paths,
            config_path=config_path,
            select=select,
            ignore=ignore,
            changed=changed,
            cache=cache,
            jobs=jobs or os.cpu_count() or 1,
        )
    except PmrepoError as error:
        _fail(str(error))
        return
    stream = io.StringIO() if output else sys.stdout
    reporter = REPORTERS[output_format](stream, color=_use_color(sys.stdout, output))
    reporter.report(result)
    if result.files_checked == 0 and changed is None and all(path.is_dir() for path in paths):
        click.echo(
            "pmrepo: warning: no post-mortems found: pmrepo reads Markdown files under YYYY/ "
            "folders or named INC-*.md, or the paths the config's layout.path describes "
            "(pmrepo init --from-existing proposes one)",
            err=True,
        )
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        try:
            append_step_summary(result, summary_file)
        except OSError as error:
            click.echo(f"pmrepo: warning: cannot write the job summary: {error}", err=True)
    if output is not None:
        assert isinstance(stream, io.StringIO)
        try:
            write_output(output, stream.getvalue())
        except OSError as error:
            _fail(f"{output}: cannot write the report: {error.strerror or error}")
    sys.exit(0 if exit_zero else api.exit_code(result))


def _foreign_folder(folder: Path) -> bool:
    """A folder with files in it that pmrepo did not make its cache: writing the cache's
    '.gitignore' (everything) there would hide the folder's files from git."""
    try:
        return folder.is_dir() and any(folder.iterdir()) and not (folder / "CACHEDIR.TAG").exists()
    except OSError:
        return False


@main.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown prints the table the README carries.",
)
def list_rules(output_format: str) -> None:
    """List every rule: code, name, default severity and summary."""
    if output_format == "markdown":
        click.echo("| code | name | severity | what it checks |\n|---|---|---|---|")
    for rule in registry.all_rules():
        if output_format == "markdown":
            summary = rule.summary.replace("|", "\\|")
            click.echo(f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {summary} |")
        else:
            click.echo(f"{rule.code}  {rule.name:<28} {rule.severity.value:<8} {rule.summary}")


@main.command("rule")
@click.argument("code")
def show_rule(code: str) -> None:
    """Explain one rule (by code or name), with a bad and a good example."""
    try:
        rule = registry.get(code)
    except KeyError:
        _fail(f"no such rule '{code}' (see 'pmrepo rules')")
        return
    click.echo(f"{rule.code} {rule.name} (default severity: {rule.severity.value})\n")
    click.echo(rule.doc)


def _repository(root: Path | None, config_path: Path | None) -> generate.Repository:
    """The repository at ROOT (default: the configured root, else the working folder)."""
    return api.load_repository(root, config_path)


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


_ROOT = click.argument(
    "root", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True)
)
_CHECK = click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; show a diff, exit 1 if stale."
)
_CONFIG = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Use this config file instead of searching for one.",
)


@main.command("index")
@_ROOT
@_CHECK
@_CONFIG
def index_command(root: Path | None, check_only: bool, config_path: Path | None) -> None:
    """Regenerate the README index (between its pmrepo:index markers)."""
    from postmortem_repo.render import plans as generate

    try:
        repo = _repository(root, config_path)
        _finish(generate.plan_index(repo), repo, check_only)
    except PmrepoError as error:
        _fail(str(error))


@main.command("patterns")
@_ROOT
@_CHECK
@_CONFIG
@click.option("--suggest", is_flag=True, help="List recurring causes no pattern covers.")
@click.option("--write", is_flag=True, help="With --suggest: create PATTERN files for them.")
def patterns_command(
    root: Path | None, check_only: bool, config_path: Path | None, suggest: bool, write: bool
) -> None:
    """Regenerate pattern files and patterns/README.md; --suggest proposes new patterns."""
    from postmortem_repo.render import plans as generate

    if write and not suggest:
        _fail("--write needs --suggest")
    try:
        repo = _repository(root, config_path)
        if suggest:
            found = generate.suggestions(repo)
            for item in found:
                click.echo(f"{item.title}: {item.why} ({', '.join(item.incidents)})")
            if not found:
                click.echo("No recurring cause without a pattern.")
            if write and found:
                _finish(generate.plan_new_patterns(repo, found), repo, check_only)
            return
        _finish(generate.plan_patterns(repo), repo, check_only)
    except PmrepoError as error:
        _fail(str(error))


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


_TODAY = click.option(
    "--today",
    type=DateParam(),
    default=None,
    help="The day to measure overdue items against (default: today, in UTC).",
)


@main.command("actions")
@_ROOT
@_CONFIG
@click.option("--owner", help="Only this owner's items.")
@click.option("--priority", type=click.Choice(["P0", "P1", "P2"], case_sensitive=False))
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
@_TODAY
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
        repo = _repository(root, config_path)
    except PmrepoError as error:
        _fail(str(error))
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


@main.command("report")
@_ROOT
@_CONFIG
@click.option("--quarter", help="A quarter like 2024Q1 (default: the latest incident's).")
@click.option("--year", type=click.IntRange(1900, 9999), help="A whole year instead of a quarter.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@_TODAY
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
        _fail("give --quarter or --year, not both")
    try:
        repo = _repository(root, config_path)
        period = report.choose_period(repo.incidents, quarter, year)
    except PmrepoError as error:
        _fail(str(error))
        return
    day = today or dt.datetime.now(dt.UTC).date()
    built = report.build(repo.incidents, repo.repeats, period, day, repo.severities)
    click.echo(
        report.render_json(built) if output_format == "json" else report.render_markdown(built)
    )


def _services(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@main.command("new")
@_ROOT
@_CONFIG
@click.option("--title", required=True, help="What happened, in a few words.")
@click.option(
    "--severity",
    type=click.Choice(list(SEVERITIES), case_sensitive=False),
    required=True,
)
@click.option("--date", "day", type=DateParam(), default=None, help="Default: today (UTC).")
@click.option("--services", help="Comma-separated services, e.g. payment-api,knox-api.")
def new_command(
    root: Path | None,
    config_path: Path | None,
    title: str,
    severity: str,
    day: dt.date | None,
    services: str | None,
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
            severity=severity.upper(),
            date=day or dt.datetime.now(dt.UTC).date(),
            services=_services(services),
        )
    except PmrepoError as error:
        _fail(str(error))
        return
    click.echo(display_path(path))


@main.command("init")
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

    try:
        results = scaffold.init_repository(folder)
    except PmrepoError as error:
        _fail(str(error))
        return
    for path, created in results:
        click.echo(f"{'created' if created else 'kept   '} {display_path(path)}")


def _adopt(folder: Path) -> None:
    from postmortem_repo.commands import adopt

    try:
        adoption = adopt.adopt(folder)
    except PmrepoError as error:
        _fail(str(error))
        return
    for note in adoption.notes:
        click.echo(note)
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


@main.command("timeline")
@_ROOT
@_CONFIG
@click.option("--start", type=TimestampParam(), required=True, help="e.g. 2024-01-15T14:00:00Z")
@click.option("--end", type=TimestampParam(), required=True, help="e.g. 2024-01-15T15:00:00Z")
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
    start: dt.datetime,
    end: dt.datetime,
    service: str | None,
    sources: tuple[str, ...],
    into: str | None,
    output: Path | None,
) -> None:
    """Merge exported alerts, pages, deploys, chat, git and k8s events into a timeline."""
    from postmortem_repo.commands import timeline_build
    from postmortem_repo.render.markers import apply

    if into and output:
        _fail("give --into or --output, not both")
    try:
        merged = timeline_build.merge(list(sources), start, end, service)
        table = timeline_build.render(merged.events)
        for warning in merged.warnings:
            click.echo(f"pmrepo: warning: {warning}", err=True)
        if into:
            config = api.resolve_config([root] if root else [], config_path)
            base = repository_root(config, root)
            path = timeline_build.find_post_mortem(base, config, into)
            plan = [timeline_build.plan_into(path, table, display_path(path))]
            changed = apply(plan, base, display_path)
            verb = "updated" if changed else "unchanged:"
            click.echo(f"{verb} {display_path(path)} ({len(merged.events)} events)")
        elif output:
            try:
                write_output(output, table + "\n")
            except OSError as error:
                raise PmrepoError(
                    f"{output}: cannot write the timeline: {error.strerror or error}"
                ) from error
            click.echo(f"wrote {output} ({len(merged.events)} events)")
        else:
            click.echo(table)
    except PmrepoError as error:
        _fail(str(error))
