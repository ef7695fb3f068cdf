"""`pmrepo site`: build the static site into a folder, replacing it whole."""

from __future__ import annotations

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
from postmortem_repo.render.patterns import load_pattern, pattern_files
from postmortem_repo.render.plans import Repository
from postmortem_repo.render.site.catalogue import Catalogue, SiteOptions, counted_incidents
from postmortem_repo.render.site.pages import SiteSources, build_pages, render_incident

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


@dataclass(frozen=True)
class FromDisk:
    """Reads a post-mortem's text from the repository (a worker process gets a copy)."""

    root: Path
    max_kb: int

    def __call__(self, incident: Incident) -> str | None:
        text = read_text(self.root / incident.relpath, self.max_kb)
        return None if isinstance(text, LoadFailure) else text


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
