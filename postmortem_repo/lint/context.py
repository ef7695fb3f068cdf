"""What rules get besides the document: the config, the schema validator, the repo index."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from postmortem_repo.core.fixes import Fix
from postmortem_repo.lint.valuefix import date_fix, enum_fix, timestamp_fix
from postmortem_repo.model.document import Document
from postmortem_repo.model.incident import Incident
from postmortem_repo.model.people import People
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.gitdates import GitDates
from postmortem_repo.repo.heads import Head, dates_of, people_of, scan_heads, with_buffers
from postmortem_repo.repo.pathmemo import PathMemo
from postmortem_repo.schema.messages import did_you_mean, flatten, message_for
from postmortem_repo.schema.validate import SchemaValidator, make_validator

if TYPE_CHECKING:
    from postmortem_repo.store.protocol import Store

T = TypeVar("T")


class SchemaIssue(NamedTuple):
    """One front-matter schema problem. kind: 'unknown_key' or 'invalid'."""

    kind: str
    line: int
    column: int
    message: str
    fix: Fix | None = None


@dataclass
class RuleContext:
    config: Config
    root: Path | None = None
    # Where what the repository's heads say is kept by stat (None: read every head).
    cache: Store | None = field(default=None, repr=False)
    # Texts that stand for the files at their resolved paths (an editor's unsaved buffers).
    buffers: dict[str, str] = field(default_factory=dict, repr=False)
    # Whether the check covers few files (the repository's heads are then best taken from
    # one stored summary).
    few_files: bool = field(default=False, repr=False)
    # When git first saw each file, read once per check.
    git_dates: GitDates = field(default_factory=GitDates, repr=False)
    _issues: dict[int, list[SchemaIssue]] = field(default_factory=dict, repr=False)
    _memo: dict[tuple[int, str], Any] = field(default_factory=dict, repr=False)
    _people: People | None = field(default=None, repr=False)
    _ids: dict[str, str | None] | None = field(default=None, repr=False)
    _team_ids: dict[str, str | None] | None = field(default=None, repr=False)
    _own_team: str | None = field(default=None, repr=False)
    _heads: list[Head] | None = field(default=None, repr=False)

    @cached_property
    def validator(self) -> SchemaValidator:
        """Built when a front matter is first validated: a run that takes every result from
        the cache never imports jsonschema for it."""
        origin = str(self.config.source or "built-in front-matter schema")
        # The config checked a custom schema when it loaded it; the built-in one is tested.
        return make_validator(self.config.frontmatter_schema, origin=origin, check=False)

    def schema_issues(self, doc: Document) -> list[SchemaIssue]:
        """Validate a document's front matter once, however many rules ask."""
        key = id(doc)
        if key not in self._issues:
            self._issues[key] = self._validate(doc)
        return self._issues[key]

    def memo(self, doc: Document, key: str, compute: Callable[[], T]) -> T:
        """What several rules derive from one document, computed once per check."""
        slot = (id(doc), key)
        if slot not in self._memo:
            self._memo[slot] = compute()
        value: T = self._memo[slot]
        return value

    def forget(self, doc: Document) -> None:
        self._issues.pop(id(doc), None)
        for slot in [slot for slot in self._memo if slot[0] == id(doc)]:
            del self._memo[slot]

    def preload_heads(self, heads: list[Head]) -> None:
        """Heads another process already read (a worker of a parallel check)."""
        self._heads = heads

    def heads(self) -> list[Head]:
        """One cheap pass over the repository's post-mortems, shared by every rule."""
        if self._heads is None:
            heads = scan_heads(self.config, self.root, self.cache, summary=self.few_files)
            if self.buffers and self.root is not None:
                heads = with_buffers(heads, self.buffers, self.config, self.root)
            self._heads = heads
        return self._heads

    def repo_ids(self) -> frozenset[str]:
        """Every incident id in the repository, read once per check."""
        return frozenset(self.repo_dates())

    def repo_dates(self) -> dict[str, str | None]:
        """Every incident id in the repository and its date (YYYY-MM-DD, None when its
        front matter gives none), read once per check."""
        if self._ids is None:
            self._ids = dates_of(self.heads())
        return self._ids

    def team_ids(self) -> frozenset[str]:
        """Every incident of the teams of the config's related.org, as team/INC-… (none
        without one), read once per check."""
        return frozenset(self.team_dates())

    def team_dates(self) -> dict[str, str | None]:
        """team_ids() and the date of each."""
        if self._team_ids is None:
            from postmortem_repo.repo.org import team_incident_dates

            org = self.config.related_org
            self._team_ids = team_incident_dates(org) if org is not None else {}
        return self._team_ids

    def own_team(self) -> str:
        """The team the config's related.org names for this repository ("" when none), as
        a link from another team's post-mortem names it."""
        if self._own_team is None:
            from postmortem_repo.repo.org import load_org, team_of_root

            org, root = self.config.related_org, self.root
            self._own_team = ""
            if org is not None and root is not None:
                self._own_team = team_of_root(load_org(org), root)
        return self._own_team

    def repo_people(self) -> People:
        """People the config, the repository's front matter, git authors and CODEOWNERS
        name, read once per check."""
        if self._people is None:
            self._people = people_of(self.config, self.heads(), self.root)
        return self._people

    def _validate(self, doc: Document) -> list[SchemaIssue]:
        data = doc.front_matter.data
        if data is None:
            return []
        schema = self.config.frontmatter_schema
        issues = []
        for error in flatten(self.validator.iter_errors(data)):
            if error.validator == "additionalProperties":
                issues.extend(_unknown_keys(doc, tuple(error.absolute_path), error))
                continue
            path, message = message_for(error, schema)
            of_value = error.validator != "required"
            line, column = doc.front_matter.position(path, of_value=of_value)
            fix = _value_fix(doc, error, line, column) if path else None
            issues.append(SchemaIssue("invalid", line, column, message, fix))
        # The same problem can come from a property and from an if/then branch: say it once.
        return sorted(set(issues), key=lambda issue: (issue.line, issue.column, issue.message))


def _value_fix(doc: Document, error: Any, line: int, column: int) -> Fix | None:
    if error.validator == "enum":
        return enum_fix(doc, line, column, error.instance, list(error.validator_value))
    if error.validator == "format" and error.validator_value == "date-time":
        return timestamp_fix(doc, line, column, error.instance)
    if error.validator == "format" and error.validator_value == "date":
        return date_fix(doc, line, column, error.instance)
    return None


def _unknown_keys(doc: Document, path: tuple[str | int, ...], error: Any) -> list[SchemaIssue]:
    known = list(error.schema.get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    issues = []
    for key in instance:
        if key in known:
            continue
        line, column = doc.front_matter.position((*path, key))
        issues.append(
            SchemaIssue(
                "unknown_key", line, column, f"unknown key '{key}'{did_you_mean(key, known)}"
            )
        )
    return issues


@dataclass(frozen=True, slots=True)
class RepoEntry:
    """The identity of one post-mortem file, enough for repo-wide rules."""

    path: str
    relpath: str
    incident_id: str | None
    id_line: int
    id_column: int
    targeted: bool
    # What the index and pattern generators need, kept from the parse of a checked file.
    incident: Incident | None = None


@dataclass
class RepoIndex:
    entries: list[RepoEntry]
    # Whether the check covers every post-mortem of the repository (entries then lists
    # them all; otherwise only those that a repository-wide rule may name).
    whole_repository: bool = True
    # Resolved path → incident (None: unreadable as one) of every checked file, and the
    # engine's memo of resolved paths, shared with the generators.
    parsed: dict[str, Incident | None] = field(default_factory=dict)
    paths: PathMemo = field(default_factory=PathMemo)

    def unsaved(self, buffers: Mapping[str, str]) -> tuple[Incident, ...]:
        """The incidents of editor buffers whose files are not saved yet: checked as the
        files they will be."""
        return tuple(
            incident
            for key in buffers
            if (incident := self.parsed.get(key)) is not None and not Path(key).exists()
        )

    def by_id(self) -> dict[str, list[RepoEntry]]:
        grouped: dict[str, list[RepoEntry]] = defaultdict(list)
        for entry in self.entries:
            if entry.incident_id:
                grouped[entry.incident_id].append(entry)
        return dict(sorted(grouped.items()))
