"""`pmrepo check --fix`: apply the fixes rules declare, pass after pass, through the one writer.

Each pass checks the post-mortems as they would be after the fixes so far (as buffers:
nothing is written until the end), applies every wanted fix whose edits touch no other
fix's in the same file, and checks again; it stops when a pass changes nothing, or after
MAX_PASSES. The fixes of a repository-wide rule to a file the check does not read as a
post-mortem (PM705's generated blocks) are made once the post-mortems are settled, against
that file's text on disk. Then the texts are written (or shown as a diff), and, with
unsafe fixes, misplaced files are moved as `git mv` would.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.findings import Finding
from postmortem_repo.core.fixes import (
    Applicability,
    EditConflict,
    Fix,
    apply_edits,
    overlapping,
    rewrite,
)
from postmortem_repo.core.git import run_git
from postmortem_repo.core.writer import real_target, write_atomic
from postmortem_repo.lint import rules as registry
from postmortem_repo.lint.results import CheckResult
from postmortem_repo.render.markers import PlannedWrite
from postmortem_repo.repo.changed import work_tree
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import display_path, resolved

# Checks the repository with these texts standing for the files at their paths.
Checker = Callable[[Mapping[Path, str]], CheckResult]

MAX_PASSES = 10


@dataclass
class FixRun:
    """What fixing did, or (for --diff) would do."""

    # path → (the text on disk, the fixed text), for every file whose text changes
    texts: dict[Path, tuple[str, str]] = field(default_factory=dict)
    fixed: int = 0  # fixes applied (one per finding)
    moves: list[tuple[Path, Path]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "path: why it was left untouched"
    root: Path | None = None  # the repository's root
    created: set[Path] = field(default_factory=set)  # files the fixes make (a year's README)

    def diff_base(self) -> Path | None:
        """The folder a diff's paths are relative to, as git writes them: the top of the
        git work tree around the repository, else the repository's root."""
        if self.root is None:
            return None
        return work_tree(self.root) or self.root.resolve()

    def planned(self) -> list[PlannedWrite]:
        return [
            PlannedWrite(path, None if path in self.created else old, new)
            for path, (old, new) in self.texts.items()
        ]


def fixable(code: str, config: Config) -> bool:
    """Whether the config lets --fix apply this rule's fixes (`fixable` / `unfixable`, the
    more specific selector winning, as for select and ignore)."""
    allowed = registry.matches(code, _codes(config.fixable))
    return allowed >= 0 and allowed > registry.matches(code, _codes(config.unfixable))


def _codes(selectors: Iterable[str]) -> list[str]:
    resolved = []
    for selector in selectors:
        try:
            resolved.append(registry.resolve_selector(selector))
        except KeyError:
            raise PmrepoError(f"fixable: {registry.unknown_selector(selector)}") from None
    return resolved


def wanted(finding: Finding, config: Config, unsafe: bool) -> bool:
    fix = finding.fix
    if fix is None or not fixable(finding.code, config):
        return False
    return unsafe or fix.applicability is Applicability.SAFE


def fix_files(
    check: Checker, config: Config, root: Path, *, unsafe: bool, moves_first: bool = False
) -> FixRun:
    """Work out every wanted fix of a check, in passes, without writing anything.
    `moves_first`: when files are to move, leave the generated blocks (which name the
    files' paths) for a run after the moves."""
    fixer = _Fixer(config, root, unsafe)
    result = check(fixer.buffers)
    for _ in range(MAX_PASSES):
        if not fixer.apply(result.findings, generated=False):
            break
        result = check(fixer.buffers)
    run = fixer.run
    run.root = root
    if unsafe:
        run.moves = list(_moves(result.findings, config, root, run))
    if not (moves_first and run.moves):
        fixer.apply(result.findings, generated=True)
    run.texts = {
        path: (fixer.originals[path], text)
        for path, text in fixer.buffers.items()
        if text != fixer.originals[path] and path not in fixer.refused
    }
    return run


def fix_text(check: Checker, config: Config, root: Path, path: Path, text: str) -> str:
    """text, standing for the file at path, with the safe fixes of the per-document rules
    made in it, pass after pass, as fix_files makes them in a file."""
    fixer = _Fixer(config, root, unsafe=False)
    fixer.buffers[path] = fixer.originals[path] = text
    target = resolved(path)
    for _ in range(MAX_PASSES):
        findings = [
            finding._replace(path=str(path))
            for finding in check(fixer.buffers).findings
            if resolved(Path(finding.path)) == target
        ]
        if not fixer.apply(findings, generated=False):
            break
    return fixer.buffers.get(path, text)  # refused (edits in conflict): left as it is


def preview_after_moves(
    run: FixRun, config: Config, root: Path, checker_for: Callable[[Config, Path], Checker]
) -> None:
    """For a fix that writes nothing (--diff): the generated blocks as they will be once
    the files have moved, worked out in a scratch copy of the repository (without its git
    folder and cache), and added to run as edits of the files on disk."""
    import dataclasses
    import shutil
    import tempfile

    base = root.resolve()
    with tempfile.TemporaryDirectory(prefix="pmrepo-fix-") as scratch:
        copy = Path(scratch) / "repository"
        ignored = shutil.ignore_patterns(".git", ".pmrepo_cache")
        shutil.copytree(base, copy, symlinks=True, ignore=ignored)
        for path, (_, text) in run.texts.items():
            written = copy / path.resolve().relative_to(base)
            with written.open("w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        for source, destination in run.moves:
            target = copy / destination.resolve().relative_to(base)
            target.parent.mkdir(parents=True, exist_ok=True)
            (copy / source.resolve().relative_to(base)).rename(target)
        there = dataclasses.replace(config, root=copy) if config.root is not None else config
        result = checker_for(there, copy)({})
        fixer = _Fixer(config, root, unsafe=False, run=run)
        here = copy.resolve()
        # The copy's findings, at the paths of the repository's own files.
        found = [
            finding._replace(path=str(root / Path(finding.path).resolve().relative_to(here)))
            for finding in result.findings
            if Path(finding.path).resolve().is_relative_to(here)
        ]
        fixer.apply(found, generated=True)
        for path, text in fixer.buffers.items():
            if path not in fixer.refused and text != fixer.originals[path]:
                run.texts[path] = (fixer.originals[path], text)


def fix_and_write(
    check: Checker,
    config: Config,
    root: Path,
    *,
    unsafe: bool,
    moved: Callable[[list[tuple[Path, Path]]], None] | None = None,
) -> FixRun:
    """Fix and write; after moving files, regenerate the blocks that name them. `moved`
    hears of the moves before the check runs again (a file named to check has moved)."""
    run = fix_files(check, config, root, unsafe=unsafe, moves_first=True)
    write_fixes(run, root)
    if run.moves:
        if moved is not None:
            moved(run.moves)
        after = fix_files(check, config, root, unsafe=False)
        write_fixes(after, root)
        run.fixed += after.fixed
        run.refused += after.refused
        run.created |= after.created - set(run.texts)
        for path, (_, text) in after.texts.items():
            run.texts[path] = (run.texts.get(path, after.texts[path])[0], text)
    return run


@dataclass
class _Fixer:
    config: Config
    root: Path
    unsafe: bool
    run: FixRun = field(default_factory=FixRun)
    buffers: dict[Path, str] = field(default_factory=dict)  # the texts fixed so far
    originals: dict[Path, str] = field(default_factory=dict)  # as stored
    refused: set[Path] = field(default_factory=set)

    def apply(self, findings: list[Finding], *, generated: bool) -> bool:
        """Apply one pass's fixes to the buffers; whether any text changed. `generated`:
        the fixes of repository-wide rules (made last), else the per-document rules'."""
        changed = False
        for path, fixes in _by_file(findings, self.config, self.unsafe, generated).items():
            text = self.buffers.get(path)
            if text is None and generated and self._creatable(path):
                text = self.originals[path] = ""  # a generated file not made yet
                self.run.created.add(path)
            if text is None:
                text = self._original(path)
            if text is None:
                continue
            chosen = _compatible(fixes)
            try:
                new = apply_edits(text, [edit for fix in chosen for edit in fix.edits])
            except EditConflict as error:
                self.refuse(path, str(error))
                continue
            if new != text:
                self.buffers[path] = new
                # One fix can fix several findings (a sorted timeline): each counts.
                self.run.fixed += sum(1 for fix in fixes if fix in chosen)
                changed = True
        return changed

    def _creatable(self, path: Path) -> bool:
        """Whether path is a file to create: nothing there yet (not even a dangling
        link), in a folder of the repository."""
        if path in self.refused or path.exists() or path.is_symlink():
            return False
        try:
            real_target(path, self.root, display_path(path))
        except PmrepoError as error:
            self.refuse(path, str(error))
            return False
        return True

    def _original(self, path: Path) -> str | None:
        """The file's text as stored (BOM and line endings kept), or None when it cannot
        be fixed: the reason is kept in run.refused."""
        if path in self.refused:
            return None
        try:
            text = read_for_fix(path, self.root)
        except PmrepoError as error:
            self.refuse(path, str(error))
            return None
        self.originals[path] = text
        return text

    def refuse(self, path: Path, why: str) -> None:
        self.refused.add(path)
        self.buffers.pop(path, None)
        shown = display_path(path)
        self.run.refused.append(f"{shown}: not fixed: {why.removeprefix(shown + ': ')}")


def read_for_fix(path: Path, root: Path) -> str:
    """A file's text as stored (BOM and line endings kept), to fix: PmrepoError (the
    reason) when it cannot be fixed (outside the repository, not a file, not writable)."""
    try:
        real_target(path, root, display_path(path))
        if not path.is_file():
            raise PmrepoError("not a regular file")
        if not os.access(path, os.W_OK):
            raise PmrepoError("the file is not writable")
        with path.open(encoding="utf-8", newline="") as stream:
            return stream.read()
    except (OSError, UnicodeDecodeError) as error:
        raise PmrepoError(str(error)) from error


def fix_generated_after(
    check: Checker, config: Config, root: Path, texts: Mapping[Path, tuple[str, str]]
) -> FixRun:
    """texts (path → (as stored, as edited by a command other than check)) with the fixes
    of repository-wide rules their edits call for: a generated block up to date before the
    edits is brought up to date after them (one out of date before is left as it is).
    Writes nothing; PmrepoError (file and line) when such a block's file cannot be fixed."""
    before = {_place(finding) for finding in check({}).findings}
    fixer = _Fixer(config, root, unsafe=False)
    for path, (old, new) in texts.items():
        fixer.originals[path], fixer.buffers[path] = old, new
    after = [f for f in check(fixer.buffers).findings if _place(f) not in before]
    fixer.apply(after, generated=True)
    if fixer.run.refused:
        line = next((f.line for f in after if Path(f.path) in fixer.refused), 1)
        first = fixer.run.refused[0]
        shown, why = first.split(": not fixed: ", 1)
        raise PmrepoError(
            f"{shown}:{line}: cannot update its generated block: {why}; nothing was written"
        )
    run = FixRun(root=root, fixed=fixer.run.fixed)
    run.texts = {
        path: (fixer.originals[path], text)
        for path, text in fixer.buffers.items()
        if text != fixer.originals[path]
    }
    return run


def _place(finding: Finding) -> tuple[str, str, int, str]:
    return finding.path, finding.code, finding.line, finding.message


def write_all(runs: Iterable[FixRun]) -> None:
    """Write every run's texts, or none: before the first is written, each file must still
    hold the text it was fixed from and be writable; a write that fails puts back those
    written before it. PmrepoError names the file and the line."""
    planned = [
        (run.root or Path.cwd(), path, old, new)
        for run in runs
        for path, (old, new) in run.texts.items()
    ]
    for root, path, old, new in planned:
        _unchanged_since(path, root, old, new)
    written: list[tuple[Path, Path, str]] = []
    for root, path, old, new in planned:
        try:
            write_atomic(path, new, root=root)
        except (PmrepoError, OSError) as error:
            for done_root, done_path, done_old in reversed(written):
                with contextlib.suppress(PmrepoError, OSError):
                    write_atomic(done_path, done_old, root=done_root)
            line = rewrite(old, new).line
            raise PmrepoError(
                f"{display_path(path)}:{line}: cannot write: {error}; nothing was written"
            ) from error
        written.append((root, path, old))


def _unchanged_since(path: Path, root: Path, old: str, new: str) -> None:
    shown = display_path(path)
    try:
        now = read_for_fix(path, root)
    except PmrepoError as error:
        line = rewrite(old, new).line
        why = str(error).removeprefix(shown + ": ")
        raise PmrepoError(f"{shown}:{line}: {why}; nothing was written") from error
    if now != old:
        raise PmrepoError(
            f"{shown}:{rewrite(old, now).line}: changed on disk since pmrepo read it; "
            "nothing was written (run again)"
        )


def _by_file(
    findings: list[Finding], config: Config, unsafe: bool, generated: bool
) -> dict[Path, list[Fix]]:
    found: dict[Path, list[Fix]] = {}
    for finding in findings:
        if not wanted(finding, config, unsafe) or finding.fix is None:
            continue
        if not finding.fix.edits:
            continue  # a move: made after the texts are settled
        if (registry.get(finding.code).scope == "repo") != generated:
            continue
        found.setdefault(Path(finding.path), []).append(finding.fix)
    return found


def _compatible(fixes: list[Fix]) -> list[Fix]:
    """The fixes, in order, that touch no range an earlier one touches: the others wait
    for the next pass, which sees the text as these leave it."""
    chosen: list[Fix] = []
    for fix in fixes:
        if not any(overlapping(fix.edits, other.edits) for other in chosen):
            chosen.append(fix)
    return chosen


def _moves(
    findings: list[Finding], config: Config, root: Path, run: FixRun
) -> Iterable[tuple[Path, Path]]:
    seen: set[Path] = set()
    refused: set[Path] = set()
    for finding in findings:
        if not wanted(finding, config, True) or finding.fix is None:
            continue
        target = finding.fix.move_to
        source = Path(finding.path)
        if target is None or source in refused:
            continue
        if source in seen:
            run.fixed += 1  # another finding the same move fixes
            continue
        seen.add(source)
        destination = root / target
        if destination.exists() or destination.is_symlink():
            run.refused.append(
                f"{display_path(source)}: not moved: {display_path(destination)} exists"
            )
            refused.add(source)
            continue
        run.fixed += 1
        yield source, destination


def write_fixes(run: FixRun, root: Path) -> None:
    """Write the fixed texts through the one writer, then make the moves. A file that
    cannot be written is left as it was, with its reason in run.refused."""
    for path, (_, text) in list(run.texts.items()):
        try:
            write_atomic(path, text, root=root)
        except (PmrepoError, OSError) as error:
            del run.texts[path]
            shown = display_path(path)
            run.refused.append(f"{shown}: not fixed: {str(error).removeprefix(shown + ': ')}")
    for source, destination in list(run.moves):
        try:
            move(source, destination, root)
        except (PmrepoError, OSError) as error:
            run.moves.remove((source, destination))
            run.fixed -= 1
            run.refused.append(f"{display_path(source)}: not moved: {error}")


def move(source: Path, destination: Path, root: Path) -> None:
    """Move a file as `git mv` does when git tracks it (the index learns the move), else
    rename it; never onto an existing file, never out of the repository."""
    real_target(destination, root)
    if destination.exists() or destination.is_symlink():
        raise PmrepoError(f"{display_path(destination)} exists")
    destination.parent.mkdir(parents=True, exist_ok=True)
    folder = source.parent.resolve()
    there = os.path.relpath(destination.resolve(), folder)
    if _tracked(source):
        run_git(folder, "mv", paths=[source.name, there], encoding="utf-8", errors="replace")
    else:
        os.rename(source, destination)
    if folder != root.resolve():
        with contextlib.suppress(OSError):
            folder.rmdir()  # the folder it left, when that is empty now


def _tracked(path: Path) -> bool:
    try:
        run_git(
            path.parent.resolve(),
            "ls-files",
            "--error-unmatch",
            paths=[path.name],
            encoding="utf-8",
            errors="replace",
        )
    except PmrepoError:
        return False  # not tracked, not a git work tree, or no git: a plain rename
    return True
