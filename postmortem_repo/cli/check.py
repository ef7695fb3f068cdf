"""pmrepo check, pmrepo rules and pmrepo rule."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from postmortem_repo import api
from postmortem_repo.cli import fixing, progress
from postmortem_repo.cli.params import (
    code_list_option,
    fail,
    repository_folders,
    use_color,
)
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.writer import write_output
from postmortem_repo.lint import rules as registry
from postmortem_repo.lint.reporters import REPORTERS, append_step_summary
from postmortem_repo.lint.source import SourceLines

if TYPE_CHECKING:  # the commands import what they use: `pmrepo check` starts faster
    from postmortem_repo.commands.fixes import FixRun


class _CheckCommand(click.Command):
    """`--changed=REF` keeps REF as given even when it starts with '-': click would parse
    such a value as an option of its own (`--changed=--output=FILE` writing the report to
    FILE), and pmrepo refuses it as a revision instead (git would take it for an option).
    `--changed WORD` (a separate word) is noted: check() decides whether WORD is a revision
    or a path, as git does for its own arguments."""

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
            if arg == "--changed" and index + 1 < len(args) and args[index + 1][:1] != "-":
                ctx.meta[_CHANGED_WORD] = True
        remaining = super().parse_args(ctx, kept)
        if ref is not None:
            ctx.params["changed"] = ref
        return remaining


_CHANGED_WORD = "pmrepo.changed_word"


def _revision_or_path(paths: tuple[Path, ...], word: str) -> tuple[tuple[Path, ...], str]:
    """(paths, ref) for `--changed WORD`: WORD is a path when one exists and no branch, tag
    or commit has its name (then --changed takes the default REF); a revision otherwise (an
    unknown one is an error naming it). Both at once is an error: git's own rule."""
    from postmortem_repo.repo.changed import is_revision

    place = Path(word)
    if not place.exists():
        return paths, word
    around = paths[0] if paths else place
    if is_revision(around if around.is_dir() else around.parent, word):
        fail(
            f"--changed {word}: '{word}' is both a git revision and a path: write "
            f"--changed={word} for the revision, or give the path before --changed "
            f"(pmrepo check {word} --changed)"
        )
    return (*paths, place), ""


@click.command(cls=_CheckCommand)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@code_list_option("--select", "Only these rules (replaces the configured selection).")
@code_list_option("--ignore", "Skip these rules (added to the configured ignores).")
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
    "branch; the staged files in a git hook), and the files their ids touch. "
    "--changed=REF is always REF; in '--changed WORD', WORD is a PATH when such a path "
    "exists and no branch, tag or commit is named WORD.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print a count of findings per rule instead of the findings (text format).",
)
@click.option(
    "--show-source",
    is_flag=True,
    help="Show the offending line under each finding, with carets under its columns (text format).",
)
@click.option(
    "--quiet", "-q", is_flag=True, help="Print the findings and nothing else (no summary)."
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
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Check a file named on the command line only when `pmrepo check .` would (it follows "
    "the layout and is not excluded); skip others without a finding. For hooks that pass "
    "every staged Markdown file; without it, an excluded file named is PM109.",
)
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what remains.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix, --fix-only or --diff: apply the unsafe fixes too (moves, new sections).",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Print the fixes as a unified diff and write nothing (exit 1 when there is a fix).",
)
@click.option("--fix-only", is_flag=True, help="Apply the fixes and report nothing else (exit 0).")
def check(
    paths: tuple[Path, ...],
    output_format: str,
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...] | None,
    config_path: Path | None,
    output: Path | None,
    exit_zero: bool,
    changed: str | None,
    statistics: bool,
    show_source: bool,
    quiet: bool,
    no_cache: bool,
    jobs: int | None,
    cache_dir: Path | None,
    force_exclude: bool,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    fix_only: bool,
) -> None:
    """Check post-mortem files or folders (default: the configured root, or '.')."""
    if no_cache and cache_dir:
        fail("give --no-cache or --cache-dir, not both")
    fixed = None
    if sum((fix, diff, fix_only)) > 1:
        fail("give one of --fix, --fix-only and --diff")
    if diff and (output is not None or output_format != "text"):
        fail("--diff prints a unified diff: it takes no --output or --format")
    if changed and click.get_current_context().meta.get(_CHANGED_WORD):
        paths, changed = _revision_or_path(paths, changed)
    if fix or unsafe_fixes or diff or fix_only:
        applying = fix or fix_only
        fixed = _fix_first(
            paths, config_path, select, ignore, changed, applying, unsafe_fixes, diff
        )
        if diff:
            sys.exit(fixing.print_diff(fixed))
        if fix_only:
            click.echo(fixing.fixed_line(fixed, None, unsafe_fixes))
            sys.exit(0)
        # A file named to check that a fix moved is checked where it is now.
        moved = {source.resolve(): destination for source, destination in fixed.moves}
        paths = tuple(moved.get(path.resolve(), path) for path in paths)
    _refuse_text_only_options(output_format, statistics=statistics, show_source=show_source)
    if cache_dir is not None and _foreign_folder(cache_dir):
        fail(
            f"--cache-dir {cache_dir}: the folder has files and is not a pmrepo cache "
            "(no CACHEDIR.TAG): give a new or empty folder, or an earlier --cache-dir"
        )
    cache: bool | Path = False if no_cache else (cache_dir or True)
    try:
        with progress.shown(sys.stderr, output_format, quiet) as progress_line:
            result = api.check(
                paths,
                config_path=config_path,
                select=select,
                ignore=ignore or (),
                changed=changed,
                cache=cache,
                jobs=jobs or os.cpu_count() or 1,
                force_exclude=force_exclude,
                progress=progress_line,
            )
    except PmrepoError as error:
        fail(str(error))
        return
    stream = io.StringIO() if output else sys.stdout
    reporter = REPORTERS[output_format](
        stream,
        color=use_color(sys.stdout, output),
        quiet=quiet,
        statistics=statistics,
        source=SourceLines() if show_source else None,
        root=_annotation_root(paths, config_path, output_format),
    )
    reporter.report(result)
    if fixed is not None and not quiet:
        line = fixing.fixed_line(fixed, result, unsafe_fixes, config_path)
        click.echo(line, err=output_format != "text")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        try:
            # Paths as the annotations give them, wherever pmrepo ran.
            append_step_summary(result, summary_file, root=_report_root(paths, config_path))
        except OSError as error:
            click.echo(f"pmrepo: warning: cannot write the job summary: {error}", err=True)
    if output is not None:
        assert isinstance(stream, io.StringIO)
        try:
            write_output(
                output, stream.getvalue(), roots=repository_folders(list(paths), config_path)
            )
        except PmrepoError as error:
            fail(str(error))
        except OSError as error:
            fail(f"{output}: cannot write the report: {error.strerror or error}")
    sys.exit(0 if exit_zero else api.exit_code(result))


def _fix_first(
    paths: tuple[Path, ...],
    config_path: Path | None,
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...] | None,
    changed: str | None,
    applying: bool,
    unsafe: bool,
    diff: bool,
) -> FixRun:
    if unsafe and not (applying or diff):
        fail("--unsafe-fixes goes with --fix, --fix-only or --diff")
    return fixing.run_fixes(
        paths,
        config_path=config_path,
        select=select,
        ignore=ignore or (),
        unsafe=unsafe,
        write=not diff,
        changed=changed,
    )


def _refuse_text_only_options(output_format: str, *, statistics: bool, show_source: bool) -> None:
    for flag, given in (("--statistics", statistics), ("--show-source", show_source)):
        if given and output_format != "text":
            fail(f"{flag} works with --format text, not --format {output_format}")
    if statistics and show_source:
        fail("give --statistics or --show-source, not both")


def _annotation_root(
    paths: tuple[Path, ...], config_path: Path | None, output_format: str
) -> Path | None:
    """The folder github and sarif paths are relative to, so that annotations land on the
    right file from any folder: the git work tree around the repository, else its root."""
    if output_format not in ("github", "sarif"):
        return None
    return _report_root(paths, config_path)


def _report_root(paths: tuple[Path, ...], config_path: Path | None) -> Path | None:
    """The git work tree around the repository, else its root (None: it cannot be told)."""
    try:
        return api.report_root(list(paths), config_path)
    except PmrepoError:
        return None


def _foreign_folder(folder: Path) -> bool:
    """A folder with files in it that pmrepo did not make its cache: writing the cache's
    '.gitignore' (everything) there would hide the folder's files from git."""
    try:
        return folder.is_dir() and any(folder.iterdir()) and not (folder / "CACHEDIR.TAG").exists()
    except OSError:
        return False


@click.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown prints the table the README carries.",
)
def list_rules(output_format: str) -> None:
    """List every rule: code, name, default severity, fix (safe, unsafe, none) and summary."""
    if output_format == "markdown":
        click.echo("| code | name | severity | fix | what it checks |\n|---|---|---|---|---|")
    for rule in registry.all_rules():
        if output_format == "markdown":
            summary = rule.summary.replace("|", "\\|")
            click.echo(
                f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {rule.fix} | {summary} |"
            )
        else:
            click.echo(
                f"{rule.code}  {rule.name:<28} {rule.severity.value:<8} {rule.fix:<12} "
                f"{rule.summary}"
            )


@click.command("rule")
@click.argument("code")
def show_rule(code: str) -> None:
    """Explain one rule (by code or name), with a bad and a good example."""
    try:
        rule = registry.get(code)
    except KeyError:
        fail(registry.unknown_selector(code))
        return
    click.echo(f"{rule.code} {rule.name} (default severity: {rule.severity.value})\n")
    click.echo(rule.doc)
