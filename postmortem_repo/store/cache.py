"""A per-file result cache: a warm run takes each unchanged post-mortem's findings, and the
summary the index and pattern generators need, from the cache instead of parsing it again.

Everything lives in one SQLite database (standard library; WAL mode, so concurrent runs
read while one writes; a run writes all it learnt in one transaction at its end):

- files: a file's path and stat (mtime, ctime, size, inode, device) → what its bytes hold
  (their hash, its incident id and people). A warm run looks a file up by its stat and
  neither reads nor hashes it. A stat is only remembered when the file was last changed
  more than two seconds before the run started: a file written within the timestamps'
  granularity of the run could change again without its stat changing (git's "racy"
  timestamps), so it is read and hashed every time until it settles. Any change to the
  content changes the ctime, which no one can set back.
- entries: the hash of everything a file's findings depend on (its bytes and its place in
  the repository, pmrepo's version, the config and the rule selection, what the repository
  tells the per-file rules, and, for the publishing deadline, when git first saw the
  file) → its findings, suppressions and id.
- incidents: the hash of a file's bytes, its place and the config → its Incident.

A row that cannot be read is ignored (and rewritten), never trusted; a database that is not
one is replaced. The folder holds a `.gitignore` and a `CACHEDIR.TAG`, so neither git nor
backup tools pick it up.

The cache's files are written inside the repository only: a cache folder that is a symlink
or leads out of the repository's root, or a database (or its -wal and -shm files, its
markers) that is a symlink, is not used; the run goes on without a cache, with a warning.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import secrets
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.writer import real_target, write_atomic
from postmortem_repo.store.keys import CACHE_FORMAT, Facts, digest, stamp_of
from postmortem_repo.store.protocol import Keyed

if TYPE_CHECKING:  # read and written by what asks for incidents (`related` never does)
    from postmortem_repo.model.incident import Incident

DATABASE = f"v{CACHE_FORMAT}.sqlite3"
FLUSH_EVERY = 1000  # parsed files whose entries are written together
SINGLE_LOOKUPS = 32  # files looked up one by one before the whole table is read
RACY_NS = 2_000_000_000  # a stat this close to the run's start is not trusted
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by pmrepo.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_TABLES = (
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, stamp TEXT, facts TEXT)",
    "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, entry TEXT)",
    "CREATE TABLE IF NOT EXISTS incidents (key TEXT PRIMARY KEY, incident TEXT)",
)


# What the database may hold: pmrepo's three tables and the indexes SQLite makes for them.
_OWN_OBJECTS = {
    ("table", "files"),
    ("table", "entries"),
    ("table", "incidents"),
    *(("index", f"sqlite_autoindex_{name}_1") for name in ("files", "entries", "incidents")),
}


def _refuse_foreign_objects(db: sqlite3.Connection) -> None:
    """A DatabaseError (the database is then replaced) when it holds anything pmrepo does
    not make: a view or trigger under a table's name could answer with anything, or never."""
    found = set(db.execute("SELECT type, name FROM sqlite_master").fetchall())
    if not found <= _OWN_OBJECTS:
        raise sqlite3.DatabaseError("the cache holds objects pmrepo did not make")


@functools.cache  # a machine's secret does not change while pmrepo runs
def machine_secret() -> str:
    """A random secret kept outside every repository, in the user's cache folder
    ($XDG_CACHE_HOME/pmrepo, else ~/.cache/pmrepo), made on first use. When it cannot be
    kept, one made for this run alone: the cache then only costs time."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "pmrepo" / "secret"
    for _ in range(2):  # another run may make it at the same moment: then read that one
        kept = _read_secret(path)
        if kept is not None:
            return kept
        made = secrets.token_hex(32)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError:
            break
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(made + "\n")
        return made
    return secrets.token_hex(32)


def _read_secret(path: Path) -> str | None:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        kept = path.read_text("ascii").strip()
        if len(kept) == 64:
            return kept
    return None


class ResultCache:
    """One database under folder; reads as asked, writes kept until flush()."""

    def __init__(self, folder: Path, root: Path | None = None) -> None:
        """folder: where the cache lives; root: the repository it must stay inside (None
        for a folder the user named, which is taken as given)."""
        self.folder = folder
        self.root = root
        self._refused = False  # said once: the cache's place is not safe to write
        self.started_ns = time.time_ns()
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._stamps: dict[str, tuple[str, str]] | None = None
        self._lookups = 0  # files looked up one by one so far
        self._facts: dict[str, Facts | None] = {}  # read in this run, by path
        self._config: tuple[object, str] | None = None
        self._pending: dict[str, dict[str, str]] = {"files": {}, "entries": {}, "incidents": {}}

    def config_id(self, config: Keyed) -> str:
        """config.cache_key() under this machine's secret, worked out once per cache. Every
        stored result's key derives from it, so results written elsewhere (a cache committed
        to the repository, say) are never taken for this machine's own."""
        if self._config is None or self._config[0] is not config:
            self._config = (config, digest(machine_secret(), config.cache_key()))
        return self._config[1]

    # The database --------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            if self._refused:
                return None
            try:
                self._check_place()
            except PmrepoError as error:
                self._refused = True
                print(f"pmrepo: warning: {error}; running without a cache", file=sys.stderr)
                return None
            try:
                self._db = self._open()
            except sqlite3.OperationalError:
                self._db = None  # locked for too long, read-only, …: run without a cache
            except sqlite3.DatabaseError:  # not a database (any more): start a new one
                self._discard()
                with contextlib.suppress(sqlite3.Error, OSError):
                    self._db = self._open()
            except OSError:
                self._db = None
        return self._db

    def _check_place(self) -> None:
        """PmrepoError when the cache would write through a symlink or out of the
        repository: a folder that is a link or leads out, a file of it that is a link."""
        folder = self.folder
        if self.root is not None:
            if folder.is_symlink():
                raise PmrepoError(f"{folder}: the cache folder is a symlink")
            real_target(folder, self.root)
        names = (
            ".gitignore",
            "CACHEDIR.TAG",
            *(f"{DATABASE}{end}" for end in ("", "-wal", "-shm", "-journal")),
        )
        for name in names:
            if (folder / name).is_symlink():
                raise PmrepoError(f"{folder / name}: a file of the cache is a symlink")

    def _open(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in (
            (".gitignore", "# Created by pmrepo\n*\n"),
            ("CACHEDIR.TAG", CACHEDIR_TAG),
        ):
            marker = self.folder / name
            if not marker.exists():
                write_atomic(marker, text, root=self.folder)
        db = sqlite3.connect(self.folder / DATABASE, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            _refuse_foreign_objects(db)
            for table in _TABLES:
                db.execute(table)
            db.execute("SELECT count(*) FROM files WHERE path = ''").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _discard(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                (self.folder / f"{DATABASE}{suffix}").unlink()

    def _read(self, table: str, column: str, keys: list[str]) -> Iterator[tuple[str, str]]:
        """(key, text) of the rows of table that keys name, a batch at a time."""
        db = self._connection()
        if db is None:
            return
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            query = f"SELECT key, {column} FROM {table} WHERE key IN ({','.join('?' * len(batch))})"
            try:
                rows = db.execute(query, batch).fetchall()
            except sqlite3.Error:
                return
            yield from ((key, text) for key, text in rows if isinstance(text, str))

    def flush(self) -> None:
        """Write what this run learnt, in one transaction; a cache that cannot be written
        only costs time."""
        pending = self._pending
        if not any(pending.values()):
            return
        self._pending = {table: {} for table in pending}
        db = self._connection()
        if db is None:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?)",
                    [(path, *row.split("\n", 1)) for path, row in pending["files"].items()],
                )
                for table in ("entries", "incidents"):
                    db.executemany(
                        f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", pending[table].items()
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db, self._opened = None, False

    # Files by stat -------------------------------------------------------------------

    def known_facts(self, path: str) -> Facts | None:
        """Facts already read in this run."""
        return self._facts.get(path)

    def facts(self, path: str, status: os.stat_result) -> Facts | None:
        """What the file held when it last had this stat, if that can be trusted."""
        known = self._stamp_row(path)
        if known is None or known[0] != stamp_of(status):
            return None
        try:
            data = json.loads(known[1])
            found = Facts(
                str(data[0]),
                data[1] if isinstance(data[1], str) else None,
                tuple(str(person) for person in data[2]),
                data[3] is True,
                data[4] if isinstance(data[4], str) else None,  # a row without it: read anew
            )
        except (ValueError, TypeError, IndexError, KeyError):
            return None  # a damaged row: read the file and rewrite it
        self._facts[path] = found
        return found

    def trusts(self, status: os.stat_result) -> bool:
        """Whether a file with this stat last changed long enough before the run started
        that a change now would change its stat."""
        settled = self.started_ns - RACY_NS
        return status.st_mtime_ns < settled and status.st_ctime_ns < settled

    def _stamp_row(self, path: str) -> tuple[str, str] | None:
        """(stamp, facts) the database holds for path, read once (the facts are kept from
        here on). The first few files are looked up one by one (a one-file check in a
        repository whose heads are remembered asks for one); then the whole table at once."""
        db = self._connection()
        if self._stamps is None and db is not None and self._lookups < SINGLE_LOOKUPS:
            self._lookups += 1
            with contextlib.suppress(sqlite3.Error):
                query = "SELECT stamp, facts FROM files WHERE path = ?"
                row = db.execute(query, (path,)).fetchone()
                return (row[0], row[1]) if row else None
        if self._stamps is None:
            self._stamps = {}
            if db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._stamps = {
                        row[0]: (row[1], row[2])
                        for row in db.execute("SELECT path, stamp, facts FROM files")
                    }
        return self._stamps.pop(path, None)

    def remember(self, path: str, status: os.stat_result, facts: Facts) -> None:
        self._facts[path] = facts
        if self.trusts(status):
            row = json.dumps(
                [facts.digest, facts.incident_id, facts.people, facts.published_at, facts.date]
            )
            self._pending["files"][path] = f"{stamp_of(status)}\n{row}"

    # Results -------------------------------------------------------------------------

    def get(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """The entries of these keys that there are (a damaged one is left out)."""
        found = {}
        for key, text in self._read("entries", "entry", keys):
            with contextlib.suppress(ValueError):
                data = json.loads(text)
                if isinstance(data, dict):
                    found[key] = data
        return found

    def put(self, key: str, entry: str, incident_key: str, incident: str) -> None:
        """Keep a parsed file's entry and incident (both JSON) for flush()."""
        self._pending["entries"][key] = entry
        self._pending["incidents"][incident_key] = incident
        if len(self._pending["entries"]) >= FLUSH_EVERY:
            self.flush()

    def put_entry(self, key: str, entry: str) -> None:
        """Keep an entry (JSON) that is not a file's, for flush()."""
        self._pending["entries"][key] = entry

    def get_incidents(self, keys: list[str]) -> dict[str, Incident | None]:
        """The incidents of these keys that there are (None: the file describes none)."""
        from postmortem_repo.model.incident import incident_from_json

        found = {}
        for key, text in self._read("incidents", "incident", keys):
            with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
                found[key] = incident_from_json(json.loads(text))
        return found

    def put_incident(self, key: str, incident: Incident | None) -> None:
        from postmortem_repo.model.incident import encode_incident

        self._pending["incidents"][key] = encode_incident(incident)
