"""What each post-mortem says is kept in the check's cache, and read again when it changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from related_repos import CERT, POOL, post_mortem

from postmortem_repo.repo.config import Config
from postmortem_repo.repo.incidents import load_incidents
from postmortem_repo.repo.wordings import load_wordings
from postmortem_repo.store import open_store

MakeRepo = Callable[[dict[str, str]], Path]


def wordings_of(root: Path) -> dict[str, tuple[str, ...]]:
    """relpath → the root cause's words, as a run with the repository's cache reads them."""
    store = open_store(root / ".pmrepo_cache", root)
    try:
        incidents = load_incidents(root, Config(), cache=store)
        found = load_wordings(root, Config(), incidents, cache=store)
    finally:
        store.close()
    return {relpath: wording.cause_words for relpath, wording in found.items()}


def test_a_second_run_reads_the_same_words_and_a_changed_file_is_read_again(
    make_repo: MakeRepo,
) -> None:
    path, text = post_mortem("INC-2024-0003", "2024-03-01", "Orders failing", POOL)
    root = make_repo({path: text})
    first = wordings_of(root)
    assert first == {path: ("database", "connection", "pool", "exhausted", "slow", "queries")}
    assert wordings_of(root) == first
    (root / path).write_text(text.replace(POOL, CERT), "utf-8")
    assert wordings_of(root) == {path: ("tls", "certificate", "expired", "renewal", "manual")}


def test_a_run_without_a_cache_reads_the_files(make_repo: MakeRepo) -> None:
    path, text = post_mortem("INC-2024-0003", "2024-03-01", "Orders failing", CERT)
    root = make_repo({path: text})
    incidents = load_incidents(root, Config())
    found = load_wordings(root, Config(), incidents)
    assert found[path].cause_words == ("tls", "certificate", "expired", "renewal", "manual")
