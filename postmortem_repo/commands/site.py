"""`pmrepo site`: build the static site into a folder, replacing it whole."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.writer import write_folder
from postmortem_repo.lint.parallel import Parallelism, map_in_processes
from postmortem_repo.model.document import LoadFailure, read_text
from postmortem_repo.model.incident import Incident
from postmortem_repo.render.excerpts import Excerpts
from postmortem_repo.render.patterns import Pattern, load_pattern, pattern_files
from postmortem_repo.render.plans import Repository, load_patterns
from postmortem_repo.render.site.catalogue import Catalogue, SiteOptions, counted_incidents
from postmortem_repo.render.site.pages import SiteSources, build_pages, render_incident
from postmortem_repo.render.teams import (
    SEPARATOR,
    Team,
    merged,
    organisation_repeats,
    qualify,
    severities,
)

SITE_MARKER = ".pmrepo-site"
DEFAULT_OUTPUT = "_site"


def site_sources(repo: Repository, *, today: dt.date, include_drafts: bool) -> SiteSources:
    """What the site is built from: the repository's incidents, post-mortems and patterns."""
    loaded = [load_pattern(path, repo.root) for path in pattern_files(repo.root)]
    catalogue = Catalogue(
        repo.incidents,
        repo.repeats_among(counted_incidents(repo.incidents, include_drafts)),
        [pattern for pattern, _ in loaded],
        SiteOptions(today=today, include_drafts=include_drafts),
    )
    return SiteSources(
        catalogue=catalogue,
        read=FromDisk(repo.root, repo.config.max_file_kb),
        patterns={pattern.id: text for pattern, text in loaded},
        spec=repo.config.sections,
        severities=repo.severities,
        statuses=repo.statuses,
    )


def team_site_sources(teams: list[Team], *, today: dt.date, include_drafts: bool) -> SiteSources:
    """What a site of several teams is built from: each team's repository read with its own
    config, every id and path carrying its team (payments/INC-2024-0015)."""
    incidents, _ = merged(teams)
    incidents = [_team_path(incident) for incident in incidents]
    repeats = organisation_repeats(teams, partial(counted_incidents, include_drafts=include_drafts))
    loaded = [
        (_team_pattern(team.name, pattern), text)
        for team in teams
        for pattern, text in load_patterns(team.repo)
    ]
    catalogue = Catalogue(
        incidents,
        repeats,
        [pattern for pattern, _ in loaded],
        SiteOptions(today, include_drafts, tuple(team.name for team in teams)),
    )
    first = teams[0].repo  # the sections of the excerpts and statuses: the first team's
    return SiteSources(
        catalogue=catalogue,
        read=FromTeams({t.name: FromDisk(t.repo.root, t.repo.config.max_file_kb) for t in teams}),
        patterns={pattern.id: text for pattern, text in loaded},
        spec=first.config.sections,
        severities=severities(teams),
        statuses=first.statuses
        + [s for t in teams for s in t.repo.statuses if s not in first.statuses],
    )


def _team_path(incident: Incident) -> Incident:
    """A merged incident (its id qualified) with its path qualified by its team too."""
    team = incident.id.split(SEPARATOR, 1)[0]
    return dataclasses.replace(incident, relpath=qualify(team, incident.relpath))


def _team_pattern(team: str, pattern: Pattern) -> Pattern:
    return dataclasses.replace(
        pattern,
        id=qualify(team, pattern.id),
        relpath=qualify(team, pattern.relpath),
        incidents=tuple(qualify(team, incident) for incident in pattern.incidents),
    )


@dataclass(frozen=True)
class FromDisk:
    """Reads a post-mortem's text from the repository (a worker process gets a copy)."""

    root: Path
    max_kb: int

    def __call__(self, incident: Incident) -> str | None:
        return self.read(incident.relpath)

    def read(self, relpath: str) -> str | None:
        text = read_text(self.root / relpath, self.max_kb)
        return None if isinstance(text, LoadFailure) else text


@dataclass(frozen=True)
class FromTeams:
    """Reads a post-mortem of a site of several teams from its team's repository."""

    teams: dict[str, FromDisk]

    def __call__(self, incident: Incident) -> str | None:
        team, relpath = incident.relpath.split(SEPARATOR, 1)
        return self.teams[team].read(relpath)


def build_site(
    repo: Repository,
    output: Path,
    *,
    today: dt.date,
    include_drafts: bool = False,
    jobs: int = 1,
    parallelism: Parallelism | None = None,
) -> int:
    """Build the site into output (replaced whole); the number of files written. jobs > 1
    renders the post-mortems' pages in that many processes (the bytes are the same)."""
    _refuse_the_repository(repo.root, output)
    sources = site_sources(repo, today=today, include_drafts=include_drafts)
    return _build(sources, output, jobs, parallelism)


def build_team_site(
    teams: list[Team],
    output: Path,
    *,
    today: dt.date,
    include_drafts: bool = False,
    jobs: int = 1,
    parallelism: Parallelism | None = None,
) -> int:
    """build_site for several teams' repositories (--repo, --org): one site of them all."""
    for team in teams:
        _refuse_the_repository(team.repo.root, output)
    sources = team_site_sources(teams, today=today, include_drafts=include_drafts)
    return _build(sources, output, jobs, parallelism)


def _build(sources: SiteSources, output: Path, jobs: int, parallelism: Parallelism | None) -> int:
    workers = (parallelism or Parallelism()).workers(jobs, len(sources.catalogue.shown))
    render_many = partial(_in_processes, sources, workers) if workers > 1 else None
    return write_folder(output, build_pages(sources, render_many), marker=SITE_MARKER)


# The sources a worker process renders pages from, set once when it starts.
_WORKER: dict[str, object] = {}


def _start_worker(sources: object) -> None:
    assert isinstance(sources, SiteSources)
    _WORKER["sources"] = sources
    _WORKER["by_path"] = {Path(i.relpath): i for i in sources.catalogue.shown}


def _render_chunk(paths: list[Path]) -> list[tuple[str, Excerpts]]:
    sources, by_path = _WORKER["sources"], _WORKER["by_path"]
    assert isinstance(sources, SiteSources) and isinstance(by_path, dict)
    return [render_incident(sources, by_path[path]) for path in paths]


def _in_processes(
    sources: SiteSources, workers: int, incidents: list[Incident]
) -> Iterator[tuple[str, Excerpts]]:
    paths = [Path(incident.relpath) for incident in incidents]
    chunk = max(1, min(Parallelism().chunk, len(paths) // (workers * 4) or 1))
    return map_in_processes(paths, workers, chunk, _start_worker, sources, _render_chunk)


def _refuse_the_repository(root: Path, output: Path) -> None:
    real_root, real_output = root.resolve(), output.resolve()
    if real_output == real_root or real_root.is_relative_to(real_output):
        raise PmrepoError(
            f"{output}: holds the repository itself; name a folder for the site only "
            f"(default: {DEFAULT_OUTPUT}/); nothing was written"
        )
