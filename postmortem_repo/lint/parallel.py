"""Checking many files in worker processes. The result is the serial one: outcomes come
back in the order the files were given."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Parallelism:
    # Below this many files per worker, starting processes costs more than it saves.
    min_files_per_worker: int = 200
    chunk: int = 50  # files a worker checks per task

    def workers(self, jobs: int, files: int) -> int:
        return min(jobs, files // self.min_files_per_worker)


def map_in_processes(
    files: list[Path],
    workers: int,
    chunk: int,
    start: Callable[[object], None],
    setup: object,
    run: Callable[[list[Path]], list[T]],
) -> Iterator[T]:
    """run over the files a chunk at a time, in worker processes that each call
    start(setup) once; results come back a chunk at a time, so the caller never holds
    them all twice."""
    from concurrent.futures import ProcessPoolExecutor  # 7 ms: only when it is used

    chunks = [files[first : first + chunk] for first in range(0, len(files), chunk)]
    with ProcessPoolExecutor(max_workers=workers, initializer=start, initargs=(setup,)) as pool:
        for done in pool.map(run, chunks):
            yield from done
