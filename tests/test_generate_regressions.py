"""Defects found by review of pmrepo index / patterns, one test each."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli
from test_generate import SEED, empty_blocks, tree

from postmortem_repo import api


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), "utf-8")


def secret_copies(repo: Path, count: int = 3) -> list[str]:
    """Copies of INC-2024-0048 as security incidents that are not cleared."""
    source = repo / "2024/Q4/INC-2024-0048-payment-api-webhook-retry-storm.md"
    ids = []
    for number in range(count):
        ident = f"INC-2024-009{number}"
        text = source.read_text("utf-8").replace("INC-2024-0048", ident)
        text = text.replace("security: false", "security: true")
        text = text.replace(
            "title: Payment API — Webhook Retry Storm After Acquirer Gateway Timeouts",
            "title: SECRETTITLE attacker exfiltrated card tokens",
        )
        text = text.replace("  - payment-api\n  - notification-service\n", f"  - svc-{number}\n")
        text = text.replace("  - cascading-failure\n", "  - human-error\n")
        (repo / f"2024/Q4/{ident}-secret.md").write_text(text, "utf-8")
        ids.append(ident)
    return ids


def test_redacted_incidents_match_patterns_only_by_id_and_are_never_suggested(repo: Path) -> None:
    ids = secret_copies(repo)
    (repo / "patterns/PATTERN-004-exfiltration.md").write_text(
        "---\nid: PATTERN-004\ntitle: Exfiltration\nmatch:\n  keywords: [exfiltrated]\n---\n\n"
        "<!-- pmrepo:pattern:start -->\n<!-- pmrepo:pattern:end -->\n",
        "utf-8",
    )
    assert run_cli("patterns", str(repo)).exit_code == 0
    written = (repo / "patterns/PATTERN-004-exfiltration.md").read_text("utf-8")
    assert "No incident matches this pattern yet." in written
    dependency = repo / "patterns/PATTERN-003-dependency-failures-without-containment.md"
    assert not any(ident in dependency.read_text("utf-8") for ident in ids)
    suggested = run_cli("patterns", "--suggest", str(repo)).stdout
    assert "human error" not in suggested and "INC-2024-009" not in suggested


@pytest.mark.parametrize("flag", ['"true"', "1", "yes"])
def test_a_malformed_security_flag_keeps_the_incident_redacted(repo: Path, flag: str) -> None:
    secret = repo / "2024/Q4/INC-2024-0048-payment-api-webhook-retry-storm.md"
    edit(secret, "security: false", f"security: {flag}")
    assert run_cli("index", str(repo)).exit_code == 0
    readme = (repo / "README.md").read_text("utf-8")
    assert "Webhook Retry Storm" not in readme
    assert "| INC-2024-0048 | *security incident, not cleared for publication* |" in readme


def test_a_year_left_without_incidents_gets_its_index_emptied(repo: Path) -> None:
    (repo / ".pmrepo.yaml").write_text("root: .\nindex:\n  per_year: true\n", "utf-8")
    (repo / "2022/Q2").mkdir(parents=True)
    moved = repo / "2022/Q2/INC-2022-0001-old.md"
    source = repo / "2023/Q2/INC-2023-0047-notification-service-push-backlog.md"
    moved.write_text(
        source.read_text("utf-8")
        .replace("INC-2023-0047", "INC-2022-0001")
        .replace("date: 2023-05-16", "date: 2022-05-16"),
        "utf-8",
    )
    assert run_cli("index", str(repo)).exit_code == 0
    assert "INC-2022-0001" in (repo / "2022/README.md").read_text("utf-8")
    moved.unlink()
    assert run_cli("index", str(repo)).exit_code == 0
    year = (repo / "2022/README.md").read_text("utf-8")
    assert "INC-2022-0001" not in year and "No post-mortems yet." in year


def test_values_that_could_close_a_code_fence_cannot_break_the_readme(repo: Path) -> None:
    seed = repo / SEED
    edit(seed, "severity: SEV2\n", "severity: |-\n  SEV5\n  ```\n")
    assert run_cli("index", str(repo)).exit_code == 0
    second = run_cli("index", str(repo))
    assert second.exit_code == 0 and second.stdout == "Everything is up to date.\n"


def test_suggest_write_never_overwrites_and_numbers_after_every_file_name(repo: Path) -> None:
    hand = repo / "patterns/PATTERN-004-capacity-limit.md"
    hand.write_text("written by hand, not a valid pattern yet\n", "utf-8")
    result = run_cli("patterns", "--suggest", "--write", str(repo))
    assert hand.read_text("utf-8") == "written by hand, not a valid pattern yet\n"
    assert result.exit_code == 2  # PATTERN-004 cannot be read: nothing is written


def test_an_id_that_does_not_match_the_file_name_is_refused(repo: Path) -> None:
    edit(
        repo / "patterns/PATTERN-002-data-volume-regressions.md",
        "id: PATTERN-002",
        "id: PATTERN-042",
    )
    before = tree(repo)
    result = run_cli("patterns", str(repo))
    assert result.exit_code == 2
    assert (
        "patterns/PATTERN-002-data-volume-regressions.md:2: id PATTERN-042 does not match the "
        "file name" in result.stderr
    )
    assert tree(repo) == before


def test_check_with_suggest_write_writes_nothing(repo: Path) -> None:
    before = tree(repo)
    result = run_cli("patterns", "--suggest", "--write", "--check", str(repo))
    assert result.exit_code == 1
    assert "+++ b/patterns/PATTERN-004-capacity-limit.md" in result.stdout
    assert tree(repo) == before


def test_new_files_get_the_umask_mode_not_0600(repo: Path) -> None:
    (repo / ".pmrepo.yaml").write_text("root: .\nindex:\n  per_year: true\n", "utf-8")
    previous = os.umask(0o022)
    try:
        assert run_cli("index", str(repo)).exit_code == 0
        assert run_cli("patterns", "--suggest", "--write", str(repo)).exit_code == 0
    finally:
        os.umask(previous)
    for created in (repo / "2024/README.md", repo / "patterns/PATTERN-004-capacity-limit.md"):
        assert os.stat(created).st_mode & 0o777 == 0o644


def test_a_symlinked_post_mortem_is_one_incident(repo: Path) -> None:
    (repo / "INC-latest.md").symlink_to(repo / SEED)
    assert run_cli("index", str(repo)).exit_code == 0
    readme = (repo / "README.md").read_text("utf-8")
    assert readme.count("[INC-2024-0015]") == 1
    assert [f.code for f in api.check([repo], select=("PM705",)).findings] == []


def test_markers_shown_in_a_code_example_do_not_make_an_index(repo: Path) -> None:
    (repo / "README.md").write_text(
        "# Post-mortems\n\nTo get an index, add:\n\n````markdown\n```\n"
        "<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n```\n````\n",
        "utf-8",
    )
    assert [f.code for f in api.check([repo], select=("PM705",)).findings] == []
    result = run_cli("index", str(repo))
    assert result.exit_code == 2 and "README.md: no 'pmrepo:index' block" in result.stderr


def test_a_check_diff_applies_with_patch_even_with_form_feeds(repo: Path, tmp_path: Path) -> None:
    readme = repo / "README.md"
    readme.write_text(
        "# T\n\nform\x0cfeed and\u2028separator\n<!-- pmrepo:index:start -->\nold\n"
        "<!-- pmrepo:index:end -->\nlast",
        "utf-8",
    )
    diff = run_cli("index", "--check", str(repo)).stdout
    expected = tmp_path / "expected"
    shutil.copytree(repo, expected)
    assert run_cli("index", str(expected)).exit_code == 0
    subprocess.run(["patch", "-s", "-p1"], input=diff, text=True, cwd=repo, check=True)
    assert readme.read_bytes() == (expected / "README.md").read_bytes()


def test_root_may_be_a_year_folder(repo: Path) -> None:
    empty_blocks(repo)
    assert run_cli("index", str(repo / "2024")).stdout == "updated README.md\n"
    assert not (repo / "2024/README.md").exists()


def test_a_write_that_would_fail_is_refused_before_anything_is_written(repo: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write into read-only folders")
    empty_blocks(repo)
    os.chmod(repo / "patterns", 0o555)
    try:
        before = tree(repo)
        result = run_cli("patterns", str(repo))
        assert result.exit_code == 2 and "not writable" in result.stderr
        assert tree(repo) == before
    finally:
        os.chmod(repo / "patterns", 0o755)


def test_a_carriage_return_in_generated_text_does_not_change_the_file_on_the_next_run() -> None:
    """Found by tests/test_properties.py: a lone CR in a block's content was written as is,
    so the next run saw a CRLF file and rewrote every line of the block."""
    from postmortem_repo.render.markers import replace_blocks

    text = "<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n"
    once = replace_blocks(text, {"index": "a\rb"}, "README.md")
    assert once == "<!-- pmrepo:index:start -->\na\nb\n<!-- pmrepo:index:end -->\n"
    assert replace_blocks(once, {"index": "a\rb"}, "README.md") == once


def test_a_readme_that_is_not_utf8_fails_check_as_it_fails_index(repo: Path) -> None:
    readme = repo / "README.md"
    lines = readme.read_bytes().split(b"\n")
    lines.insert(3, b"Caf\xe9 notes")  # Latin-1, not UTF-8
    readme.write_bytes(b"\n".join(lines))
    index = run_cli("index", "--check", str(repo))
    assert index.exit_code == 2 and "README.md:4: not valid UTF-8" in index.stderr
    found = api.check([repo], select=("PM705",)).findings
    assert [(Path(f.path).name, f.line, f.code, f.message) for f in found] == [
        ("README.md", 4, "PM705", "not valid UTF-8")
    ]


def test_a_readme_with_carriage_return_line_ends_fails_check_as_it_fails_index(
    repo: Path,
) -> None:
    # Old Mac line ends: the markers are not lines of their own to pmrepo index, which
    # refuses the README; pmrepo check must not pass it.
    readme = repo / "README.md"
    readme.write_bytes(readme.read_bytes().replace(b"\n", b"\r"))
    index = run_cli("index", "--check", str(repo))
    assert index.exit_code == 2 and "README.md: no 'pmrepo:index' block" in index.stderr
    found = api.check([repo], select=("PM705",)).findings
    assert [(Path(f.path).name, f.code) for f in found] == [("README.md", "PM705")]
    assert "no 'pmrepo:index' block" in found[0].message
