"""A check that checked nothing never passes: a folder without post-mortems is PM108, a file
named on the command line that the config excludes is PM109 (unless --force-exclude)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

MakeRepo = Callable[[dict[str, str | bytes]], Path]
Cli = Callable[..., Result]


def test_a_folder_without_post_mortems_fails_and_says_why(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"2019-01-23.md": "# Outage\n", "README.md": "# Post-mortems\n"})
    monkeypatch.chdir(root)
    result = cli("check", ".")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.startswith(
        ".:1:1: PM108 no post-mortem found here: pmrepo reads Markdown files under YYYY/ "
        "folders or named INC-*.md, and no file here is one (pmrepo init --from-existing "
        "proposes a layout for the files you have)\n"
    )
    # Even when only other rules are selected; ignored by name, it is silent.
    assert cli("check", ".", "--select", "PM4").exit_code == 1
    assert cli("check", ".", "--ignore", "PM108").exit_code == 0


def test_a_layout_that_matches_nothing_is_named(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = "layout: {path: 'incidents/{year}-{seq}.md', id: '{year}-{seq}'}\n"
    root = make_repo({".pmrepo.yaml": config, "docs/2019-01-23.md": "# Outage\n"})
    monkeypatch.chdir(root)
    result = cli("check", "--format", "json", "--no-cache")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["code"] == "PM108"
    assert (
        "the files the config's layout 'incidents/{year}-{seq}.md' describes"
        in (finding["message"])
    )


def test_an_excluded_file_named_on_the_command_line_is_reported_not_passed(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"2024/README.md": "# 2024\n"})
    monkeypatch.chdir(root)
    result = cli("check", "2024/README.md")
    assert result.exit_code == 1
    assert result.stdout.startswith("2024/README.md:1:1: PM109 named to be checked, but the")
    assert "All checks passed" not in result.stdout
    # A hook passes every staged Markdown file: excluded ones are skipped without a word.
    quiet = cli("check", "--force-exclude", "2024/README.md")
    assert (quiet.exit_code, quiet.stdout) == (0, "All checks passed (0 files checked).\n")
