"""The command line: exact output, exit codes 0/1/2, formats, selection, --output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEED_NAME, run_cli

BROKEN = SEED_NAME.replace("INC-2024-0015", "INC-2024-0016")


@pytest.fixture
def repo(make_repo: Callable[[dict[str, str | bytes]], Path], seed_text: str) -> Path:
    broken = seed_text.replace("id: INC-2024-0015", "id: INC-2024-0016")
    broken = broken.replace("severity: SEV2", "severity: high\nseverty: SEV2")
    # A copy of the seed links it, as PM706 asks of a post-mortem so like another.
    broken = broken.replace("related:\n  []\n", "related:\n  - INC-2024-0015\n")
    return make_repo({SEED_NAME: seed_text, BROKEN: broken})


def test_text_output_is_exact(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = run_cli("check")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout == (
        f"{BROKEN}:10:11: PM205 'severity' must be one of SEV1, SEV2, SEV3, SEV4; got 'high'\n"
        f"{BROKEN}:11:1: PM206 unknown key 'severty'; did you mean 'severity'? (warning)\n"
        "Found 1 error and 1 warning in 1 file (2 files checked).\n"
    )


def test_json_output_shape(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = run_cli("check", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["summary"] == {"files_checked": 2, "errors": 1, "warnings": 1}
    assert document["findings"][1] == {
        "path": BROKEN,
        "line": 11,
        "column": 1,
        "end_line": None,
        "end_column": None,
        "code": "PM206",
        "name": "frontmatter-unknown-key",
        "severity": "warning",
        "message": "unknown key 'severty'; did you mean 'severity'?",
        "hint": None,
    }


def test_warnings_alone_exit_zero(repo: Path) -> None:
    result = run_cli("check", str(repo), "--select", "PM206")
    assert result.exit_code == 0
    assert result.stdout.endswith("Found 0 errors and 1 warning in 1 file (2 files checked).\n")


def test_ignore_by_prefix_and_exit_zero(repo: Path) -> None:
    assert run_cli("check", str(repo), "--ignore", "PM2").stdout.startswith("All checks passed")
    assert run_cli("check", str(repo), "--exit-zero").exit_code == 0


def test_unknown_code_is_a_usage_error(repo: Path) -> None:
    result = run_cli("check", str(repo), "--select", "PM999")
    assert result.exit_code == 2
    assert "unknown rule code or name 'PM999'" in result.stderr


def test_missing_path_exits_2_naming_it(tmp_path: Path) -> None:
    result = run_cli("check", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"pmrepo: error: {tmp_path / 'nope'}: no such file or folder\n"


def test_output_file_gets_the_report(repo: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = run_cli("check", str(repo), "--format", "json", "--output", str(report))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(report.read_text())["summary"]["errors"] == 1


def test_colour_only_when_forced_and_never_with_no_color(repo: Path) -> None:
    assert "\x1b[" not in run_cli("check", str(repo)).stdout
    assert "\x1b[" in run_cli("check", str(repo), env={"FORCE_COLOR": "1"}).stdout
    plain = run_cli("check", str(repo), env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[" not in plain


def test_inline_suppressions(make_repo: Callable[..., Path], seed_text: str) -> None:
    text = seed_text.replace(
        "## Appendix", "<!-- pmrepo-disable-next-line PM308 -->\n## Notes\n\nx\n\n## Appendix"
    )
    text = text.replace(
        "severity: SEV2", "severity: SEV2\n# pmrepo-disable-next-line PM206\nextra: 1"
    )
    root = make_repo({SEED_NAME: text})
    assert run_cli("check", str(root)).stdout == "All checks passed (1 file checked).\n"
    unsuppressed = text.replace("pmrepo-disable-next-line", "no directive")
    root = make_repo({SEED_NAME: unsuppressed})
    codes = [line.split(" ")[1] for line in run_cli("check", str(root)).stdout.splitlines()[:-1]]
    assert codes == ["PM206", "PM308"]


def test_rules_lists_every_rule_and_rule_explains_one() -> None:
    listing = run_cli("rules").stdout.splitlines()
    assert listing[0].split()[:3] == ["PM101", "file-unreadable", "error"]
    assert any(line.split()[:3] == ["PM308", "section-unknown", "warning"] for line in listing)
    explained = run_cli("rule", "section-missing")
    assert explained.exit_code == 0
    assert explained.stdout.startswith("PM301 section-missing (default severity: error)\n")
    assert "Bad:" in explained.stdout and "Good:" in explained.stdout
    assert run_cli("rule", "PM999").exit_code == 2


def test_a_misspelt_rule_is_answered_with_the_nearest_one() -> None:
    result = run_cli("rule", "PM4O2")
    assert (result.exit_code, result.stderr) == (
        2,
        "pmrepo: error: unknown rule code or name 'PM4O2'; did you mean 'PM402'? "
        "(see 'pmrepo rules')\n",
    )
