"""Completion values in the front matter: what an author may pick, and nothing else."""

from __future__ import annotations

from conftest import SAMPLE_REPO

from postmortem_repo import api
from postmortem_repo.lsp.completion import complete
from postmortem_repo.lsp.knowledge import Knowledge


def _knowledge() -> Knowledge:
    repository = api.load_repository(SAMPLE_REPO)
    incidents = {incident.id: incident for incident in repository.incidents}
    return Knowledge(SAMPLE_REPO, incidents, ("", "Alice Chen", "  "))


def test_related_offers_the_other_incidents_not_the_document_itself() -> None:
    lines = ["---", "id: INC-2024-0015", "related:", "  - ", "---"]
    config = api.resolve_config([SAMPLE_REPO])
    labels = [item.label for item in complete(lines, 3, 4, config, _knowledge())]
    assert "INC-2024-0015" not in labels and "INC-2023-0089" in labels


def test_people_offers_no_empty_name() -> None:
    lines = ["---", "id: INC-2024-0015", "author: ", "---"]
    config = api.resolve_config([SAMPLE_REPO])
    assert [item.label for item in complete(lines, 2, 8, config, _knowledge())] == ["Alice Chen"]
