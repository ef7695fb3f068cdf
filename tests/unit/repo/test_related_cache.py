"""pmrepo related keeps the repository's profiles and word index in one cache entry: a warm
run reads that entry and no post-mortem, and an entry that cannot be proven fresh is never
used (a changed file is read again, alone)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from related_repos import CERT, POOL, POOL_AGAIN, post_mortem

from postmortem_repo import api
from postmortem_repo.model import document
from postmortem_repo.store import cache

MakeRepo = Callable[[dict[str, str]], Path]


class Parses:
    """parse_document, counting the files it reads."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._parse = document.parse_document

    def __call__(self, text: str, **options: Any) -> document.Document:
        self.paths.append(Path(options["path"]).name)
        return self._parse(text, **options)


def suggested(root: Path, incident_id: str) -> list[tuple[str, str]]:
    index = api.related_index(root)
    target = index.by_id(incident_id)
    assert target is not None
    return [(s.incident.id, s.reason) for s in index.suggest(target)]


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stat is trusted at once: the files of a test are seconds old."""
    monkeypatch.setattr(cache, "RACY_NS", -(10**12))


def three(make_repo: MakeRepo) -> Path:
    return make_repo(
        dict(
            [
                post_mortem("INC-2023-0001", "2023-02-01", "Orders failing", POOL),
                post_mortem("INC-2023-0002", "2023-05-01", "Certificate expired", CERT),
                post_mortem("INC-2024-0003", "2024-03-01", "Orders failing again", POOL_AGAIN),
            ]
        )
    )


def test_a_warm_run_reads_no_post_mortem_and_suggests_the_same(
    make_repo: MakeRepo, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = three(make_repo)
    first = suggested(root, "INC-2024-0003")
    parses = Parses()
    monkeypatch.setattr(document, "parse_document", parses)
    assert suggested(root, "INC-2024-0003") == first
    assert parses.paths == []


def test_a_changed_file_is_read_again_alone_and_its_new_words_count(
    make_repo: MakeRepo, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = three(make_repo)
    assert suggested(root, "INC-2024-0003")[0][0] == "INC-2023-0001"
    cert = root / "2023/Q2/INC-2023-0002-x.md"
    # The certificate incident now tells of the connection pool, in as many bytes.
    changed = cert.read_text("utf-8").replace(CERT, POOL.ljust(len(CERT)))
    cert.write_text(changed, "utf-8")
    parses = Parses()
    monkeypatch.setattr(document, "parse_document", parses)
    found = suggested(root, "INC-2024-0003")
    assert parses.paths == ["INC-2023-0002-x.md"]
    assert "'connection pool' in both root causes" in dict(found)["INC-2023-0002"]


def test_a_file_that_goes_or_comes_goes_or_comes_from_the_suggestions(
    make_repo: MakeRepo, settled: None
) -> None:
    root = three(make_repo)
    suggested(root, "INC-2024-0003")
    (root / "2023/Q1/INC-2023-0001-x.md").unlink()
    assert [found for found, _ in suggested(root, "INC-2024-0003")] == ["INC-2023-0002"]
    path, text = post_mortem("INC-2023-0004", "2023-07-01", "Orders slow", POOL)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, "utf-8")
    assert [found for found, _ in suggested(root, "INC-2024-0003")] == [
        "INC-2023-0004",
        "INC-2023-0002",
    ]


def test_a_damaged_entry_is_not_trusted_and_the_files_are_read_again(
    make_repo: MakeRepo, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = three(make_repo)
    first = suggested(root, "INC-2024-0003")
    database = root / ".pmrepo_cache" / cache.DATABASE
    with sqlite3.connect(database) as db:
        for key, text in db.execute("SELECT key, entry FROM entries").fetchall():
            entry = json.loads(text)
            if "postings" in entry:  # the index's lists no longer fit its rows
                entry["lengths"] = entry["lengths"][:1] + entry["lengths"][2:]
                db.execute("UPDATE entries SET entry = ? WHERE key = ?", (json.dumps(entry), key))
    parses = Parses()
    monkeypatch.setattr(document, "parse_document", parses)
    assert suggested(root, "INC-2024-0003") == first
    assert sorted(parses.paths) == [
        "INC-2023-0001-x.md",
        "INC-2023-0002-x.md",
        "INC-2024-0003-x.md",
    ]


def test_a_file_changed_within_the_stats_granularity_is_compared_by_its_bytes(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its stat is not trusted (it may change again without the stat changing): its bytes
    are hashed, and it is parsed again only when they changed."""
    monkeypatch.setattr(cache, "RACY_NS", 10**15)  # nothing has settled
    root = three(make_repo)
    first = suggested(root, "INC-2024-0003")
    parses = Parses()
    monkeypatch.setattr(document, "parse_document", parses)
    assert suggested(root, "INC-2024-0003") == first
    assert parses.paths == []


def test_related_loads_neither_the_rules_nor_the_markdown_parser(
    make_repo: MakeRepo, settled: None
) -> None:
    """What a warm `pmrepo related` imports is what it needs: start-up is most of it."""
    root = three(make_repo)
    suggested(root, "INC-2024-0003")
    script = (
        "import sys\n"
        "from postmortem_repo.cli import main\n"
        "from postmortem_repo.store import cache\n"
        "cache.RACY_NS = -(10**12)  # the files are settled\n"
        "try:\n"
        "    main(['related', 'INC-2024-0003', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = ('postmortem_repo.lint', 'postmortem_repo.api', 'mistune', 'jsonschema')\n"
        "print(sorted(name for name in loaded if name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"
    assert "INC-2023-0001" in done.stdout


def test_a_symlink_to_a_post_mortem_lists_its_incident_once(
    make_repo: MakeRepo, settled: None
) -> None:
    root = three(make_repo)
    (root / "2023/Q1/INC-2023-0009-x.md").symlink_to(root / "2023/Q1/INC-2023-0001-x.md")
    for _ in range(2):  # as read, then from the cache
        index = api.related_index(root)
        assert [incident.id for incident in index.incidents] == [
            "INC-2023-0001",
            "INC-2023-0002",
            "INC-2024-0003",
        ]
