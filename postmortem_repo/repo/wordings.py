"""What each post-mortem says (model/wording.py), for `pmrepo related` and PM706.

A file's words are read once per version of it and kept in the check's cache beside its
Incident, not inside it: the commands that never compare wording (index, report, ...)
never decode them. The words of the whole repository are also kept together, under one
key per config, with the fingerprint of every file they were read from: a run on an
unchanged repository reads that one entry instead of one per file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postmortem_repo.model.document import LoadFailure, parse_document, read_buffer, read_text
from postmortem_repo.model.incident import Incident
from postmortem_repo.model.wording import Wording, wording_of
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.heads import file_facts
from postmortem_repo.store.keys import CACHE_FORMAT, digest

if TYPE_CHECKING:
    from postmortem_repo.store.protocol import Store

_KIND = f"wording-{CACHE_FORMAT}-1"  # bumped when what model/wording.py reads changes
NOTHING = Wording({}, ())


def load_wordings(
    root: Path,
    config: Config,
    incidents: Sequence[Incident],
    *,
    cache: Store | None = None,
    buffers: dict[str, str] | None = None,
) -> dict[str, Wording]:
    """relpath → the wording of each incident's post-mortem. buffers: texts (by resolved
    path) that stand for files, as an editor's unsaved buffers do; they are not cached."""
    buffers = buffers or {}
    if cache is None:
        return {incident.relpath: _read(root, incident, config, buffers) for incident in incidents}
    keys = _keys(root, config, incidents, cache, buffers)
    together_key = digest(_KIND, "together", cache.config_id(config))
    fingerprint = digest(*sorted(f"{path}\n{key}" for path, key in keys.items()))
    if len(keys) == len(incidents):
        together = cache.get([together_key]).get(together_key)
        if together is not None and together.get("fingerprint") == fingerprint:
            decoded = _decode_all(together.get("wordings"))
            if decoded is not None and decoded.keys() == keys.keys():
                return decoded
    stored = cache.get(list(keys.values()))
    found = {}
    for incident in incidents:
        key = keys.get(incident.relpath)
        wording = _decode(stored.get(key)) if key else None
        if wording is None:
            wording = _read(root, incident, config, buffers)
            if key:
                cache.put_entry(key, json.dumps(_encode(wording), ensure_ascii=False))
        found[incident.relpath] = wording
    if len(keys) == len(incidents):
        whole = {"fingerprint": fingerprint, "wordings": {p: _encode(w) for p, w in found.items()}}
        cache.put_entry(together_key, json.dumps(whole, ensure_ascii=False))
    return found


def _keys(
    root: Path, config: Config, incidents: Sequence[Incident], cache: Store, buffers: dict[str, str]
) -> dict[str, str]:
    """relpath → the key of its words, for the files read from disk (a buffer has none)."""
    config_id = cache.config_id(config)
    keys = {}
    for incident in incidents:
        path = root / incident.relpath
        if buffers and os.path.realpath(path) in buffers:
            continue
        facts = file_facts(path, cache, config.max_file_kb * 1024)
        if facts is not None:
            keys[incident.relpath] = digest(_KIND, config_id, incident.relpath, facts.digest)
    return keys


def _read(root: Path, incident: Incident, config: Config, buffers: dict[str, str]) -> Wording:
    path = root / incident.relpath
    buffer = buffers.get(os.path.realpath(path)) if buffers else None
    text = read_buffer(buffer, config.max_file_kb) if buffer is not None else None
    if text is None:
        text = read_text(path, config.max_file_kb)
    if isinstance(text, LoadFailure):
        return NOTHING
    doc = parse_document(
        text,
        path=str(path),
        relpath=incident.relpath,
        spec=config.sections,
        max_front_matter_kb=config.max_front_matter_kb,
    )
    return wording_of(doc, incident.title)


def _encode(wording: Wording) -> dict[str, Any]:
    return {"terms": wording.terms, "cause": list(wording.cause_words)}


def _decode(data: object) -> Wording | None:
    """The wording an entry holds; None for anything else (the file is then read again)."""
    if not isinstance(data, dict):
        return None
    terms, cause = data.get("terms"), data.get("cause")
    # The shapes only: the values are pmrepo's own, under a key no one else can make.
    if not isinstance(terms, dict) or not isinstance(cause, list):
        return None
    return Wording(terms, tuple(cause))


def _decode_all(data: object) -> dict[str, Wording] | None:
    if not isinstance(data, dict):
        return None
    found = {}
    for relpath, entry in data.items():
        wording = _decode(entry)
        if wording is None:
            return None
        found[relpath] = wording
    return found
