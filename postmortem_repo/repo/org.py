"""Many post-mortem repositories read together, one per team: `--repo PATH` given more than
once, or an org.yaml that names each team's repository.

    # org.yaml
    teams:
      - name: payments
        repo: ../payments-postmortems        # relative to the folder of org.yaml
      - name: platform
        repo: /srv/platform-postmortems
        config: /srv/platform-postmortems/ci/.pmrepo.yaml   # optional
        url: https://github.com/example/platform-postmortems/blob/main   # optional

Each repository is read with its own config: the one named here, else the nearest one
above its folder, as `pmrepo check` finds it. `url`, the web address of the repository's
files, makes the links back from tracker issues (`pmrepo actions --format jira-csv`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from postmortem_repo.core.errors import ConfigError
from postmortem_repo.core.reading import CONFIG_LIMIT, NotReadable, read_limited_text
from postmortem_repo.model.frontmatter import FrontMatter, JsonPath, parse_yaml_record
from postmortem_repo.schema.messages import did_you_mean

TEAM_KEYS = ("name", "repo", "config", "url")


@dataclass(frozen=True)
class TeamSource:
    """Where one team's post-mortems are, and the config to read them with (None: the
    nearest one above root)."""

    team: str
    root: Path
    config_path: Path | None = None
    url: str | None = None


def team_sources(repos: Sequence[Path] = (), org: Path | None = None) -> list[TeamSource]:
    """The teams `--repo` (repeated) or `--org` names. Raises ConfigError for both at once
    or a bad org.yaml."""
    if repos and org is not None:
        raise ConfigError("give --repo or --org, not both")
    return load_org(org) if org is not None else sources_from_roots(repos)


def sources_from_roots(roots: Sequence[Path]) -> list[TeamSource]:
    """`--repo PATH` repeated: each repository's team is the name of its folder."""
    sources = [TeamSource(root.resolve().name, root) for root in roots]
    folders: dict[tuple[int, int], Path] = {}
    for source in sources:
        earlier = folders.setdefault(_folder(source.root), source.root)
        if earlier is not source.root:
            raise ConfigError(
                f"--repo {source.root} and --repo {earlier} are one repository: give each "
                "once (read twice, every number would count its incidents twice)"
            )
    seen: dict[str, Path] = {}
    for source in sources:
        if source.team in seen:
            raise ConfigError(
                f"--repo {source.root} and --repo {seen[source.team]} are both named "
                f"'{source.team}': name the teams in an org.yaml (--org)"
            )
        seen[source.team] = source.root
    return sources


def load_org(path: Path) -> list[TeamSource]:
    """The teams an org.yaml lists, in its order; a clear error naming the file and line for
    anything it cannot use."""
    try:
        text = read_limited_text(path, CONFIG_LIMIT)
    except NotReadable as error:
        raise ConfigError(f"{path}: cannot read: {error.reason}") from error
    record = parse_yaml_record(text)
    if record.problems:
        problem = record.problems[0]
        raise ConfigError(f"{path}:{problem.line}: {problem.message}")
    data = record.data or {}
    for key in data:
        if key != "teams":
            where = _line(record, (key,))
            raise ConfigError(f"{path}:{where}: unknown key '{key}'{did_you_mean(key, ['teams'])}")
    teams = data.get("teams")
    if not isinstance(teams, list) or not teams:
        raise ConfigError(
            f"{path}:{_line(record, ('teams',))}: 'teams' must list the teams, each with "
            "a name and a repo"
        )
    sources = [_team(path, record, index, entry) for index, entry in enumerate(teams)]
    _no_twice(path, record, sources)
    return sources


def _team(path: Path, record: FrontMatter, index: int, entry: Any) -> TeamSource:
    where = f"{path}:{_line(record, ('teams', index), of_value=True)}: teams[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: each team is a mapping with a name and a repo")
    for key in entry:
        if key not in TEAM_KEYS:
            line = _line(record, ("teams", index, key))
            raise ConfigError(
                f"{path}:{line}: teams[{index}]: unknown key '{key}'{did_you_mean(key, TEAM_KEYS)}"
            )
    for key in ("name", "repo"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: '{key}' is missing or not a text")
    if "/" in entry["name"]:
        line = _line(record, ("teams", index, "name"), of_value=True)
        raise ConfigError(
            f"{path}:{line}: teams[{index}]: a team name has no '/' (it separates the team "
            "from the incident id: payments/INC-2024-0015)"
        )
    base = path.parent
    root = base / entry["repo"]
    if not root.is_dir():
        line = _line(record, ("teams", index, "repo"), of_value=True)
        raise ConfigError(f"{path}:{line}: teams[{index}]: {root} is not a folder")
    config = entry.get("config")
    if config is not None and not (isinstance(config, str) and (base / config).is_file()):
        line = _line(record, ("teams", index, "config"), of_value=True)
        raise ConfigError(f"{path}:{line}: teams[{index}]: config {config!r} is not a file")
    url = entry.get("url")
    if url is not None and not (isinstance(url, str) and is_web_address(url)):
        line = _line(record, ("teams", index, "url"), of_value=True)
        raise ConfigError(
            f"{path}:{line}: teams[{index}]: url {url!r} is not an http(s) address like "
            "https://github.com/example/payments-postmortems/blob/main"
        )
    return TeamSource(entry["name"].strip(), root, base / config if config else None, url)


def is_web_address(text: str) -> bool:
    """An http or https address with a host and no spaces: what a link back from a tracker
    issue can start with (not javascript:, a file path or a typo)."""
    parts = urlsplit(text)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and text.isprintable()
        and (not any(char.isspace() for char in text))
    )


def _no_twice(path: Path, record: FrontMatter, sources: list[TeamSource]) -> None:
    """No team, and no repository, listed twice: read twice, a repository would count each
    of its incidents twice in every number."""
    first: dict[str, int] = {}
    repos: dict[tuple[int, int], tuple[str, int]] = {}
    for index, source in enumerate(sources):
        line = _line(record, ("teams", index, "name"), of_value=True)
        if source.team in first:
            raise ConfigError(
                f"{path}:{line}: team '{source.team}' is listed twice (first on line "
                f"{first[source.team]})"
            )
        first[source.team] = line
        repo_line = _line(record, ("teams", index, "repo"), of_value=True)
        team, earlier = repos.setdefault(_folder(source.root), (source.team, repo_line))
        if team != source.team:
            raise ConfigError(
                f"{path}:{repo_line}: teams[{index}]: {source.root} is the repository of team "
                f"'{team}' (line {earlier}) too: list each repository once"
            )


def _folder(root: Path) -> tuple[int, int]:
    """What makes two paths one folder (through '..', symbolic links or mounts)."""
    status = root.stat()
    return status.st_dev, status.st_ino


def _line(record: FrontMatter, where: JsonPath, *, of_value: bool = False) -> int:
    return record.position(where, of_value=of_value)[0]


def team_of_root(sources: Sequence[TeamSource], root: Path) -> str:
    """The team whose repository is root ("" when none is)."""
    real = os.path.realpath(root)
    return next((source.team for source in sources if os.path.realpath(source.root) == real), "")


def team_incident_dates(org: Path) -> dict[str, str | None]:
    """Every incident of every team an org.yaml lists, as `team/INC-…` (how a link from
    another team's post-mortem names it), and its date (heads.dates_of). Raises ConfigError
    for a bad org.yaml or team config."""
    from postmortem_repo.repo.config import resolve_config
    from postmortem_repo.repo.discover import repository_root
    from postmortem_repo.repo.heads import dates_of, scan_heads

    found: dict[str, str | None] = {}
    for source in load_org(org):
        config = resolve_config([source.root], source.config_path)
        base = repository_root(config, source.root)
        dates = dates_of(scan_heads(config, base))
        found.update((f"{source.team}/{incident}", day) for incident, day in dates.items())
    return found
