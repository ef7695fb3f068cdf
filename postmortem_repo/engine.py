"""Run the rules: load each file once, per-document rules, repo-wide rules, then selection,
severity overrides and inline suppressions. The result is sorted and deterministic."""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from postmortem_repo import cache as cache_module
from postmortem_repo import gitdates
from postmortem_repo import rules as registry
from postmortem_repo.cache import (
    ResultCache,
    finding_from_json,
    finding_to_json,
    incident_from_json,
    incident_to_json,
)
from postmortem_repo.config import Config
from postmortem_repo.context import RepoEntry, RepoIndex, RuleContext
from postmortem_repo.discover import display_path, expand_targets, relative, walks_remembered
from postmortem_repo.document import Document, LoadFailure, parse_document, read_text
from postmortem_repo.findings import Diagnostic, Finding, Severity
from postmortem_repo.incidents import incident_of
from postmortem_repo.layouts import Layout
from postmortem_repo.repo_people import Head
from postmortem_repo.suppressions import Suppressions, parse_suppressions
from postmortem_repo.textpos import normalise

_FM_ID = re.compile(r"^id:[ \t]*['\"]?([^'\"#\s]+)", re.MULTILINE)
_LOAD_RULES = {"unreadable": "PM101", "encoding": "PM102", "too_large": "PM107"}


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def files_with_findings(self) -> int:
        return len({f.path for f in self.findings})


@dataclass
class Selection:
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    severity: dict[str, Severity]

    def enabled(self, code: str) -> bool:
        """Selected, and not ignored by an equally or more specific prefix."""
        selected = registry.matches(code, self.select)
        return selected >= 0 and selected > registry.matches(code, self.ignore)

    def severity_of(self, rule: registry.Rule) -> Severity:
        best, level = -1, rule.severity
        for prefix, override in self.severity.items():
            if rule.code.startswith(prefix) and len(prefix) > best:
                best, level = len(prefix), override
        return level


PARALLEL_MIN_FILES = 200  # below this per worker, starting processes costs more than it saves


@dataclass
class FileOutcome:
    shown: str
    key: str  # the resolved path
    findings: list[Finding]
    suppressions: Suppressions | None
    entry: RepoEntry | None


_WORKER: Engine | None = None


def _worker_start(
    config: Config,
    selection: Selection,
    root: Path,
    cache_folder: Path | None,
    fingerprint: str,
    heads: list[Head],
) -> None:
    """A worker's own engine, made from plain data (an engine holds compiled validators)."""
    global _WORKER
    cache = ResultCache(cache_folder) if cache_folder is not None else None
    _WORKER = Engine(config, selection, root, cache)
    _WORKER._fingerprint = fingerprint
    _WORKER.context.preload_heads(heads)


def _worker_run(paths: list[Path]) -> list[FileOutcome]:
    assert _WORKER is not None
    gitdates.forget()
    return [_WORKER.check_file(path) for path in paths]


class Engine:
    def __init__(
        self, config: Config, selection: Selection, root: Path, cache: ResultCache | None = None
    ) -> None:
        self.config = config
        self.selection = selection
        self.root = root
        self.context = RuleContext(config, root)
        self.rules = [rule for rule in registry.all_rules() if selection.enabled(rule.code)]
        self.cache = cache
        self._fingerprint = ""

    def check(self, targets: list[Path], jobs: int = 1) -> CheckResult:
        with walks_remembered():
            return self._check(targets, jobs)

    def _check(self, targets: list[Path], jobs: int) -> CheckResult:
        gitdates.forget()  # history may have moved since an earlier check in this process
        files = expand_targets(targets, self.root, self.config)
        result = CheckResult(files_checked=len(files))
        # Every checked file, None for those that could not be read: never read twice.
        entries: dict[str, RepoEntry | None] = {}
        suppressions: dict[str, Suppressions] = {}
        if self.cache is not None:
            self._fingerprint = self._run_fingerprint()
        workers = min(jobs, len(files) // PARALLEL_MIN_FILES)
        outcomes = self._in_parallel(files, workers) if workers > 1 else map(self.check_file, files)
        for outcome in outcomes:
            result.findings.extend(outcome.findings)
            if outcome.suppressions is not None:
                suppressions[outcome.shown] = outcome.suppressions
            entries[outcome.key] = outcome.entry
        result.findings.extend(self._check_repo(entries))
        # Stable sort: findings at one position keep the order their rule reported them in.
        result.findings = sorted(
            (
                finding
                for finding in result.findings
                if finding.path not in suppressions
                or not suppressions[finding.path].covers(finding.code, finding.line)
            ),
            key=lambda f: (f.path, f.line, f.column, f.code),
        )
        return result

    def check_file(self, path: Path) -> FileOutcome:
        """One file's own findings (from the cache when it can), suppressions and summary."""
        shown = display_path(path)
        key = str(path.resolve())
        text = read_text(path, self.config.max_file_kb)
        if isinstance(text, LoadFailure):
            return FileOutcome(shown, key, list(self._load_failure(shown, text)), None, None)
        relpath = relative(path, self.root)
        cache_key = self._key(text, relpath, path) if self.cache is not None else ""
        cached = self.cache.get(cache_key) if self.cache is not None else None
        if cached is not None:
            try:
                found, suppressed, entry = _from_cache(cached, text, shown, relpath)
            except (KeyError, TypeError, ValueError):
                pass  # an entry of the wrong shape: recompute and rewrite it
            else:
                return FileOutcome(shown, key, found, suppressed, entry)
        doc = parse_document(
            text,
            path=shown,
            relpath=relpath,
            spec=self.config.sections,
            max_front_matter_kb=self.config.max_front_matter_kb,
        )
        found = list(self._check_document(doc))
        suppressed = parse_suppressions(doc.lines, doc.front_matter.close_line)
        entry = _entry_of(doc, shown, self.config.layout)
        if self.cache is not None:
            self.cache.put(cache_key, _to_cache(found, doc, entry))
        self.context.forget(doc)
        return FileOutcome(shown, key, found, suppressed, entry)

    def _in_parallel(self, files: list[Path], workers: int) -> list[FileOutcome]:
        """The files in worker processes, in the order given: the result is the serial one.
        Each worker gets this engine (the repository's heads already read) once."""
        heads = self.context.heads()
        chunks = [files[index::workers] for index in range(workers)]
        folder = self.cache.folder if self.cache is not None else None
        arguments = (self.config, self.selection, self.root, folder, self._fingerprint, heads)
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_worker_start, initargs=arguments
        ) as pool:
            done = list(pool.map(_worker_run, chunks))
        order = {str(path): index for index, path in enumerate(files)}
        outcomes = [
            outcome
            for chunk, results in zip(chunks, done, strict=True)
            for outcome in zip(chunk, results, strict=True)
        ]
        return [outcome for _, outcome in sorted(outcomes, key=lambda item: order[str(item[0])])]

    def _run_fingerprint(self) -> str:
        """What every file's findings depend on besides the file itself."""
        parts = [cache_module.fingerprint(repr(self.config), repr(self.selection))]
        codes = {rule.code for rule in self.rules}
        if any(code.startswith("PM4") for code in codes):
            people = self.context.repo_people()
            parts.append(
                repr((sorted(people.names), sorted(people.handles), sorted(people.systems)))
            )
        if "PM703" in codes:
            parts.append(repr(sorted(self.context.repo_ids())))
        return cache_module.digest(*parts)

    def _key(self, text: str, relpath: str, path: Path) -> str:
        parts = [self._fingerprint, relpath, text]
        # The publishing deadline falls back to git when the file has no published_at.
        if any(rule.code == "PM701" for rule in self.rules) and "published_at:" not in text:
            parts.append(str(gitdates.first_commit_time(path.resolve())))
        return cache_module.digest(*parts)

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
        )

    def _load_failure(self, shown: str, failure: LoadFailure) -> Iterable[Finding]:
        rule = registry.get(_LOAD_RULES[failure.kind])
        if rule in self.rules:
            diagnostic = Diagnostic(failure.line, failure.column, failure.message)
            yield self._stamp(shown, rule, diagnostic)

    def _check_document(self, doc: Document) -> Iterable[Finding]:
        for rule in self.rules:
            if rule.check_document is not None:
                for diagnostic in rule.check_document(doc, self.context):
                    yield self._stamp(doc.path, rule, diagnostic)

    def _check_repo(self, targeted: dict[str, RepoEntry | None]) -> Iterable[Finding]:
        repo_rules = [rule for rule in self.rules if rule.check_repo is not None]
        if not repo_rules:
            return
        entries = [entry for entry in targeted.values() if entry is not None]
        for head in self.context.heads():
            if str(head.path.resolve()) not in targeted and head.path.is_file():
                relpath = relative(head.path, self.root)
                shown = display_path(head.path)
                entries.append(RepoEntry(shown, relpath, head.incident_id, 1, 1, targeted=False))
        index = RepoIndex(entries)
        for rule in repo_rules:
            assert rule.check_repo is not None
            for shown, diagnostic in rule.check_repo(index, self.context):
                yield self._stamp(shown, rule, diagnostic)


def _entry_of(doc: Document, shown: str, layout: Layout) -> RepoEntry:
    incident = doc.data.get("id")
    if not isinstance(incident, str):
        incident = layout.id_from_path(doc.relpath)
    line, column = doc.front_matter.position(("id",), of_value=True)
    return RepoEntry(shown, doc.relpath, incident, line, column, True, incident_of(doc, layout))


def _to_cache(found: list[Finding], doc: Document, entry: RepoEntry) -> dict[str, object]:
    return {
        "findings": [finding_to_json(finding) for finding in found],
        "close_line": doc.front_matter.close_line,
        "incident_id": entry.incident_id,
        "id_line": entry.id_line,
        "id_column": entry.id_column,
        "incident": incident_to_json(entry.incident),
    }


def _from_cache(
    cached: dict[str, object], text: str, shown: str, relpath: str
) -> tuple[list[Finding], Suppressions, RepoEntry]:
    findings, close_line = cached["findings"], cached["close_line"]
    if not isinstance(findings, list) or not isinstance(close_line, int):
        raise ValueError("not a pmrepo cache entry")
    found = [finding_from_json(shown, item) for item in findings]
    suppressed = parse_suppressions(normalise(text).split("\n"), close_line)
    incident = cached["incident"]
    entry = RepoEntry(
        shown,
        relpath,
        cached["incident_id"] if isinstance(cached["incident_id"], str) else None,
        int(cached["id_line"]),  # type: ignore[call-overload]
        int(cached["id_column"]),  # type: ignore[call-overload]
        True,
        incident_from_json(incident if isinstance(incident, dict) else None),
    )
    return found, suppressed, entry
