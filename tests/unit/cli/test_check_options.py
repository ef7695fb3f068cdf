"""pmrepo check's command-line conventions: repeated options, names in the config."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_NAME, run_cli


def codes(stdout: str) -> list[str]:
    return [line.split(" ")[1] for line in stdout.splitlines() if line.startswith(SEED_NAME)]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            ["--select", "PM4", "--select", "PM2"],
            ["PM205", "PM206", "PM402", "PM403", "PM403", "PM401"],
        ),
        (["--select", "PM4,PM2"], ["PM205", "PM206", "PM402", "PM403", "PM403", "PM401"]),
        (
            ["--select", "PM205", "--select", "PM401,blame-judgement"],
            ["PM205", "PM403", "PM403", "PM401"],
        ),
        (["--ignore", "PM402", "--ignore", "PM2"], ["PM403", "PM403", "PM401"]),
        (["--ignore", "PM402,PM2", "--ignore", "blame-counterfactual"], ["PM403", "PM403"]),
        (
            ["--select", "PM4", "--ignore", "PM403", "--select", "PM206"],
            ["PM206", "PM402", "PM401"],
        ),
    ],
)
def test_repeated_select_and_ignore_accumulate(
    findings_repo: Path, options: list[str], expected: list[str]
) -> None:
    result = run_cli("check", "--no-cache", *options)
    assert result.stderr == ""
    assert codes(result.stdout) == expected


def test_an_empty_select_still_runs_nothing(findings_repo: Path) -> None:
    result = run_cli("check", "--select", "")
    assert result.exit_code == 2
    assert "no rules selected" in result.stderr


def test_the_config_takes_rule_names(findings_repo: Path) -> None:
    (findings_repo / ".pmrepo.yaml").write_text(
        "select: [blame-judgement, PM2]\nignore: [frontmatter-unknown-key]\n"
        "severity:\n  blame-judgement: warning\n",
        "utf-8",
    )
    result = run_cli("check", "--no-cache")
    assert codes(result.stdout) == ["PM205", "PM403", "PM403"]
    assert result.stdout.count("(warning)") == 2  # the two PM403s


@pytest.mark.parametrize("key", ["select", "ignore", "severity"])
def test_an_unknown_name_in_the_config_names_the_file(findings_repo: Path, key: str) -> None:
    config = findings_repo / ".pmrepo.yaml"
    value = "{blame-judgment: warning}" if key == "severity" else "[blame-judgment]"
    config.write_text(f"{key}: {value}\n", "utf-8")
    result = run_cli("check", "--no-cache")
    assert result.exit_code == 2
    assert result.stderr == (
        f"pmrepo: error: {config.resolve()}: invalid config at '{key}': unknown rule code or name "
        "'blame-judgment'; did you mean 'blame-judgement'? (see 'pmrepo rules')\n"
    )


def test_a_selector_that_is_no_code_or_name_says_what_it_should_be(findings_repo: Path) -> None:
    config = findings_repo / ".pmrepo.yaml"
    config.write_text("ignore: [Blame]\n", "utf-8")
    result = run_cli("check", "--no-cache")
    assert result.exit_code == 2
    assert result.stderr == (
        f"pmrepo: error: {config.resolve()}: invalid config at 'ignore[0]': 'ignore[0]' must be "
        "a rule code (PM402), a prefix (PM4), ALL or a rule name (blame-judgement); got 'Blame'\n"
    )
