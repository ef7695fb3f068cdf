"""Cheap scans of the whole repository for per-file rules: the people its front matter
names (authors, reviewers) and the incident ids it holds. With a cache, what a file's head
says is kept by its stat, so that a run over an unchanged repository reads no file."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from postmortem_repo.core.reading import NotReadable, read_limited
from postmortem_repo.model.people import People
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import printable, read_head, relative, walk
from postmortem_repo.repo.people_sources import codeowners_people, git_authors
from postmortem_repo.store.keys import CACHE_FORMAT, Facts, digest, stamp_of

if TYPE_CHECKING:
    from postmortem_repo.store.protocol import Store

_HEAD_BYTES = 8192
_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([^'\"#\s]+)", re.M)
_DATE_LINE = re.compile(r"^date:[ \t]*['\"]?(\d{4}-\d{2}-\d{2})\b", re.M)
_SCALAR = re.compile(r"^(?:author|authors|reviewers|owner|incident_commander):[ \t]*(.+)$", re.M)
_BLOCK = re.compile(r"^(?:authors|reviewers):[ \t]*\n((?:[ \t]*-[ \t]*.+\n?)+)", re.M)
_ITEM = re.compile(r"^[ \t]*-[ \t]*(.+)$", re.M)


class Head(NamedTuple):
    """What the head of one post-mortem says, read without parsing the file."""

    path: Path
    incident_id: str | None  # the front matter's id, else the one the layout gives the name
    people: tuple[str, ...]  # author, reviewers and the like
    date: str | None = None  # the front matter's date, YYYY-MM-DD (None: none readable)


def scan_heads(
    config: Config, root: Path | None, cache: Store | None = None, *, summary: bool = False
) -> list[Head]:
    """One cheap pass over every post-mortem of the repository (its first 8 KB). With a
    store and summary, an unchanged repository's heads are taken whole from it: every
    file's stat is looked at, none is read nor looked up (worth it when few files are
    checked; a check of many looks each of them up anyway)."""
    if root is None or not root.is_dir():
        return []
    paths = walk(root, root, config)
    if cache is None:
        return [_head_of(path, root, config, None) for path in paths]
    if not summary:
        return [_head_of(path, root, config, cache) for path in paths]
    summary_key = _summary_key(paths, root, config, cache)
    if summary_key is None or not summary_key[1]:  # nothing settled: nothing to keep
        return [_head_of(path, root, config, cache) for path in paths]
    key, settled = summary_key
    heads = _remembered_heads(paths, settled, key, cache)
    if heads is None:
        heads = {index: _head_of(paths[index], root, config, cache) for index in settled}
        rows = [[head.incident_id, list(head.people), head.date] for head in heads.values()]
        cache.put_entry(key, json.dumps({"heads": rows}, ensure_ascii=False))
    # A file changed in the last moments (the one just edited, most often) is read anew.
    return [
        heads[index] if index in heads else _head_of(path, root, config, cache)
        for index, path in enumerate(paths)
    ]


def _head_of(path: Path, root: Path, config: Config, cache: Store | None) -> Head:
    facts = file_facts(path, cache, config.max_file_kb * 1024) if cache is not None else None
    if facts is not None:
        front_id, people, day = facts.incident_id, facts.people, facts.date
    else:
        front_id, people, day = _read_head(read_head(path, _HEAD_BYTES))
    incident = front_id or config.layout.id_from_path(relative(path, root))
    return Head(path, incident, people, day)


def _summary_key(
    paths: list[Path], root: Path, config: Config, cache: Store
) -> tuple[str, list[int]] | None:
    """(what the settled files' heads depend on, those files): each one's place and stat,
    and the place of each file changed in the last moments (whose stat cannot be trusted:
    it could change again without its stat changing, so its head is never kept). None when
    a stat cannot be had."""
    # The config's id covers the layout (which names the files without an id) and this
    # machine's secret (a summary written elsewhere is never taken for this one's).
    parts = ["heads", str(CACHE_FORMAT), str(root), cache.config_id(config)]
    settled = []
    for index, path in enumerate(paths):
        try:
            status = os.stat(path)
        except OSError:
            return None
        if cache.trusts(status):
            settled.append(index)
            parts.append(f"{path}\0{stamp_of(status)}")
        else:
            parts.append(f"{path}\0unsettled")
    return digest(*parts), settled


def _remembered_heads(
    paths: list[Path], settled: list[int], key: str, cache: Store
) -> dict[int, Head] | None:
    stored = cache.get([key]).get(key)
    if stored is None:
        return None
    try:
        rows = stored["heads"]
        if len(rows) != len(settled):
            return None
        return {
            index: Head(
                paths[index],
                incident if isinstance(incident, str) else None,
                tuple(map(str, who)),
                day if isinstance(day, str) else None,
            )
            for index, (incident, who, day) in zip(settled, rows, strict=True)
        }
    except (KeyError, TypeError, ValueError):
        return None  # a damaged entry: the heads are read again and the entry rewritten


def file_facts(path: Path, cache: Store, limit: int) -> Facts | None:
    """What the file holds, from the cache when its stat is known; None when it is not a
    regular file of at most limit bytes that can be read."""
    name = os.path.abspath(path)
    if printable(name) != name:
        return None  # a name that is not UTF-8 cannot be a cache key (check reports it)
    known = cache.known_facts(name)
    if known is not None:
        return known
    try:
        status = os.stat(name)
        if not stat.S_ISREG(status.st_mode):
            return None
        known = cache.facts(name, status)
        if known is not None:
            return known
        data = read_limited(path, limit)
    except (OSError, NotReadable):
        return None
    # The head as read_head reads it: decoded leniently, newlines made universal.
    text = data.decode("utf-8", "replace")
    head = text.replace("\r\n", "\n").replace("\r", "\n")[:_HEAD_BYTES]
    front_id, people, day = _read_head(head)
    published_at = b"published_at:" in data
    facts = Facts(hashlib.sha256(data).hexdigest(), front_id, people, published_at, day)
    cache.remember(name, status, facts)
    return facts


def with_buffers(
    heads: list[Head], buffers: dict[str, str], config: Config, root: Path
) -> list[Head]:
    """The heads as they are when each text of buffers (by resolved path) stands for its
    file; a text whose file is not on disk yet is added."""
    replaced: dict[str, Head] = {}
    for resolved, text in buffers.items():
        path = Path(resolved)
        start = text.replace("\r\n", "\n").replace("\r", "\n")[:_HEAD_BYTES]
        front_id, people, day = _read_head(start)
        incident = front_id or config.layout.id_from_path(relative(path, root))
        replaced[resolved] = Head(path, incident, people, day)
    found = []
    for head in heads:
        key = os.path.realpath(head.path)
        found.append(replaced.pop(key, head))
    return found + list(replaced.values())


def _read_head(head: str) -> tuple[str | None, tuple[str, ...], str | None]:
    """(the front matter's incident id, people, date) from the head of a file; the id from
    the file name is the layout's to give (it depends on the config, the facts do not)."""
    front = head.split("\n---", 1)[0] if head.startswith("---") else ""
    match = _ID_LINE.search(front)
    day = _DATE_LINE.search(front)
    return (
        match.group(1) if match else None,
        tuple(_people_in(front)),
        day.group(1) if day else None,
    )


def people_of(config: Config, heads: list[Head], root: Path | None = None) -> People:
    """The people a check knows: the config's `people:`, everyone the post-mortems' front
    matter names, and, given the repository's root, its git authors and CODEOWNERS; minus
    the config's `not_people:`, which win over every source."""
    people = People()
    people.add_people(config.people)
    for head in heads:
        people.add_people(head.people)
    if root is not None:
        people.add_people(git_authors(root))
        people.add_people(codeowners_people(root))
    people.add_systems(config.not_people)
    return people


def ids_of(heads: list[Head]) -> frozenset[str]:
    return frozenset(head.incident_id for head in heads if head.incident_id)


def dates_of(heads: list[Head]) -> dict[str, str | None]:
    """Each incident id and the date its front matter gives (None: none readable; of two
    files with one id, the later date, so that no repeat link is judged by a guess)."""
    dates: dict[str, str | None] = {}
    for head in heads:
        if head.incident_id:
            known = dates.get(head.incident_id)
            dates[head.incident_id] = max(filter(None, (known, head.date)), default=None)
    return dates


def scan_repo_ids(config: Config, root: Path | None) -> frozenset[str]:
    """Every incident id in the repository: the front matter's id, else the file name's."""
    return ids_of(scan_heads(config, root))


def _people_in(front: str) -> list[str]:
    if not front:
        return []
    values = [_unquote(v) for v in _SCALAR.findall(front) if not v.startswith(("[", "|", ">"))]
    flow = re.findall(r"^(?:authors|reviewers):[ \t]*\[(.*)\]", front, re.M)
    values += [_unquote(item) for items in flow for item in items.split(",")]
    values += [_unquote(item) for block in _BLOCK.findall(front) for item in _ITEM.findall(block)]
    return values


def _unquote(value: str) -> str:
    value = value.split(" #", 1)[0].strip()
    return value.strip("'\"").strip()
