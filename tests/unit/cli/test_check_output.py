"""pmrepo check's output conventions: --statistics, --show-source, --quiet, end positions,
paths relative to the repository in github and sarif output, the progress line."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, REPO, SAMPLE_REPO, SEED_NAME, git_env, run, run_cli

from postmortem_repo.cli import progress

SUMMARY = "Found 5 errors and 1 warning in 1 file (1 file checked).\n"


def test_statistics_count_each_code_most_frequent_first(findings_repo: Path) -> None:
    result = run_cli("check", "--statistics")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        "2\tPM403\tblame-judgement\n"
        "1\tPM205\tfrontmatter-schema\n"
        "1\tPM206\tfrontmatter-unknown-key\n"
        "1\tPM401\tblame-counterfactual\n"
        "1\tPM402\tblame-individual\n" + SUMMARY
    )
    assert run_cli("check", "--statistics", "-q", "--select", "PM403").stdout == (
        "2\tPM403\tblame-judgement\n"
    )


def test_show_source_puts_the_line_and_carets_under_each_finding(findings_repo: Path) -> None:
    result = run_cli("check", "--show-source", "--select", "PM401,PM206")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        f"{SEED_NAME}:11:1: PM206 unknown key 'severty'; did you mean 'severity'? (warning)\n"
        "    11 | severty: SEV2\n"
        "       | ^\n"
        f"{SEED_NAME}:130:4: PM401 hindsight counterfactual 'should have noticed'\n"
        "    130 | We should have noticed the alert sooner.\n"
        "        |    ^^^^^^^^^^^^^^^^^^^\n"
        "    hint: say what the system allowed, not what someone should have done: 'the deploy "
        "checklist has no step that checks the pool size' rather than 'the pool size should "
        "have been checked'\n"
        "Found 1 error and 1 warning in 1 file (1 file checked).\n"
    )


def test_quiet_prints_the_findings_and_nothing_else(findings_repo: Path) -> None:
    result = run_cli("check", "--quiet", "--select", "PM206")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"{SEED_NAME}:11:1: PM206 unknown key 'severty'; did you mean 'severity'? (warning)\n"
    )
    assert run_cli("check", "-q", "--select", "PM1").stdout == ""
    github = run_cli("check", "-q", "--format", "github", "--select", "PM206").stdout
    assert github.startswith("::warning ") and github.count("\n") == 1


@pytest.mark.parametrize("flag", ["--statistics", "--show-source"])
@pytest.mark.parametrize("output_format", ["json", "github", "sarif"])
def test_text_only_options_refuse_other_formats(
    findings_repo: Path, flag: str, output_format: str
) -> None:
    result = run_cli("check", flag, "--format", output_format)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"pmrepo: error: {flag} works with --format text, not --format {output_format}\n"
    )


def test_statistics_and_show_source_are_one_or_the_other(findings_repo: Path) -> None:
    result = run_cli("check", "--statistics", "--show-source")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "pmrepo: error: give --statistics or --show-source, not both\n"


def test_json_and_sarif_carry_the_end_of_a_phrase(findings_repo: Path) -> None:
    found = json.loads(run_cli("check", "--format", "json").stdout)["findings"]
    assert [(f["code"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in found] == [
        ("PM205", 10, 11, None, None),  # schema errors know where the value starts
        ("PM206", 11, 1, None, None),
        ("PM402", 128, 1, 128, 11),  # 'Bob forgot'
        ("PM403", 129, 16, 129, 24),  # 'careless'
        ("PM403", 129, 29, 129, 35),  # 'sloppy'
        ("PM401", 130, 4, 130, 23),  # 'should have noticed'
    ]
    document = json.loads(run_cli("check", "--format", "sarif").stdout)
    schema = json.loads((FIXTURES / "sarif-2.1.0.json").read_text("utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [error.message for error in validator.iter_errors(document)] == []
    regions = [
        r["locations"][0]["physicalLocation"]["region"] for r in document["runs"][0]["results"]
    ]
    assert regions[1] == {"startLine": 11, "startColumn": 1}
    assert regions[3] == {"startLine": 129, "startColumn": 16, "endLine": 129, "endColumn": 24}


def annotation_paths(stdout: str) -> list[str]:
    return [line.split("file=", 1)[1].split(",", 1)[0] for line in stdout.splitlines()[:-1]]


def sarif_uris(stdout: str) -> list[str]:
    results = json.loads(stdout)["runs"][0]["results"]
    return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]


def test_github_and_sarif_paths_are_relative_to_the_git_work_tree_from_a_subfolder(
    tmp_path: Path, findings_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    shutil.copytree(findings_repo, work / "post-mortems")
    run(["git", "init", "-q"], work, git_env(tmp_path))
    monkeypatch.chdir(work / "post-mortems" / "2024")
    expected = f"post-mortems/{SEED_NAME}"
    github = run_cli("check", "--format", "github", "--select", "PM206")
    assert annotation_paths(github.stdout) == [expected]
    sarif = run_cli("check", ".", "--format", "sarif", "--select", "PM206")
    assert sarif_uris(sarif.stdout) == [expected]
    text = run_cli("check", "--select", "PM206").stdout  # people's output stays as it was
    assert text.startswith("Q1/INC-2024-0015")


def test_without_git_paths_are_relative_to_the_repository_root(
    findings_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(findings_repo / "2024" / "Q1")
    github = run_cli("check", "--format", "github", "--select", "PM206")
    assert annotation_paths(github.stdout) == [SEED_NAME]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "output_format", "environ", "expected"),
    [
        (Terminal(), "text", {}, True),
        (Terminal(), "text", {"CI": "false"}, True),
        (io.StringIO(), "text", {}, False),  # a pipe or a file
        (Terminal(), "text", {"CI": "true"}, False),
        (Terminal(), "json", {}, False),
        (Terminal(), "sarif", {}, False),
        (Terminal(), "github", {}, False),
    ],
)
def test_progress_only_on_a_terminal_outside_ci_for_people(
    stream: io.StringIO, output_format: str, environ: dict[str, str], expected: bool
) -> None:
    assert progress.wanted(stream, output_format, environ) is expected


def test_progress_shows_only_after_a_second_and_is_erased() -> None:
    now = [0.0]
    stream = Terminal()
    line = progress.ProgressLine(stream, clock=lambda: now[0])
    line(1, 3000)
    now[0] = 0.9
    line(200, 3000)
    assert stream.getvalue() == ""  # a short run shows nothing
    now[0] = 1.2
    line(400, 3000)
    now[0] = 1.25
    line(410, 3000)  # redrawn at most every 0.1 s
    now[0] = 1.4
    line(3000, 3000)
    line.done()
    assert stream.getvalue() == (
        "\r\x1b[KChecking 400/3000 files…\r\x1b[KChecking 3000/3000 files…\r\x1b[K"
    )


def readme_output(command: str) -> str:
    """What the README shows a command printing: the lines after `$ command` in a block."""
    text = (REPO / "README.md").read_text("utf-8")
    start = text.index(f"$ {command}\n") + len(f"$ {command}\n")
    return text[start : text.index("```", start)]


def test_the_readme_shows_what_statistics_print_for_sample_repo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("check", "--statistics", "--no-cache", "sample-repo")
    assert result.stdout == readme_output("pmrepo check --statistics sample-repo")


def test_the_readme_shows_what_show_source_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "post-mortems"
    shutil.copytree(SAMPLE_REPO, copy, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    monkeypatch.chdir(copy)
    made = run_cli(
        "new",
        "--title",
        "Checkout latency spike",
        "--severity",
        "SEV2",
        "--date",
        "2024-12-02",
        "--services",
        "checkout-api",
    )
    path = Path(made.stdout.strip())
    text = path.read_text("utf-8").replace(
        "- [Something that delayed resolution or made impact worse]",
        "- Alice forgot to page the DBA, and the deploy was rushed and careless.",
    )
    path.write_text(text, "utf-8")
    command = f"pmrepo check --show-source --select PM4 {path.as_posix()}"
    result = run_cli(*command.split()[1:], "--no-cache")
    assert result.stdout == readme_output(command)


def test_the_readme_shows_what_statistics_print_for_a_draft_moved_to_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "post-mortems"
    shutil.copytree(SAMPLE_REPO, copy, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    monkeypatch.chdir(copy)
    new = ["new", "--title", "Checkout latency spike", "--severity", "SEV2"]
    # No git user name: the author stays the template's placeholder, as the README says.
    env = {"HOME": str(tmp_path)}
    made = run_cli(*new, "--date", "2024-12-02", "--services", "checkout-api", env=env)
    path = Path(made.stdout.strip())
    path.write_text(
        path.read_text("utf-8").replace("status: DRAFT", "status: IN REVIEW", 1), "utf-8"
    )
    assert run_cli("index").exit_code in (0, 1)
    result = run_cli("check", "--statistics", "--no-cache")
    assert result.stdout == readme_output("pmrepo check --statistics")
