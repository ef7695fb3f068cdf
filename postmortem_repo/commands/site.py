"""`pmrepo site`: build the static site into a folder, replacing it whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.writer import write_folder
from postmortem_repo.model.document import LoadFailure, read_text
from postmortem_repo.model.incident import Incident
from postmortem_repo.render.patterns import load_pattern, pattern_files
from postmortem_repo.render.plans import Repository
from postmortem_repo.render.site.catalogue import Catalogue, SiteOptions
from postmortem_repo.render.site.pages import SiteSources, build_pages

SITE_MARKER = ".pmrepo-site"
DEFAULT_OUTPUT = "_site"


def site_sources(repo: Repository, *, today: dt.date, include_drafts: bool) -> SiteSources:
    """What the site is built from: the repository's incidents, post-mortems and patterns."""
    loaded = [load_pattern(path, repo.root) for path in pattern_files(repo.root)]
    catalogue = Catalogue(
        repo.incidents,
        repo.repeats,
        [pattern for pattern, _ in loaded],
        SiteOptions(today=today, include_drafts=include_drafts),
    )

    def read(incident: Incident) -> str | None:
        text = read_text(repo.root / incident.relpath, repo.config.max_file_kb)
        return None if isinstance(text, LoadFailure) else text

    return SiteSources(
        catalogue=catalogue,
        read=read,
        patterns={pattern.id: text for pattern, text in loaded},
        spec=repo.config.sections,
        severities=repo.severities,
        statuses=repo.statuses,
    )


def build_site(
    repo: Repository, output: Path, *, today: dt.date, include_drafts: bool = False
) -> int:
    """Build the site into output (replaced whole); the number of files written."""
    _refuse_the_repository(repo.root, output)
    sources = site_sources(repo, today=today, include_drafts=include_drafts)
    return write_folder(output, build_pages(sources), marker=SITE_MARKER)


def _refuse_the_repository(root: Path, output: Path) -> None:
    real_root, real_output = root.resolve(), output.resolve()
    if real_output == real_root or real_root.is_relative_to(real_output):
        raise PmrepoError(
            f"{output}: holds the repository itself; name a folder for the site only "
            f"(default: {DEFAULT_OUTPUT}/); nothing was written"
        )
