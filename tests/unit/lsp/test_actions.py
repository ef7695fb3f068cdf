"""The suppression code actions: each edit, applied, leaves a text whose finding is gone, and
only that finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_NAME
from lsp_edits import apply_edits
from lsprotocol import types
from pygls.workspace import PositionCodec

from postmortem_repo import api
from postmortem_repo.core.findings import Finding
from postmortem_repo.lsp.actions import code_actions
from postmortem_repo.lsp.diagnostics import to_diagnostic

URI = "file:///repo/post-mortem.md"


def _diagnostics(text: str, path: Path) -> tuple[list[Finding], list[types.Diagnostic]]:
    findings = api.check_text(text, path).findings
    lines = text.splitlines(keepends=True)
    codec = PositionCodec()
    return findings, [
        to_diagnostic(f, URI, lines, codec, related_information=True) for f in findings
    ]


def _suppressed(text: str, diagnostic: types.Diagnostic, title: str) -> str:
    [action] = [a for a in code_actions(URI, text, [diagnostic]) if a.title == title]
    assert action.edit is not None and action.edit.changes is not None
    return apply_edits(text, action.edit.changes[URI])


@pytest.fixture
def seed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo)
    return repo / SEED_NAME


def test_a_body_finding_is_suppressed_on_its_line_and_in_the_file(seed: Path) -> None:
    text = seed.read_text("utf-8").replace(
        "## Impact\n", "## Impact\n\nBob forgot to add an index.\n"
    )
    [finding], [diagnostic] = _diagnostics(text, seed)
    assert finding.code == "PM402"
    on_line = _suppressed(text, diagnostic, "Suppress PM402 on this line")
    assert on_line.split("\n")[finding.line - 1] == "<!-- pmrepo-disable-next-line PM402 -->"
    in_file = _suppressed(text, diagnostic, "Suppress PM402 in this file")
    assert "---\n<!-- pmrepo-disable-file PM402 -->\n\n# Samsung Pay" in in_file
    for suppressed in (on_line, in_file):
        assert api.check_text(suppressed, seed).findings == []


def test_a_front_matter_finding_is_suppressed_with_a_yaml_comment(seed: Path) -> None:
    text = seed.read_text("utf-8").replace("severity: SEV2\n", "severity: SEV2\nteam: pay\n")
    [finding], [diagnostic] = _diagnostics(text, seed)
    assert finding.code == "PM206"
    on_line = _suppressed(text, diagnostic, "Suppress PM206 on this line")
    assert on_line.split("\n")[finding.line - 1] == "# pmrepo-disable-next-line PM206"
    assert api.check_text(on_line, seed).findings == []
    in_file = _suppressed(text, diagnostic, "Suppress PM206 in this file")
    assert api.check_text(in_file, seed).findings == []


def test_a_second_code_joins_the_directive_above_the_line(seed: Path) -> None:
    text = seed.read_text("utf-8").replace(
        "## Impact\n",
        "## Impact\n\n<!-- pmrepo-disable-next-line PM401 -->\nBob forgot to add an index.\n",
    )
    findings, diagnostics = _diagnostics(text, seed)
    blame = [d for f, d in zip(findings, diagnostics, strict=True) if f.code == "PM402"]
    joined = _suppressed(text, blame[0], "Suppress PM402 on this line")
    assert "<!-- pmrepo-disable-next-line PM401 PM402 -->\nBob forgot" in joined
    assert [f.code for f in api.check_text(joined, seed).findings] == [
        f.code for f in findings if f.code != "PM402"
    ]


def test_no_directive_goes_above_the_front_matter(seed: Path) -> None:
    """A finding on the opening '---' (a missing key) can be suppressed in the file only."""
    text = seed.read_text("utf-8").replace("author: Alice Smith, Pay SRE Team\n", "")
    [finding], [diagnostic] = _diagnostics(text, seed)
    assert (finding.code, finding.line) == ("PM205", 1)
    titles = [action.title for action in code_actions(URI, text, [diagnostic])]
    assert titles == ["Suppress PM205 in this file"]
    in_file = _suppressed(text, diagnostic, "Suppress PM205 in this file")
    assert api.check_text(in_file, seed).findings == []


def test_diagnostics_of_other_tools_get_no_action() -> None:
    theirs = types.Diagnostic(
        range=types.Range(types.Position(0, 0), types.Position(0, 1)),
        message="MD041",
        code="MD041",
        source="markdownlint",
    )
    assert code_actions(URI, "# Title\n", [theirs]) == []
