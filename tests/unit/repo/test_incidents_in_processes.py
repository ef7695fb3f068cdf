"""Reading a repository's post-mortems in worker processes (pmrepo site -j): the same
incidents as one process reads, in the same order, and the cache learns each of them."""

from __future__ import annotations

from pathlib import Path

from postmortem_repo import api
from postmortem_repo.lint.parallel import Parallelism
from postmortem_repo.render.plans import Repository
from postmortem_repo.store import open_store

EVERY_FILE = Parallelism(min_files_per_worker=1, chunk=2)


def test_processes_read_the_incidents_one_process_reads(repo: Path) -> None:
    serial = api.load_repository(repo).incidents
    (repo / ".pmrepo_cache").rename(repo.parent / "serial-cache")
    parallel = api.load_repository(repo, jobs=2, parallelism=EVERY_FILE).incidents
    assert len(parallel) == 10
    assert parallel == serial


def test_the_cache_learns_what_the_processes_read(repo: Path) -> None:
    loaded = api.load_repository(repo, jobs=2, parallelism=EVERY_FILE)

    def nothing_left(files: list[tuple[Path, str]]) -> list[tuple[None, None]]:
        assert files == []  # every incident came from the cache
        return []

    store = open_store(repo / ".pmrepo_cache", repo)
    try:
        again = Repository.load(repo, loaded.config, cache=store, read_many=nothing_left)
    finally:
        store.close()
    assert again.incidents == loaded.incidents
