"""What `pmrepo index` and `pmrepo patterns` would write: plans of whole files, made before
any write so that a refusal anywhere leaves every file untouched."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.model.incident import Incident
from postmortem_repo.render.index import render_index
from postmortem_repo.render.markers import (
    PlannedWrite,
    read_for_update,
    replace_blocks,
    target_inside,
)
from postmortem_repo.render.patterns import (
    PATTERN_BLOCK,
    PATTERNS_DIR,
    Pattern,
    Suggestion,
    load_pattern,
    new_pattern_text,
    pattern_files,
    pattern_of,
    render_pattern,
    render_patterns_index,
    suggest,
)
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import slugify
from postmortem_repo.repo.incidents import ReadMany, load_incidents
from postmortem_repo.repo.pathmemo import PathMemo
from postmortem_repo.repo.repeats import Repeat, RepeatPolicy, find_repeats

if TYPE_CHECKING:
    from postmortem_repo.store.protocol import Store


@dataclass
class Repository:
    root: Path
    config: Config
    incidents: list[Incident]
    repeats: dict[str, Repeat]
    left_out: list[Path] = field(default_factory=list)  # files not read as an incident

    @classmethod
    def load(
        cls,
        root: Path,
        config: Config,
        *,
        warn: bool = True,
        parsed: dict[str, Incident | None] | None = None,
        cache: Store | None = None,
        paths: PathMemo | None = None,
        unsaved: tuple[Incident, ...] = (),
        read_many: ReadMany | None = None,
    ) -> Repository:
        left_out: list[Path] = []
        incidents = load_incidents(
            root,
            config,
            warn=warn,
            parsed=parsed,
            cache=cache,
            paths=paths,
            unsaved=unsaved,
            left_out=left_out,
            read_many=read_many,
        )
        repeats = find_repeats(incidents, _policy(config))
        return cls(root, config, incidents, repeats, left_out)

    def repeats_among(self, counted: list[Incident]) -> dict[str, Repeat]:
        """The repeats a reader of the site or the review deck sees: among the incidents
        they count, an earlier incident never one they do not show (an uncleared security
        incident), so a link to it makes no repeat there."""
        hidden = frozenset(incident.id for incident in counted if incident.redacted)
        return find_repeats(counted, _policy(self.config), hidden=hidden)

    @property
    def severities(self) -> list[str]:
        return self._enum("severity")

    @property
    def statuses(self) -> list[str]:
        return self._enum("status")

    def _enum(self, key: str) -> list[str]:
        """The values the front-matter schema allows for key (none: it lists none)."""
        schema = self.config.frontmatter_schema.get("properties", {}).get(key, {})
        levels = schema.get("enum", [])
        return [str(level) for level in levels] if isinstance(levels, list) else []

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def _policy(config: Config) -> RepeatPolicy:
    return RepeatPolicy(config.repeat_window_days, config.repeat_ignore_tags)


def _update(repo: Repository, path: Path, blocks: dict[str, str], skeleton: str) -> PlannedWrite:
    """Replace blocks in path, or create it from skeleton (with the blocks filled in)."""
    where = repo.shown(path)
    target_inside(path, repo.root, where)
    if not path.exists() and not path.is_symlink():
        return PlannedWrite(path, None, replace_blocks(skeleton, blocks, where))
    old = read_for_update(path, where)
    return PlannedWrite(path, old, replace_blocks(old, blocks, where))


def plan_index(repo: Repository) -> list[PlannedWrite]:
    readme = repo.root / "README.md"
    if not readme.exists():
        raise PmrepoError(
            f"{repo.shown(readme)}: no such file: create it with the lines "
            "<!-- pmrepo:index:start --> and <!-- pmrepo:index:end --> where the index belongs"
        )
    content = render_index(repo.incidents, repo.repeats, repo.severities, statuses=repo.statuses)
    plan = [_update(repo, readme, {"index": content}, "")]
    if repo.config.index_per_year:
        by_year: dict[int, list[Incident]] = defaultdict(list)
        for incident in repo.incidents:
            by_year[incident.date.year].append(incident)
        # A year folder whose README has an index but no incident left is emptied too.
        for folder in repo.root.iterdir():
            if folder.name.isdigit() and len(folder.name) == 4 and (folder / "README.md").is_file():
                by_year.setdefault(int(folder.name), [])
        for year, incidents in sorted(by_year.items()):
            body = render_index(
                incidents,
                repo.repeats,
                repo.severities,
                statuses=repo.statuses,
                from_folder=str(year),
                full=False,
            )
            skeleton = (
                f"# {year} post-mortems\n\n<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n"
            )
            plan.append(
                _update(repo, repo.root / str(year) / "README.md", {"index": body}, skeleton)
            )
    return plan


def load_patterns(repo: Repository) -> list[tuple[Pattern, str]]:
    loaded = [load_pattern(path, repo.root) for path in pattern_files(repo.root)]
    seen: dict[str, str] = {}
    for pattern, _ in loaded:
        if pattern.id in seen:
            raise PmrepoError(
                f"{pattern.relpath}: id {pattern.id} is also used by {seen[pattern.id]}"
            )
        seen[pattern.id] = pattern.relpath
    return loaded


def members_of(pattern: Pattern, incidents: list[Incident]) -> list[Incident]:
    return [incident for incident in incidents if pattern.matches(incident)]


def plan_patterns(repo: Repository) -> list[PlannedWrite]:
    loaded = load_patterns(repo)
    plan = []
    summary = []
    for pattern, text in loaded:
        members = members_of(pattern, repo.incidents)
        summary.append((pattern, members))
        new = replace_blocks(text, {PATTERN_BLOCK: render_pattern(members)}, pattern.relpath)
        target_inside(pattern.path, repo.root, pattern.relpath)
        plan.append(PlannedWrite(pattern.path, text, new))
    readme = _patterns_readme(repo, summary)
    return plan + ([readme] if readme else [])


def _patterns_readme(
    repo: Repository, summary: list[tuple[Pattern, list[Incident]]]
) -> PlannedWrite | None:
    """patterns/README.md with its block listing these patterns (None: there is no README
    and no pattern to list)."""
    readme = repo.root / PATTERNS_DIR / "README.md"
    if not summary and not readme.exists():
        return None
    skeleton = (
        "# Patterns\n\nRecurring causes across incidents, one file each. "
        "`pmrepo patterns --suggest` proposes new ones.\n\n"
        "<!-- pmrepo:patterns:start -->\n<!-- pmrepo:patterns:end -->\n"
    )
    return _update(repo, readme, {"patterns": render_patterns_index(summary)}, skeleton)


def suggestions(repo: Repository) -> list[Suggestion]:
    patterns = [pattern for pattern, _ in load_patterns(repo)]
    return suggest(repo.incidents, patterns, ignore_tags=repo.config.repeat_ignore_tags)


def plan_new_patterns(repo: Repository, chosen: list[Suggestion]) -> list[PlannedWrite]:
    """New PATTERN-NNN files, numbered after the highest existing one, and
    patterns/README.md listing them with the others."""
    patterns = [pattern for pattern, _ in load_patterns(repo)]
    taken = [pattern.number for pattern in patterns]
    folder = repo.root / PATTERNS_DIR
    if folder.is_dir():  # numbers in file names count too, even of files pmrepo cannot read
        taken += [int(m[1]) for p in folder.iterdir() if (m := re.match(r"PATTERN-(\d+)", p.name))]
    number = max(taken, default=0)
    plan = []
    for suggestion in chosen:
        number += 1
        pattern_id = f"PATTERN-{number:03d}"
        path = repo.root / PATTERNS_DIR / f"{pattern_id}-{slugify(suggestion.slug)}.md"
        members = [i for i in repo.incidents if i.id in suggestion.incidents]
        text = new_pattern_text(pattern_id, suggestion, render_pattern(members))
        target_inside(path, repo.root, repo.shown(path))
        plan.append(PlannedWrite(path, None, text))
        patterns.append(pattern_of(text, path, repo.shown(path)))
    summary = [(pattern, members_of(pattern, repo.incidents)) for pattern in patterns]
    readme = _patterns_readme(repo, summary)
    return plan + ([readme] if readme else [])
