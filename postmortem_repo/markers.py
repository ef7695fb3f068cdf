"""Generated blocks in files people write, and the one writer that updates them.

A block is the lines between `<!-- pmrepo:NAME:start -->` and `<!-- pmrepo:NAME:end -->`.
pmrepo owns those lines and nothing else: every byte outside them is kept, CRLF files stay
CRLF. A plan of every file to write is made (and checked) before the first write, so a
refusal (a missing, duplicated, nested or unclosed marker, a symlink that leads out of the
repository, a file that is not UTF-8) leaves every file as it was. Each file is replaced
atomically, so a reader (or a second pmrepo) never sees half a file.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from postmortem_repo.errors import PmrepoError
from postmortem_repo.writer import write_atomic

_MARKER = re.compile(r"^[ \t]*<!--[ \t]*pmrepo:([A-Za-z][\w-]*):(start|end)[ \t]*-->[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


class MarkerError(PmrepoError):
    """Broken markers: nothing is written."""


@dataclass(frozen=True)
class MarkerBlock:
    name: str
    start_line: int  # 1-based line of the start marker
    end_line: int  # 1-based line of the end marker


def find_blocks(text: str, where: str) -> dict[str, MarkerBlock]:
    """Every generated block of text by name; broken markers raise MarkerError."""
    blocks: dict[str, MarkerBlock] = {}
    opened: tuple[str, int] | None = None
    fence = ""
    for number, line in enumerate(text.splitlines(), start=1):
        fenced = _FENCE.match(line)
        if fenced and (not fence or fenced.group(1).startswith(fence)):
            fence = "" if fence else fenced.group(1)[:3]
            continue
        match = None if fence else _MARKER.match(line)
        if match is None:
            continue
        name, kind = match.groups()
        if kind == "start":
            if opened is not None:
                raise MarkerError(
                    f"{where}:{number}: 'pmrepo:{name}:start' is inside the "
                    f"'pmrepo:{opened[0]}' block opened at line {opened[1]}: blocks cannot nest"
                )
            if name in blocks:
                raise MarkerError(
                    f"{where}:{number}: a second 'pmrepo:{name}' block (the first starts at "
                    f"line {blocks[name].start_line}): keep only one"
                )
            opened = (name, number)
        elif opened is None or opened[0] != name:
            raise MarkerError(f"{where}:{number}: 'pmrepo:{name}:end' has no matching start")
        else:
            blocks[name] = MarkerBlock(name, opened[1], number)
            opened = None
    if opened is not None:
        raise MarkerError(
            f"{where}:{opened[1]}: 'pmrepo:{opened[0]}:start' is never closed: "
            f"add <!-- pmrepo:{opened[0]}:end --> after it"
        )
    return blocks


def replace_blocks(text: str, contents: dict[str, str], where: str) -> str:
    """text with each named block's lines replaced by its content (a newline-joined string)."""
    blocks = find_blocks(text, where)
    for name in contents:
        if name not in blocks:
            raise MarkerError(
                f"{where}: no 'pmrepo:{name}' block: add the lines "
                f"<!-- pmrepo:{name}:start --> and <!-- pmrepo:{name}:end --> where it belongs"
            )
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    result: list[str] = []
    position = 0  # index into lines
    for block in sorted((blocks[name] for name in contents), key=lambda b: b.start_line):
        result.extend(lines[position : block.start_line])
        if not result[-1].endswith(("\n", "\r")):
            result[-1] += newline
        body = contents[block.name]
        if body:
            result.extend(line + newline for line in body.split("\n"))
        position = block.end_line - 1
    result.extend(lines[position:])
    return "".join(result)


@dataclass(frozen=True)
class PlannedWrite:
    path: Path  # as the user sees it (may be a symlink inside the repository)
    old: str | None  # None: a new file
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def diff(self, shown: str) -> str:
        old = (self.old or "").splitlines(keepends=True)
        new = self.new.splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, f"a/{shown}", f"b/{shown}")
        # As diff(1) shows it, so that the output can be applied with patch.
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )


def read_for_update(path: Path, where: str) -> str:
    """A file's text exactly as stored (line endings kept)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PmrepoError(f"{where}: cannot read: {error.strerror or error}") from error
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise PmrepoError(f"{where}:{line}: not valid UTF-8: nothing was written") from error


def target_inside(path: Path, root: Path, where: str) -> Path:
    """The real file a write to path lands in; refuses one outside the repository."""
    real = path.resolve()
    base = root.resolve()
    if real != base and base not in real.parents:
        raise PmrepoError(
            f"{where}: leads out of the repository (to {real}): pmrepo does not write there"
        )
    if real.exists() and not real.is_file():
        raise PmrepoError(f"{where}: is not a regular file: nothing was written")
    return real


def apply(plan: list[PlannedWrite], root: Path) -> list[PlannedWrite]:
    """Write every changed file of the plan (all checked first); returns what changed."""
    changed = [item for item in plan if item.changed]
    targets = [target_inside(item.path, root, str(item.path)) for item in changed]
    for item, target in zip(changed, targets, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, item.new)
    return changed
