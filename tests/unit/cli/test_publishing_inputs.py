"""What pmrepo site, digest, review-deck and announce do with input they cannot use: they
say what is wrong and write nothing, never publish less than the repository holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

LATIN_1 = b"---\nid: INC-2024-0061\ntitle: Caf\xe9 outage\ndate: 2024-01-20\n---\n# Caf\xe9\n"
BROKEN_YAML = "---\nid: INC-2024-0064\ntitle: [broken\ndate: 2024-01-21\n---\n# Broken\n"
UNREADABLE = (
    "pmrepo: error: 2 post-mortem file(s) cannot be read; pmrepo reads all of them or "
    "none, so nothing was written:\n"
    "  2024/Q1/INC-2024-0061-latin.md:3:11: PM102 not valid UTF-8 (byte 0xe9): re-save the "
    "file as UTF-8\n"
    "  2024/Q1/INC-2024-0064-yaml.md:4:5: PM203 invalid YAML: while parsing a flow sequence "
    "did not find expected ',' or ']' (and 7 more: pmrepo check "
    "2024/Q1/INC-2024-0064-yaml.md)\n"
)


@pytest.mark.parametrize(
    "command",
    [
        ["site", "{repo}", "--output", "{tmp}/site"],
        ["digest", "{repo}", "--since", "2024-01-01"],
        ["review-deck", "{repo}"],
        ["announce", "INC-2024-0015", "{repo}"],
    ],
    ids=lambda command: command[0],
)
def test_an_unreadable_post_mortem_stops_publishing_with_checks_reason(
    repo: Path, tmp_path: Path, command: list[str]
) -> None:
    (repo / "2024/Q1/INC-2024-0061-latin.md").write_bytes(LATIN_1)
    (repo / "2024/Q1/INC-2024-0064-yaml.md").write_text(BROKEN_YAML, "utf-8")
    args = [part.format(repo=repo, tmp=tmp_path) for part in command]
    result = run_cli(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == UNREADABLE
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("command", ["site", "digest", "review-deck"])
def test_a_folder_that_is_no_post_mortem_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = run_cli(command)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"pmrepo: error: {empty}: no .pmrepo.yaml, and no YYYY/ folder, TEMPLATE.md or "
        "post-mortem at its top: not a post-mortem repository (name its folder, or set one "
        "up with pmrepo init); nothing was written\n"
    )
    assert list(empty.iterdir()) == []


def test_a_new_repository_with_no_post_mortem_yet_builds_its_site(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "new")).exit_code == 0
    result = run_cli("site", str(tmp_path / "new"))
    assert result.exit_code == 0, result.stderr
