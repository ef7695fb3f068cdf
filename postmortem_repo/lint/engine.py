"""Run the rules: load each file once, per-document rules, repo-wide rules, then selection,
severity overrides and inline suppressions. The result is sorted and deterministic.

A text buffer (an editor's, say) is checked as if it were the file at its path: the
repository on disk is read for everything else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem_repo.core.findings import Diagnostic, Finding
from postmortem_repo.lint import rules as registry
from postmortem_repo.lint.context import RepoEntry, RepoIndex, RuleContext
from postmortem_repo.lint.parallel import Parallelism, map_in_processes
from postmortem_repo.lint.results import CheckResult, FileOutcome
from postmortem_repo.lint.selection import Selection
from postmortem_repo.lint.suppressions import PerFileIgnores, Suppressions, suppressions_of
from postmortem_repo.model.document import (
    Document,
    LoadFailure,
    parse_document,
    read_buffer,
    read_text,
)
from postmortem_repo.model.incident import Incident, incident_of
from postmortem_repo.model.layout import Layout
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import (
    Targets,
    expand_targets,
    is_excluded,
    relative,
    walks_remembered,
)
from postmortem_repo.repo.exclude import DEFAULT_EXCLUDE
from postmortem_repo.repo.gitdates import GitDates
from postmortem_repo.repo.heads import Head
from postmortem_repo.repo.pathmemo import PathMemo

if TYPE_CHECKING:
    from postmortem_repo.lint.stored import ResultKeys, StoredResults
    from postmortem_repo.store.protocol import Store

__all__ = ["CheckResult", "Engine", "FileOutcome", "Progress", "Selection"]

# Told (files done, files in all) as each file's outcome is taken in: a terminal's progress.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker process needs to check files as this engine would."""

    config: Config
    selection: Selection
    root: Path
    keys: ResultKeys | None
    heads: list[Head]
    git_dates: GitDates  # what the parent already read of git history


# A check of at most this many files takes the repository's heads from a stored summary;
# a larger one looks every file up by its stat anyway.
FEW_FILES = 32
_WORKER: Engine | None = None  # a worker process's own engine


def _worker_start(setup: object) -> None:
    """A worker's own engine, made from plain data (an engine holds compiled validators).
    Workers do not touch the store: they hand what it should keep to the parent. Git
    history is not forgotten here: a worker lives for one check, and what a forked one
    inherits was read by this check (the parent forgot earlier checks' at its start)."""
    global _WORKER
    assert isinstance(setup, WorkerSetup)
    _WORKER = Engine.for_worker(setup)


def _worker_run(paths: list[Path]) -> list[FileOutcome]:
    assert _WORKER is not None
    return [_WORKER.check_file(path) for path in paths]


class Engine:
    def __init__(
        self,
        config: Config,
        selection: Selection,
        root: Path,
        store: Store | None = None,
        *,
        parallelism: Parallelism | None = None,
        buffers: Mapping[Path, str] | None = None,
        force_exclude: bool = False,
        progress: Progress | None = None,
    ) -> None:
        self.config = config
        self.force_exclude = force_exclude
        self.progress = progress
        self.selection = selection
        self.root = root
        self.store = store
        self.parallelism = parallelism or Parallelism()
        self.rules = [rule for rule in registry.all_rules() if selection.enabled(rule.code)]
        self.needs = frozenset().union(*(rule.needs for rule in self.rules))
        self._load_rules = {rule.load_failure: rule for rule in self.rules if rule.load_failure}
        self._per_file = PerFileIgnores.of(config)
        self._paths = PathMemo()
        # Texts that stand for the files at their paths, by resolved path.
        self._buffers = {self._paths.resolved(path): text for path, text in (buffers or {}).items()}
        self.context = RuleContext(config, root, store, buffers=self._buffers)
        self._keys: ResultKeys | None = None
        self._stored: StoredResults | None = None

    @classmethod
    def for_worker(cls, setup: WorkerSetup) -> Engine:
        engine = cls(setup.config, setup.selection, setup.root)
        engine._keys = setup.keys
        engine.context.preload_heads(setup.heads)
        engine.context.git_dates = setup.git_dates
        return engine

    def check(self, targets: list[Path], jobs: int = 1) -> CheckResult:
        with walks_remembered():
            try:
                found = self._targets(targets)
                result = self._check(found.files, jobs)
                unchecked = [
                    finding
                    for finding in self._not_checked(found)
                    if registry.matches(finding.code, self.selection.ignore) < 0
                ]
                if unchecked:
                    result.findings = sorted(result.findings + unchecked, key=_position)
                return result
            finally:
                if self.store is not None:
                    self.store.close()

    def _not_checked(self, found: Targets) -> Iterable[Finding]:
        """What the check was pointed at and could not check: a folder without a post-mortem,
        a file the config excludes. Reported unless ignored by name: a check that checked
        nothing never passes quietly."""
        layout = self.config.layout
        where = (
            "Markdown files under YYYY/ folders or named INC-*.md"
            if layout.is_default
            else f"the files the config's layout '{layout.path}' describes"
        )
        for folder in found.empty:
            yield self._unchecked(
                "PM108",
                folder,
                f"no post-mortem found here: pmrepo reads {where}, and no file here is one "
                "(`pmrepo new` writes the first; `pmrepo init --from-existing` proposes a "
                "layout for the files you have)",
            )
        for path in found.excluded:
            yield self._unchecked(
                "PM109",
                path,
                f"named to be checked, but the exclude patterns ({', '.join(DEFAULT_EXCLUDE)} "
                "by default, and the config's exclude) leave it out, so it was not checked "
                "(--force-exclude skips such files without a finding)",
            )

    def _unchecked(self, code: str, path: Path, message: str) -> Finding:
        rule = registry.get(code)
        return self._stamp(self._paths.shown(path), rule, Diagnostic(1, 1, message))

    def _check(self, files: list[Path], jobs: int) -> CheckResult:
        self.context.git_dates = GitDates()  # history may have moved since an earlier check
        self._paths = PathMemo()
        cached: list[FileOutcome | None] = [None] * len(files)
        self.context.few_files = len(files) <= FEW_FILES
        self._stored = self._start_storing()
        if self._stored is not None:
            remembered = self._stored.remembered_run(files)
            if remembered is not None:
                return remembered
            cached = self._stored.outcomes(files)
        result = CheckResult(files_checked=len(files))
        # Every checked file, None for those that could not be read: never read twice.
        entries: dict[str, RepoEntry | None] = {}
        suppressions: dict[str, Suppressions] = {}
        ignored: dict[str, tuple[str, ...]] = {}
        summaries: list[str | None] = []
        outcomes = self._outcomes(files, cached, jobs)
        for done, (path, outcome) in enumerate(zip(files, outcomes, strict=True), 1):
            if self.progress is not None:
                self.progress(done, len(files))
            self._paths.remember(path, outcome.key)
            result.findings.extend(outcome.findings)
            if outcome.suppressions is not None:
                suppressions[outcome.shown] = outcome.suppressions
            if not self._per_file.empty:
                ignored[outcome.shown] = self._per_file.codes_for(relative(path, self.root))
            entries[outcome.key] = outcome.entry
            summaries.append(outcome.summary)
            if self._stored is not None:
                self._stored.keep(outcome)
        result.findings.extend(self._check_repo(entries, summaries))
        result.findings = self._unsuppressed_sorted(result.findings, suppressions, ignored)
        if self._stored is not None:
            self._stored.remember_run(result.findings)
        return result

    def _targets(self, targets: list[Path]) -> Targets:
        """The files to check; a buffer is checked even when its file is not on disk yet."""
        unsaved = [
            path
            for path in targets
            if self._paths.resolved(path) in self._buffers and not path.exists()
        ]
        found = expand_targets(
            [path for path in targets if path not in unsaved],
            self.root,
            self.config,
            force_exclude=self.force_exclude,
        )
        found.files.extend(
            path for path in unsaved if not is_excluded(relative(path, self.root), self.config)
        )
        return found

    def _start_storing(self) -> StoredResults | None:
        if self.store is None:
            return None
        # Imported here: a check without a store (a pre-commit hook's) needs none of it.
        from postmortem_repo.lint.stored import ResultKeys, StoredResults

        self._keys = ResultKeys.make(
            self.store.config_id(self.config), self.selection.cache_key(), self.needs, self.context
        )
        return StoredResults(self.store, self._keys, self.root, self._paths, self.context)

    def _outcomes(
        self, files: list[Path], cached: list[FileOutcome | None], jobs: int
    ) -> Iterable[FileOutcome]:
        """Each file's outcome, in order: stored ones as they are, the others parsed (in
        worker processes when they are many)."""
        missing = [path for path, outcome in zip(files, cached, strict=True) if outcome is None]
        workers = self.parallelism.workers(jobs, len(missing))
        if workers > 1:
            context = self.context
            setup = WorkerSetup(
                self.config,
                self.selection,
                self.root,
                self._keys,
                context.heads(),
                context.git_dates,
            )
            chunk = self.parallelism.chunk
            parsed = iter(
                map_in_processes(missing, workers, chunk, _worker_start, setup, _worker_run)
            )
        else:
            parsed = map(self.check_file, missing)
        for known in cached:
            yield known or next(parsed)

    def check_file(self, path: Path) -> FileOutcome:
        """Parse and check one file: its own findings, suppressions and summary."""
        shown = self._paths.shown(path)
        key = self._paths.resolved(path)
        if key in self._buffers:
            text = read_buffer(self._buffers[key], self.config.max_file_kb)
        else:
            text = read_text(path, self.config.max_file_kb)
        if isinstance(text, LoadFailure):
            return FileOutcome(shown, key, list(self._load_failure(shown, text)), None, None)
        relpath = relative(path, self.root)
        doc = parse_document(
            text,
            path=shown,
            relpath=relpath,
            spec=self.config.sections,
            max_front_matter_kb=self.config.max_front_matter_kb,
        )
        found = list(self._check_document(doc))
        suppressed = suppressions_of(doc.directives)
        entry = _entry_of(doc, shown, self.config.layout)
        self.context.forget(doc)
        outcome = FileOutcome(shown, key, found, suppressed.or_none(), entry)
        if self._keys is not None:
            self._keys.keep(outcome, text, relpath, suppressed, self.context.git_dates)
        return outcome

    def _stamp(self, path: str, rule: registry.Rule, diagnostic: Diagnostic) -> Finding:
        return Finding(
            path,
            diagnostic.line,
            diagnostic.column,
            rule.code,
            rule.name,
            self.selection.severity_of(rule),
            diagnostic.message,
            diagnostic.hint,
            diagnostic.end_line,
            diagnostic.end_column,
            diagnostic.fix,
        )

    def _load_failure(self, shown: str, failure: LoadFailure) -> Iterable[Finding]:
        rule = self._load_rules.get(failure.kind)
        if rule is not None:
            diagnostic = Diagnostic(failure.line, failure.column, failure.message)
            yield self._stamp(shown, rule, diagnostic)

    def _check_document(self, doc: Document) -> Iterable[Finding]:
        for rule in self.rules:
            if rule.check_document is not None:
                for diagnostic in rule.check_document(doc, self.context):
                    yield self._stamp(doc.path, rule, diagnostic)

    def _check_repo(
        self, targeted: dict[str, RepoEntry | None], summaries: list[str | None]
    ) -> list[Finding]:
        repo_rules = [rule for rule in self.rules if rule.check_repo is not None]
        if not repo_rules:
            return []
        others, whole = self._others(targeted)
        stored = self._stored
        # With an org, PM706 also reads the other teams' repositories, which the key does
        # not cover: their findings are worked out again every time (as the run's are).
        memo = (
            stored.repo_key(summaries)
            if stored is not None and whole and self.config.related_org is None
            else None
        )
        if stored is not None and memo is not None:
            remembered = stored.repo_findings(memo)
            if remembered is not None:
                return remembered
        if stored is not None and "incidents" in self.needs:
            stored.with_incidents(targeted, self.check_file)
        checked = [entry for entry in targeted.values() if entry is not None]
        parsed = {key: entry.incident for key, entry in targeted.items() if entry is not None}
        index = RepoIndex(checked + others, whole, parsed, self._paths)
        found = []
        for rule in repo_rules:
            assert rule.check_repo is not None
            for shown, diagnostic in rule.check_repo(index, self.context):
                found.append(self._stamp(shown, rule, diagnostic))
        if stored is not None and memo is not None:
            stored.remember_repo_findings(memo, found)
        return found

    def _others(self, targeted: dict[str, RepoEntry | None]) -> tuple[list[RepoEntry], bool]:
        """The post-mortems this check does not cover whose ids a checked file also uses
        (all a repository-wide rule needs of them), and whether the check covers the whole
        repository. Only those are resolved and placed: a one-file check in a repository of
        10,000 would otherwise spend a third of a second on the others' paths."""
        ids = {entry.incident_id for entry in targeted.values() if entry and entry.incident_id}
        others: list[RepoEntry] = []
        whole = True
        for head in self.context.heads():
            if not whole and head.incident_id not in ids:
                continue
            resolved = self._paths.resolved(head.path)
            if resolved in targeted:
                continue
            # An editor's buffer whose file is not saved yet stands for that file.
            if resolved not in self._buffers and not self._is_file(head.path):
                continue
            whole = False
            if head.incident_id in ids:
                relpath = relative(head.path, self.root)
                shown = self._paths.shown(head.path)
                others.append(RepoEntry(shown, relpath, head.incident_id, 1, 1, targeted=False))
        return others, whole

    def _unsuppressed_sorted(
        self,
        findings: list[Finding],
        suppressions: dict[str, Suppressions],
        ignored: dict[str, tuple[str, ...]],
    ) -> list[Finding]:
        """The findings neither per_file_ignores nor a directive hides, sorted; with the
        directives that hid nothing when PM903 runs."""
        kept: list[Finding] = []
        hidden: dict[str, list[tuple[str, int]]] = {}
        for finding in findings:
            if ignored and registry.matches(finding.code, ignored.get(finding.path, ())) >= 0:
                continue
            found = suppressions.get(finding.path)
            if found is not None and found.covers(finding.code, finding.line):
                hidden.setdefault(finding.path, []).append((finding.code, finding.line))
            else:
                kept.append(finding)
        kept.extend(self._judge_directives(suppressions, hidden, ignored))
        return sorted(kept, key=_position)

    def _judge_directives(
        self,
        suppressions: dict[str, Suppressions],
        hidden: dict[str, list[tuple[str, int]]],
        ignored: dict[str, tuple[str, ...]],
    ) -> Iterable[Finding]:
        """What the rules about directives (PM903) say of each file's, by what they hid."""
        judges = [rule for rule in self.rules if rule.check_suppressions is not None]
        ran = [rule.code for rule in self.rules if rule.check_suppressions is None]
        for rule in judges:
            assert rule.check_suppressions is not None
            for path, found in suppressions.items():
                if registry.matches(rule.code, ignored.get(path, ())) < 0:
                    unused = found.unused(hidden.get(path, []))
                    for diagnostic in rule.check_suppressions(unused, ran):
                        yield self._stamp(path, rule, diagnostic)

    def _is_file(self, path: Path) -> bool:
        if self._stored is not None:
            return self._stored.is_file(path)
        return path.is_file()


def merged(results: list[CheckResult]) -> CheckResult:
    """The results of checks of several repositories as one: every finding, sorted."""
    findings = [finding for result in results for finding in result.findings]
    checked = sum(result.files_checked for result in results)
    return CheckResult(sorted(findings, key=_position), checked)


def _position(finding: Finding) -> tuple[str, int, int, str]:
    """How findings are sorted. The sort is stable: findings at one position keep the order
    their rule reported them in."""
    return finding.path, finding.line, finding.column, finding.code


def _entry_of(doc: Document, shown: str, layout: Layout) -> RepoEntry:
    incident = doc.data.get("id")
    if not isinstance(incident, str):
        incident = layout.id_from_path(doc.relpath)
    line, column = doc.front_matter.position(("id",), of_value=True)
    return RepoEntry(
        shown, doc.relpath, incident, line, column, True, slim(incident_of(doc, layout))
    )


def slim(incident: Incident | None) -> Incident | None:
    """The incident without the cell positions of its action items: only rules look at
    those, and a repository's worth of them is most of a check's memory."""
    if incident is None or not incident.action_items:
        return incident
    items = tuple(dataclasses.replace(item, columns={}) for item in incident.action_items)
    return dataclasses.replace(incident, action_items=items)
