"""The engine's use of a result store: what each stored result is keyed by, and taking
results from the store and giving them to it. The engine's own loop knows none of this.

A file's entry key covers its bytes, its place, pmrepo's version, the config, the rule
selection, and what the enabled rules declare they need of the repository (the people it
names, its incident ids, when git first saw the file). A whole run's key covers every
checked file's entry key, the other post-mortems' ids and the generated files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postmortem_repo.core.findings import Finding
from postmortem_repo.core.reading import GENERATED_LIMIT, NotReadable, read_limited
from postmortem_repo.lint.context import RepoEntry, RuleContext
from postmortem_repo.lint.results import CheckResult, FileOutcome
from postmortem_repo.lint.suppressions import Suppressions
from postmortem_repo.model.incident import encode_incident
from postmortem_repo.repo.discover import relative
from postmortem_repo.repo.gitdates import GitDates
from postmortem_repo.repo.heads import file_facts
from postmortem_repo.repo.pathmemo import PathMemo
from postmortem_repo.store.keys import (
    digest,
    digest_of,
    finding_from_json,
    finding_to_json,
    fingerprint,
    incident_key,
)
from postmortem_repo.store.protocol import Store

Keys = tuple[str, str, str]  # a file's (entry key, relpath, content digest) in the store
_DAMAGED = (KeyError, TypeError, ValueError, IndexError)  # an entry of the wrong shape


def _people_part(context: RuleContext) -> str:
    people = context.repo_people()
    return repr((sorted(people.names), sorted(people.handles), sorted(people.systems)))


# What each need adds to every file's key: what the repository tells the rules that need it.
_NEED_PARTS: dict[str, Callable[[RuleContext], str]] = {
    "repo_people": _people_part,
    # With their dates: whether a repeat_of names an earlier incident depends on them.
    "repo_ids": lambda context: repr(sorted(context.repo_dates().items())),
    "team_ids": lambda context: repr(sorted(context.team_dates().items())),
}


@dataclass(frozen=True)
class ResultKeys:
    """How a parsed file's results are keyed: plain data, so that a worker process can key
    what it parses."""

    fingerprint: str  # what every file's findings depend on besides the file itself
    config_id: str
    needs: frozenset[str]

    @classmethod
    def make(
        cls, config_id: str, selection_key: str, needs: frozenset[str], context: RuleContext
    ) -> ResultKeys:
        parts = [fingerprint(config_id, selection_key)]
        parts += [_NEED_PARTS[need](context) for need in sorted(needs) if need in _NEED_PARTS]
        return cls(digest(*parts), config_id, needs)

    def entry_key(
        self,
        content: str,
        published_at: bool,
        relpath: str,
        resolved: Callable[[], str],
        git: GitDates,
    ) -> str:
        """The entry key of a file whose bytes hash to content (resolved: where the file
        really is, worked out only when git must date it)."""
        parts = [self.fingerprint, relpath, content]
        # The publishing deadline falls back to git when the file has no published_at.
        if not published_at and "git_first_commit" in self.needs:
            parts.append(str(git.first_commit_time(Path(resolved()))))
        return digest(*parts)

    def incident_key(self, relpath: str, content: str) -> str:
        return incident_key(self.config_id, relpath, content)

    def keep(
        self,
        outcome: FileOutcome,
        text: str,
        relpath: str,
        suppressed: Suppressions,
        git: GitDates,
    ) -> None:
        """Give a parsed file's outcome what the store keeps of it, and its summary."""
        assert outcome.entry is not None
        content = digest_of(text)
        incident = encode_incident(outcome.entry.incident)
        incident_digest = digest(incident)
        outcome.summary = _summary(outcome.entry, incident_digest)
        outcome.rows = (
            self.entry_key(content, "published_at:" in text, relpath, lambda: outcome.key, git),
            _to_json(outcome.findings, suppressed, outcome.entry, incident_digest),
            self.incident_key(relpath, content),
            incident,
        )


class StoredResults:
    """One check's reads from and writes to the store."""

    def __init__(
        self, store: Store, keys: ResultKeys, root: Path, paths: PathMemo, context: RuleContext
    ) -> None:
        self.store = store
        self.keys = keys
        self.root = root
        self.paths = paths
        self.context = context
        self._file_keys: list[Keys | None] = []
        self._run_key: str | None = None
        self._incident_keys: dict[str, str] = {}  # resolved path → incident key, if stored

    # A whole run -----------------------------------------------------------------------

    def remembered_run(self, files: list[Path]) -> CheckResult | None:
        """The result of a run over exactly these files and this repository, if stored."""
        self._file_keys = [self._file_key(path) for path in files]
        self._run_key = self._whole_run_key(files)
        if self._run_key is None:
            return None
        findings = self._stored_findings(self._run_key)
        return None if findings is None else CheckResult(findings, len(files))

    def remember_run(self, findings: list[Finding]) -> None:
        if self._run_key is not None:
            self._put_findings(self._run_key, findings)

    def _file_key(self, path: Path) -> Keys | None:
        """A file's (entry key, relpath, content digest), found by its stat when it can
        be; None for a file that cannot be read (the engine says why)."""
        facts = file_facts(path, self.store, self.context.config.max_file_kb * 1024)
        if facts is None:
            return None
        relpath = relative(path, self.root)
        git = self.context.git_dates
        resolved = lambda: self.paths.resolved(path)  # noqa: E731 -- only if git is asked
        key = self.keys.entry_key(facts.digest, facts.published_at, relpath, resolved, git)
        return key, relpath, facts.digest

    def _whole_run_key(self, files: list[Path]) -> str | None:
        """Every checked file (its entry key covers its content, path, the config and what
        it depends on), the post-mortems the check does not cover (their ids), where
        findings are shown from, the generated files."""
        if not self._file_keys or None in self._file_keys:
            return None
        if self.context.config.related_org is not None:
            return None  # PM706 reads the other teams' repositories too, which no key covers
        checked = [
            f"{path}\0{keyed[0]}"
            for path, keyed in zip(files, self._file_keys, strict=True)
            if keyed
        ]
        heads = sorted(f"{head.path}\0{head.incident_id}" for head in self.context.heads())
        parts = ["run", self.keys.fingerprint, os.getcwd(), *checked, "heads", *heads]
        return digest(*parts, *self._generated_stamps())

    # Files -----------------------------------------------------------------------------

    def outcomes(self, files: list[Path]) -> list[FileOutcome | None]:
        """Unchanged files' outcomes (None for the others), all looked up at once."""
        known = [key for key in self._file_keys if key is not None]
        stored = self.store.get([key for key, _, _ in known])
        outcomes: list[FileOutcome | None] = []
        for path, keyed in zip(files, self._file_keys, strict=True):
            outcome = None
            if keyed is not None and keyed[0] in stored:
                key, relpath, content = keyed
                found = stored.pop(key)
                shown, resolved = self.paths.shown(path), self.paths.resolved(path)
                with contextlib.suppress(*_DAMAGED):  # recomputed and rewritten
                    outcome = _from_json(found, shown, resolved, relpath)
                    # The incident is read only if a repository-wide rule needs it.
                    self._incident_keys[resolved] = self.keys.incident_key(relpath, content)
            outcomes.append(outcome)
        return outcomes

    def keep(self, outcome: FileOutcome) -> None:
        if outcome.rows is not None:
            self.store.put(*outcome.rows)
            outcome.rows = None

    def with_incidents(
        self, targeted: dict[str, RepoEntry | None], check_file: Callable[[Path], FileOutcome]
    ) -> None:
        """Give stored entries their incidents, from the store or, when it has lost one,
        from the file itself."""
        if not self._incident_keys:
            return
        incidents = self.store.get_incidents(list(self._incident_keys.values()))
        for resolved, key in self._incident_keys.items():
            entry = targeted.get(resolved)
            if entry is None:
                continue
            if key in incidents:
                targeted[resolved] = dataclasses.replace(entry, incident=incidents[key])
            else:
                outcome = check_file(Path(resolved))
                targeted[resolved] = outcome.entry
                self.keep(outcome)
        self._incident_keys = {}

    def is_file(self, path: Path) -> bool:
        """path.is_file(), from what this run learnt of the file when it can."""
        return bool(self.store.known_facts(os.path.abspath(path))) or path.is_file()

    # Repository-wide rules -------------------------------------------------------------

    def repo_key(self, summaries: list[str | None]) -> str | None:
        """What the repository-wide rules' findings depend on, when every file has a
        summary: what they see of every file (its id, where it is, its incident), the
        config, where the findings are shown from, and the generated files."""
        if not summaries or None in summaries:
            return None
        parts = ["repo-rules", self.keys.fingerprint, os.getcwd(), *sorted(filter(None, summaries))]
        return digest(*parts, *self._generated_stamps())

    def repo_findings(self, key: str) -> list[Finding] | None:
        return self._stored_findings(key)

    def remember_repo_findings(self, key: str, findings: list[Finding]) -> None:
        self._put_findings(key, findings)

    # Shared ----------------------------------------------------------------------------

    def _stored_findings(self, key: str) -> list[Finding] | None:
        stored = self.store.get([key]).get(key)
        if stored is None:
            return None
        try:
            return [finding_from_json(path, item) for path, item in stored["findings"]]
        except _DAMAGED:
            return None  # made again, and the entry rewritten

    def _put_findings(self, key: str, findings: Iterable[Finding]) -> None:
        rows = [[f.path, finding_to_json(f)] for f in findings]
        self.store.put_entry(key, json.dumps({"findings": rows}, ensure_ascii=False))

    def _generated_stamps(self) -> list[str]:
        """The README indexes and pattern files, which the generated-files rule compares."""
        generated = [self.root / "README.md", *sorted(self.root.glob("*/README.md"))]
        generated += sorted((self.root / "patterns").glob("*.md"))
        stamps = []
        for path in generated:
            try:
                content = digest(read_limited(path, GENERATED_LIMIT))
            except NotReadable:
                content = "-"
            stamps.append(f"{relative(path, self.root)}:{content}")
        return stamps


def _summary(entry: RepoEntry, incident_digest: str) -> str:
    parts = (entry.path, entry.relpath, entry.incident_id, entry.id_line, entry.id_column)
    return digest(repr(parts), incident_digest)


def _to_json(
    found: list[Finding], suppressed: Suppressions, entry: RepoEntry, incident_digest: str
) -> str:
    return json.dumps(
        {
            "incident": incident_digest,
            "findings": [finding_to_json(finding) for finding in found],
            "suppressions": {
                "spans": suppressed.spans,
                "idle_enables": suppressed.idle_enables,
                "columns": list(suppressed.columns.items()),
            },
            "incident_id": entry.incident_id,
            "id_line": entry.id_line,
            "id_column": entry.id_column,
        },
        ensure_ascii=False,
    )


def _from_json(stored: dict[str, Any], shown: str, key: str, relpath: str) -> FileOutcome:
    spans = stored["suppressions"]["spans"]
    idle_enables = stored["suppressions"]["idle_enables"]
    suppressed = Suppressions(
        [
            (int(line), int(first), None if last is None else int(last), tuple(codes))
            for line, first, last, codes in spans
        ],
        [(int(line), tuple(codes)) for line, codes in idle_enables],
        {int(line): int(column) for line, column in stored["suppressions"]["columns"]},
    )
    found = [finding_from_json(shown, item) for item in stored["findings"]]
    incident_id = stored["incident_id"]
    entry = RepoEntry(
        shown,
        relpath,
        incident_id if isinstance(incident_id, str) else None,
        int(stored["id_line"]),
        int(stored["id_column"]),
        True,
        None,
    )
    summary = _summary(entry, str(stored["incident"]))
    return FileOutcome(shown, key, found, suppressed.or_none(), entry, summary=summary)
