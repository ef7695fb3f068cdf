"""The one place pmrepo writes files: atomically, via a temporary file and a rename, and
only inside the repository it works on.

Every write names the repository's root. A target that resolves outside it, or whose way
there passes through a symlink that leads out of it (a committed `2031 -> ../elsewhere`,
`README.md -> ~/.bashrc`), is refused with OutsideRepository before anything is written or
any folder made. Only `--output`, a path the user names on the command line, may lie
outside the repository (write_output), and never through a symlink inside it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError


class OutsideRepository(PmrepoError):
    """A write that would land outside the repository: nothing was written."""


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _within(path: Path, base: Path) -> bool:
    return path == base or base in path.parents


def _follow(path: Path, base: Path) -> tuple[Path, Path | None]:
    """(where path really is, the first symlink inside base on the way there that leads
    out of base, or None). Each step is followed as the system follows it: `link/..` is the
    folder above the link's target, not the folder holding the link."""
    here = Path(path.anchor) if path.is_absolute() else Path.cwd()
    escape: Path | None = None
    for part in path.parts[1:] if path.is_absolute() else path.parts:
        if part in ("", "."):
            continue
        if part == "..":
            here = here.parent
            continue
        step = here / part
        if step.is_symlink():
            real = step.resolve()
            if escape is None and _within(here, base) and not _within(real, base):
                escape = step
            here = real
        else:
            here = step
    return here, escape


def real_target(path: Path, root: Path, where: str | None = None) -> Path:
    """The real file a write to path lands in. OutsideRepository (naming where, by default
    path) when it resolves outside root or its way passes through a symlink leading out."""
    shown = where or str(path)
    try:
        base = root.resolve()
        real, escape = _follow(path, base)
    except (OSError, RuntimeError) as error:  # a symlink loop
        raise PmrepoError(f"{shown}: cannot follow the path: {error}") from error
    if escape is not None and escape != path:
        raise OutsideRepository(
            f"{shown}: leads out of the repository through the symlink {escape} (to {real}): "
            "pmrepo does not write there; nothing was written"
        )
    if escape is not None or not _within(real, base):
        raise OutsideRepository(
            f"{shown}: leads out of the repository (to {real}): pmrepo does not write there; "
            "nothing was written"
        )
    return real


def write_atomic(path: Path, text: str, *, root: Path) -> None:
    """Replace path's content with text; on any failure the old file is left intact.

    path must lead to a place inside root (see real_target); a symlink inside the
    repository is written through (the link stays a link), and missing folders are made.
    The file mode of an existing file is kept; line endings are written as given.
    """
    target = real_target(path, root)
    target.parent.mkdir(parents=True, exist_ok=True)
    _replace(target, text)


def _replace(target: Path, text: str) -> None:
    folder = target.parent
    mode = target.stat().st_mode & 0o7777 if target.exists() else None
    import tempfile  # most runs write nothing; tempfile costs start-up time

    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes 0600 files: a new file gets the mode the umask gives any new file.
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_new(path: Path, text: str, *, root: Path) -> Path:
    """Write a new file at path inside root; PmrepoError when one (or a link) is there
    already, never replacing it. Returns the real path written."""
    target = real_target(path, root)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Claim the name first: a second writer racing this one gets an error, not a
        # silently replaced file.
        descriptor = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
    except FileExistsError as error:
        raise PmrepoError(f"{path}: already exists; pmrepo never overwrites it") from error
    os.close(descriptor)
    _replace(target, text)
    return target


def write_new_files(folder: Path, files: dict[str, str]) -> list[tuple[Path, bool]]:
    """Write each {relative name: text} into folder (the repository's root) unless a file
    (or a link) is there already; returns (path, created) for each, in order. Every new
    file's place is checked before the first is written."""
    wanted = []
    for name in files:
        path = folder / name
        if not (path.exists() or path.is_symlink()):
            real_target(path, folder)
            wanted.append(name)
    results = []
    for name, text in files.items():
        path = folder / name
        if name in wanted:
            write_atomic(path, text, root=folder)
        results.append((path, name in wanted))
    return results


def write_output(path: Path, text: str, *, roots: Sequence[Path]) -> None:
    """Write an --output report. The path may lie outside the repository (the user named
    it), but never through a symlink inside one of roots (the repository's folders) that
    leads out of it. A regular file (or a new one) is replaced atomically; a symlink is
    written through (the link stays a link); a pipe or a device such as /dev/stdout is
    written to as it is, never replaced by a file."""
    target = path
    for root in roots:
        try:
            target, escape = _follow(path, root.resolve())
        except (OSError, RuntimeError) as error:
            raise PmrepoError(f"{path}: cannot follow the path: {error}") from error
        if escape is not None:
            raise OutsideRepository(
                f"{path}: leads out of the repository through the symlink {escape} (to "
                f"{target}): pmrepo does not write there; nothing was written"
            )
    if target.exists() and not stat.S_ISREG(target.stat().st_mode):
        with target.open("w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        return
    _replace(target, text)


def write_folder(folder: Path, files: Iterable[tuple[str, str]], *, marker: str) -> int:
    """Replace folder with one holding files ((relative path, text) pairs, written as they
    come) and an empty marker file; returns how many files were written. The files are
    written beside it first and the folder swapped in whole: a failure leaves the old one
    as it was. A folder that exists must be empty or hold the marker (one this function
    wrote): any other is refused, never emptied."""
    import shutil
    import tempfile

    if folder.exists() and not folder.is_dir():
        raise PmrepoError(f"{folder}: exists and is not a folder; nothing was written")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / marker).is_file():
        raise PmrepoError(
            f"{folder}: a folder pmrepo did not build (no {marker} in it): pmrepo replaces "
            "only its own output; name an empty or new folder; nothing was written"
        )
    parent = folder.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
    try:
        count = 0
        for relpath, text in files:
            target = staging / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
            count += 1
        (staging / marker).write_text("", encoding="utf-8")
        os.chmod(staging, 0o777 & ~_umask())
        _swap(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _swap(staging: Path, folder: Path) -> None:
    import shutil

    if not folder.exists():
        os.replace(staging, folder)
        return
    old = staging.with_name(staging.name + ".old")
    os.replace(folder, old)
    try:
        os.replace(staging, folder)
    except BaseException:
        os.replace(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
