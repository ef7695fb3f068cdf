"""pmrepo index and pmrepo patterns: golden output, idempotence, refusals, concurrency."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import mistune
import pytest
from conftest import SAMPLE_REPO, run_cli

from postmortem_repo import api
from postmortem_repo.model.incident import Incident
from postmortem_repo.render.markers import find_blocks
from postmortem_repo.repo.repeats import RepeatPolicy, find_repeats, quarterly

BLOCK = re.compile(r"(<!-- pmrepo:([\w-]+):start -->\n).*?(<!-- pmrepo:\2:end -->)", re.S)
SEED = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"


def tree(root: Path) -> dict[str, str]:
    """Every file under root with a hash of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".pmrepo_cache" not in path.parts
    }


def empty_blocks(root: Path) -> None:
    for path in [root / "README.md", *root.glob("patterns/*.md")]:
        text = path.read_text("utf-8")
        path.write_text(BLOCK.sub(r"\1\3", text), "utf-8")


def test_sample_repo_ships_its_generated_blocks_current() -> None:
    assert run_cli("index", "--check", str(SAMPLE_REPO)).exit_code == 0
    assert run_cli("patterns", "--check", str(SAMPLE_REPO)).exit_code == 0


def test_generated_output_matches_the_reviewed_golden_files(repo: Path) -> None:
    golden = tree(SAMPLE_REPO)
    empty_blocks(repo)
    assert tree(repo) != golden
    assert run_cli("index", str(repo)).exit_code == 0
    assert run_cli("patterns", str(repo)).exit_code == 0
    assert tree(repo) == golden


def test_a_second_run_changes_no_byte(repo: Path) -> None:
    empty_blocks(repo)
    for _ in range(2):
        run_cli("index", str(repo))
        run_cli("patterns", str(repo))
    first = tree(repo)
    index = run_cli("index", str(repo))
    patterns = run_cli("patterns", str(repo))
    assert tree(repo) == first
    assert index.stdout == patterns.stdout == "Everything is up to date.\n"


def test_check_prints_a_diff_exits_1_and_writes_nothing(repo: Path) -> None:
    seed = repo / SEED
    seed.write_text(seed.read_text("utf-8").replace("severity: SEV2", "severity: SEV1"), "utf-8")
    before = tree(repo)
    result = run_cli("index", "--check", str(repo))
    assert result.exit_code == 1
    assert "--- a/README.md\n+++ b/README.md\n" in result.stdout
    assert "-| 2024 | 1 | 2 | 2 | 1 | 6 |\n+| 2024 | 2 | 1 | 2 | 1 | 6 |\n" in result.stdout
    assert "pmrepo: README.md is out of date" in result.stderr
    assert tree(repo) == before


def test_pmrepo_check_reports_stale_blocks_as_pm705(repo: Path) -> None:
    seed = repo / SEED
    seed.write_text(seed.read_text("utf-8").replace("severity: SEV2", "severity: SEV1"), "utf-8")
    result = api.check([repo], select=("PM705",))
    lines = (repo / "README.md").read_text("utf-8").splitlines()
    row = next(number for number, line in enumerate(lines, start=1) if "INC-2024-0015" in line)
    assert [(f.code, Path(f.path).name, f.line) for f in result.findings] == [
        ("PM705", "README.md", row),
        ("PM705", "PATTERN-001-deployment-correlated-failures.md", 36),
        ("PM705", "PATTERN-002-data-volume-regressions.md", 30),
    ]
    assert [f.message for f in result.findings] == [
        "generated block is out of date: run 'pmrepo index'",
        "generated block is out of date: run 'pmrepo patterns'",
        "generated block is out of date: run 'pmrepo patterns'",
    ]


BROKEN = {
    "no end": (
        "<!-- pmrepo:index:start -->\ntext\n",
        "README.md:3: 'pmrepo:index:start' is never closed",
    ),
    "twice": (
        "<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n"
        "<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n",
        "README.md:5: a second 'pmrepo:index' block (the first starts at line 3)",
    ),
    "nested": (
        "<!-- pmrepo:index:start -->\n<!-- pmrepo:patterns:start -->\n"
        "<!-- pmrepo:patterns:end -->\n<!-- pmrepo:index:end -->\n",
        "README.md:4: 'pmrepo:patterns:start' is inside the 'pmrepo:index' block opened at line 3",
    ),
    "no block": ("No markers here.\n", "README.md: no 'pmrepo:index' block"),
    "stray end": (
        "<!-- pmrepo:index:end -->\n",
        "README.md:3: 'pmrepo:index:end' has no matching start",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_markers_are_refused_and_nothing_is_written(repo: Path, case: str) -> None:
    body, message = BROKEN[case]
    (repo / "README.md").write_text("# Post-mortems\n\n" + body, "utf-8")
    before = tree(repo)
    result = run_cli("index", str(repo))
    assert result.exit_code == 2
    assert message in result.stderr
    assert tree(repo) == before


def test_a_bad_pattern_file_stops_every_write(repo: Path) -> None:
    empty_blocks(repo)
    bad = repo / "patterns/PATTERN-002-data-volume-regressions.md"
    bad.write_text(bad.read_text("utf-8").replace("  root_cause_tags:", "  root_causes:"), "utf-8")
    before = tree(repo)
    result = run_cli("patterns", str(repo))
    assert result.exit_code == 2
    assert "patterns/PATTERN-002-data-volume-regressions.md:6: unknown key 'root_causes'" in (
        result.stderr
    )
    assert tree(repo) == before  # PATTERN-001 and the patterns README were not written either


def test_a_symlink_out_of_the_repository_is_never_written_through(
    repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text("<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n", "utf-8")
    (repo / "README.md").unlink()
    (repo / "README.md").symlink_to(outside)
    before = outside.read_bytes()
    result = run_cli("index", str(repo))
    assert result.exit_code == 2
    assert "README.md: leads out of the repository" in result.stderr
    assert outside.read_bytes() == before


def test_a_readme_that_is_not_utf8_is_refused(repo: Path) -> None:
    (repo / "README.md").write_bytes(
        b"# Caf\xe9\n<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n"
    )
    before = tree(repo)
    result = run_cli("index", str(repo))
    assert result.exit_code == 2
    assert "README.md:1: not valid UTF-8: nothing was written" in result.stderr
    assert tree(repo) == before


def test_text_outside_the_markers_crlf_and_file_mode_are_kept(repo: Path) -> None:
    readme = repo / "README.md"
    head = b"# Post-mortems\r\n\r\nWritten by people \xe2\x80\x94 keep me.  \r\n\r\n"
    tail = b"\r\nAfter the block.\r\nNo final newline"
    readme.write_bytes(head + b"<!-- pmrepo:index:start -->\r\n<!-- pmrepo:index:end -->" + tail)
    os.chmod(readme, 0o640)
    assert run_cli("index", str(repo)).exit_code == 0
    written = readme.read_bytes()
    assert written.startswith(head + b"<!-- pmrepo:index:start -->\r\n")
    assert written.endswith(b"<!-- pmrepo:index:end -->" + tail)
    assert b"\n" not in written.replace(b"\r\n", b"")
    assert os.stat(readme).st_mode & 0o777 == 0o640


def test_titles_cannot_break_the_table_and_uncleared_security_incidents_are_redacted(
    repo: Path,
) -> None:
    seed = repo / SEED
    seed.write_text(
        seed.read_text("utf-8").replace(
            "title: Samsung Pay — Payment Processing Latency Degradation",
            "title: 'Pay | `latency` <b>spike</b> [link](x) *now*'",
        ),
        "utf-8",
    )
    secret = repo / "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
    secret.write_text(secret.read_text("utf-8").replace("security_cleared: true\n", ""), "utf-8")
    assert run_cli("index", str(repo)).exit_code == 0
    rows = [
        line
        for line in (repo / "README.md").read_text("utf-8").splitlines()
        if "INC-2024-00" in line
    ]
    row = next(line for line in rows if "INC-2024-0015" in line)
    assert "Pay \\| \\`latency\\` &lt;b&gt;spike&lt;/b&gt; \\[link\\](x) \\*now\\*" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 10  # nine cells
    redacted = next(line for line in rows if "INC-2024-0003" in line)
    assert redacted == (
        "| INC-2024-0003 | *security incident, not cleared for publication* | 2024-01-09 | SEV1 "
        "| — | — | — | — | — |"
    )


def test_two_concurrent_runs_leave_a_valid_file(repo: Path) -> None:
    golden = (SAMPLE_REPO / "README.md").read_bytes()
    empty_blocks(repo)
    command = [sys.executable, "-m", "postmortem_repo", "index", str(repo)]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)
    ]
    for process in processes:
        process.communicate(timeout=120)
    assert [process.returncode for process in processes] == [0, 0, 0, 0]
    assert (repo / "README.md").read_bytes() == golden
    assert not list(repo.glob(".README.md.*"))  # no temporary file left behind


def test_suggest_write_creates_numbered_patterns_that_stay_current(repo: Path) -> None:
    listed = run_cli("patterns", "--suggest", str(repo))
    assert listed.stdout.splitlines() == [
        "Recurring capacity limit incidents: root cause 'capacity-limit' on 3 incidents across 2 "
        "services (INC-2023-0047, INC-2024-0002, INC-2024-0034)",
        "Recurring config change incidents: root cause 'config-change' on 5 incidents across 5 "
        "services (INC-2023-0012, INC-2023-0061, INC-2024-0002, INC-2024-0003, INC-2024-0021)",
    ]
    written = run_cli("patterns", "--suggest", "--write", str(repo))
    assert written.exit_code == 0
    assert written.stdout.splitlines()[2:] == [
        "created patterns/PATTERN-004-capacity-limit.md",
        "created patterns/PATTERN-005-config-change.md",
        "updated patterns/README.md",
    ]
    created = sorted(path.name for path in (repo / "patterns").glob("PATTERN-00[45]-*.md"))
    assert created == ["PATTERN-004-capacity-limit.md", "PATTERN-005-config-change.md"]
    new = (repo / "patterns/PATTERN-004-capacity-limit.md").read_text("utf-8")
    assert 'id: PATTERN-004\ntitle: "Recurring capacity limit incidents"\nstatus: proposed\n' in new
    assert "3 incidents, first seen 2023-05-16 (INC-2023-0047)" in new
    # patterns/README.md lists them already: nothing is left for `pmrepo patterns`.
    assert run_cli("patterns", str(repo)).stdout == "Everything is up to date.\n"
    assert run_cli("patterns", "--check", str(repo)).exit_code == 0
    assert run_cli("patterns", "--suggest", str(repo)).stdout == (
        "No recurring cause without a pattern.\n"
    )


def test_per_year_indexes_link_relative_to_their_folder(repo: Path) -> None:
    (repo / ".pmrepo.yaml").write_text("root: .\nindex:\n  per_year: true\n", "utf-8")
    result = run_cli("index", str(repo))
    assert result.stdout.splitlines() == [
        "created 2023/README.md",
        "created 2024/README.md",
    ]
    year = (repo / "2024/README.md").read_text("utf-8")
    assert year.startswith("# 2024 post-mortems\n\n<!-- pmrepo:index:start -->\n")
    assert "[INC-2024-0015](Q1/INC-2024-0015-payment-api-latency-degradation.md)" in year
    assert "INC-2023-" not in year
    assert "### Repeat incidents" not in year


def test_markers_inside_code_fences_are_not_blocks() -> None:
    start, end = "<!-- pmrepo:index:start -->\n", "<!-- pmrepo:index:end -->\n"
    text = f"```\n{start}```\n{start}{end}"
    blocks = find_blocks(text, "README.md")
    assert [(b.name, b.start_line, b.end_line) for b in blocks.values()] == [("index", 4, 5)]


def incident(
    ident: str, date: str, tags: tuple[str, ...], services: tuple[str, ...], **links: object
) -> Incident:
    import datetime as dt

    return Incident(
        id=ident,
        relpath=f"{ident}.md",
        title=ident,
        date=dt.date.fromisoformat(date),
        severity="SEV3",
        status="PUBLISHED",
        services=services,
        tags=tags,
        started=None,
        detected=None,
        resolved=None,
        security=False,
        security_cleared=False,
        repeat_of=links.get("repeat_of"),  # type: ignore[arg-type]
        related=tuple(links.get("related", ())),  # type: ignore[call-overload]
        action_items=(),
    )


def test_the_repeat_definition() -> None:
    incidents = [
        incident("INC-2023-0001", "2023-01-10", ("capacity-limit",), ("api",)),
        incident("INC-2023-0002", "2023-03-01", ("capacity-limit",), ("web",)),  # other service
        incident("INC-2023-0003", "2023-06-01", ("capacity-limit", "x"), ("api",)),  # repeat
        incident("INC-2024-0004", "2024-09-01", ("capacity-limit",), ("api",)),  # > 365 days
        incident("INC-2024-0005", "2024-09-02", ("unknown",), ("api",)),  # ignored tag
        incident("INC-2024-0006", "2024-09-03", (), (), related=("INC-2023-0002",)),
        incident("INC-2024-0007", "2024-09-03", (), (), repeat_of="INC-2024-0008"),  # later id
        incident("INC-2024-0008", "2024-09-03", ("unknown",), ("api",), repeat_of="INC-2024-0005"),
    ]
    repeats = find_repeats(incidents, RepeatPolicy())
    assert {key: (r.earlier, r.reason) for key, r in repeats.items()} == {
        "INC-2023-0003": ("INC-2023-0001", "root cause 'capacity-limit' again on api"),
        "INC-2024-0006": ("INC-2023-0002", "related"),
        "INC-2024-0008": ("INC-2024-0005", "repeat_of"),
    }
    assert "INC-2024-0004" in find_repeats(incidents, RepeatPolicy(window_days=900))
    stats = quarterly(incidents, repeats)
    assert [(s.label, s.total, s.repeats) for s in stats if s.total] == [
        ("Q1 2023", 2, 0),
        ("Q2 2023", 1, 1),
        ("Q3 2024", 5, 2),
    ]
    assert len(stats) == 7  # the empty quarters between are listed too


def test_a_check_of_some_files_reports_stale_blocks_as_a_whole_check_does(repo: Path) -> None:
    """A hook or --changed checks only the changed post-mortems: the generated files they
    made stale are reported all the same."""
    seed = repo / SEED
    seed.write_text(seed.read_text("utf-8").replace("severity: SEV2", "severity: SEV1"), "utf-8")
    some = api.check([seed], select=("PM705",)).findings
    assert len(some) == 3
    assert some == api.check([repo], select=("PM705",)).findings
    assert api.check([seed], select=("PM705",), cache=True).findings == some


# Found by review, each with the minimal input.


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
    """Found by tests/properties/test_properties.py: a lone CR in a block's content was
    written as is, so the next run saw a CRLF file and rewrote every line of the block."""
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


def _set_front_matter(path: Path, key: str, value: str) -> None:
    text = path.read_text("utf-8")
    start = text.index(f"\n{key}:") + 1
    end = text.index("\n", start)
    if key in ("services", "root_cause_tags"):  # a list: replace its items too
        while text[end + 1 : end + 3] == "  ":
            end = text.index("\n", end + 1)
    path.write_text(text[:start] + f"{key}: {value}" + text[end:], "utf-8")


HOSTILE_TITLE = (
    '"Pay https://evil.example/x and www.evil.example ~~gone~~ $x^2$ @org/team '
    '\\u202eevil\\u202c [click](https://evil) <!-- pmrepo:index:end -->"'
)


def _markup_in(markdown_line: str, columns: int) -> list[str]:
    """The HTML tags mistune (with GFM's autolinks, strike-through and math) makes of one
    table row, besides the table's own and the incident's link."""
    table = "\n".join(["|" + " h |" * columns, "|" + "---|" * columns, markdown_line])
    parser = mistune.create_markdown(plugins=["table", "url", "strikethrough", "math"])
    html = parser(table)
    assert isinstance(html, str)
    assert html.count("<tr>") == 2 and html.count("<td>") == columns  # one row, all its cells
    tags = re.findall(r"<[^>]*>", html)
    return [tag for tag in tags if not re.match(r"</?(table|thead|tbody|tr|th|td)>", tag)]


def test_index_and_pattern_cells_link_nothing_mention_nobody_and_keep_their_row(
    repo: Path,
) -> None:
    seed = repo / SEED
    _set_front_matter(seed, "title", HOSTILE_TITLE)
    _set_front_matter(seed, "services", '["@org/team", "www.evil.example", "$svc$"]')
    assert run_cli("index", str(repo)).exit_code == 0
    assert run_cli("patterns", str(repo)).exit_code == 0
    readme = (repo / "README.md").read_text("utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| [INC-2024-0015]"))
    assert "\u202e" not in readme and "\u202c" not in readme
    tags = _markup_in(row, 9)
    assert [tag for tag in tags if tag.startswith("<a ")] == [
        '<a href="2024/Q1/INC-2024-0015-payment-api-latency-degradation.md">'
    ]
    assert [tag for tag in tags if not tag.startswith(("<a ", "</a"))] == []
    assert not re.search(r"@[A-Za-z0-9]|[A-Za-z]://|(?<!\\)www\.", row)
    assert "Pay https\\://evil.example/x and www\\.evil.example \\~\\~gone\\~\\~" in row
    assert "@&#8203;org/team, www\\.evil.example, \\$svc\\$" in row
    pattern = (repo / "patterns/PATTERN-001-deployment-correlated-failures.md").read_text("utf-8")
    row = next(line for line in pattern.splitlines() if line.startswith("| [INC-2024-0015]"))
    tags = _markup_in(row, 6)
    assert [tag for tag in tags if not tag.startswith(("<a ", "</a"))] == []
    assert len([tag for tag in tags if tag.startswith("<a ")]) == 1
    assert "@&#8203;org/team" in row


def test_a_severity_with_quotes_adds_no_slice_to_the_report_pie(repo: Path) -> None:
    _set_front_matter(repo / SEED, "severity", '"SEV2\\" : 999\\n \\"Injected %%{init: {}}%%"')
    result = run_cli("report", str(repo), "--quarter", "2024Q1", "--today", "2024-02-01")
    assert result.exit_code == 0
    pie = result.stdout.split("```mermaid\n", 1)[1].split("```", 1)[0].splitlines()
    assert pie[0] == 'pie title "Q1 2024"'
    slices = pie[1:]
    assert all(re.fullmatch(r'    "[^"]*" : \d+', line) for line in slices), slices
    assert '    "SEV2#quot; : 999 #quot;Injected #37;#37;{init: {}}#37;#37;" : 1' in slices
    assert not any(': 999"' in line or line.endswith(": 999") for line in slices)
