"""Cheap scans of the whole repository for per-file rules: the people its front matter
names (authors, reviewers) and the incident ids it holds."""

from __future__ import annotations

import re
from pathlib import Path

from postmortem_repo.config import Config
from postmortem_repo.discover import walk
from postmortem_repo.people import People

_HEAD_BYTES = 8192
_SCALAR = re.compile(r"^(?:author|authors|reviewers|owner|incident_commander):[ \t]*(.+)$", re.M)
_BLOCK = re.compile(r"^(?:authors|reviewers):[ \t]*\n((?:[ \t]*-[ \t]*.+\n?)+)", re.M)
_ITEM = re.compile(r"^[ \t]*-[ \t]*(.+)$", re.M)


def scan_repo_people(config: Config, root: Path | None) -> People:
    people = People()
    people.add_people(config.people)
    people.add_systems(config.not_people)
    if root is None or not root.is_dir():
        return people
    for path in walk(root, root, config):
        people.add_people(_front_matter_people(path))
    return people


def _front_matter_people(path: Path) -> list[str]:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return []
    if not head.startswith("---"):
        return []
    front = head.split("\n---", 1)[0]
    values = [_unquote(v) for v in _SCALAR.findall(front) if not v.startswith(("[", "|", ">"))]
    flow = re.findall(r"^(?:authors|reviewers):[ \t]*\[(.*)\]", front, re.M)
    values += [_unquote(item) for items in flow for item in items.split(",")]
    values += [_unquote(item) for block in _BLOCK.findall(front) for item in _ITEM.findall(block)]
    return values


def _unquote(value: str) -> str:
    value = value.split(" #", 1)[0].strip()
    return value.strip("'\"").strip()


_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([^'\"#\s]+)", re.M)
_FILE_ID = re.compile(r"^(INC-\d{4}-\d{4,})")


def scan_repo_ids(config: Config, root: Path | None) -> frozenset[str]:
    """Every incident id in the repository: the front matter's id, else the file name's."""
    if root is None or not root.is_dir():
        return frozenset()
    ids = set()
    for path in walk(root, root, config):
        try:
            with path.open("r", encoding="utf-8", errors="replace") as handle:
                head = handle.read(_HEAD_BYTES)
        except OSError:
            head = ""
        match = _ID_LINE.search(head.split("\n---", 1)[0]) if head.startswith("---") else None
        match = match or _FILE_ID.match(path.name)
        if match:
            ids.add(match.group(1))
    return frozenset(ids)
