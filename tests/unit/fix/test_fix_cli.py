"""`pmrepo check --fix`, `--diff`, `--fix-only`, `--unsafe-fixes` and the config's
`fixable` / `unfixable`, on a copy of sample-repo."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_REPO, git_env, run, run_cli

KNOX = "2024/Q1/INC-2024-0002-knox-auth-degraded-latency.md"


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".pmrepo_cache" not in path.parts
    }


def _break(path: Path) -> str:
    """sev4 and published in lower case, and a title the README index does not show."""
    text = path.read_text("utf-8")
    broken = (
        text.replace("status: PUBLISHED", "status: published", 1)
        .replace("severity: SEV4", "severity: sev4", 1)
        .replace("title: Knox Auth — Degraded", "title: Knox Auth — Badly Degraded", 1)
    )
    path.write_text(broken, "utf-8")
    return broken


@pytest.fixture
def broken(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo)
    _break(repo / KNOX)
    return repo


def test_fix_rewrites_enum_case_and_regenerates_the_index_then_reports_what_remains(
    broken: Path,
) -> None:
    result = run_cli("check", "--fix", "--no-cache")
    assert result.output == (
        "All checks passed (10 files checked).\nFixed 3 findings in 2 files; 0 remain.\n"
    )
    assert result.exit_code == 0
    text = (broken / KNOX).read_text("utf-8")
    assert "status: PUBLISHED\n" in text and "severity: SEV4\n" in text
    assert "| Knox Auth — Badly Degraded Token Latency" in (broken / "README.md").read_text()
    again = _hashes(broken)
    second = run_cli("check", "--fix", "--no-cache")
    assert second.output.endswith("Fixed 0 findings in 0 files; 0 remain.\n")
    assert _hashes(broken) == again


def test_fix_leaves_the_index_until_the_values_it_shows_are_valid(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An invalid severity --fix cannot fix: the index is not regenerated to show it as a
    dash; the finding says why, and --fix regenerates it once the value is fixed."""
    monkeypatch.chdir(repo)
    knox = repo / KNOX
    knox.write_text(
        knox.read_text("utf-8")
        .replace("severity: SEV4", "severity: SEV9", 1)
        .replace("title: Knox Auth — Degraded", "title: Knox Auth — Badly Degraded", 1),
        "utf-8",
    )
    readme = (repo / "README.md").read_text("utf-8")
    result = run_cli("check", "--fix", "--no-cache", "--select", "PM2,PM705")
    assert result.exit_code == 1
    assert (repo / "README.md").read_text("utf-8") == readme
    index_finding = next(line for line in result.stdout.splitlines() if "README.md" in line)
    assert index_finding == (
        "README.md:28:1: PM705 generated block is out of date: run 'pmrepo index' once "
        "INC-2024-0002's severity 'SEV9' is fixed: the index would show a value the schema "
        "does not list as '—'"
    )
    knox.write_text(knox.read_text("utf-8").replace("SEV9", "SEV4"), "utf-8")
    again = run_cli("check", "--fix", "--no-cache", "--select", "PM2,PM705")
    assert again.exit_code == 0 and again.stderr == ""
    assert "| Knox Auth — Badly Degraded Token Latency From CoreDNS" in (
        repo / "README.md"
    ).read_text("utf-8")


def test_a_missing_per_year_index_is_named_missing_and_fix_creates_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / ".pmrepo.yaml").write_text("root: .\nindex:\n  per_year: true\n", "utf-8")
    assert run_cli("index").exit_code == 0
    made = (repo / "2023/README.md").read_text("utf-8")
    (repo / "2023/README.md").unlink()
    result = run_cli("check", "--no-cache")
    assert (result.exit_code, result.stdout) == (
        1,
        "2023/README.md:1:1: PM705 generated file is missing: run 'pmrepo index'\n"
        "Found 1 error in 1 file (10 files checked).\n",
    )
    diff = run_cli("check", "--diff", "--no-cache").stdout
    assert diff.startswith("--- /dev/null\n+++ b/2023/README.md\n@@ -0,0 +1,")
    fixed = run_cli("check", "--fix", "--no-cache")
    assert fixed.stdout.endswith("Fixed 1 finding in 1 file; 0 remain.\n")
    assert (repo / "2023/README.md").read_text("utf-8") == made


def test_fix_changes_no_byte_outside_its_edits(broken: Path, tmp_path: Path) -> None:
    before = (broken / KNOX).read_bytes()
    run_cli("check", "--fix", "--no-cache")
    after = (broken / KNOX).read_bytes()
    expected = before.replace(b"status: published", b"status: PUBLISHED").replace(
        b"severity: sev4", b"severity: SEV4"
    )
    assert after == expected


def test_diff_writes_nothing_and_patch_gives_what_fix_gives(broken: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(broken, other)
    before = _hashes(broken)
    result = run_cli("check", "--diff", "--no-cache")
    assert result.exit_code == 1
    assert _hashes(broken) == before
    assert result.stdout.startswith(f"--- a/{KNOX}\n+++ b/{KNOX}\n")
    assert "+status: PUBLISHED\n" in result.stdout and "--- a/README.md\n" in result.stdout
    assert result.stderr == "Would fix 3 findings.\n"
    patched = subprocess.run(
        ["patch", "-p1"], input=result.stdout, text=True, cwd=broken, capture_output=True
    )
    assert patched.returncode == 0, patched.stderr
    os.chdir(other)
    run_cli("check", "--fix", "--no-cache")
    assert _hashes(broken) == _hashes(other)


def test_diff_of_a_repository_elsewhere_names_paths_from_its_root(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run from another folder: the headers are the repository's own paths, not a//tmp/...
    _break(repo / KNOX)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run_cli("check", "--diff", "--no-cache", str(repo))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- a/{KNOX}\n+++ b/{KNOX}\n")
    assert "--- a/README.md\n+++ b/README.md\n" in result.stdout
    patched = subprocess.run(
        ["patch", "-p1"], input=result.stdout, text=True, cwd=repo, capture_output=True
    )
    assert patched.returncode == 0, patched.stderr
    assert "severity: SEV4\n" in (repo / KNOX).read_text("utf-8")


def test_diff_of_post_mortems_in_a_folder_of_a_git_repository_applies_with_git_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = tmp_path / "service"
    shutil.copytree(SAMPLE_REPO, top / "post-mortems", ignore=shutil.ignore_patterns(".pmrepo_*"))
    env = git_env(tmp_path)
    for args in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "x"]):
        assert run(args, top, env).returncode == 0
    _break(top / "post-mortems" / KNOX)
    monkeypatch.chdir(top / "post-mortems" / "2024")
    result = run_cli("check", "--diff", "--no-cache", "..")
    assert result.stdout.startswith(f"--- a/post-mortems/{KNOX}\n+++ b/post-mortems/{KNOX}\n")
    applied = subprocess.run(
        ["git", "apply"], input=result.stdout, text=True, cwd=top, capture_output=True, env=env
    )
    assert applied.returncode == 0, applied.stderr
    assert "severity: SEV4\n" in (top / "post-mortems" / KNOX).read_text("utf-8")


def test_diff_of_a_clean_repository_is_empty_and_exits_0(repo: Path) -> None:
    result = run_cli("check", "--diff", "--no-cache", str(repo))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "Nothing to fix.\n")


def test_fix_only_reports_only_the_fixes(broken: Path) -> None:
    result = run_cli("check", "--fix-only", "--no-cache")
    assert (result.exit_code, result.output) == (0, "Fixed 3 findings in 2 files.\n")


def test_unsafe_fixes_alone_is_a_usage_error(broken: Path) -> None:
    result = run_cli("check", "--unsafe-fixes")
    assert result.exit_code == 2
    assert "--unsafe-fixes goes with --fix, --fix-only or --diff" in result.stderr


def test_unfixable_in_the_config_keeps_a_rule_from_fixing(broken: Path) -> None:
    (broken / ".pmrepo.yaml").write_text("unfixable: [PM705]\n", "utf-8")
    result = run_cli("check", "--fix-only", "--no-cache")
    assert result.output == "Fixed 2 findings in 1 file.\n"
    assert "Badly" not in (broken / "README.md").read_text("utf-8")


def test_fixable_in_the_config_names_the_only_rules_fixed(broken: Path) -> None:
    (broken / ".pmrepo.yaml").write_text("fixable: [frontmatter-schema]\n", "utf-8")
    run_cli("check", "--fix-only", "--no-cache")
    assert "Badly" not in (broken / "README.md").read_text("utf-8")
    assert "severity: SEV4" in (broken / KNOX).read_text("utf-8")


def test_crlf_and_bom_are_kept(broken: Path) -> None:
    path = broken / KNOX
    text = path.read_text("utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    run_cli("check", "--fix-only", "--no-cache")
    fixed = path.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf---\r\n")
    assert b"\r\nseverity: SEV4\r\n" in fixed
    assert fixed.count(b"\r\n") == fixed.count(b"\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write a read-only file")
def test_a_file_that_is_not_writable_is_left_untouched_and_the_others_are_fixed(
    broken: Path,
) -> None:
    other = broken / "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
    other.write_text(other.read_text("utf-8").replace("severity: SEV1", "severity: sev1"))
    (broken / KNOX).chmod(0o444)
    before = (broken / KNOX).read_bytes()
    result = run_cli("check", "--fix-only", "--no-cache")
    assert f"pmrepo: warning: {KNOX}: not fixed: the file is not writable\n" in result.stderr
    assert (broken / KNOX).read_bytes() == before
    assert "severity: SEV1\n" in other.read_text("utf-8")


def test_a_symlink_out_of_the_repository_is_left_untouched(broken: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    shutil.move(broken / KNOX, outside)
    (broken / KNOX).symlink_to(outside)
    before = outside.read_bytes()
    result = run_cli("check", "--fix-only", "--no-cache")
    assert f"pmrepo: warning: {KNOX}: not fixed: leads out of the repository" in result.stderr
    assert outside.read_bytes() == before


def test_pmrepo_rules_says_what_each_rule_can_fix() -> None:
    lines = {line[:5]: line for line in run_cli("rules").stdout.splitlines()}
    assert lines["PM205"].split()[:4] == ["PM205", "frontmatter-schema", "error", "safe"]
    assert " safe, unsafe " in lines["PM301"]
    assert lines["PM104"].split()[3] == "unsafe"
    assert lines["PM402"].split()[3] == "none"
    assert "Fix: none: a person rewrites the sentence" in run_cli("rule", "PM402").stdout


def test_broken_markers_are_left_untouched_and_the_others_are_fixed(broken: Path) -> None:
    readme = broken / "README.md"
    readme.write_text(readme.read_text("utf-8").replace("<!-- pmrepo:index:end -->\n", ""))
    before = readme.read_bytes()
    result = run_cli("check", "--fix", "--no-cache")
    assert result.exit_code == 1
    assert "README.md:16:1: PM705 " in result.stdout
    assert result.stdout.endswith("Fixed 2 findings in 1 file; 1 remains.\n")
    assert readme.read_bytes() == before
    assert "severity: SEV4\n" in (broken / KNOX).read_text("utf-8")


def test_a_cached_check_keeps_each_findings_fix(broken: Path) -> None:
    from postmortem_repo import api

    first = api.check([broken], cache=True).findings
    assert (broken / ".pmrepo_cache").is_dir()
    again = api.check([broken], cache=True).findings
    assert [f.fix for f in again] == [f.fix for f in first]
    # 2 PM205, and the pattern file's PM705: the index waits for the severity sev4 to be fixed
    assert sum(f.fix is not None for f in again) == 3


def test_with_a_machine_format_the_fix_summary_goes_to_standard_error(broken: Path) -> None:
    import json

    result = run_cli("check", "--fix", "--format", "json", "--no-cache")
    assert json.loads(result.stdout)["findings"] == []
    assert result.stderr == "Fixed 3 findings in 2 files; 0 remain.\n"


def test_fix_with_changed_fixes_only_the_changed_post_mortems(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    for name in (KNOX, other):
        path = repo / name
        path.write_text(path.read_text("utf-8").replace("severity: SEV", "severity: sev", 1))
    env = git_env(tmp_path)
    for args in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "x"]):
        assert run(args, repo, env).returncode == 0
    knox = repo / KNOX
    knox.write_text(knox.read_text("utf-8").replace("status: PUBLISHED", "status: published"))
    before = (repo / other).read_bytes()
    monkeypatch.chdir(repo)
    result = run_cli("check", "--fix", "--changed", "HEAD", "--select", "PM205", "--no-cache")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "All checks passed (1 file checked).\nFixed 2 findings in 1 file; 0 remain.\n",
        "",
    )
    assert "status: PUBLISHED\n" in knox.read_text() and "severity: SEV4\n" in knox.read_text()
    assert (repo / other).read_bytes() == before  # unchanged since HEAD: not fixed
    diff = run_cli("check", "--diff", "--changed", "HEAD", "--select", "PM205", "--no-cache")
    assert (diff.exit_code, diff.stdout) == (0, "")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--fix", "--diff"), "give one of --fix, --fix-only and --diff"),
        (("--fix-only", "--fix"), "give one of --fix, --fix-only and --diff"),
        (("--diff", "--format", "json"), "--diff prints a unified diff: it takes no --output"),
        (("--diff", "--output", "x.patch"), "--diff prints a unified diff: it takes no --output"),
    ],
)
def test_fix_flags_that_do_not_go_together_are_refused(
    flags: tuple[str, ...], message: str, tmp_path: Path
) -> None:
    result = run_cli("check", *flags, str(tmp_path))
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_unknown_rule_in_unfixable_fails_every_check_naming_the_file_and_key(
    tmp_path: Path,
) -> None:
    (tmp_path / ".pmrepo.yaml").write_text("unfixable: [nope]\n", "utf-8")
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert "invalid config at 'unfixable': unknown rule code or name 'nope'" in result.stderr
    assert str(tmp_path / ".pmrepo.yaml") in result.stderr
