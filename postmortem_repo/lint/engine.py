"""Run the rules: load each file once, per-document rules, repo-wide rules, then selection,
severity overrides and inline suppressions. The result is sorted and deterministic."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postmortem_repo.core.findings import Diagnostic, Finding, Severity
from postmortem_repo.lint import rules as registry
from postmortem_repo.lint.context import RepoEntry, RepoIndex, RuleContext
from postmortem_repo.lint.suppressions import Suppressions, parse_suppressions
from postmortem_repo.model.document import Document, LoadFailure, parse_document, read_text
from postmortem_repo.model.incident import Incident, encode_incident, incident_of
from postmortem_repo.model.layout import Layout
from postmortem_repo.repo import gitdates
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import expand_targets, relative, walks_remembered
from postmortem_repo.repo.heads import Head, file_facts
from postmortem_repo.repo.pathmemo import PathMemo
from postmortem_repo.store import cache as cache_module
from postmortem_repo.store.cache import ResultCache, finding_from_json, finding_to_json

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


Keys = tuple[str, str, str]  # a file's (entry key, relpath, content digest) in the cache
PARALLEL_MIN_FILES = 200  # below this per worker, starting processes costs more than it saves
CHUNK = 50  # files a worker checks per task


@dataclass
class FileOutcome:
    shown: str
    key: str  # the resolved path
    findings: list[Finding]
    suppressions: Suppressions | None
    entry: RepoEntry | None
    # What a check with a cache keeps of a parsed file: (entry key, entry, incident key,
    # incident), encoded where the file was parsed (in a worker, for a parallel check).
    rows: tuple[str, str, str, str] | None = None
    # What repository-wide rules see of the file (its RepoEntry), as a digest, when there is
    # a cache: equal summaries, equal repository-wide findings.
    summary: str | None = None


_WORKER: Engine | None = None


def _worker_start(
    config: Config,
    selection: Selection,
    root: Path,
    caching: bool,
    fingerprint: str,
    heads: list[Head],
) -> None:
    """A worker's own engine, made from plain data (an engine holds compiled validators).
    Workers do not touch the cache: they hand what it should keep to the parent."""
    global _WORKER
    _WORKER = Engine(config, selection, root)
    _WORKER._caching = caching
    _WORKER._fingerprint = fingerprint
    _WORKER.context.preload_heads(heads)
    # Git history is not forgotten here: a worker lives for one check, and what a forked
    # one inherits was read by this check (the parent forgot earlier checks' at its start).


def _worker_run(paths: list[Path]) -> list[FileOutcome]:
    assert _WORKER is not None
    return [_WORKER.check_file(path) for path in paths]


class Engine:
    def __init__(
        self, config: Config, selection: Selection, root: Path, cache: ResultCache | None = None
    ) -> None:
        self.config = config
        self.selection = selection
        self.root = root
        self.context = RuleContext(config, root, cache)
        self.rules = [rule for rule in registry.all_rules() if selection.enabled(rule.code)]
        self.cache = cache
        self._caching = cache is not None
        self._fingerprint = ""
        self._config_id = cache_module.digest(repr(config))
        # The generated-blocks rule reads every checked file's incident.
        self._wants_incidents = any(rule.code == "PM705" for rule in self.rules)
        self._incident_keys: dict[str, str] = {}  # resolved path → incident key, if cached
        self._paths = PathMemo()

    def check(self, targets: list[Path], jobs: int = 1) -> CheckResult:
        with walks_remembered():
            try:
                return self._check(targets, jobs)
            finally:
                if self.cache is not None:
                    self.cache.close()

    def _check(self, targets: list[Path], jobs: int) -> CheckResult:
        gitdates.forget()  # history may have moved since an earlier check in this process
        files = expand_targets(targets, self.root, self.config)
        result = CheckResult(files_checked=len(files))
        # Every checked file, None for those that could not be read: never read twice.
        entries: dict[str, RepoEntry | None] = {}
        suppressions: dict[str, Suppressions] = {}
        self._paths = PathMemo()
        self._incident_keys = {}
        cached: list[FileOutcome | None] = [None] * len(files)
        run_key = None
        if self.cache is not None:
            self._fingerprint = self._run_fingerprint()
            keys = self._keys(files, self.cache)
            run_key = self._run_key(files, keys)
            remembered = self._remembered_run(run_key, len(files))
            if remembered is not None:
                return remembered
            cached = self._cached(files, keys, self.cache)
        # Only what the cache does not know is parsed, in worker processes when it is a lot.
        missing = [path for path, outcome in zip(files, cached, strict=True) if outcome is None]
        workers = min(jobs, len(missing) // PARALLEL_MIN_FILES)
        parsed = iter(
            self._in_parallel(missing, workers) if workers > 1 else map(self.check_file, missing)
        )
        summaries: list[str | None] = []
        for path, known in zip(files, cached, strict=True):
            outcome = known or next(parsed)
            self._paths.remember(path, outcome.key)
            result.findings.extend(outcome.findings)
            if outcome.suppressions is not None:
                suppressions[outcome.shown] = outcome.suppressions
            entries[outcome.key] = outcome.entry
            summaries.append(outcome.summary)
            if outcome.rows is not None and self.cache is not None:
                self.cache.put(*outcome.rows)
                outcome.rows = None
        result.findings.extend(self._check_repo(entries, summaries))
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
        if run_key is not None and self.cache is not None:
            rows = [[f.path, finding_to_json(f)] for f in result.findings]
            self.cache.put_entry(run_key, json.dumps({"findings": rows}, ensure_ascii=False))
        return result

    def _keys(self, files: list[Path], cache: ResultCache) -> list[Keys | None]:
        """Each file's (entry key, relpath, content digest), found by its stat when it can
        be; None for a file that cannot be read (check_file says why)."""
        keys: list[Keys | None] = []
        for path in files:
            facts = file_facts(path, cache)
            if facts is None:
                keys.append(None)
                continue
            relpath = relative(path, self.root)
            key = self._key(facts.digest, facts.published_at, relpath, path)
            keys.append((key, relpath, facts.digest))
        return keys

    def _run_key(self, files: list[Path], keys: list[Keys | None]) -> str | None:
        """What a whole run's result depends on: every checked file (its entry key covers
        its content, path, the config and what it depends on), the post-mortems the check
        does not cover (their ids), where findings are shown from, the generated files."""
        if not keys or None in keys:
            return None
        checked = [f"{path}\0{keyed[0]}" for path, keyed in zip(files, keys, strict=True) if keyed]
        heads = sorted(f"{head.path}\0{head.incident_id}" for head in self.context.heads())
        parts = ["run", self._fingerprint, os.getcwd(), *checked, "heads", *heads]
        return cache_module.digest(*parts, *self._generated_stamps())

    def _remembered_run(self, run_key: str | None, files_checked: int) -> CheckResult | None:
        if run_key is None or self.cache is None:
            return None
        stored = self.cache.get([run_key]).get(run_key)
        if stored is None:
            return None
        try:
            findings = [finding_from_json(path, item) for path, item in stored["findings"]]
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # a damaged entry: the run is made again and the entry rewritten
        return CheckResult(findings, files_checked)

    def _cached(
        self, files: list[Path], keys: list[Keys | None], cache: ResultCache
    ) -> list[FileOutcome | None]:
        """Unchanged files' outcomes from the cache (None for the others), all looked up
        at once."""
        known = [key for key in keys if key is not None]
        stored = cache.get([key for key, _, _ in known])
        outcomes: list[FileOutcome | None] = []
        for path, keyed in zip(files, keys, strict=True):
            outcome = None
            if keyed is not None and keyed[0] in stored:
                key, relpath, content = keyed
                found = stored.pop(key)
                shown, resolved = self._paths.shown(path), self._paths.resolved(path)
                with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
                    # An entry of the wrong shape is recomputed and rewritten.
                    outcome = _from_cache(found, shown, resolved, relpath, None)
                    # The incident is read only if a repository-wide rule needs it.
                    incident_key = cache_module.incident_key(self._config_id, relpath, content)
                    self._incident_keys[resolved] = incident_key
            outcomes.append(outcome)
        return outcomes

    def _with_incidents(self, targeted: dict[str, RepoEntry | None]) -> None:
        """Give cached entries their incidents (for PM705), from the cache or, when it has
        lost one, from the file itself."""
        if not self._wants_incidents or not self._incident_keys or self.cache is None:
            return
        incidents = self.cache.get_incidents(list(self._incident_keys.values()))
        for resolved, incident_key in self._incident_keys.items():
            entry = targeted.get(resolved)
            if entry is None:
                continue
            if incident_key in incidents:
                targeted[resolved] = dataclasses.replace(entry, incident=incidents[incident_key])
            else:
                outcome = self.check_file(Path(resolved))
                targeted[resolved] = outcome.entry
                if outcome.rows is not None:
                    self.cache.put(*outcome.rows)
        self._incident_keys = {}

    def check_file(self, path: Path) -> FileOutcome:
        """Parse and check one file: its own findings, suppressions and summary."""
        shown = self._paths.shown(path)
        key = self._paths.resolved(path)
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
        suppressed = parse_suppressions(doc.lines, doc.front_matter.close_line)
        entry = _entry_of(doc, shown, self.config.layout)
        self.context.forget(doc)
        outcome = FileOutcome(shown, key, found, _or_none(suppressed), entry)
        if self._caching:
            content = cache_module.digest_of(text)
            incident = encode_incident(entry.incident)
            incident_digest = cache_module.digest(incident)
            outcome.summary = _summary(entry, incident_digest)
            outcome.rows = (
                self._key(content, "published_at:" in text, relpath, path),
                _to_cache(found, suppressed, entry, incident_digest),
                cache_module.incident_key(self._config_id, relpath, content),
                incident,
            )
        return outcome

    def _in_parallel(self, files: list[Path], workers: int) -> Iterator[FileOutcome]:
        """The files in worker processes, in the order given: the result is the serial one.
        Each worker gets this engine (the repository's heads already read) once; outcomes
        come back a chunk at a time, so that the parent never holds them all twice."""
        heads = self.context.heads()
        chunks = [files[start : start + CHUNK] for start in range(0, len(files), CHUNK)]
        arguments = (
            self.config,
            self.selection,
            self.root,
            self._caching,
            self._fingerprint,
            heads,
        )
        from concurrent.futures import ProcessPoolExecutor  # 7 ms: only when it is used

        with ProcessPoolExecutor(
            max_workers=workers, initializer=_worker_start, initargs=arguments
        ) as pool:
            for done in pool.map(_worker_run, chunks):
                yield from done

    def _run_fingerprint(self) -> str:
        """What every file's findings depend on besides the file itself."""
        parts = [cache_module.fingerprint(self._config_id, repr(self.selection))]
        codes = {rule.code for rule in self.rules}
        if any(code.startswith("PM4") for code in codes):
            people = self.context.repo_people()
            parts.append(
                repr((sorted(people.names), sorted(people.handles), sorted(people.systems)))
            )
        if "PM703" in codes:
            parts.append(repr(sorted(self.context.repo_ids())))
        return cache_module.digest(*parts)

    def _key(self, content: str, published_at: bool, relpath: str, path: Path) -> str:
        """The entry key of a file whose bytes hash to content."""
        parts = [self._fingerprint, relpath, content]
        # The publishing deadline falls back to git when the file has no published_at.
        if not published_at and any(rule.code == "PM701" for rule in self.rules):
            parts.append(str(gitdates.first_commit_time(Path(self._paths.resolved(path)))))
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

    def _check_repo(
        self, targeted: dict[str, RepoEntry | None], summaries: list[str | None]
    ) -> list[Finding]:
        repo_rules = [rule for rule in self.rules if rule.check_repo is not None]
        if not repo_rules:
            return []
        others, whole = self._others(targeted)
        memo = self._repo_memo_key(summaries) if whole else None
        if memo is not None and self.cache is not None:
            stored = self.cache.get([memo]).get(memo)
            with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
                if stored is not None:
                    return [finding_from_json(path, item) for path, item in stored["findings"]]
        self._with_incidents(targeted)
        checked = [entry for entry in targeted.values() if entry is not None]
        parsed = {key: entry.incident for key, entry in targeted.items() if entry is not None}
        index = RepoIndex(checked + others, whole, parsed, self._paths)
        found = []
        for rule in repo_rules:
            assert rule.check_repo is not None
            for shown, diagnostic in rule.check_repo(index, self.context):
                found.append(self._stamp(shown, rule, diagnostic))
        if memo is not None and self.cache is not None:
            rows = [[f.path, finding_to_json(f)] for f in found]
            self.cache.put_entry(memo, json.dumps({"findings": rows}, ensure_ascii=False))
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
            if self._paths.resolved(head.path) in targeted or not self._is_file(head.path):
                continue
            whole = False
            if head.incident_id in ids:
                relpath = relative(head.path, self.root)
                shown = self._paths.shown(head.path)
                others.append(RepoEntry(shown, relpath, head.incident_id, 1, 1, targeted=False))
        return others, whole

    def _repo_memo_key(self, summaries: list[str | None]) -> str | None:
        """What the repository-wide rules' findings depend on, when every file has a
        summary: what they see of every file (its id, where it is, its incident), the
        config, where the findings are shown from, and the generated files."""
        if self.cache is None or not summaries or None in summaries:
            return None
        parts = ["repo-rules", self._fingerprint, os.getcwd(), *sorted(filter(None, summaries))]
        return cache_module.digest(*parts, *self._generated_stamps())

    def _generated_stamps(self) -> list[str]:
        """The README indexes and pattern files, which PM705 compares against."""
        generated = [self.root / "README.md", *sorted(self.root.glob("*/README.md"))]
        generated += sorted((self.root / "patterns").glob("*.md"))
        stamps = []
        for path in generated:
            try:
                content = cache_module.digest(path.read_bytes())
            except OSError:
                content = "-"
            stamps.append(f"{relative(path, self.root)}:{content}")
        return stamps

    def _is_file(self, path: Path) -> bool:
        """path.is_file(), from what this run learnt of the file when it can."""
        if self.cache is not None and self.cache.known_facts(os.path.abspath(path)):
            return True
        return path.is_file()


def _entry_of(doc: Document, shown: str, layout: Layout) -> RepoEntry:
    incident = doc.data.get("id")
    if not isinstance(incident, str):
        incident = layout.id_from_path(doc.relpath)
    line, column = doc.front_matter.position(("id",), of_value=True)
    return RepoEntry(
        shown, doc.relpath, incident, line, column, True, _slim(incident_of(doc, layout))
    )


def _slim(incident: Incident | None) -> Incident | None:
    """The incident without the cell positions of its action items: only rules look at
    those, and a repository's worth of them is most of a check's memory."""
    if incident is None or not incident.action_items:
        return incident
    items = tuple(dataclasses.replace(item, columns={}) for item in incident.action_items)
    return dataclasses.replace(incident, action_items=items)


def _or_none(suppressions: Suppressions) -> Suppressions | None:
    empty = not (suppressions.file_wide or suppressions.next_line or suppressions.ranges)
    return None if empty else suppressions


def _summary(entry: RepoEntry | None, incident_digest: str) -> str | None:
    if entry is None:
        return None
    parts = (entry.path, entry.relpath, entry.incident_id, entry.id_line, entry.id_column)
    return cache_module.digest(repr(parts), incident_digest)


def _to_cache(
    found: list[Finding], suppressed: Suppressions, entry: RepoEntry, incident_digest: str
) -> str:
    return json.dumps(
        {
            "incident": incident_digest,
            "findings": [finding_to_json(finding) for finding in found],
            "suppressions": [
                suppressed.file_wide,
                list(suppressed.next_line.items()),
                suppressed.ranges,
            ],
            "incident_id": entry.incident_id,
            "id_line": entry.id_line,
            "id_column": entry.id_column,
        },
        ensure_ascii=False,
    )


def _from_cache(
    cached: dict[str, Any], shown: str, key: str, relpath: str, incident: Incident | None
) -> FileOutcome:
    file_wide, next_line, ranges = cached["suppressions"]
    suppressed = Suppressions(
        [str(code) for code in file_wide],
        {int(line): tuple(codes) for line, codes in next_line},
        [
            (int(first), None if last is None else int(last), tuple(codes))
            for first, last, codes in ranges
        ],
    )
    found = [finding_from_json(shown, item) for item in cached["findings"]]
    incident_id = cached["incident_id"]
    entry = RepoEntry(
        shown,
        relpath,
        incident_id if isinstance(incident_id, str) else None,
        int(cached["id_line"]),
        int(cached["id_column"]),
        True,
        incident,
    )
    summary = _summary(entry, str(cached["incident"]))
    return FileOutcome(shown, key, found, _or_none(suppressed), entry, summary=summary)
