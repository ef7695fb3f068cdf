"""--format github and --format sarif, and the GitHub Actions job summary."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, SEED_NAME, run_cli

from postmortem_repo.core.findings import Finding, Severity
from postmortem_repo.lint.engine import CheckResult
from postmortem_repo.lint.reporters import GithubReporter

# OASIS SARIF 2.1.0 schema (sarif-spec, Schemata/sarif-schema-2.1.0.json), kept here so the
# test runs wherever the repository is cloned.
SARIF_SCHEMA = FIXTURES / "sarif-2.1.0.json"
MakeRepo = Callable[[dict[str, str | bytes]], Path]


def blamed(seed_text: str) -> str:
    return seed_text.replace(
        "### What Went Poorly\n\n", "### What Went Poorly\n\nAlice forgot to update the config.\n\n"
    )


def test_github_annotations_escape_what_github_requires() -> None:
    finding = Finding(
        "2024/Q1/a,b:c.md",
        7,
        3,
        "PM402",
        "blame-individual",
        Severity.ERROR,
        "100% sure: line one\r\nline two",
        "fix, then: retry",
    )
    warning = Finding("x.md", 1, 1, "PM308", "section-unknown", Severity.WARNING, "w", "")
    stream = io.StringIO()
    GithubReporter(stream).report(CheckResult([finding, warning], files_checked=2))
    assert stream.getvalue().splitlines() == [
        "::error file=2024/Q1/a%2Cb%3Ac.md,line=7,col=3,title=PM402 blame-individual::"
        "100%25 sure: line one%0D%0Aline two%0Ahint: fix, then: retry",
        "::warning file=x.md,line=1,col=1,title=PM308 section-unknown::w",
        "Found 1 error and 1 warning in 2 files (2 files checked).",
    ]


def test_github_format_end_to_end(
    make_repo: MakeRepo, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({SEED_NAME: blamed(seed_text)})
    monkeypatch.chdir(root)
    result = run_cli("check", "--format", "github", "--select", "PM4")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"::error file={SEED_NAME},line=127,col=1,title=PM402 blame-individual::a person is "
        "named as the cause: 'Alice forgot'%0Ahint: name the step that did not happen "
        "automatically"
    )


def test_sarif_output_validates_against_the_sarif_2_1_0_schema(
    make_repo: MakeRepo, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({SEED_NAME: blamed(seed_text), "2024/Q1/INC-2024-0016 odd name.md": "x\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", "--format", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert sorted(error.message for error in validator.iter_errors(document)) == []
    run = document["runs"][0]
    assert run["tool"]["driver"]["name"] == "pmrepo"
    rules = run["tool"]["driver"]["rules"]
    assert {rule["id"] for rule in rules} >= {"PM101", "PM402", "PM705"}
    blame = next(r for r in run["results"] if r["ruleId"] == "PM402")
    assert rules[blame["ruleIndex"]]["id"] == "PM402"
    assert blame["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": SEED_NAME},
        "region": {"startLine": 127, "startColumn": 1, "endLine": 127, "endColumn": 13},
    }
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert "2024/Q1/INC-2024-0016%20odd%20name.md" in uris


def test_the_job_summary_is_appended_when_github_asks(
    make_repo: MakeRepo, seed_text: str, tmp_path: Path
) -> None:
    root = make_repo({SEED_NAME: blamed(seed_text)})
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", "utf-8")
    result = run_cli(
        "check", str(root), "--select", "PM4", env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert result.exit_code == 1
    text = summary.read_text("utf-8")
    assert text.startswith(
        "# Earlier step\n## pmrepo check\n\nFound 1 error in 1 file (1 file checked).\n"
    )
    assert "| PM402 blame-individual | a person is named as the cause: 'Alice forgot' |" in text


def test_the_job_summary_names_files_as_the_annotations_do_from_a_subfolder(
    make_repo: MakeRepo, seed_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({SEED_NAME: blamed(seed_text)})
    monkeypatch.chdir(root / "2024")
    summary = tmp_path / "summary.md"
    result = run_cli(
        "check", "..", "--select", "PM4", "--format", "github", "--no-cache",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"file={SEED_NAME}," in result.stdout
    row = next(line for line in summary.read_text("utf-8").split("\n") if "PM402" in line)
    assert row.startswith(f"| {SEED_NAME} | ")


HOSTILE_SEVERITY = (
    'severity: "SEV9\\r## Injected <img src=x> [click](https://evil) \\e[2J\\e]0;x\\a"'
)
ODD_NAME = "2024/Q1/INC-2024-0016-a\n| x | y |.md"


def hostile_repo(make_repo: MakeRepo, seed_text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two post-mortems with a hostile severity, one of them with a hostile file name; the
    working folder is the repository's root."""
    hostile = seed_text.replace("severity: SEV2", HOSTILE_SEVERITY)
    root = make_repo({SEED_NAME: hostile, ODD_NAME: hostile})
    monkeypatch.chdir(root)
    return root


def test_the_job_summary_shows_front_matter_and_file_names_as_text(
    make_repo: MakeRepo, seed_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile_repo(make_repo, seed_text, monkeypatch)
    summary = tmp_path / "summary.md"
    result = run_cli("check", "--no-cache", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    lines = summary.read_text("utf-8").split("\n")
    table = lines[lines.index("| File | Line | Rule | Message |") : -1]
    findings = result.stdout.count("\n") - 1 - result.stdout.count("\n    hint: ")
    assert len(table) == 2 + findings  # one row per finding, none broken by a name or value
    assert all(row.startswith("| ") and row.endswith(" |") for row in table[2:])
    # Every row has its four cells: no '|' of a name or a value splits one.
    assert {len(re.findall(r"(?<!\\)\|", row)) for row in table[2:]} == {5}
    text = "\n".join(lines)
    assert "<img" not in text and "](https://" not in text and "\r" not in text
    assert "\x1b" not in text and "\x07" not in text
    assert not any(line.startswith("## Injected") for line in lines)
    assert "| 2024/Q1/INC-2024-0016-a \\| x \\| y \\|.md | 1 | PM103 path-layout |" in text
    assert "got 'SEV9## Injected &lt;img src=x&gt; \\[click\\](https\\://evil) \\[2J\\]0;x'" in text


def test_text_output_shows_control_characters_and_forges_no_finding_line(
    make_repo: MakeRepo, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile_repo(make_repo, seed_text, monkeypatch)
    result = run_cli("check", "--no-cache", "--format", "text")
    assert result.exit_code == 1
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout)
    lines = result.stdout.splitlines()
    finding = re.compile(
        r"2024/Q1/INC-2024-001(5-[a-z-]+|6-a\\n\| x \| y \|)\.md:\d+:\d+: PM\d{3} "
    )
    assert all(finding.match(line) or line.startswith("    hint: ") for line in lines[:-1])
    assert lines[-1].startswith("Found ")
    assert (
        "got 'SEV9\\r## Injected <img src=x> [click](https://evil) \\x1b[2J\\x1b]0;x\\x07'"
        in result.stdout
    )


def test_github_annotations_keep_hostile_names_and_values_in_one_command(
    make_repo: MakeRepo, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile_repo(make_repo, seed_text, monkeypatch)
    result = run_cli("check", "--no-cache", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.split("\n")
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines[:-2])
    assert lines[-2].startswith("Found ") and lines[-1] == ""
    odd = [line for line in lines[:-2] if "INC-2024-0016" in line.split("::")[1]]
    assert odd and all(
        line.startswith("::error file=2024/Q1/INC-2024-0016-a%0A| x | y |.md,line=") for line in odd
    )
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout)
    assert (
        "got 'SEV9%0D## Injected <img src=x> [click](https://evil) \\x1b[2J\\x1b]0;x\\x07'"
        in result.stdout
    )
