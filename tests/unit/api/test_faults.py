"""Faults around pmrepo's reads and writes: a write killed half-way, a full disk, a file
that changes under a check, files and front matter past the limits."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import FIXTURES, SEED_NAME

from postmortem_repo import api
from postmortem_repo.render.markers import find_blocks

MakeRepo = Callable[[dict[str, str | bytes]], Path]


def _stale_readme(repo: Path) -> bytes:
    """Make the README's index out of date, so that `pmrepo index` has to write it."""
    readme = repo / "README.md"
    text = readme.read_text("utf-8").replace("| [INC-", "| [OLD-", 1)
    readme.write_text(text, "utf-8")
    return readme.read_bytes()


def test_a_write_killed_before_its_rename_leaves_the_old_file(repo: Path) -> None:
    before = _stale_readme(repo)
    script = textwrap.dedent(
        """
        import os, signal, sys
        os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
        from postmortem_repo.cli import main
        sys.argv = ["pmrepo", "index"]
        main()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=repo, capture_output=True)
    assert done.returncode == -9  # killed between the temporary file and the rename
    assert (repo / "README.md").read_bytes() == before
    # What a killed writer can leave is its hidden temporary file, never a visible one.
    leftovers = [p.name for p in repo.iterdir() if p.name.startswith(".README.md.")]
    assert all(name.endswith(".tmp") for name in leftovers)


def test_a_full_disk_leaves_the_old_file_and_exits_2(
    repo: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _stale_readme(repo)

    def no_space(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.chdir(repo)
    monkeypatch.setattr(os, "fsync", no_space)
    result = cli("index")
    assert result.exit_code == 2
    assert "README.md: cannot write: No space left on device" in result.stderr
    assert (repo / "README.md").read_bytes() == before
    assert sorted(path.name for path in repo.iterdir() if path.name.startswith(".README")) == []


def test_a_cache_that_cannot_be_written_only_costs_time(
    repo: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    expected = cli("check", ".", "--no-cache", "--format", "json").stdout
    blocked = repo / "not-a-folder"
    blocked.write_text("a file where the cache folder would go\n", "utf-8")
    for _ in range(2):
        result = cli("check", ".", "--format", "json", "--cache-dir", str(blocked / "cache"))
        assert result.exit_code == 0
        assert result.stdout == expected
    assert blocked.read_text("utf-8") == "a file where the cache folder would go\n"


def test_a_file_deleted_between_discovery_and_reading(
    make_repo: MakeRepo, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = "2024/Q1/INC-2024-0016-gone.md"
    root = make_repo({SEED_NAME: seed_text, gone: seed_text.replace("0015", "0016")})
    from postmortem_repo.lint import engine

    real = engine.read_text

    def vanishing(path: Path, *args: int) -> object:
        if path.name.endswith("gone.md"):
            path.unlink()
        return real(path, *args)

    monkeypatch.setattr(engine, "read_text", vanishing)
    result = api.check([root], jobs=1)
    assert [(Path(f.path).name, f.code, f.line) for f in result.findings] == [
        ("INC-2024-0016-gone.md", "PM101", 1)
    ]
    assert "No such file or directory" in result.findings[0].message


def test_a_file_over_the_size_limit_is_reported_not_read(
    make_repo: MakeRepo, seed_text: str, cli: Callable[..., Result]
) -> None:
    big = "2024/Q1/INC-2024-0016-pasted-logs.md"
    padding = "\n## Appendix\n\n```\n" + "kubectl get pods -A\n" * 60_000 + "```\n"
    root = make_repo({SEED_NAME: seed_text, big: seed_text.replace("0015", "0016") + padding})
    result = cli("check", str(root), "--format", "json", "--no-cache")
    report = json.loads(result.stdout)
    assert [(Path(f["path"]).name, f["code"]) for f in report["findings"]] == [
        ("INC-2024-0016-pasted-logs.md", "PM107")
    ]
    assert (
        "over the limit of 1,024 KB (limits.max_file_kb in the config)"
        in (report["findings"][0]["message"])
    )
    (root / ".pmrepo.yaml").write_text("limits: {max_file_kb: 4096}\n", "utf-8")
    raised = json.loads(cli("check", str(root), "--format", "json", "--no-cache").stdout)
    assert "PM107" not in {f["code"] for f in raised["findings"]}


def test_front_matter_over_its_limit_is_not_loaded(make_repo: MakeRepo, seed_text: str) -> None:
    long_list = "services:\n" + "".join(f"  - service-{n}\n" for n in range(400))
    text = seed_text.replace("services:\n", long_list + "extra_services:\n", 1)
    root = make_repo({".pmrepo.yaml": "limits: {max_front_matter_kb: 4}\n", SEED_NAME: text})
    result = api.check([root])
    found = [(f.code, f.line, f.message) for f in result.findings if f.code == "PM208"]
    assert len(found) == 1 and found[0][1] == 1
    assert "over the limit of 4 KB (limits.max_front_matter_kb in the config)" in found[0][2]


def test_a_schema_that_points_at_a_url_is_refused_not_fetched(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    schema = tmp_path / "fm.json"
    schema.write_text(
        '{"type": "object", "properties": {"id": {"$ref": "http://127.0.0.1:9/id.json"}}}',
        "utf-8",
    )
    (tmp_path / ".pmrepo.yaml").write_text("schemas: {frontmatter: fm.json}\n", "utf-8")
    result = cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert (
        f"{schema}: '$ref: http://127.0.0.1:9/id.json' at properties/id: pmrepo resolves only "
        "references inside the schema"
    ) in result.stderr


@pytest.mark.parametrize(
    "front",
    [
        "a: " + "[" * 5000 + "]" * 5000 + "\n",  # nesting far past any record's
        "a: " + "{b: " * 3000 + "c" + "}" * 3000 + "\n",
        # two of the one before, forty times: 2**40 values from 40 lines
        "a0: &a0 [x, x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, 41)),
    ],
    ids=["deep-lists", "deep-mappings", "wide-aliases"],
)
def test_deep_or_exploding_yaml_is_bounded(make_repo: MakeRepo, front: str) -> None:
    import time

    root = make_repo({"2024/Q1/INC-2024-0001-yaml.md": f"---\n{front}---\n# T\n"})
    started = time.perf_counter()
    result = api.check([root], select=("PM2",))
    assert time.perf_counter() - started < 10
    assert [(f.code, f.line) for f in result.findings] == [("PM208", 1)]


# Found by review, each with the minimal input.

Cli = Callable[..., Result]
MakeRepo = Callable[[dict[str, str | bytes]], Path]
TIMELINE = FIXTURES / "timeline" / "deploys.jsonl"


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
