"""The library API behind the command line: check paths with a config, get findings.

from postmortem_repo.api import check
result = check(["post-mortems/"])
for finding in result.findings:
    print(finding.location(), finding.code, finding.message)

An editor checks its buffer as the file it will be saved as:

result = check_text(buffer, Path("post-mortems/2024/Q1/INC-2024-0015-db.md"))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.findings import Severity
from postmortem_repo.core.fixes import Applicability, Edit, Fix, apply_edits, overlapping
from postmortem_repo.lint import rules as registry
from postmortem_repo.lint.engine import CheckResult, Engine, Progress, Selection, merged
from postmortem_repo.lint.parallel import Parallelism, map_in_processes
from postmortem_repo.repo.changed import changed_post_mortems, targets_for_change, work_tree
from postmortem_repo.repo.config import Config, resolve_config
from postmortem_repo.repo.discover import (
    PathsOfRepository,
    is_repository,
    looks_like_repository,
    repositories_of,
    repository_root,
)
from postmortem_repo.store import CACHE_DIR, open_store

if TYPE_CHECKING:
    from postmortem_repo.commands.fixes import FixRun
    from postmortem_repo.model.incident import Incident
    from postmortem_repo.render.plans import Repository
    from postmortem_repo.render.teams import Team
    from postmortem_repo.repo.related import RelatedIndex
    from postmortem_repo.store.protocol import Store

__all__ = [
    "CACHE_DIR",
    "Applicability",
    "CheckResult",
    "Edit",
    "Fix",
    "Parallelism",
    "apply_fixes",
    "check",
    "check_text",
    "exit_code",
    "fix",
    "fix_text",
    "load_repository",
    "load_teams",
    "related_index",
    "report_root",
    "repository_root_of",
    "resolve_config",
]


def repository_store(root: Path, config: Config) -> Store | None:
    """The result cache in the repository's root, or none when root is no post-mortem
    repository (a lone note beside other files): pmrepo writes no cache there."""
    if not is_repository(root, config, CACHE_DIR):
        return None
    return open_store(root / CACHE_DIR, root)


def _resolved_codes(codes: Sequence[str], where: str) -> tuple[str, ...]:
    """The code prefixes the selectors stand for (codes, prefixes, ALL or rule names), through
    the registry's one resolver; an unknown one is an error naming where it was given."""
    resolved = []
    for code in codes:
        try:
            resolved.append(registry.resolve_selector(code))
        except KeyError:
            raise PmrepoError(f"{where}: {registry.unknown_selector(code)}") from None
    return tuple(resolved)


def _in_config(config: Config, key: str) -> str:
    """How a message names a config key: with its file, as the config's other errors do."""
    return f"{config.source}: invalid config at '{key}'" if config.source else key


def check(
    paths: Sequence[str | Path] = (),
    *,
    config: Config | None = None,
    config_path: Path | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    changed: str | None = None,
    cache: bool | Path = False,
    jobs: int = 1,
    parallelism: Parallelism | None = None,
    progress: Progress | None = None,
    force_exclude: bool = False,
) -> CheckResult:
    """Check files or folders of post-mortems and return every finding, sorted.

    With no paths, the configured root (or the working folder) is checked. `select`
    replaces the configured selection; `ignore` adds to the configured ignores. `changed`
    checks only what a git change touched: "" for the default (staged files in a hook,
    else the merge base with the default branch), or a ref; with paths, only what it
    touched under them. `cache`: True keeps per-file
    results in .pmrepo_cache/ under the root, a path keeps them there, False (the default
    for the library) keeps none. `jobs` > 1 checks large inputs in that many processes
    (the result is the same as a serial run's); `parallelism` sets when that pays.
    `progress` is called with (files done, files in all) as the check goes.
    A folder without a post-mortem is a finding (PM108), and so is a file named in paths
    that the config excludes (PM109), unless `force_exclude` (a hook's case) skips it.
    Raises PmrepoError (ConfigError) for a bad config or a path that does not exist.
    """
    targets = [Path(path) for path in paths]
    if config is None and len(targets) > 1:
        repositories = repositories_of(targets, config_path)
        if len(repositories) > 1:  # each checked as its own repository, with its own config
            _one_repository_only(repositories, "--changed works" if changed is not None else "")
            _one_repository_only(
                repositories, "--cache-dir works" if not isinstance(cache, bool) else ""
            )
            run = partial(
                _run,
                select=select,
                ignore=ignore,
                cache=cache,
                jobs=jobs,
                parallelism=parallelism,
                progress=progress,
                force_exclude=force_exclude,
            )
            return merged([run(r.config, r.targets, r.root) for r in repositories])
    if config is None:
        config = resolve_config(targets, config_path)
    if not targets:
        targets = [config.root or Path.cwd()]
    root = repository_root(config, targets[0])
    if changed is not None:
        changed_targets = targets_for_change(root, config, changed or None)
        # The paths given are the scope of the change.
        targets = _within(changed_targets, targets) if paths else changed_targets
    return _run(
        config,
        targets,
        root,
        select,
        ignore,
        cache=cache,
        jobs=jobs,
        parallelism=parallelism,
        progress=progress,
        checked_nothing=changed is not None,
        force_exclude=force_exclude,
    )


def _one_repository_only(repositories: list[PathsOfRepository], asked: str) -> None:
    """A PmrepoError for what works on one repository at a time ("--changed works"), asked
    of several."""
    if not asked or len(repositories) < 2:
        return
    roots = ", ".join(str(repository.root) for repository in repositories)
    raise PmrepoError(
        f"{asked} on one repository at a time, and the paths are in "
        f"{len(repositories)} ({roots}): run it on each repository on its own"
    )


def check_text(
    text: str,
    path: str | Path,
    *,
    config: Config | None = None,
    root: Path | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    buffers: Mapping[Path, str] | None = None,
    cache: bool = False,
) -> CheckResult:
    """Check text as the post-mortem at path: exactly the findings `check([path])` gives
    when the file on disk holds text. The file need not exist (an unsaved buffer); the rest
    of the repository is read from disk for the repository-wide rules, except the files
    `buffers` holds texts for (an editor's other open buffers). `config` defaults to
    the nearest config above path, `root` to the configured root, else the folder above the
    year folders. With `cache`, what the repository's other files say (their heads and
    incidents) is read from the cache under the root by their stat, as `check(cache=True)`
    reads it; the text's own results are never stored.
    """
    target = Path(path)
    if config is None:
        config = resolve_config([target if target.exists() else target.parent])
    root = root or repository_root(config, target)
    selection = _selection(config, select, ignore)
    engine = Engine(config, selection, root, buffers={**(buffers or {}), target: text})
    if not cache:
        return engine.check([target])
    # The rules' lookups only: results kept by stat would stand for the file, not the text.
    store = engine.context.cache = repository_store(root, config)
    try:
        return engine.check([target])
    finally:
        if store is not None:
            store.close()


def fix(
    paths: Sequence[str | Path] = (),
    *,
    config: Config | None = None,
    config_path: Path | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    unsafe: bool = False,
    write: bool = True,
    changed: str | None = None,
) -> FixRun:
    """Apply the fixes of the findings `check(paths)` gives: the safe ones, and the unsafe
    ones too with `unsafe` (moves included), for the rules the config's `fixable` and
    `unfixable` allow. The check runs again after each pass until nothing changes.
    `write=False` works everything out and writes nothing (FixRun.planned() gives the
    diff). A file that cannot be fixed is left untouched, its reason in FixRun.refused.
    `changed` ("" or a ref, as for check) fixes only the post-mortems a git change added
    or changed (under paths, when given), and the generated blocks they are in.
    Raises PmrepoError for a bad config or a path that does not exist.
    """
    # Imported here: a check, which fixes nothing, starts sooner without it.
    from postmortem_repo.commands.fixes import (
        Checker,
        FixRun,
        fix_and_write,
        fix_files,
        preview_after_moves,
    )

    targets = [Path(path) for path in paths]
    if config is None and len(targets) > 1:
        _one_repository_only(
            repositories_of(targets, config_path), "--fix, --fix-only and --diff work"
        )
    if config is None:
        config = resolve_config(targets, config_path)
    if not targets:
        targets = [config.root or Path.cwd()]
    root = repository_root(config, targets[0])
    selection = _selection(config, select, ignore)
    if changed is not None:
        touched = changed_post_mortems(root, config, changed or None)
        targets = _within(touched, targets) if paths else touched
        if not targets:
            return FixRun(root=root)  # nothing changed: nothing to fix

    relocated: dict[Path, Path] = {}  # a named file that --unsafe-fixes moved → where it is

    def checker(buffers: Mapping[Path, str]) -> CheckResult:
        now = [relocated.get(target.resolve(), target) for target in targets]
        return Engine(config, selection, root, buffers=buffers).check(now)

    def moved(moves: list[tuple[Path, Path]]) -> None:
        relocated.update((source.resolve(), destination) for source, destination in moves)

    def checker_for(elsewhere: Config, base: Path) -> Checker:
        return lambda buffers: Engine(elsewhere, selection, base, buffers=buffers).check([base])

    if write:
        return fix_and_write(checker, config, root, unsafe=unsafe, moved=moved)
    run = fix_files(checker, config, root, unsafe=unsafe, moves_first=True)
    if run.moves:
        preview_after_moves(run, config, root, checker_for)
    return run


def generated_blocks_check(
    config: Config, root: Path
) -> Callable[[Mapping[Path, str]], CheckResult]:
    """A check of the repository at root by the repository-wide rules that have fixes (the
    generated blocks, PM705) as the config selects them, with buffers standing for files:
    what a command that edits post-mortems itself (`actions --sync-from --fix`) runs to
    bring the blocks that count them up to date."""
    chosen = _selection(config, None, ())
    codes = tuple(
        code
        for code, rule in registry.REGISTRY.items()
        if rule.scope == "repo" and rule.fix != "none" and chosen.enabled(code)
    )
    selection = Selection(codes, (), chosen.severity)
    return lambda buffers: Engine(config, selection, root, buffers=buffers).check([root])


def fix_text(
    text: str,
    path: str | Path,
    *,
    config: Config | None = None,
    root: Path | None = None,
    buffers: Mapping[Path, str] | None = None,
) -> str:
    """text, as the post-mortem at path, with the safe fixes `check --fix` would make in it
    (pass after pass, as the config's `fixable`/`unfixable` allow); the other files as
    check_text reads them. What an editor's "fix all" writes into its buffer: moves and
    the generated blocks of other files are left to `check --fix`."""
    from postmortem_repo.commands.fixes import fix_text as fix_buffer

    target = Path(path)
    if config is None:
        config = resolve_config([target if target.exists() else target.parent])
    base = root or repository_root(config, target)
    selection = _selection(config, None, ())
    others = dict(buffers or {})

    def checker(texts: Mapping[Path, str]) -> CheckResult:
        return Engine(config, selection, base, buffers={**others, **texts}).check([target])

    return fix_buffer(checker, config, base, target, text)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> str:
    """text with the fixes' edits made, as an editor's code action would (for a buffer
    `check_text` checked): each fix in order, skipping one whose edits overlap an earlier
    one's (check again and apply once more for those). Moves are not made here."""
    chosen: list[Edit] = []
    for one in fixes:
        if not overlapping(one.edits, chosen):
            chosen.extend(one.edits)
    return apply_edits(text, chosen)


def _run(
    config: Config,
    targets: list[Path],
    root: Path,
    select: Sequence[str] | None,
    ignore: Sequence[str],
    *,
    cache: bool | Path = False,
    jobs: int = 1,
    parallelism: Parallelism | None = None,
    progress: Progress | None = None,
    checked_nothing: bool = False,
    force_exclude: bool = False,
) -> CheckResult:
    selection = _selection(config, select, ignore)
    if checked_nothing and not targets:
        return CheckResult()  # nothing changed
    store = None
    if cache is not False:
        # The default folder stays inside the repository; one the user names is theirs.
        store = repository_store(root, config) if cache is True else open_store(Path(cache))
    engine = Engine(
        config,
        selection,
        root,
        store,
        parallelism=parallelism,
        force_exclude=force_exclude,
        progress=progress,
    )
    return engine.check(targets, jobs=jobs)


def _within(files: list[Path], scope: list[Path]) -> list[Path]:
    """The files at or under one of the scope's paths (each must exist)."""
    for path in scope:
        if not path.exists():
            raise PmrepoError(f"{path}: no such file or folder")
    places = [path.resolve() for path in scope]
    return [
        file
        for file in files
        if any(file.resolve() == place or file.resolve().is_relative_to(place) for place in places)
    ]


def report_root(paths: Sequence[Path], config_path: Path | None = None) -> Path:
    """The folder a report's paths are relative to when they must not depend on the working
    folder (GitHub annotations, SARIF): the git work tree around the repository root, else
    that root."""
    config = resolve_config(paths, config_path)
    root = repository_root(config, paths[0] if paths else None).resolve()
    return work_tree(root) or root


def repository_root_of(path: str | Path, config_path: Path | None = None) -> Path:
    """The root of the repository a post-mortem belongs to: what a fix's `move_to` is
    relative to (the configured root, else the folder above the year folders)."""
    target = Path(path)
    config = resolve_config([target if target.exists() else target.parent], config_path)
    return repository_root(config, target)


def load_repository(
    root: Path | None = None,
    config_path: Path | None = None,
    *,
    complete: bool = False,
    jobs: int = 1,
    parallelism: Parallelism | None = None,
    known: bool = False,
) -> Repository:
    """The repository at root, or at any folder of it (default: the configured root, else
    the working folder), as the generators and reports read it. The incidents of unchanged
    files come from the check's cache, which learns new ones; jobs > 1 reads the others in
    that many processes (when there are enough of them). complete: every post-mortem must
    be read (what people outside the repository are shown must leave none out), else
    PmrepoError names each file that is not, with check's errors about it. complete or
    known: root must be a post-mortem repository, else PmrepoError (a view of a folder that
    is none would answer for nothing, or for every repository under it)."""
    # The generators are imported here: a check, which needs none of them, starts ~5 ms sooner.
    from postmortem_repo.render.plans import Repository

    config = resolve_config([root] if root else [], config_path)
    # root may be any folder of the repository (2024/ too): the root is the configured one,
    # else the folder above the year folders.
    base = repository_root(config, root)
    if not base.is_dir():
        raise PmrepoError(f"{base}: not a folder")
    known = known or complete
    if known and not looks_like_repository(base, config):  # before any walk
        raise PmrepoError(
            f"{base}: no .pmrepo.yaml, and no YYYY/ folder, TEMPLATE.md or post-mortem at its "
            f"top: {_NOT_A_REPOSITORY}"
        )
    store = repository_store(base, config)
    split = parallelism or Parallelism()
    read_many = partial(_incidents_in_processes, config, jobs, split) if jobs > 1 else None
    try:
        repo = Repository.load(base, config, cache=store, warn=not complete, read_many=read_many)
    finally:
        if store is not None:
            store.close()
    if complete and repo.left_out:
        raise PmrepoError(_unread(repo, config))
    if known and not (repo.incidents or repo.left_out) and config.source is None:
        # repository_store wrote no cache in a folder that is no repository
        raise PmrepoError(f"{base}: no post-mortems and no .pmrepo.yaml: {_NOT_A_REPOSITORY}")
    return repo


_NOT_A_REPOSITORY = (
    "not a post-mortem repository (name its folder, or set one up with pmrepo init); nothing "
    "was written"
)


def _unread(repo: Repository, config: Config) -> str:
    """Why the files the repository left out could not be read, as check says it."""
    found = check(repo.left_out, config=config)
    errors = [f for f in found.findings if f.severity is Severity.ERROR]
    lines = []
    for path in repo.left_out:
        shown, real = repo.shown(path), path.resolve()
        own = [
            f"{shown}:{f.line}:{f.column}: {f.code} {f.message}"
            for f in errors
            if Path(f.path).resolve() == real
        ]
        more = f" (and {len(own) - 1} more: pmrepo check {shown})" if len(own) > 1 else ""
        lines.append(own[0] + more if own else f"{shown}: no readable id and date")
    return (
        f"{len(repo.left_out)} post-mortem file(s) cannot be read; pmrepo reads all of "
        "them or none, so nothing was written:\n  " + "\n  ".join(lines)
    )


def _incidents_in_processes(
    config: Config, jobs: int, parallelism: Parallelism, files: list[tuple[Path, str]]
) -> Iterable[tuple[Incident | None, str | None]]:
    """repo.incidents.read_incident of each file, in worker processes when there are enough."""
    from postmortem_repo.repo.incidents import read_incident

    workers = parallelism.workers(jobs, len(files))
    if workers <= 1:
        return (read_incident(path, relpath, config) for path, relpath in files)
    relpaths = {path: relpath for path, relpath in files}
    paths = list(relpaths)
    return map_in_processes(
        paths, workers, parallelism.chunk, _start_reader, (config, relpaths), _read_chunk
    )


_READER: dict[str, Any] = {}  # a worker process's config and relpaths, set when it starts


def _start_reader(setup: object) -> None:
    assert isinstance(setup, tuple)
    _READER["config"], _READER["relpaths"] = setup


def _read_chunk(paths: list[Path]) -> list[tuple[Incident | None, str | None]]:
    from postmortem_repo.repo.incidents import read_incident

    config, relpaths = _READER["config"], _READER["relpaths"]
    return [read_incident(path, relpaths[path], config) for path in paths]


def load_teams(
    repos: Sequence[Path] = (), org: Path | None = None, *, jobs: int = 1, complete: bool = False
) -> list[Team]:
    """Several teams' repositories, each read with its own config: the roots given
    (`--repo`, each team named after its folder) or the teams an org.yaml lists, in its
    order. Raises PmrepoError for a bad org.yaml (naming its file and line) or a repository
    that cannot be read (with complete, a post-mortem that cannot be: each team's named)."""
    from postmortem_repo.render.teams import Team
    from postmortem_repo.repo.org import team_sources

    sources = team_sources(repos, org)
    teams, errors = [], []
    for source in sources:
        try:
            repo = load_repository(source.root, source.config_path, jobs=jobs, complete=complete)
            teams.append(Team(source.team, repo, source.url))
        except PmrepoError as error:
            errors.append(f"team {source.team}: {error}")
    if errors:  # every team's, so that one run names every file to mend
        raise PmrepoError("\n".join(errors))
    return teams


def related_index(root: Path | None = None, config_path: Path | None = None) -> RelatedIndex:
    """The repository's incidents ready to be compared (`pmrepo related`), unchanged files
    read from the cache."""
    from postmortem_repo.repo.corpus import related_index as index

    return index(root, config_path)


def _selection(config: Config, select: Sequence[str] | None, ignore: Sequence[str]) -> Selection:
    if select is not None:
        select_codes = _resolved_codes(select, "select")
    else:
        select_codes = _resolved_codes(config.select, _in_config(config, "select"))
    ignore_codes = _resolved_codes(config.ignore, _in_config(config, "ignore"))
    ignore_codes += _resolved_codes(ignore, "ignore")
    for key in ("fixable", "unfixable"):  # read by --fix and the editor's quick fixes
        _resolved_codes(getattr(config, key), _in_config(config, key))
    if not select_codes:
        raise PmrepoError("select: no rules selected (an empty --select runs nothing)")
    severity = {
        _resolved_codes([code], _in_config(config, "severity"))[0]: level
        for code, level in config.severity.items()
    }
    return Selection(select_codes, ignore_codes, severity)


def exit_code(result: CheckResult) -> int:
    """0 when nothing is at error level, 1 otherwise (2 is for usage and config errors)."""
    return 1 if any(f.severity is Severity.ERROR for f in result.findings) else 0
