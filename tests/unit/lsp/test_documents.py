"""Which documents the server checks, and how a finding reads as a diagnostic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SEED_NAME
from lsprotocol import types
from pygls.workspace import PositionCodec

from postmortem_repo.core.findings import Finding, Severity
from postmortem_repo.lsp.diagnostics import to_diagnostic
from postmortem_repo.lsp.project import Projects


def test_only_the_post_mortems_pmrepo_check_would_check_are_checked(
    repo: Path, tmp_path: Path
) -> None:
    projects = Projects()
    place = projects.place_of((repo / SEED_NAME).as_uri())
    assert place is not None and place.root == repo and place.relpath == SEED_NAME
    for path in (
        repo / "README.md",
        repo / "TEMPLATE.md",
        repo / "patterns/PATTERN-001-deployment-correlated-failures.md",
        tmp_path / "notes.md",  # outside any repository
    ):
        assert projects.place_of(path.as_uri()) is None, path
    assert projects.place_of("untitled:Untitled-1") is None
    unsaved = repo / "2025/Q1/INC-2025-0001-new.md"  # not on disk yet: checked
    assert projects.place_of(unsaved.as_uri()) is not None


def test_a_changed_config_is_read_again(repo: Path) -> None:
    projects = Projects()
    uri = (repo / SEED_NAME).as_uri()
    assert projects.place_of(uri) is not None
    (repo / ".pmrepo.yaml").write_text("root: .\nexclude: ['2024/**']\n", "utf-8")
    assert projects.place_of(uri) is None


FINDING = Finding(
    "x.md", 3, 7, "PM402", "blame-individual", Severity.ERROR, "named", "say what the system did"
)


def test_a_finding_is_a_diagnostic_in_utf16_units_with_its_hint() -> None:
    lines = ["---\n", "id: x\n", "Café 😀 Bob forgot it\n"]
    found = to_diagnostic(FINDING, "file:///x.md", lines, PositionCodec(), related_information=True)
    # Column 7 (code points) is after '😀 ', which is two UTF-16 units.
    assert found.range == types.Range(types.Position(2, 7), types.Position(2, 21))
    assert (found.code, found.source, found.message) == ("PM402", "pmrepo", "named")
    [hint] = found.related_information or []
    assert hint.message == "hint: say what the system did"


def test_a_client_without_related_information_reads_the_hint_in_the_message() -> None:
    lines = ["", "", "Bob forgot it\n"]
    found = to_diagnostic(
        FINDING, "file:///x.md", lines, PositionCodec(), related_information=False
    )
    assert found.message == "named\nhint: say what the system did"
    assert found.related_information is None


def test_the_command_line_does_not_load_the_language_server() -> None:
    probe = "import json, sys; import postmortem_repo.cli; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in json.loads(done.stdout)}
    assert not loaded & {"pygls", "lsprotocol"}
