"""pmrepo timeline: every export format, the sample's timeline rebuilt, --into, bad exports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_REPO, git_env, run, run_cli

from postmortem_repo import api

FIXTURES = REPO / "tests" / "fixtures" / "timeline"
GOLDEN = REPO / "tests" / "golden"
WINDOW = ["--start", "2024-01-15T14:00:00Z", "--end", "2024-01-15T15:00:00Z"]
SEED = SAMPLE_REPO / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
SEED_SOURCES = [
    "--source",
    f"jsonl:{FIXTURES / 'deploys.jsonl'}",
    "--source",
    f"alertmanager:{FIXTURES / 'alertmanager.json'}",
    "--source",
    f"slack:{FIXTURES / 'slack' / 'incident-pay-20240115'}",
]


def rows(table: str) -> list[str]:
    return [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]


def test_the_seeds_sample_timeline_is_rebuilt_from_exports() -> None:
    result = run_cli("timeline", *WINDOW, "--service", "payment-api", *SEED_SOURCES)
    assert result.exit_code == 0
    text = SEED.read_text("utf-8")
    start = text.index("| Time (UTC) | Source | Event |")
    expected = rows(text[start : text.index("\n\n", start)])
    assert rows(result.stdout) == expected
    assert "deploys.jsonl: 1 record outside the window left out" in result.stderr


def git_fixture(tmp_path: Path) -> Path:
    env = git_env(tmp_path)
    repo = tmp_path / "payment-api"
    repo.mkdir()
    run(["git", "init", "-q", "-b", "main"], repo, env)
    for when, message, name in (
        ("2024-01-15T14:10:00Z", "Add analytics query to /v2/summary (#1847)", "query.sql"),
        (
            "2024-01-15T14:38:00Z",
            'Revert "Add analytics query to /v2/summary (#1847)"',
            "query.sql",
        ),
    ):
        (repo / name).write_text(message + "\n", "utf-8")
        run(["git", "add", "-A"], repo, env)
        dated = env | {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        run(["git", "commit", "-qm", message], repo, dated)
    dated = env | {"GIT_COMMITTER_DATE": "2024-01-15T14:20:00Z"}
    run(["git", "tag", "-a", "v2.4.0", "-m", "v2.4.0", "HEAD~1"], repo, dated)
    return repo


def test_every_source_merged_matches_the_reviewed_golden_table(tmp_path: Path) -> None:
    repo = git_fixture(tmp_path)
    result = run_cli(
        "timeline",
        *WINDOW,
        *SEED_SOURCES,
        "--source",
        f"pagerduty:{FIXTURES / 'pagerduty.json'}",
        "--source",
        f"csv:{FIXTURES / 'events.csv'}",
        "--source",
        f"k8s:{FIXTURES / 'k8s-events.json'}",
        "--source",
        f"git:{repo}",
    )
    assert result.exit_code == 0, result.output
    golden = (GOLDEN / "timeline-all.md").read_text("utf-8")
    lines = result.stdout.splitlines()
    # Commit ids depend on git's version: compare them as placeholders.
    import re

    normalised = "\n".join(
        re.sub(r"(Commit|Merge) [0-9a-f]{7}", r"\1 <sha>", line) for line in lines
    )
    assert normalised + "\n" == golden


def test_into_writes_a_block_once_and_keeps_hand_written_rows(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, repo)
    target = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    before = target.read_text("utf-8")
    into = ["--service", "payment-api", "--into", "INC-2024-0015"]
    first = run_cli("timeline", str(repo), *WINDOW, *SEED_SOURCES, *into)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip().endswith(
        "INC-2024-0015-payment-api-latency-degradation.md (14 events)"
    )
    after = target.read_text("utf-8")
    head, _, tail = after.partition("<!-- pmrepo:timeline:start -->")
    assert before.startswith(head.rstrip("\n"))  # everything before the block is as it was
    assert "| 14:50:00 | human | 👤 oncall-alice: All metrics normal, closing war room |" in head
    assert tail.count("\n| 14:") == 14
    second = run_cli("timeline", str(repo), *WINDOW, *SEED_SOURCES, *into)
    assert second.exit_code == 0 and "unchanged:" in second.stdout
    assert target.read_text("utf-8") == after
    # Hand-written and generated tables each keep their own order: the file still checks clean.
    assert [f.code for f in api.check([repo], select=("PM5",)).findings] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"alerts": [{"status": "firing", "labels": {"alertname": "X"}, '
            '"startsAt": "2024-01-15T14',
            "alertmanager.json:1:76: not valid JSON (Unterminated string starting at)",
        ),
        (
            '{"alerts": [{"status": "firing", "labels": {"alertname": "X"}, '
            '"startsAt": "2024-01-15T14:25:00"}]}',
            "alertmanager.json: payload 1, alert 1: the timestamp '2024-01-15T14:25:00' has no "
            "time zone",
        ),
    ],
)
def test_bad_exports_are_named_and_nothing_is_written(
    tmp_path: Path, content: str, message: str
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, repo)
    export = tmp_path / "alertmanager.json"
    export.write_text(content, "utf-8")
    target = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    before = target.read_bytes()
    result = run_cli(
        "timeline",
        str(repo),
        *WINDOW,
        "--source",
        f"alertmanager:{export}",
        "--into",
        "INC-2024-0015",
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert target.read_bytes() == before


def test_usage_errors() -> None:
    bad_kind = run_cli("timeline", *WINDOW, "--source", "datadog:x.json")
    assert bad_kind.exit_code == 2 and "--source datadog:x.json: write KIND:PATH" in bad_kind.stderr
    no_zone = run_cli(
        "timeline",
        "--start",
        "2024-01-15 14:00",
        "--end",
        "2024-01-15T15:00:00Z",
        "--source",
        f"csv:{FIXTURES / 'events.csv'}",
    )
    assert no_zone.exit_code == 2 and "has no time zone" in no_zone.stderr
    backwards = run_cli(
        "timeline",
        "--start",
        "2024-01-15T15:00:00Z",
        "--end",
        "2024-01-15T14:00:00Z",
        "--source",
        f"csv:{FIXTURES / 'events.csv'}",
    )
    assert backwards.exit_code == 2 and "--end is before --start" in backwards.stderr
    unknown = run_cli(
        "timeline",
        str(SAMPLE_REPO),
        *WINDOW,
        "--source",
        f"csv:{FIXTURES / 'events.csv'}",
        "--into",
        "INC-2024-9999",
    )
    assert (
        unknown.exit_code == 2
        and "--into INC-2024-9999: no post-mortem with that id" in unknown.stderr
    )


def _service_with_one_commit(tmp_path: Path, subject: str) -> Path:
    """A git repository with one commit, at 14:10 UTC on the incident's day."""
    env = git_env(tmp_path)
    repo = tmp_path / "service"
    repo.mkdir()
    run(["git", "init", "-q", "-b", "main"], repo, env)
    (repo / "pool.cfg").write_text("size = 40\n", "utf-8")
    run(["git", "add", "-A"], repo, env)
    dated = env | {
        "GIT_AUTHOR_DATE": "2024-01-15T14:10:00Z",
        "GIT_COMMITTER_DATE": "2024-01-15T14:10:00Z",
    }
    run(["git", "commit", "-qm", subject], repo, dated)
    return repo


def test_a_commit_subject_with_a_line_separator_is_one_event(tmp_path: Path) -> None:
    # U+2028 and U+001C end a line for str.splitlines(), not for git.
    repo = _service_with_one_commit(tmp_path, "Raise pool size\u2028to 40\x1c(#12)")
    result = run_cli("timeline", *WINDOW, "--source", f"git:{repo}")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "Raise pool size" in line]
    assert len(rows) == 1 and "(#12)" in rows[0]


def test_a_commit_subject_with_a_unit_separator_is_one_event(tmp_path: Path) -> None:
    # git's own field separator of the old log format, inside a subject.
    repo = _service_with_one_commit(tmp_path, "Raise pool\x1fsize to 40 (#12)")
    result = run_cli("timeline", *WINDOW, "--source", f"git:{repo}")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "Raise pool" in line]
    assert len(rows) == 1 and rows[0].endswith(" by SRE: Raise pool size to 40 (#12) |")


def test_a_json_lines_record_that_is_not_an_object_is_a_clear_error(tmp_path: Path) -> None:
    export = tmp_path / "events.jsonl"
    export.write_text(
        '{"timestamp": "2024-01-15T14:20:00Z", "source": "deploy", "description": "v2"}\n[1,2]\n',
        "utf-8",
    )
    result = run_cli("timeline", *WINDOW, "--source", f"jsonl:{export}")
    assert result.exit_code == 2
    assert f"pmrepo: error: {export}:2: expected an object, got [1, 2]" in result.stderr


def test_a_slack_message_whose_user_profile_is_not_an_object_is_still_read(
    tmp_path: Path,
) -> None:
    channel = tmp_path / "slack" / "incident"
    channel.mkdir(parents=True)
    (channel / "2024-01-15.json").write_text(
        '[{"type": "message", "user": "U1", "user_profile": "x", "text": "rolling back", '
        '"ts": "1705328400.000100"}]',
        "utf-8",
    )
    result = run_cli("timeline", *WINDOW, "--source", f"slack:{channel}")
    assert result.exit_code == 0, result.output
    assert rows(result.stdout) == ["| 14:20:00 | human | 👤 U1: rolling back |"]


def test_into_places_the_block_after_a_fence_whose_body_has_a_hash_line(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, repo)
    target = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    fence = (
        "```sh\nkubectl rollout undo deploy/payment-api\n# wait for pods\nkubectl get pods\n```\n"
    )
    text = target.read_text("utf-8")
    text = text.replace("\n## Root Cause Analysis\n", f"\n{fence}\n## Root Cause Analysis\n")
    target.write_text(text, "utf-8")
    into = ["--service", "payment-api", "--into", "INC-2024-0015"]
    first = run_cli("timeline", str(repo), *WINDOW, *SEED_SOURCES, *into)
    assert first.exit_code == 0, first.output
    after = target.read_text("utf-8")
    assert after.count("<!-- pmrepo:timeline:start -->") == 1
    # The fence is whole, the block follows it, and the next section follows the block.
    head, _, rest = after.partition(fence)
    assert "pmrepo:timeline" not in head
    assert rest.startswith("\n<!-- pmrepo:timeline:start -->\n")
    assert rest.split("<!-- pmrepo:timeline:end -->\n", 1)[1] == text.partition(fence)[2]
    second = run_cli("timeline", str(repo), *WINDOW, *SEED_SOURCES, *into)
    assert second.exit_code == 0 and "unchanged:" in second.stdout
    assert target.read_text("utf-8") == after


def test_into_finds_the_timeline_the_way_check_reads_it(tmp_path: Path) -> None:
    """A Timeline heading that declares its zone is the timeline's section, for `check`
    and for `--into` alike."""
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, repo)
    target = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = target.read_text("utf-8").replace("\n## Timeline\n", "\n## Timeline (all times UTC)\n")
    target.write_text(text, "utf-8")
    into = ["--service", "payment-api", "--into", "INC-2024-0015"]
    result = run_cli("timeline", str(repo), *WINDOW, *SEED_SOURCES, *into)
    assert result.exit_code == 0, result.output
    after = target.read_text("utf-8")
    section = after.partition("## Timeline (all times UTC)\n")[2].partition("\n## ")[0]
    assert section.count("<!-- pmrepo:timeline:start -->") == 1
