"""A new team's first hour, command by command: init, new, index, patterns, check, actions,
report and timeline on a repository set up with `pmrepo init`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, git_env, run, run_cli

from postmortem_repo import __version__
from postmortem_repo.commands.scaffold import HOOKS_REPO_PLACEHOLDER

TODAY = "2025-02-10"
DRAFT = "2025/Q1/INC-2025-0001-payment-api-latency-spike.md"


def new_repository(tmp_path: Path, *, git_name: str | None = None) -> Path:
    """`pmrepo init` in a git repository, then `pmrepo new` for a SEV2 of TODAY."""
    root = tmp_path / "post-mortems"
    root.mkdir()
    env = git_env(tmp_path)
    run(["git", "init", "-q", "-b", "main"], root, env)
    if git_name:
        run(["git", "config", "user.name", git_name], root, env)
    assert run_cli("init", str(root)).exit_code == 0
    new = run_cli(
        "new", str(root), "--title", "Payment API latency spike", "--severity", "SEV2",
        "--services", "payment-api", "--date", TODAY, env={"HOME": str(tmp_path)},
    )  # fmt: skip
    assert new.exit_code == 0, new.output
    assert new.stdout.strip().endswith(DRAFT)
    return root


# --- init ------------------------------------------------------------------------------


def test_init_writes_generated_files_that_are_current(tmp_path: Path) -> None:
    root = tmp_path / "post-mortems"
    assert run_cli("init", str(root)).exit_code == 0
    assert run_cli("index", str(root), "--check").exit_code == 0
    assert run_cli("patterns", str(root), "--check").exit_code == 0
    # Before the first post-mortem a check has nothing to check, and says so.
    empty = run_cli("check", str(root), "--no-cache")
    assert empty.exit_code == 1
    assert "PM108 no post-mortem found here" in empty.stdout
    assert "pmrepo new" in empty.stdout


def test_the_first_post_mortem_passes_with_the_generated_files(tmp_path: Path) -> None:
    root = new_repository(tmp_path)
    assert run_cli("index", str(root)).exit_code in (0, 1)  # writes the first index row
    assert run_cli("index", str(root), "--check").exit_code == 0
    assert run_cli("patterns", str(root), "--check").exit_code == 0
    checked = run_cli("check", str(root), "--no-cache")
    assert checked.exit_code == 0, checked.output


def test_init_writes_a_pre_commit_config_that_installs_pmrepo_itself(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "pm"))
    config = (tmp_path / "pm" / ".pre-commit-config.yaml").read_text("utf-8")
    assert "repo: local" not in config and "language: system" not in config
    assert f"  - repo: {HOOKS_REPO_PLACEHOLDER}\n    rev: v{__version__}\n" in config
    for hook in ("pmrepo-check", "pmrepo-index", "pmrepo-patterns"):
        assert f"      - id: {hook}" in config
    # The placeholder is named, with what to do, in the output.
    assert f"replace {HOOKS_REPO_PLACEHOLDER} with where your team gets pmrepo" in result.stdout


def installed_from_git(tmp_path: Path, requested: str | None) -> dict[str, str]:
    """An environment in which pmrepo's metadata is what `pip install git+URL@REV` writes
    (PEP 610's direct_url.json), found before the installed one."""
    info = tmp_path / "site" / f"pmrepo-{__version__}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: pmrepo\nVersion: {__version__}\n", "utf-8"
    )
    vcs = {"vcs": "git", "commit_id": "0123456789abcdef0123456789abcdef01234567"}
    if requested:
        vcs["requested_revision"] = requested
    direct = {"url": "https://git.example.com/sre/pmrepo.git", "vcs_info": vcs}
    (info / "direct_url.json").write_text(json.dumps(direct), "utf-8")
    return git_env(tmp_path) | {"PYTHONPATH": str(tmp_path / "site")}


@pytest.mark.parametrize(
    ("requested", "rev"),
    [(f"v{__version__}", f"v{__version__}"), ("main", "0123456789abcdef0123456789abcdef01234567")],
)
def test_init_installs_pmrepo_from_where_it_came_from(
    tmp_path: Path, requested: str, rev: str
) -> None:
    env = installed_from_git(tmp_path, requested)
    init = run([sys.executable, "-m", "postmortem_repo", "init", "pm"], tmp_path, env)
    assert init.returncode == 0, init.stderr
    config = (tmp_path / "pm" / ".pre-commit-config.yaml").read_text("utf-8")
    assert f'  - repo: "https://git.example.com/sre/pmrepo.git"\n    rev: {rev}\n' in config
    assert "EDIT BEFORE THE FIRST COMMIT" not in config and "YOUR-ORG" not in init.stdout
    assert (
        f".pre-commit-config.yaml installs pmrepo from https://git.example.com/sre/pmrepo.git "
        f"at {rev} (where this pmrepo came from)"
    ) in init.stdout


def test_init_prints_the_next_steps(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "pm"))
    steps = result.stdout.split("\nNext steps:\n", 1)[1].splitlines()
    assert steps[0] == f"  1. git init {tmp_path / 'pm'}"
    assert steps[1] == f"  2. cd {tmp_path / 'pm'}"
    assert steps[-3:] == [
        '  5. pmrepo new --title "What happened" --severity SEV2 --services your-service',
        "  6. pmrepo index && pmrepo patterns && pmrepo check",
        '  7. git add -A && git commit -m "Post-mortem repository"',
    ]


# --- new ------------------------------------------------------------------------------


def test_new_takes_the_author_from_git_config(tmp_path: Path) -> None:
    root = new_repository(tmp_path, git_name="Ada Lovelace")
    assert 'author: "Ada Lovelace"\n' in (root / DRAFT).read_text("utf-8")


def test_new_keeps_the_placeholder_author_without_a_git_name(tmp_path: Path) -> None:
    root = new_repository(tmp_path)
    assert 'author: "[Name, Team]"\n' in (root / DRAFT).read_text("utf-8")


# --- the generated files (PM705) --------------------------------------------------------


def test_the_flow_of_the_readme_leaves_every_generated_file_current(tmp_path: Path) -> None:
    root = new_repository(tmp_path)
    assert run_cli("index", str(root)).stdout == "updated README.md\n"
    assert run_cli("patterns", str(root)).stdout == "Everything is up to date.\n"
    assert run_cli("patterns", str(root), "--check").exit_code == 0
    assert run_cli("check", str(root), "--no-cache").exit_code == 0


def test_pm705_reports_a_stale_index_on_a_check_of_one_file(tmp_path: Path) -> None:
    root = new_repository(tmp_path)
    result = run_cli("check", str(root / DRAFT), "--no-cache", "--select", "PM705")
    assert result.exit_code == 1
    readme = root / "README.md"
    line = readme.read_text("utf-8").splitlines().index("No post-mortems yet.") + 1
    assert f"README.md:{line}:1: PM705 generated block is out of date: run 'pmrepo index'" in (
        result.stdout
    )


def test_pm705_reports_a_stale_patterns_readme(tmp_path: Path) -> None:
    root = new_repository(tmp_path)
    run_cli("index", str(root))
    readme = root / "patterns" / "README.md"
    text = readme.read_text("utf-8")
    readme.write_text(text.replace("No patterns yet.", "PATTERN-009 was here."), "utf-8")
    line = text.splitlines().index("No patterns yet.") + 1
    expected = (
        f"patterns/README.md:{line}:1: PM705 generated block is out of date: run 'pmrepo patterns'"
    )
    for target in (root, root / DRAFT):  # the whole repository, and one file (a hook's)
        result = run_cli("check", str(target), "--no-cache", "--select", "PM705")
        assert result.exit_code == 1
        assert expected in result.stdout
    assert run_cli("patterns", str(root), "--check").exit_code == 1


# --- template placeholders are not action items ------------------------------------------


def test_template_rows_are_no_action_items(tmp_path: Path) -> None:
    root = new_repository(tmp_path)
    assert "| 1 | [Description] | [Name] | P0 | [YYYY-MM-DD] | OPEN |" in (root / DRAFT).read_text()
    listed = run_cli("actions", str(root), "--all", "--today", "2025-03-01")
    assert listed.stdout == "No action items match.\n"
    overdue = run_cli("actions", str(root), "--check", "--today", "2025-03-01")
    assert overdue.exit_code == 0 and "[Description]" not in overdue.output
    run_cli("index", str(root))
    index = (root / "README.md").read_text("utf-8").splitlines()
    row = next(line for line in index if "INC-2025-0001" in line)
    assert row.rstrip().endswith("| 0 / 0 |")
    report = json.loads(run_cli("report", str(root), "--format", "json").stdout)
    assert json.dumps(report).count('"open": 1') == 0


def test_a_real_item_with_a_placeholder_owner_still_counts(tmp_path: Path) -> None:
    root = new_repository(tmp_path)
    draft = root / DRAFT
    draft.write_text(
        draft.read_text("utf-8").replace("| [Description] |", "| Add a query timeout |"), "utf-8"
    )
    listed = run_cli("actions", str(root), "--today", TODAY)
    assert "INC-2025-0001 #1 [P0] Add a query timeout (owner [Name]" in listed.stdout


# --- report ----------------------------------------------------------------------------


def test_report_skips_the_quarter_of_an_empty_draft(repo: Path) -> None:
    result = run_cli(
        "new", str(repo), "--title", "Just started", "--severity", "SEV3", "--date", "2025-05-02"
    )
    assert result.exit_code == 0
    report = run_cli("report", str(repo), "--today", "2025-05-03")
    assert report.stdout.startswith("# Incident report: Q4 2024\n"), report.stdout[:80]


def test_report_of_only_empty_drafts_takes_the_newest(tmp_path: Path) -> None:
    root = new_repository(tmp_path)
    report = run_cli("report", str(root), "--today", TODAY)
    assert report.stdout.startswith("# Incident report: Q1 2025\n")


# --- timeline --------------------------------------------------------------------------


def test_timeline_into_takes_the_window_from_the_incident(repo: Path, tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text(
        "timestamp,source,description\n"
        "2024-01-15T13:00:00Z,deploy,before the incident\n"
        "2024-01-15T14:35:00Z,deploy,inside the incident\n"
        "2024-01-16T09:00:00Z,deploy,after the incident\n",
        "utf-8",
    )
    seed = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    front = (SAMPLE_REPO / seed).read_text("utf-8").split("---")[1]
    assert "started_at: 2024-01-15T14:23:00Z" in front
    assert "resolved_at: 2024-01-15T14:45:00Z" in front
    result = run_cli(
        "timeline", str(repo), "--source", f"csv:{events}", "--into", "INC-2024-0015"
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"updated {repo / seed} (1 events)\n"
    text = (repo / seed).read_text("utf-8")
    assert "inside the incident" in text and "before the incident" not in text


def test_timeline_without_into_still_needs_a_window(repo: Path, tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text("timestamp,source,description\n", "utf-8")
    result = run_cli("timeline", str(repo), "--source", f"csv:{events}")
    assert result.exit_code == 2
    assert "give --start and --end" in result.stderr


def test_timeline_into_a_draft_without_times_says_what_is_missing(tmp_path: Path) -> None:
    root = new_repository(tmp_path)
    events = tmp_path / "events.csv"
    events.write_text("timestamp,source,description\n", "utf-8")
    result = run_cli("timeline", str(root), "--source", f"csv:{events}", "--into", "INC-2025-0001")
    assert result.exit_code == 2
    assert f"{DRAFT}: no started_at (or detected_at) to take the timeline's window from" in (
        result.stderr
    )


# --- the version -----------------------------------------------------------------------


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    result = run_cli("--version")
    assert result.stdout == f"pmrepo, version {version('pmrepo')}\n"
    assert version("pmrepo") == __version__


def test_the_changelog_has_the_current_version() -> None:
    changelog = (SAMPLE_REPO.parent / "CHANGELOG.md").read_text("utf-8")
    assert f"\n## {__version__} (" in changelog


def test_no_seed_in_the_product() -> None:
    product = SAMPLE_REPO.parent
    files = [product / "README.md", product / "action.yml", product / ".pre-commit-hooks.yaml"]
    files += [p for p in (product / "hooks").rglob("*") if p.is_file()]
    files += list((product / "postmortem_repo").rglob("*.py"))
    # The learned reading's weights are keyed by the words of labelled sentences, not text
    # pmrepo says.
    files += [
        p for p in (product / "postmortem_repo").rglob("*.json") if p.name != "blame-model.json"
    ]
    offending = [str(p) for p in files if "seed" in p.read_text("utf-8").lower()]
    assert offending == []
