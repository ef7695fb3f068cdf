"""The repository as `pmrepo related` and PM706 compare it: each post-mortem's Profile, the
inverted index of their words, and their root causes' words (repo/related.py ranks with them).

With a cache, the Profiles and the index are kept in one entry per config: per file its
relpath, its stat, the hash of its bytes and its Profile, then the index of the words of
them all. A run stats every file the repository's discovery finds and takes a file's row
only when the file is provably the one the row was read from: the same stat, remembered
only when the file had settled before it was read (as the check's cache does), else the
same bytes. A file that changed is read again alone; the index is rebuilt when any row
changed, a file came or went, or the entry cannot be read whole. Nothing is trusted that is
not proven fresh. A root cause's words are kept in an entry per version of its file, read
for the few incidents a reason names.

Editor buffers stand for their files here too; what they hold is never stored.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import functools
import json
import os
import stat
import sys
from array import array
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.model.wording import WORDS_VERSION, Wording
from postmortem_repo.repo.config import Config, resolve_config
from postmortem_repo.repo.discover import (
    is_repository,
    printable,
    repository_root,
    resolved,
    walk_named,
)
from postmortem_repo.repo.related import NOTHING, Postings, Profile, RelatedIndex, postings_of
from postmortem_repo.store.keys import CACHE_FORMAT, digest, digest_of, stamp_of

if TYPE_CHECKING:
    from postmortem_repo.model.incident import Incident
    from postmortem_repo.repo.org import TeamSource
    from postmortem_repo.store.protocol import Store

# Bumped when a row or the index changes shape; WORDS_VERSION when the words read change.
_KIND = f"related-corpus-{CACHE_FORMAT}-1-{WORDS_VERSION}"


class _Row(NamedTuple):
    """What one file held when it was last read."""

    relpath: str
    stamp: str  # its stat then, when it had settled ("" otherwise: its bytes are compared)
    digest: str  # the hash of its bytes ("" when it could not be read)
    profile: Profile | None  # None: not an incident (no readable id and date)


class _Index(NamedTuple):
    """The inverted index of the words of the compared rows, and each one's word count."""

    postings: Postings
    lengths: list[int]


def related_index(root: Path | None = None, config_path: Path | None = None) -> RelatedIndex:
    """The repository's incidents ready to be compared (`pmrepo related`), with the
    repository's cache. Raises PmrepoError for a bad config or a root that is no folder."""
    from postmortem_repo.store import CACHE_DIR, open_store

    config = resolve_config([root] if root else [], config_path)
    base = repository_root(config, root)
    if not base.is_dir():
        raise PmrepoError(f"{base}: not a folder")
    # A lone note beside other files is no repository: nothing is written beside it.
    store = open_store(base / CACHE_DIR, base) if is_repository(base, config, CACHE_DIR) else None
    try:
        return load_related(base, config, cache=store)
    finally:
        if store is not None:
            store.close()


def teams_related_index(sources: Sequence[TeamSource]) -> RelatedIndex:
    """Several teams' repositories compared as one (`pmrepo related --repo … --repo …`):
    each read with its own config and cache, each incident carrying its team. Raises
    PmrepoError naming the team whose repository cannot be read."""
    return merged_index([(source.team, _team_index(source)) for source in sources])


def _team_index(source: TeamSource) -> RelatedIndex:
    try:
        return related_index(source.root, source.config_path)
    except PmrepoError as error:
        raise PmrepoError(f"team {source.team}: {error}") from error


def org_related_index(org: Path, own: RelatedIndex, root: Path) -> tuple[RelatedIndex, str]:
    """The repository at root (own) compared with the other teams' an org.yaml lists, each
    read with its own config and cache; and own's team, the one whose repository is root
    ("" when the org lists none)."""
    from postmortem_repo.repo.org import load_org, team_of_root

    sources = load_org(org)
    own_team = team_of_root(sources, root)
    others = [(s.team, _team_index(s)) for s in sources if s.team != own_team]
    return merged_index([(own_team, own), *others]), own_team


def merged_index(parts: Sequence[tuple[str, RelatedIndex]]) -> RelatedIndex:
    """The incidents of several teams' indexes compared as one, each carrying its team. A
    tag that any team's repeat definition ignores counts for none."""
    profiles: list[Profile] = []
    wordings: list[Wording] = []
    ignored: set[str] = set()
    for team, index in parts:
        index.index_words()  # every wording found at once
        ignored.update(index.ignore_tags)
        for profile in index.profiles:
            profiles.append(dataclasses.replace(profile, team=team))
            wordings.append(index.wording(profile))
    order = sorted(range(len(profiles)), key=lambda spot: (profiles[spot].sort_key, spot))
    profiles = [profiles[spot] for spot in order]
    wordings = [wordings[spot] for spot in order]
    compared = [wordings[spot].terms for spot, p in enumerate(profiles) if not p.redacted]
    postings = postings_of(compared)
    lengths = [sum(terms.values()) for terms in compared]
    return RelatedIndex(
        profiles, wordings.__getitem__, postings.get, lengths, ignore_tags=sorted(ignored)
    )


def load_related(
    root: Path,
    config: Config,
    *,
    cache: Store | None = None,
    buffers: Mapping[str, str] | None = None,
    unsaved: Sequence[Incident] = (),
    warn: bool = True,
) -> RelatedIndex:
    """The repository's incidents ready to be compared. buffers: texts (by resolved path)
    that stand for files, as an editor's unsaved buffers do; unsaved: the incidents of
    those whose files are not on disk yet. warn: name on standard error the files left
    out (not incidents), as load_incidents does."""
    buffers = buffers or {}
    root = Path(os.path.abspath(root))  # so that every path discovery gives is absolute
    key = digest(_KIND, cache.config_id(config)) if cache is not None else ""
    stored = _stored(cache.get([key]).get(key)) if cache is not None else None
    known = {row.relpath: row for row in stored[0]} if stored else {}
    kept: list[_Row] = []  # as read from disk: what is stored again
    used: list[_Row] = []  # with the buffers: what is compared
    read: dict[str, Wording] = {}  # the wordings of the files read in this run, by relpath
    heard: dict[str, Wording] = {}  # those of the buffers
    seen: set[str] = set()
    reals: dict[str, str] = {}  # each folder's resolved path, in this run
    for relpath, path in walk_named(root, root, config):
        real, status = _resolved_stat(path, reals)
        if real in seen:  # a symlink to a post-mortem already read: one incident, listed once
            continue
        seen.add(real)
        row = _fresh(known.get(relpath), path, relpath, status, config, cache, read)
        if row is not None:
            kept.append(row)
        buffer = buffers.get(real)
        if buffer is not None:
            used.append(_row_of_text(buffer, path, relpath, config, heard))
        elif row is not None:
            used.append(row)
    for incident in unsaved:
        text = buffers.get(os.path.realpath(root / incident.relpath))
        if text is not None:
            place = root / incident.relpath
            used.append(_row_of_text(text, place, incident.relpath, config, heard))
    if warn:
        _warn_left_out(used)
    words = _Words(root, config, cache, known, stored[1] if stored else None, read)
    as_stored = stored is not None and _same_content(kept, known)
    as_on_disk = not heard and len(used) == len(kept)
    index = stored[1] if stored is not None and as_stored and as_on_disk else None
    corpus = _Corpus(used, index, words, heard)
    if cache is not None:
        restamped = as_stored and any(row[:3] != known[row.relpath][:3] for row in kept)
        if not as_stored or restamped:
            disk = corpus.index if as_on_disk else _Corpus(kept, None, words, {}).index
            cache.put_entry(key, _encode(kept, disk))
        digests = {row.relpath: row.digest for row in kept}
        for relpath, wording in read.items():
            row_key = _cause_key(cache, config, relpath, digests[relpath])
            cache.put_entry(row_key, json.dumps({"cause": " ".join(wording.cause_words)}))
    return RelatedIndex(
        corpus.profiles,
        corpus.wording,
        corpus.index.postings.get,
        corpus.index.lengths,
        ignore_tags=config.repeat_ignore_tags,
        prepare=corpus.every_wording,
    )


def _same_content(rows: list[_Row], known: dict[str, _Row]) -> bool:
    """Whether rows say what the stored rows say (their stamps aside), file for file."""
    if len(rows) != len(known):
        return False
    for row in rows:
        before = known.get(row.relpath)
        if before is None or row.profile is not before.profile or row.digest != before.digest:
            return False
    return True


def _warn_left_out(rows: list[_Row]) -> None:
    for row in rows:
        if row.profile is None:
            print(
                f"pmrepo: warning: {printable(row.relpath)}: left out (no readable id and "
                "date; run 'pmrepo check' for details)",
                file=sys.stderr,
            )


class _Words:
    """The wordings of the files, wherever they are: read in this run, in the stored index
    (the terms) and in the entries of root causes, else read from the file again."""

    def __init__(
        self,
        root: Path,
        config: Config,
        cache: Store | None,
        known: dict[str, _Row],
        index: _Index | None,
        read: dict[str, Wording],
    ) -> None:
        self.root, self.config, self.cache = root, config, cache
        self.read = read
        self._stored_terms: dict[str, dict[str, int]] | None = None
        self._known, self._index = known, index

    @property
    def inverted(self) -> bool:
        return self._stored_terms is not None

    def terms(self, relpath: str) -> dict[str, int]:
        """The terms of a file whose row is unchanged (from the stored index, inverted
        once), else of the file as read in this run."""
        if relpath in self.read:
            return self.read[relpath].terms
        if self._stored_terms is None:
            self._stored_terms = self._inverted()
        found = self._stored_terms.get(relpath)
        return found if found is not None else self._reread(relpath).terms

    def _inverted(self) -> dict[str, dict[str, int]]:
        if self._index is None:
            return {}
        compared = [
            row.relpath
            for row in _ordered(list(self._known.values()))
            if row.profile is not None and not row.profile.redacted
        ]
        found: dict[str, dict[str, int]] = {relpath: {} for relpath in compared}
        for term, (positions, counts) in sorted(self._index.postings.items()):
            for spot, count in zip(positions, counts, strict=True):
                found[compared[spot]][term] = count
        return found

    def causes(self, rows: Sequence[_Row]) -> dict[str, tuple[str, ...]]:
        """relpath → the root cause's words of each row."""
        read = self.read
        found = {row.relpath: read[row.relpath].cause_words for row in rows if row.relpath in read}
        wanted = [row for row in rows if row.relpath not in found]
        if wanted and self.cache is not None:
            keys = {
                _cause_key(self.cache, self.config, row.relpath, row.digest): row for row in wanted
            }
            for key, entry in self.cache.get(list(keys)).items():
                cause = entry.get("cause")
                if isinstance(cause, str):
                    found[keys[key].relpath] = tuple(cause.split())
        for row in wanted:
            if row.relpath not in found:
                found[row.relpath] = self._reread(row.relpath).cause_words
        return found

    def _reread(self, relpath: str) -> Wording:
        """The wording of a file no entry holds (any more): read again."""
        from postmortem_repo.model.document import LoadFailure, read_text

        path = self.root / relpath
        text = read_text(path, self.config.max_file_kb)
        if isinstance(text, LoadFailure):
            return NOTHING
        heard: dict[str, Wording] = {}
        _row_of_text(text, path, relpath, self.config, heard)
        return heard.get(relpath, NOTHING)


class _Corpus:
    """Rows in the order ranking wants; their wordings found when asked for."""

    def __init__(
        self, rows: list[_Row], index: _Index | None, words: _Words, heard: dict[str, Wording]
    ) -> None:
        self.rows = [row for row in _ordered(rows) if row.profile is not None]
        self.profiles = [row.profile for row in self.rows if row.profile is not None]
        self._words, self._heard = words, heard
        self._wordings: dict[int, Wording] = {}
        self._compared = [spot for spot, p in enumerate(self.profiles) if not p.redacted]
        if index is None:
            terms = [self._terms(self.rows[spot].relpath) for spot in self._compared]
            index = _Index(postings_of(terms), [sum(counts.values()) for counts in terms])
        self.index = index

    def _terms(self, relpath: str) -> dict[str, int]:
        heard = self._heard.get(relpath)
        return heard.terms if heard is not None else self._words.terms(relpath)

    def wording(self, spot: int) -> Wording:
        found = self._wordings.get(spot)
        if found is None:
            self._fill([spot])
            found = self._wordings[spot]
        return found

    def every_wording(self) -> None:
        """Find every row's wording at once (a check compares them all)."""
        if self.rows:
            self._words.terms(self.rows[0].relpath)  # the stored index inverted, once
        self._fill([spot for spot in range(len(self.rows)) if spot not in self._wordings])

    def _fill(self, spots: list[int]) -> None:
        rows = [self.rows[spot] for spot in spots]
        causes = self._words.causes([row for row in rows if row.relpath not in self._heard])
        for spot, row in zip(spots, rows, strict=True):
            heard = self._heard.get(row.relpath)
            if heard is not None:
                self._wordings[spot] = heard
            elif row.profile is not None and row.profile.redacted:
                self._wordings[spot] = NOTHING  # never compared
            else:
                self._wordings[spot] = Wording(self._terms_at(spot), causes[row.relpath])

    def _terms_at(self, spot: int) -> dict[str, int]:
        relpath = self.rows[spot].relpath
        if self._words.inverted or relpath in self._words.read:
            return self._words.terms(relpath)
        # One row's terms from the index: its place in each word's list.
        import bisect

        position = bisect.bisect_left(self._compared, spot)
        found = {}
        for term, (positions, counts) in self.index.postings.items():
            at = bisect.bisect_left(positions, position)
            if at < len(positions) and positions[at] == position:
                found[term] = counts[at]
        return dict(sorted(found.items()))


def _ordered(rows: list[_Row]) -> list[_Row]:
    """Incidents oldest first, as sort_key orders them (files in discovery order within)."""
    return sorted(
        (row for row in rows if row.profile is not None),
        key=lambda row: row.profile.sort_key if row.profile else (dt.date.min, ""),
    )


def _resolved_stat(path: str, reals: dict[str, str]) -> tuple[str, os.stat_result | None]:
    """The file's resolved path (its folder's resolved once, into reals) and its stat
    (None: none)."""
    try:
        status: os.stat_result | None = os.lstat(path)
    except OSError:
        return resolved(Path(path)), None
    assert status is not None
    if stat.S_ISLNK(status.st_mode):
        try:
            status = os.stat(path)
        except OSError:
            status = None
        return resolved(Path(path)), status
    folder, _, name = path.rpartition(os.sep)  # an absolute path, from load_related
    real = reals.get(folder)
    if real is None:
        real = reals[folder] = os.path.realpath(folder or os.sep)
    return f"{real.rstrip(os.sep)}{os.sep}{name}", status


def _fresh(
    row: _Row | None,
    path: str,
    relpath: str,
    status: os.stat_result | None,
    config: Config,
    cache: Store | None,
    read: dict[str, Wording],
) -> _Row | None:
    """The file's row: the stored one when the file is the one it was read from, else the
    file read again (its wording into read). None when the file is not there (any more)."""
    if status is None:
        return None
    settled = cache is not None and cache.trusts(status)
    stamp = stamp_of(status) if settled else ""
    if row is not None and row.stamp and row.stamp == stamp:
        return row
    from postmortem_repo.model.document import LoadFailure, read_text

    text = read_text(Path(path), config.max_file_kb) if stat.S_ISREG(status.st_mode) else None
    if text is None or isinstance(text, LoadFailure):
        return _Row(relpath, "", "", None)
    content = digest_of(text)
    if row is not None and row.digest == content:
        return row._replace(stamp=stamp)
    return _row_of_text(text, path, relpath, config, read, stamp, content)


def _row_of_text(
    text: str,
    path: str | Path,
    relpath: str,
    config: Config,
    wordings: dict[str, Wording],
    stamp: str = "",
    content: str = "",
) -> _Row:
    """The row of a file's text (content: its hash; none for a buffer), its wording put in
    wordings."""
    from postmortem_repo.model.document import LoadFailure, read_buffer
    from postmortem_repo.model.incident import incident_of
    from postmortem_repo.model.wording import wording_of
    from postmortem_repo.repo.related import profile_of

    if not content:  # a buffer: within the same size limit as a file
        checked = read_buffer(text, config.max_file_kb)
        if isinstance(checked, LoadFailure):
            return _Row(relpath, "", "", None)
    doc = config.parse(text, path=str(path), relpath=relpath)
    incident = incident_of(doc, config.layout)
    if incident is None:
        return _Row(relpath, stamp, content, None)
    wordings[relpath] = wording_of(doc, incident.title)
    return _Row(relpath, stamp, content, profile_of(incident))


# The entries ---------------------------------------------------------------------------


def _cause_key(cache: Store, config: Config, relpath: str, content: str) -> str:
    return digest(_KIND, "cause", cache.config_id(config), relpath, content)


def _encode(rows: list[_Row], index: _Index) -> str:
    postings = {
        term: [_packed(positions), _packed(counts)]
        for term, (positions, counts) in index.postings.items()
    }
    data = {
        "rows": [_encode_row(row) for row in rows],
        "postings": postings,
        "lengths": _packed(array("I", index.lengths)),
    }
    # ASCII: a file name that is not UTF-8 (its bytes as lone surrogates) stays escaped.
    return json.dumps(data)


def _encode_row(row: _Row) -> list[Any]:
    profile = row.profile
    described = None
    if profile is not None:
        described = [
            profile.id,
            profile.title,
            profile.date.isoformat(),
            profile.severity,
            profile.status,
            profile.redacted,
            list(profile.services),
            list(profile.tags),
            list(profile.related),
            profile.repeat_of,
        ]
    return [row.relpath, row.stamp, row.digest, described]


def _stored(data: object) -> tuple[list[_Row], _Index] | None:
    """The rows and the index an entry holds; None for anything that is not an entry whole
    (the repository is then read as if there were none)."""
    if not isinstance(data, dict):
        return None
    try:
        rows = [_decode_row(row) for row in data["rows"]]
        return rows, _decode_index(data, rows)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return None


def _decode_row(data: list[Any]) -> _Row:
    relpath, stamp, content, described = data
    if not (isinstance(relpath, str) and isinstance(stamp, str) and isinstance(content, str)):
        raise TypeError("a row's texts")
    if described is None:
        return _Row(relpath, stamp, content, None)
    id_, title, date, severity, status, redacted, services, tags, related, repeat_of = described
    # The shapes only: the values are pmrepo's own, under a key no one else can make.
    if not (
        type(id_) is str
        and type(title) is str
        and type(severity) is str
        and type(status) is str
        and type(services) is list
        and type(tags) is list
        and type(related) is list
        and (repeat_of is None or type(repeat_of) is str)
    ):
        raise TypeError("a profile's fields")
    profile = Profile(
        id_,
        relpath,
        title,
        _date(date),
        severity,
        status,
        redacted is True,
        tuple(services),
        tuple(tags),
        tuple(related),
        repeat_of,
    )
    return _Row(relpath, stamp, content, profile)


_date = functools.lru_cache(maxsize=4096)(dt.date.fromisoformat)  # a few dates, many rows


def _decode_index(data: dict[str, Any], rows: list[_Row]) -> _Index:
    compared = sum(1 for row in rows if row.profile is not None and not row.profile.redacted)
    lengths = _unpacked(data["lengths"]).tolist()
    if len(lengths) != compared:
        raise ValueError("the index is not of these rows")
    postings: Postings = {}
    for term, (packed_positions, packed_counts) in data["postings"].items():
        positions, counts = _unpacked(packed_positions), _unpacked(packed_counts)
        # Positions ascend (postings_of makes them so): the last is the largest.
        if not positions or len(positions) != len(counts) or positions[-1] >= compared:
            raise ValueError("the index is not of these rows")
        postings[term] = positions, counts
    return _Index(postings, lengths)


def _packed(numbers: array[int]) -> str:
    """The numbers as text: the smallest unsigned type that holds them, then its bytes."""
    largest = max(numbers, default=0)
    kind = "B" if largest < 1 << 8 else "H" if largest < 1 << 16 else "I"
    return kind + base64.b64encode(array(kind, numbers).tobytes()).decode("ascii")


def _unpacked(text: object) -> array[int]:
    if not isinstance(text, str) or text[:1] not in ("B", "H", "I"):
        raise TypeError("packed numbers")
    numbers = array(text[0])
    numbers.frombytes(base64.b64decode(text[1:], validate=True))
    return numbers
