"""Where results are kept between runs: the store protocol, its keys, and the SQLite store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from postmortem_repo.store.protocol import Store

CACHE_DIR = ".pmrepo_cache"  # the cache's folder under a repository's root


def open_store(folder: Path, root: Path | None = None) -> Store:
    """The SQLite store under folder, which must stay inside the repository at root (None:
    a folder the user named). sqlite3 is imported here, when a store is opened, so that a
    check without a cache (a pre-commit hook's --no-cache) never loads it."""
    from postmortem_repo.store.cache import ResultCache

    return ResultCache(folder, root)
