"""The result cache: a warm run gives the cold run's result without parsing unchanged files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, run_cli

from postmortem_repo import api
from postmortem_repo.lint import engine
from postmortem_repo.store import cache

TABLES = {"files": "facts", "entries": "entry", "incidents": "incident"}
SEED = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
OTHER = "2024/Q2/INC-2024-0021-smartthings-device-registration.md"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, copy, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    seed = copy / SEED
    seed.write_text(
        seed.read_text("utf-8")
        .replace(
            "### What Went Poorly\n\n", "### What Went Poorly\n\nOkonkwo missed the disk alert.\n\n"
        )
        .replace("severity: SEV2", "severity: SEV9"),
        "utf-8",
    )
    return copy


def row_key(table: str) -> str:
    return "path" if table == "files" else "key"


def outcome(result: api.CheckResult) -> list[tuple[str, int, int, str, str]]:
    return [(f.path, f.line, f.column, f.code, f.message) for f in result.findings]


class Counter:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.real = engine.parse_document

    def __call__(self, text: str, **kwargs: object) -> object:
        self.calls.append(str(kwargs["relpath"]))
        return self.real(text, **kwargs)  # type: ignore[arg-type]


def test_a_warm_run_reuses_every_unchanged_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = api.check([repo], cache=True)
    assert outcome(cold) == outcome(api.check([repo]))  # the same as without a cache
    counter = Counter()
    monkeypatch.setattr(engine, "parse_document", counter)
    warm = api.check([repo], cache=True)
    assert outcome(warm) == outcome(cold) and warm.files_checked == cold.files_checked
    assert counter.calls == []
    other = repo / OTHER
    other.write_text(other.read_text("utf-8").replace("severity: SEV3", "severity: SEV2"), "utf-8")
    api.check([repo], cache=True)
    assert counter.calls == [OTHER]
    assert (repo / ".pmrepo_cache" / ".gitignore").read_text("utf-8").endswith("*\n")
    assert (
        (repo / ".pmrepo_cache" / "CACHEDIR.TAG")
        .read_text("utf-8")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_what_other_files_say_invalidates_entries(repo: Path) -> None:
    first = api.check([repo], cache=True, select=["PM402"])
    assert outcome(first) == []  # "Okonkwo" is nobody the repository knows
    other = repo / OTHER
    other.write_text(
        other.read_text("utf-8").replace("  - Victor Alvarez", "  - Okonkwo Eze"), "utf-8"
    )
    second = api.check([repo], cache=True, select=["PM402"])
    assert [(Path(f.path).as_posix()[-len(SEED) :], f.code) for f in second.findings] == [
        (SEED, "PM402")
    ]


def test_the_config_and_the_selection_are_part_of_the_key(repo: Path) -> None:
    everything = api.check([repo], cache=True)
    assert "PM205" in {code for _, _, _, code, _ in outcome(everything)}
    only = api.check([repo], cache=True, ignore=["PM205"])
    assert "PM205" not in {code for _, _, _, code, _ in outcome(only)}
    (repo / ".pmrepo.yaml").write_text("root: .\nseverity:\n  PM205: warning\n", "utf-8")
    relaxed = api.check([repo], cache=True)
    assert {f.severity.value for f in relaxed.findings if f.code == "PM205"} == {"warning"}


def database(repo: Path) -> sqlite3.Connection:
    return sqlite3.connect(repo / ".pmrepo_cache" / cache.DATABASE, isolation_level=None)


def test_damaged_entries_are_recomputed_and_rewritten(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)  # the copied files are seconds old
    cold = api.check([repo], cache=True)
    with database(repo) as db:
        rows = {table: db.execute(f"SELECT * FROM {table}").fetchall() for table in TABLES}
        # files; entries (each file's, the repository's heads, the repository-wide rules',
        # the whole run's, each file's words and the repository's words); incidents
        assert [len(found) for found in rows.values()] == [10, 24, 10]
        damage = ["{", "[]", "null", '{"findings": 3}', '["x", null, 3, true]', "7"]
        for table, found in rows.items():
            for index, row in enumerate(found):
                column = TABLES[table]
                broken = damage[index % len(damage)]
                db.execute(
                    f"UPDATE {table} SET {column} = ? WHERE {row_key(table)} = ?", (broken, row[0])
                )
    counter = Counter()
    monkeypatch.setattr(engine, "parse_document", counter)
    again = api.check([repo], cache=True)
    assert outcome(again) == outcome(cold) and len(counter.calls) == 10
    with database(repo) as db:
        assert {table: db.execute(f"SELECT * FROM {table}").fetchall() for table in TABLES} == rows
    assert outcome(api.check([repo], cache=True)) == outcome(cold) and len(counter.calls) == 10


def test_a_damaged_database_is_replaced(repo: Path) -> None:
    cold = api.check([repo], cache=True)
    (repo / ".pmrepo_cache" / cache.DATABASE).write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (repo / ".pmrepo_cache" / f"{cache.DATABASE}{suffix}").unlink(missing_ok=True)
    assert outcome(api.check([repo], cache=True)) == outcome(cold)
    with database(repo) as db:
        # 12 of the check, 10 files' words and the repository's (PM706)
        assert db.execute("SELECT count(*) FROM entries").fetchone() == (23,)


def test_the_command_line_caches_by_default_and_can_be_told_not_to(
    repo: Path, tmp_path: Path
) -> None:
    assert run_cli("check", str(repo), "--no-cache").exit_code == 1
    assert not (repo / ".pmrepo_cache").exists()
    elsewhere = tmp_path / "cache"
    assert run_cli("check", str(repo), "--cache-dir", str(elsewhere)).exit_code == 1
    assert (elsewhere / cache.DATABASE).is_file() and not (repo / ".pmrepo_cache").exists()
    first = run_cli("check", str(repo), "--format", "json").stdout
    assert (repo / ".pmrepo_cache").is_dir()
    assert run_cli("check", str(repo), "--format", "json").stdout == first


def test_concurrent_runs_share_a_cache_safely(repo: Path) -> None:
    command = [sys.executable, "-m", "postmortem_repo", "check", str(repo), "--format", "json"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    expected = run_cli("check", str(repo), "--no-cache", "--format", "json").stdout
    assert outputs == [expected] * 3
    assert not list((repo / ".pmrepo_cache").rglob(".*.tmp"))


def test_a_parallel_check_gives_the_serial_result(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = api.Parallelism(min_files_per_worker=2)  # sample-repo is small
    serial = api.check([repo])
    parallel = api.check([repo], jobs=2, parallelism=small)
    assert outcome(parallel) == outcome(serial) and parallel.files_checked == 10
    cached = api.check([repo], jobs=2, cache=True, parallelism=small)
    assert outcome(cached) == outcome(serial)
    assert outcome(api.check([repo], jobs=2, cache=True, parallelism=small)) == outcome(serial)
    result = run_cli("check", str(repo), "--jobs", "2", "--no-cache", "--format", "json")
    assert result.exit_code == 1


def _check_on_machine(repo: Path, machine: Path) -> subprocess.CompletedProcess[str]:
    """pmrepo check as a machine whose user cache folder is `machine` runs it."""
    env = {**os.environ, "XDG_CACHE_HOME": str(machine)}
    command = [sys.executable, "-m", "postmortem_repo", "check", "--format", "json"]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=120)


def test_a_cache_written_on_another_machine_is_never_trusted(repo: Path, tmp_path: Path) -> None:
    """A cache committed to the repository, with every finding emptied: a fresh clone at
    the same path (another machine, another secret) recomputes everything."""
    writer = _check_on_machine(repo, tmp_path / "attacker")
    found = json.loads(writer.stdout)["findings"]
    assert writer.returncode == 1 and "PM205" in [finding["code"] for finding in found]
    with database(repo) as db:
        db.execute("UPDATE entries SET entry = json_set(entry, '$.findings', json('[]'))")
    victim = _check_on_machine(repo, tmp_path / "victim")
    assert victim.returncode == 1
    assert json.loads(victim.stdout) == json.loads(writer.stdout)
    secret = tmp_path / "victim" / "pmrepo" / "secret"
    assert len(secret.read_text("ascii").strip()) == 64 and secret.stat().st_mode & 0o077 == 0


def test_a_database_with_objects_pmrepo_did_not_make_is_replaced(
    repo: Path, tmp_path: Path
) -> None:
    """A view under a table's name that would recurse for ever: the database is replaced,
    the check gives its findings and ends."""
    first = _check_on_machine(repo, tmp_path / "machine")
    with database(repo) as db:
        db.execute("DROP TABLE files")
        db.execute(
            "CREATE VIEW files AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
            " SELECT 'x' AS path, 'y' AS stamp, 'z' AS facts FROM n"
        )
    again = _check_on_machine(repo, tmp_path / "machine")
    assert again.returncode == 1 and json.loads(again.stdout) == json.loads(first.stdout)
    with database(repo) as db:
        kinds = set(db.execute("SELECT type, name FROM sqlite_master").fetchall())
    assert ("view", "files") not in kinds and ("table", "files") in kinds


def test_a_lone_note_outside_any_repository_gets_no_cache_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post-mortem saved among other files (Downloads, notes) is checked, and nothing
    is written beside it: that folder is no post-mortem repository."""
    notes = tmp_path / "notes"
    notes.mkdir()
    note = notes / Path(SEED).name
    shutil.copyfile(SAMPLE_REPO / SEED, note)
    (notes / "shopping.txt").write_text("milk\n", "utf-8")
    monkeypatch.chdir(notes)
    result = run_cli("check", note.name)
    assert result.exit_code in (0, 1) and result.stderr == ""
    api.check_text(note.read_text("utf-8"), note, cache=True)
    assert sorted(path.name for path in notes.iterdir()) == [note.name, "shopping.txt"]


def test_a_repository_keeps_its_cache_in_its_root(repo: Path) -> None:
    run_cli("check", str(repo / SEED))
    assert (repo / ".pmrepo_cache" / cache.DATABASE).is_file()
