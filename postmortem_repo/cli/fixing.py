"""`pmrepo check --fix / --diff / --fix-only / --unsafe-fixes`: what they print."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from postmortem_repo import api
from postmortem_repo.cli.params import fail
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.fixes import Applicability
from postmortem_repo.repo.discover import display_path, printable

if TYPE_CHECKING:
    from postmortem_repo.commands.fixes import FixRun
    from postmortem_repo.lint.results import CheckResult


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def run_fixes(
    paths: tuple[Path, ...],
    *,
    config_path: Path | None,
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...],
    unsafe: bool,
    write: bool,
    changed: str | None = None,
) -> FixRun:
    try:
        run = api.fix(
            paths,
            config_path=config_path,
            select=select,
            ignore=ignore,
            unsafe=unsafe,
            write=write,
            changed=changed,
        )
    except PmrepoError as error:
        fail(str(error))
        raise  # fail() exits
    for message in run.refused:
        click.echo(f"pmrepo: warning: {message}", err=True)
    return run


def print_diff(run: FixRun) -> int:
    """The fixes as a unified diff, its paths relative to the top of the git work tree
    (else the repository's root), as git writes them: `git apply`, or `patch -p1` from
    there, applies it wherever pmrepo ran. On standard error: how many findings they fix;
    1 when there is anything to fix."""
    print_diffs(run)
    base = run.diff_base()
    for source, destination in run.moves:
        old, new = _diff_path(source, base), _diff_path(destination, base)
        sys.stdout.write(
            f"diff --git a/{old} b/{new}\nsimilarity index 100%\n"
            f"rename from {old}\nrename to {new}\n"
        )
    fixes = run.fixed
    click.echo(f"Would fix {_plural(fixes, 'finding')}." if fixes else "Nothing to fix.", err=True)
    return 1 if fixes else 0


def print_diffs(run: FixRun) -> None:
    """The changed texts of a fix as a unified diff (see print_diff)."""
    base = run.diff_base()
    for planned in run.planned():
        sys.stdout.write(planned.diff(_diff_path(planned.path, base)))


def _diff_path(path: Path, base: Path | None) -> str:
    if base is not None:
        for candidate in (Path(os.path.abspath(path)), path.resolve()):
            if candidate.is_relative_to(base):
                return printable(candidate.relative_to(base).as_posix())
    return display_path(path)


def fixed_line(
    run: FixRun, remaining: CheckResult | None, unsafe: bool, config_path: Path | None = None
) -> str:
    """The summary of a --fix: fixed, remaining, and what --unsafe-fixes would add."""
    files = len(run.texts) + len(run.moves)
    line = f"Fixed {_plural(run.fixed, 'finding')} in {_plural(files, 'file')}"
    if remaining is None:
        return line + "."
    left = len(remaining.findings)
    line += f"; {left} {'remains' if left == 1 else 'remain'}"
    hidden = 0 if unsafe else _unsafe_fixable(remaining, config_path)
    if hidden:
        line += f" ({hidden} more fixable with --unsafe-fixes)"
    return line + "."


def _unsafe_fixable(result: CheckResult, config_path: Path | None) -> int:
    """How many findings left have an unsafe fix the config lets --unsafe-fixes make."""
    from postmortem_repo.commands.fixes import wanted

    config = api.resolve_config([Path(f.path) for f in result.findings[:1]], config_path)
    return sum(
        1
        for finding in result.findings
        if wanted(finding, config, True)
        and finding.fix is not None
        and finding.fix.applicability is Applicability.UNSAFE
    )
