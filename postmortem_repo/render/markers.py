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
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.markup import CodeFences
from postmortem_repo.core.reading import GENERATED_LIMIT, NotReadable, read_limited
from postmortem_repo.core.writer import real_target, write_atomic

_MARKER = re.compile(
    r"^\ufeff?[ ]{0,3}<!--[ \t]*pmrepo:([A-Za-z][\w-]*):(start|end)[ \t]*-->[ \t\r]*$"
)
# A backtick fence's info string has no backtick; a tilde fence's may have anything.


def split_lines(text: str) -> list[str]:
    """Lines with their endings, broken at \\n only (as git, diff and patch see them; str.
    splitlines would also break at form feeds and Unicode line separators)."""
    return text.split("\n") if not text else [line for line in _LINES.findall(text) if line]


_LINES = re.compile(r"[^\n]*\n|[^\n]+$")


class MarkerError(PmrepoError):
    """Broken markers: nothing is written."""


class MarkerBlock(NamedTuple):
    name: str
    start_line: int  # 1-based line of the start marker
    end_line: int  # 1-based line of the end marker


def find_blocks(text: str, where: str) -> dict[str, MarkerBlock]:
    """Every generated block of text by name; broken markers raise MarkerError."""
    blocks: dict[str, MarkerBlock] = {}
    opened: tuple[str, int] | None = None
    fences = CodeFences()
    for number, raw in enumerate(split_lines(text), start=1):
        line = raw.rstrip("\n").rstrip("\r")
        match = None if fences.is_code(line) else _MARKER.match(line)
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
    chosen = sorted((blocks[name] for name in contents), key=lambda b: b.start_line)
    # Slices of the text by offset, not a list of its lines: a 10,000-incident index is
    # megabytes, and pmrepo check regenerates it in memory to see whether it is current.
    starts = _line_starts(text, [n for b in chosen for n in (b.start_line + 1, b.end_line)])
    pieces: list[str] = []
    position = 0  # offset in text
    for block in chosen:
        pieces.append(text[position : starts[block.start_line + 1]])
        if not pieces[-1].endswith("\n"):
            pieces.append(newline)
        # A stray CR in generated text (a title with '\r' in it) would change the file's
        # line endings on the next run: every line break is written the file's way.
        body = contents[block.name].replace("\r\n", "\n").replace("\r", "\n")
        if body:
            pieces += [body.replace("\n", newline), newline]
        position = starts[block.end_line]
    pieces.append(text[position:])
    return "".join(pieces)


def _line_starts(text: str, numbers: list[int]) -> dict[int, int]:
    """The offset at which each 1-based line number starts (lines broken at \\n only)."""
    starts: dict[int, int] = {}
    line, offset = 1, 0
    for number in sorted(set(numbers)):
        while line < number:
            found = text.find("\n", offset)
            offset = len(text) if found < 0 else found + 1
            line += 1
        starts[number] = offset
    return starts


class PlannedWrite(NamedTuple):
    path: Path  # as the user sees it (may be a symlink inside the repository)
    old: str | None  # None: a new file
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def diff(self, shown: str) -> str:
        old = [] if self.old is None else split_lines(self.old)
        new = split_lines(self.new)
        before = "/dev/null" if self.old is None else f"a/{shown}"  # as git shows a new file
        lines = difflib.unified_diff(old, new, before, f"b/{shown}")
        # As diff(1) shows it, so that the output can be applied with patch.
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )


def read_for_update(path: Path, where: str) -> str:
    """A file's text exactly as stored (line endings kept)."""
    try:
        raw = read_limited(path, GENERATED_LIMIT)
    except NotReadable as error:
        raise PmrepoError(f"{where}: {error.reason}") from error
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise PmrepoError(f"{where}:{line}: not valid UTF-8: nothing was written") from error


def target_inside(path: Path, root: Path, where: str) -> Path:
    """The real file a write to path lands in; refuses one outside the repository (or
    reached through a symlink that leads out of it)."""
    real = real_target(path, root, where)
    if real.exists() and not real.is_file():
        raise PmrepoError(f"{where}: is not a regular file: nothing was written")
    return real


def _writable(item: PlannedWrite, target: Path, where: str) -> None:
    """Refuse before the first write what would fail half-way: a new file that now exists,
    a folder that cannot take a new file, a file that is not writable."""
    if item.old is None and target.exists():
        raise PmrepoError(f"{where}: already exists: pmrepo does not overwrite it")
    folder = target.parent
    while not folder.exists():
        folder = folder.parent
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise PmrepoError(f"{where}: not writable (permission denied): nothing was written")


def apply(plan: list[PlannedWrite], root: Path, shown: Callable[[Path], str]) -> list[PlannedWrite]:
    """Write every changed file of the plan (all checked first); returns what changed."""
    changed = [item for item in plan if item.changed]
    targets = [target_inside(item.path, root, shown(item.path)) for item in changed]
    for item, target in zip(changed, targets, strict=True):
        _writable(item, target, shown(item.path))
    written: list[str] = []
    for item, target in zip(changed, targets, strict=True):
        try:
            write_atomic(target, item.new, root=root)
        except OSError as error:
            done = f" (already written: {', '.join(written)})" if written else ""
            raise PmrepoError(
                f"{shown(item.path)}: cannot write: {error.strerror or error}{done}"
            ) from error
        written.append(shown(item.path))
    return changed
