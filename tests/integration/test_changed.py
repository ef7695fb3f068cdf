"""pmrepo check --changed: what a git change touched, and what its ids touch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, git_env, run, run_cli

from postmortem_repo import api
from postmortem_repo.core.errors import PmrepoError

SEED = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
OTHER = "2024/Q2/INC-2024-0021-smartthings-device-registration.md"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    env = git_env(tmp_path)
    for key in (
        "HOME",
        "GIT_CONFIG_NOSYSTEM",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ):
        monkeypatch.setenv(key, env[key])
    for key in ("PRE_COMMIT", "GIT_INDEX_FILE"):
        monkeypatch.delenv(key, raising=False)
    root = tmp_path / "post-mortems"
    shutil.copytree(SAMPLE_REPO, root)
    run(["git", "init", "-q", "-b", "main"], root, env)
    run(["git", "add", "-A"], root, env)
    run(["git", "commit", "-qm", "Post-mortems"], root, env)
    run(["git", "checkout", "-qb", "feature"], root, env)
    monkeypatch.chdir(root)
    return root


def checked(result: api.CheckResult) -> tuple[int, list[tuple[str, str, int]]]:
    return result.files_checked, [(f.code, f.path, f.line) for f in result.findings]


def add_blame(root: Path, name: str = SEED) -> None:
    path = root / name
    text = path.read_text("utf-8").replace(
        "### What Went Poorly\n\n", "### What Went Poorly\n\nBob forgot to drain the node.\n\n", 1
    )
    path.write_text(text, "utf-8")


def test_only_what_changed_since_the_default_branch(repo: Path) -> None:
    assert checked(api.check(changed="")) == (0, [])
    add_blame(repo)
    count, findings = checked(api.check(changed=""))
    # The changed file, and INC-2023-0089, whose `related` names its id (PM703 could change).
    assert count == 2
    assert [(code, path) for code, path, _ in findings] == [("PM402", SEED)]
    result = run_cli("check", "--changed", "main")
    assert result.exit_code == 1 and "2 files checked" in result.stdout


def test_a_new_file_with_an_existing_id_brings_the_other_file_along(repo: Path) -> None:
    copy = repo / "2024/Q2/INC-2024-0015-copy.md"
    copy.write_text((repo / SEED).read_text("utf-8").replace("2024-01-15", "2024-04-15"), "utf-8")
    count, findings = checked(api.check(changed=""))
    assert count == 3  # the untracked copy, the file whose id it repeats, the file linking it
    assert sorted(path for code, path, _ in findings if code == "PM106") == [
        SEED,
        "2024/Q2/INC-2024-0015-copy.md",
    ]


def test_in_a_git_hook_only_the_staged_files(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_blame(repo)
    add_blame(repo, OTHER)
    run(["git", "add", OTHER], repo)
    monkeypatch.setenv("PRE_COMMIT", "1")
    count, findings = checked(api.check(changed=""))
    assert count == 1 and [path for _, path, _ in findings] == [OTHER]


def test_outside_git_and_with_paths_are_clear_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(SAMPLE_REPO, plain)
    monkeypatch.chdir(plain)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run_cli("check", "--changed")
    assert result.exit_code == 2
    assert "--changed needs a git repository" in result.stderr
    scoped = run_cli("check", "2024", "--changed")
    assert scoped.exit_code == 2 and "--changed needs a git repository" in scoped.stderr


def test_paths_narrow_a_change_to_what_it_touched_under_them(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the GitHub Action runs it: the repository's folder, then --changed, from the
    folder above (the post-mortems may be one folder of a larger repository)."""
    add_blame(repo)  # 2024/Q1, and INC-2023-0089 in 2023/ links it
    add_blame(repo, OTHER)  # 2024/Q2
    monkeypatch.chdir(repo.parent)
    whole = run_cli("check", "post-mortems", "--format", "json", "--changed", "main")
    assert whole.exit_code == 1
    report = json.loads(whole.stdout)
    assert report["summary"]["files_checked"] == 3
    assert sorted({f["path"] for f in report["findings"]}) == [
        f"post-mortems/{SEED}",
        f"post-mortems/{OTHER}",
    ]
    q2 = run_cli("check", "post-mortems/2024/Q2", "--format", "json", "--changed", "main")
    assert json.loads(q2.stdout)["summary"]["files_checked"] == 1
    assert [f["path"] for f in json.loads(q2.stdout)["findings"]] == [f"post-mortems/{OTHER}"]
    missing = run_cli("check", "post-mortems/2031", "--changed", "main")
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr


@pytest.mark.parametrize("form", [["--changed", "no-such-branch"], ["--changed=no-such-branch"]])
def test_an_unknown_ref_is_a_clear_error_naming_it(repo: Path, form: list[str]) -> None:
    result = run_cli("check", *form)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "pmrepo: error: --changed no-such-branch: no branch, tag or commit 'no-such-branch' "
        f"in the git repository at {repo} (a remote branch must be fetched first)\n"
    )


def test_a_word_after_changed_that_is_a_path_is_the_path(repo: Path) -> None:
    """`pmrepo check --changed 2024`: no branch is named 2024, so 2024 is what to check, with
    the default REF; `--changed=2024` always means a revision."""
    add_blame(repo)
    add_blame(repo, OTHER)
    run(["git", "commit", "-qam", "Blame in both"], repo)
    under_2024 = run_cli("check", "--format", "json", "--changed", "2024/Q1")
    assert under_2024.exit_code == 1, under_2024.stderr
    found = json.loads(under_2024.stdout)["findings"]
    assert [(f["code"], f["path"]) for f in found] == [("PM402", SEED)]
    assert run_cli("check", "--changed=2024/Q1").exit_code == 2


def test_a_word_that_is_both_a_revision_and_a_path_is_refused(repo: Path) -> None:
    run(["git", "branch", "2024"], repo)
    result = run_cli("check", "--changed", "2024")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "pmrepo: error: --changed 2024: '2024' is both a git revision and a path: write "
        "--changed=2024 for the revision, or give the path before --changed "
        "(pmrepo check 2024 --changed)\n"
    )
    assert run_cli("check", "--changed=2024").exit_code == 0


def test_a_ref_that_git_would_take_for_an_option_is_refused(repo: Path) -> None:
    """From the API (the command line's own parser keeps such a value apart)."""
    target = repo / "diff-output.txt"
    with pytest.raises(PmrepoError, match="not a git revision"):
        api.check([], changed=f"--output={target}")
    assert not target.exists()


@pytest.mark.parametrize("ref", ["--output={target}", "-x"])
def test_a_ref_that_git_would_take_for_an_option_is_refused_on_the_command_line(
    repo: Path, ref: str
) -> None:
    target = repo.parent / "diff-output.txt"
    value = ref.format(target=target)
    result = run_cli("check", f"--changed={value}")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"pmrepo: error: {value}: not a git revision (it starts with '-'" in result.stderr
    assert not target.exists()


def test_without_git_the_error_says_so(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    result = run_cli("check", "--changed", "main")
    assert result.exit_code == 2
    assert result.stderr == "pmrepo: error: --changed needs git, and git is not installed\n"


LAYOUTS = {
    "default": (
        "",
        "2024/Q1/INC-2024-0001-database-outage.md",
        "INC-2024-0001",
        "2024/Q1/INC-2024-0002-cache-outage.md",
        "INC-2024-0002",
    ),
    "custom": (
        'layout:\n  path: "PM{year}-{seq} - {title}.md"\n  id: "PM{year}-{seq}"\n',
        "PM2024-001 - Database outage.md",
        "PM2024-001",
        "PM2024-002 - Cache outage.md",
        "PM2024-002",
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_change_brings_along_the_post_mortems_that_link_it_under_any_layout(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B names A in `related`: a change to A checks B too, whatever `layout.id` spells."""
    config, a_path, a_id, b_path, b_id = LAYOUTS[layout]
    env = git_env(tmp_path)
    for key in ("HOME", "GIT_CONFIG_NOSYSTEM", *(k for k in env if k.startswith("GIT_"))):
        monkeypatch.setenv(key, env[key])
    for key in ("PRE_COMMIT", "GIT_INDEX_FILE"):
        monkeypatch.delenv(key, raising=False)
    root = tmp_path / "post-mortems"
    root.mkdir()
    if config:
        (root / ".pmrepo.yaml").write_text(config, "utf-8")
    for path, incident, extra in ((a_path, a_id, ""), (b_path, b_id, f"related: [{a_id}]\n")):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(
            f"---\nid: {incident}\ntitle: Outage\ndate: 2024-01-10\n{extra}---\n\n# Outage\n",
            "utf-8",
        )
    for command in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-qm", "Post-mortems"],
        ["git", "checkout", "-qb", "feature"],
    ):
        assert run(command, root, env).returncode == 0
    monkeypatch.chdir(root)
    with (root / a_path).open("a", encoding="utf-8") as handle:
        handle.write("\nMore of what happened.\n")
    result = run_cli("check", "--changed", "main", "--format", "json", "--no-cache")
    report = json.loads(result.stdout)
    assert report["summary"]["files_checked"] == 2
    assert sorted({finding["path"] for finding in report["findings"]}) == [a_path, b_path]
