"""Regressions from an adversarial crash hunt: each is the smallest input that made pmrepo
crash, hang, or write where it should not."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import SEED_NAME

from postmortem_repo import api
from postmortem_repo.render.markers import find_blocks

Cli = Callable[..., Result]
MakeRepo = Callable[[dict[str, str | bytes]], Path]
TIMELINE = Path(__file__).parent / "fixtures" / "timeline" / "deploys.jsonl"


def test_output_through_a_symlink_keeps_the_link_and_writes_its_target(
    repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / "reports").mkdir()
    (repo / "reports" / "real.json").write_text("old\n", "utf-8")
    (repo / "out.json").symlink_to(repo / "reports" / "real.json")
    assert cli("check", ".", "--format", "json", "--output", "out.json").exit_code == 0
    assert (repo / "out.json").is_symlink()
    assert json.loads((repo / "reports" / "real.json").read_text("utf-8"))["version"] == 1


def test_output_to_a_pipe_writes_into_the_pipe(
    repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    pipe = repo / "out.pipe"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text("utf-8")))
    reader.start()
    assert cli("check", ".", "--format", "json", "--output", str(pipe)).exit_code == 0
    reader.join(timeout=30)
    assert pipe.is_fifo() and json.loads(received[0])["version"] == 1


def test_cache_dir_refuses_a_folder_that_holds_other_files(
    repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    result = cli("check", ".", "--cache-dir", ".")
    assert result.exit_code == 2
    assert "--cache-dir .: the folder has files and is not a pmrepo cache" in result.stderr
    assert not (repo / ".gitignore").exists() and not (repo / "CACHEDIR.TAG").exists()
    for _ in range(2):  # a new folder, then the same folder as the cache it now is
        assert cli("check", ".", "--cache-dir", "../elsewhere").exit_code == 0


def test_a_tilde_fence_whose_info_string_has_a_backtick_hides_its_markers() -> None:
    text = (
        '~~~ markdown title="`README.md`"\n<!-- pmrepo:index:start -->\n'
        "<!-- pmrepo:index:end -->\n~~~\n\n<!-- pmrepo:index:start -->\n"
        "<!-- pmrepo:index:end -->\n"
    )
    assert find_blocks(text, "README.md")["index"].start_line == 6


def test_a_file_name_that_is_not_utf8_is_a_finding_not_a_crash(
    repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    name = os.fsdecode(b"2024/Q1/INC-2024-0016-caf\xe9.md")
    (repo / name).write_text((repo / SEED_NAME).read_text("utf-8"), "utf-8")
    for _ in range(2):  # with the cache: cold, then warm
        result = cli("check", ".", "--format", "json")
        assert result.exit_code == 1
        found = json.loads(result.stdout)["findings"]
        assert [(f["path"], f["code"]) for f in found] == [
            ("2024/Q1/INC-2024-0016-caf\ufffd.md", "PM101")
        ]
    assert cli("index").exit_code == 0


def test_a_symlink_loop_is_a_finding_not_a_crash(
    repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    loop = repo / "2024" / "Q1" / "INC-2024-0016-loop.md"
    loop.symlink_to(loop.name)
    result = api.check([repo])
    assert [(Path(f.path).name, f.code) for f in result.findings] == [
        ("INC-2024-0016-loop.md", "PM101")
    ]
    assert "symbolic links" in result.findings[0].message
    assert cli("index").exit_code == 0


def test_dates_at_the_end_of_the_calendar_neither_crash_nor_hang(
    repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    seed = repo / SEED_NAME
    seed.write_text(seed.read_text("utf-8").replace("date: 2024-01-15", "date: 9999-12-28"))
    started = time.perf_counter()
    result = cli("check", ".", "--no-cache", "--format", "json")
    assert result.exit_code == 1  # the date is wrong for its folder, and more: not a crash
    assert cli("index").exit_code == 0
    assert time.perf_counter() - started < 20
    readme = (repo / "README.md").read_text("utf-8")
    assert readme.count("\n") < 400  # quarters with incidents, not 32,000 empty ones


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ("actions: {due_within: {P0: 99999999999999999999d}}", "actions.due_within.P0"),
        ("actions: {due_within: {P1: 999999999m}}", "actions.due_within.P1"),
        ("limits: {max_file_kb: 99999999999999999999999}", "limits.max_file_kb"),
    ],
)
def test_numbers_too_large_to_use_are_config_errors(
    repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, config: str, key: str
) -> None:
    monkeypatch.chdir(repo)
    (repo / ".pmrepo.yaml").write_text(config + "\n", "utf-8")
    result = cli("check", ".")
    assert result.exit_code == 2
    assert f"invalid config at '{key}'" in result.stderr


def test_timeline_output_into_a_missing_folder_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "timeline.md"
    result = cli(
        "timeline",
        "--source",
        f"jsonl:{TIMELINE}",
        "--start",
        "2024-01-15T00:00:00Z",
        "--end",
        "2024-01-16T00:00:00Z",
        "--output",
        str(target),
    )
    assert result.exit_code == 2
    assert f"{target}: cannot write the timeline: No such file or directory" in result.stderr


def test_a_timeline_source_that_is_a_device_is_refused_not_read_forever(cli: Cli) -> None:
    result = cli(
        "timeline",
        "--source",
        "csv:/dev/zero",
        "--start",
        "2024-01-15T00:00:00Z",
        "--end",
        "2024-01-16T00:00:00Z",
    )
    assert result.exit_code == 2
    assert "/dev/zero: not a regular file or folder" in result.stderr
