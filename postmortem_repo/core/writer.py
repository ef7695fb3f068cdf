"""The one place pmrepo writes files: atomically, via a temporary file and a rename."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_atomic(path: Path, text: str) -> None:
    """Replace path's content with text; on any failure the old file is left intact.

    The file mode of an existing file is kept; line endings are written as given.
    """
    folder = path.parent if str(path.parent) else Path(".")
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    import tempfile  # most runs write nothing; tempfile costs start-up time

    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes 0600 files: a new file gets the mode the umask gives any new file.
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_new_files(folder: Path, files: dict[str, str]) -> list[tuple[Path, bool]]:
    """Write each {relative name: text} into folder unless a file (or a link) is there
    already; returns (path, created) for each, in order."""
    results = []
    for name, text in files.items():
        path = folder / name
        if path.exists() or path.is_symlink():
            results.append((path, False))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        results.append((path, True))
    return results


def write_output(path: Path, text: str) -> None:
    """Write an --output report. A regular file (or a new one) is replaced atomically; a
    symlink is written through (the link stays a link); a pipe or a device such as
    /dev/stdout is written to as it is, never replaced by a file."""
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not stat.S_ISREG(target.stat().st_mode):
        with target.open("w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        return
    write_atomic(target, text)
