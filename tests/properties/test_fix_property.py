"""Fixes over sample-repo with random defects of the kinds pmrepo fixes (seeded): the fix
gives back every byte, in LF or CRLF files, with or without a BOM, and a second run
changes nothing."""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO

from postmortem_repo import api

Defect = Callable[[str, random.Random], str | None]


def _lower_value(key: str) -> Defect:
    def defect(text: str, chance: random.Random) -> str | None:
        found = re.search(rf"^{key}: ([A-Z][A-Z0-9 ]+)$", text, re.MULTILINE)
        if found is None:
            return None
        value = found[1]
        wrong = chance.choice([value.lower(), value.replace(" ", "_").lower(), value.title()])
        if wrong == value:
            return None
        return text[: found.start(1)] + wrong + text[found.end(1) :]

    return defect


def _heading_level(text: str, chance: random.Random) -> str | None:
    headings = [m for m in re.finditer(r"^## (Impact|Timeline|Action Items)$", text, re.M)]
    if not headings:
        return None
    found = chance.choice(headings)
    return text[: found.start()] + "#" + text[found.start() + 2 :]


def _metric(text: str, chance: random.Random) -> str | None:
    rows = list(re.finditer(r"^\| (MTTD|MTTR|Total Duration) \| (\d+) minutes \|$", text, re.M))
    if not rows:
        return None
    found = chance.choice(rows)
    wrong = str(int(found[2]) + chance.randint(5, 90))
    return text[: found.start(2)] + wrong + text[found.end(2) :]


_ROW = re.compile(r"^\| (\d\d:\d\d(?::\d\d)?) \|.*\|$")


def _timeline_swap(text: str, chance: random.Random) -> str | None:
    """Two neighbouring timeline rows of different times swapped (an unsafe fix sorts)."""
    lines = text.split("\n")
    pairs = [
        index
        for index in range(len(lines) - 1)
        if (a := _ROW.match(lines[index])) and (b := _ROW.match(lines[index + 1])) and a[1] < b[1]
    ]
    if not pairs:
        return None
    index = chance.choice(pairs)
    lines[index], lines[index + 1] = lines[index + 1], lines[index]
    return "\n".join(lines)


DEFECTS: list[Defect] = [
    _lower_value("severity"),
    _lower_value("status"),
    _heading_level,
    _metric,
    _timeline_swap,
]


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".pmrepo_cache" not in path.parts
    }


def _encoded(text: str, crlf: bool, bom: bool) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.replace(
        "\n", "\r\n" if crlf else "\n"
    ).encode()


@pytest.mark.parametrize("seed", range(8))
def test_fixing_random_defects_gives_back_every_byte(seed: int, tmp_path: Path) -> None:
    chance = random.Random(seed)
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, repo, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    posts = sorted(repo.glob("20*/Q*/INC-*.md"))
    broken_files: dict[Path, bytes] = {}
    for path in chance.sample(posts, 3):
        text = path.read_text("utf-8")
        crlf, bom = chance.random() < 0.5, chance.random() < 0.3
        path.write_bytes(_encoded(text, crlf, bom))  # the original, as this file stores it
        broken = text
        for defect in chance.sample(DEFECTS, chance.randint(1, len(DEFECTS))):
            broken = defect(broken, chance) or broken
        broken_files[path] = _encoded(broken, crlf, bom)
    expected = _files(repo)
    for path, data in broken_files.items():
        path.write_bytes(data)
    assert _files(repo) != expected
    api.fix([repo], unsafe=True)
    assert _files(repo) == expected
    assert api.fix([repo], unsafe=True).fixed == 0
    assert api.check([repo]).findings == []
