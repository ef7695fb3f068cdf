"""The fast paths of a warm run: files found by their stat, incidents for the generators
from the check's cache. None of them may ever give a result a cold run would not."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from conftest import run_cli

from postmortem_repo import api
from postmortem_repo.model import document
from postmortem_repo.store import cache

SEED = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"


def outcome(result: api.CheckResult) -> list[tuple[str, int, int, str, str]]:
    return [(f.path, f.line, f.column, f.code, f.message) for f in result.findings]


def remembered(repo: Path) -> list[str]:
    database = repo / ".pmrepo_cache" / cache.DATABASE
    with sqlite3.connect(database) as db:
        return [row[0] for row in db.execute("SELECT path FROM files")]


def test_a_change_that_keeps_size_and_mtime_is_still_seen(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)  # trust every stat: the copy is seconds old
    seed = repo / SEED
    api.check([repo], cache=True)
    assert str(seed) in remembered(repo)
    before = seed.stat()
    text = seed.read_text("utf-8")
    assert "severity: SEV2" in text
    seed.write_text(text.replace("severity: SEV2", "severity: SEV9"), "utf-8")
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = seed.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    warm = api.check([repo], cache=True)
    assert outcome(warm) == outcome(api.check([repo]))
    assert any(f.path.endswith(SEED) and "SEV9" in f.message for f in warm.findings)


def test_a_file_changed_just_before_the_run_is_hashed_not_trusted(repo: Path) -> None:
    api.check([repo], cache=True)
    # Every file of the copy was written within the last two seconds: none is remembered
    # by its stat (a second change within the timestamps' granularity would not show).
    assert remembered(repo) == []
    seed = repo / SEED
    seed.write_text(seed.read_text("utf-8").replace("severity: SEV2", "severity: SEV9"), "utf-8")
    assert outcome(api.check([repo], cache=True)) == outcome(api.check([repo]))


def test_settled_files_are_known_by_their_stat(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    cold = api.check([repo], cache=True)
    assert len(remembered(repo)) == 10

    real = Path.read_bytes

    def unread(self: Path) -> bytes:
        assert not self.name.startswith("INC-"), f"{self} read on a warm run"
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", unread)
    assert outcome(api.check([repo], cache=True)) == outcome(cold)


class Counter:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.real = document.parse_document

    def __call__(self, text: str, **kwargs: object) -> object:
        self.calls.append(str(kwargs["relpath"]))
        return self.real(text, **kwargs)  # type: ignore[arg-type]


def test_index_and_patterns_take_incidents_from_the_check_cache(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    expected = {command: run_cli(command, "--check").stdout for command in ("index", "patterns")}
    # The run above parsed every file and kept what it found; so does a check.
    counter = Counter()
    monkeypatch.setattr(document, "parse_document", counter)
    for command in ("index", "patterns"):
        assert run_cli(command, "--check").stdout == expected[command]
    assert counter.calls == []
    seed = repo / SEED
    seed.write_text(seed.read_text("utf-8").replace("severity: SEV2", "severity: SEV1"), "utf-8")
    changed = run_cli("index", "--check")
    assert counter.calls == [SEED]
    assert changed.stdout != expected["index"] and "SEV1" in changed.stdout


def test_a_check_fills_the_cache_the_generators_read(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    api.check([repo], cache=True)
    counter = Counter()
    monkeypatch.setattr(document, "parse_document", counter)
    assert run_cli("index", "--check").exit_code == 0
    assert counter.calls == []


def test_repository_wide_findings_are_remembered_and_recomputed_when_an_input_changes(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postmortem_repo.render import plans as generate

    calls: list[int] = []
    real = generate.plan_index
    monkeypatch.setattr(generate, "plan_index", lambda *a, **k: calls.append(1) or real(*a, **k))
    cold = api.check([repo], cache=True)
    assert len(calls) == 1 and not any(f.code == "PM705" for f in cold.findings)
    assert outcome(api.check([repo], cache=True)) == outcome(cold) and len(calls) == 1
    # The generated README is an input: a stale index is found at once.
    readme = repo / "README.md"
    readme.write_text(readme.read_text("utf-8").replace("| [INC-", "| [OLD-", 1), "utf-8")
    stale = api.check([repo], cache=True)
    assert len(calls) == 2
    assert [(Path(f.path).name, f.code) for f in stale.findings] == [("README.md", "PM705")]
    # Findings are shown from where pmrepo runs: another folder, other paths.
    monkeypatch.chdir(repo / "2024")
    moved = api.check([repo], cache=True)
    assert len(calls) == 3 and outcome(moved) == outcome(api.check([repo]))


def test_an_edit_that_changes_no_incident_keeps_the_repository_wide_findings(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postmortem_repo.render import plans as generate

    calls: list[int] = []
    real = generate.plan_index
    monkeypatch.setattr(generate, "plan_index", lambda *a, **k: calls.append(1) or real(*a, **k))
    api.check([repo], cache=True)
    seed = repo / SEED
    seed.write_text(seed.read_text("utf-8") + "\nOne more sentence of prose.\n", "utf-8")
    assert outcome(api.check([repo], cache=True)) == outcome(api.check([repo]))
    assert len(calls) == 2  # the cached run reused the first run's repository-wide findings
    seed.write_text(seed.read_text("utf-8").replace("title: ", "title: Renamed ", 1), "utf-8")
    renamed = api.check([repo], cache=True)
    assert len(calls) == 3  # the title is in the index: recomputed
    assert [(Path(f.path).name, f.code) for f in renamed.findings] == [("README.md", "PM705")]


def test_a_run_is_remembered_whole_and_made_again_when_anything_it_reads_changes(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postmortem_repo.lint.stored import StoredResults

    cold = api.check([repo], cache=True)
    monkeypatch.setattr(StoredResults, "outcomes", lambda *a: pytest.fail("not remembered"))
    assert outcome(api.check([repo], cache=True)) == outcome(cold)
    monkeypatch.undo()
    # Every input is part of the key: a file, the config, where it runs from.
    seed = repo / SEED
    seed.write_text(seed.read_text("utf-8").replace("severity: SEV2", "severity: SEV9"), "utf-8")
    changed = api.check([repo], cache=True)
    assert outcome(changed) == outcome(api.check([repo])) != outcome(cold)
    (repo / ".pmrepo.yaml").write_text("ignore: [PM205]\n", "utf-8")
    assert outcome(api.check([repo], cache=True)) == outcome(api.check([repo]))
    monkeypatch.chdir(repo / "2024")
    assert outcome(api.check([repo], cache=True)) == outcome(api.check([repo]))


def test_a_one_file_check_of_an_unchanged_repository_asks_for_no_other_head(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The heads of an unchanged repository come from one stored summary: of the other
    post-mortems only the stat is looked at. A change to another file's head is seen."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    seed = repo / SEED
    api.check([repo], cache=True)
    asked: list[str] = []
    real = cache.ResultCache.facts

    def counted(self: cache.ResultCache, path: str, status: os.stat_result) -> object:
        asked.append(path)
        return real(self, path, status)

    monkeypatch.setattr(cache.ResultCache, "facts", counted)
    # PM705 and PM706 compare with every incident: see the next assertion.
    assert api.check([seed], cache=True, ignore=["PM705", "PM706"]).findings == []
    assert [Path(path).name for path in asked] == [seed.name]
    # With PM705 and PM706, the other post-mortems' incidents and words come from the
    # cache: none is parsed.
    counter = Counter()
    monkeypatch.setattr(document, "parse_document", counter)  # what every reader parses with
    assert api.check([seed], cache=True).findings == []
    assert counter.calls == []
    # Another post-mortem takes the sample's id: the summary no longer holds.
    other = next(path for path in sorted(repo.glob("2023/*/INC-*.md")))
    text = other.read_text("utf-8")
    other_id = text.split("id: ", 1)[1].split("\n", 1)[0]
    other.write_text(text.replace(f"id: {other_id}", "id: INC-2024-0015"), "utf-8")
    monkeypatch.setattr(cache, "RACY_NS", -(10**12))  # the edit is trusted at once
    found = api.check([seed], cache=True, ignore=["PM705", "PM706"])
    assert [f.code for f in found.findings] == ["PM106"]
    assert outcome(found) == outcome(api.check([seed], ignore=["PM705", "PM706"]))


def test_the_file_just_edited_is_read_anew_and_the_others_still_come_from_the_summary(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pre-commit case: the checked file was saved a moment ago (its stat cannot be
    trusted yet), every other one has settled."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    seed = repo / SEED
    api.check([repo], cache=True)
    seed.write_text(seed.read_text("utf-8").replace("id: INC-2024-0015", "id: INC-2023-0089"))
    just_saved = seed.stat().st_ino
    real_trusts = cache.ResultCache.trusts

    def trusts(self: cache.ResultCache, status: os.stat_result) -> bool:
        return status.st_ino != just_saved and real_trusts(self, status)

    monkeypatch.setattr(cache.ResultCache, "trusts", trusts)
    asked: list[str] = []
    real_facts = cache.ResultCache.facts

    def counted(self: cache.ResultCache, path: str, status: os.stat_result) -> object:
        asked.append(Path(path).name)
        return real_facts(self, path, status)

    monkeypatch.setattr(cache.ResultCache, "facts", counted)
    api.check([seed], cache=True)  # writes the summary of the settled files
    asked.clear()
    found = api.check([seed], cache=True)
    assert set(asked) == {seed.name}
    # The edited id is seen: it now repeats another post-mortem's.
    assert "PM106" in [f.code for f in found.findings]
    assert outcome(found) == outcome(api.check([seed]))
