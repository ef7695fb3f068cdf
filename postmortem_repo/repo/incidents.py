"""The repository as data: one Incident per post-mortem, for the generators and reports."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem_repo.model.document import LoadFailure, read_text
from postmortem_repo.model.incident import Incident, incident_of
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import printable, relative, walk
from postmortem_repo.repo.heads import file_facts
from postmortem_repo.repo.pathmemo import PathMemo
from postmortem_repo.store.keys import digest_of, incident_key

if TYPE_CHECKING:
    from postmortem_repo.store.protocol import Store


# Reads the post-mortems the cache does not know, (path, relpath) each: the incident of each
# and the digest of its text (None, None: unreadable), in order. Default: one after another.
ReadMany = Callable[[list[tuple[Path, str]]], Iterable[tuple[Incident | None, str | None]]]


def load_incidents(
    root: Path,
    config: Config,
    *,
    warn: bool = True,
    parsed: dict[str, Incident | None] | None = None,
    cache: Store | None = None,
    paths: PathMemo | None = None,
    unsaved: tuple[Incident, ...] = (),
    left_out: list[Path] | None = None,
    read_many: ReadMany | None = None,
) -> list[Incident]:
    """Every readable post-mortem under root, oldest first. Files that cannot be read as an
    incident are named on standard error (pmrepo check says why) and left out; left_out, if
    given, gets each of their paths. parsed:
    incidents already read (by resolved path), so that a check does not parse files twice.
    cache: where the incidents of unchanged files are kept (the check's cache). paths: a
    memo of resolved paths to share (a check has resolved every file already). unsaved:
    incidents of texts whose files are not on disk yet (an editor's buffers), as if they were.
    read_many: how the files left are read (in worker processes, say)."""
    parsed = parsed or {}
    paths = paths or PathMemo()
    seen: set[str] = set()
    walked = walk(root, root, config)
    stored = _stored(walked, root, config, cache) if cache is not None else {}
    found: dict[str, Incident | None] = {}
    listed: list[tuple[Path, str]] = []  # (path, key) of each file, once, in walk order
    left: list[tuple[Path, str]] = []  # (path, relpath) of the files to read
    for path in walked:
        key = paths.resolved(path)
        if key in seen:  # a symlink to a post-mortem already read: one incident, listed once
            continue
        seen.add(key)
        listed.append((path, key))
        if key in parsed:
            found[key] = parsed[key]
        elif (relpath := relative(path, root)) in stored:
            found[key] = stored[relpath]
        else:
            left.append((path, relpath))
    read = read_many(left) if read_many is not None else (read_incident(*f, config) for f in left)
    for (path, relpath), (incident, digest) in zip(left, read, strict=True):
        found[paths.resolved(path)] = incident
        if cache is not None and digest is not None:
            cache.put_incident(incident_key(cache.config_id(config), relpath, digest), incident)
    incidents = []
    for path, key in listed:
        incident = found[key]
        if incident is None:
            if left_out is not None:
                left_out.append(path)
            if warn:
                shown = printable(relative(path, root))
                print(f"pmrepo: warning: {shown}{_why_left_out(path, config)}", file=sys.stderr)
            continue
        incidents.append(incident)
    incidents.extend(unsaved)
    return sorted(incidents, key=lambda incident: incident.sort_key)


def _why_left_out(path: Path, config: Config) -> str:
    """Where and why a file is no incident: what stops reading it (not UTF-8, too large),
    else that it has no readable id and date. Asked again only for such files."""
    failure = read_text(path, config.max_file_kb)
    if isinstance(failure, LoadFailure):
        return f":{failure.line}:{failure.column}: left out: {failure.message}"
    return ": left out (no readable id and date; run 'pmrepo check' for details)"


def _stored(
    paths: list[Path], root: Path, config: Config, cache: Store
) -> dict[str, Incident | None]:
    """relpath → incident of the files the cache knows unchanged."""
    keys, config_id = {}, cache.config_id(config)
    for path in paths:
        facts = file_facts(path, cache, config.max_file_kb * 1024)
        if facts is not None:
            relpath = relative(path, root)
            keys[incident_key(config_id, relpath, facts.digest)] = relpath
    return {keys[key]: incident for key, incident in cache.get_incidents(list(keys)).items()}


def read_incident(path: Path, relpath: str, config: Config) -> tuple[Incident | None, str | None]:
    """A post-mortem's incident and the digest of its text (None, None: it cannot be read)."""
    text = read_text(path, config.max_file_kb)
    if isinstance(text, LoadFailure):
        return None, None
    doc = config.parse(text, path=str(path), relpath=relpath)
    return incident_of(doc, config.layout), digest_of(text)
