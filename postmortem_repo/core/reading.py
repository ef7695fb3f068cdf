"""Reading a repository's files whole: regular files only, never past a size limit.

A name in the repository may be a symlink to anything: `README.md -> /dev/zero` would never
end, a FIFO would block, a huge file would fill the memory. Such a file is never read:
NotReadable says why, and the caller turns it into a finding or an error.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError

DEFAULT_MAX_FILE_KB = 1024  # a post-mortem larger than this is not read
DEFAULT_MAX_FRONT_MATTER_KB = 64

KB = 1024
# Files pmrepo reads whole besides post-mortems (whose limit is limits.max_file_kb):
CONFIG_LIMIT = 256 * KB  # a config file, pyproject.toml, a schema the config names
GENERATED_LIMIT = 16 * KB * KB  # README.md and its index, pattern files, TEMPLATE.md


class NotReadable(PmrepoError):
    """A file that is not a regular file, is over its size limit, or cannot be read."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason  # without the path
        super().__init__(f"{path}: {reason}")


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at path (symlinks followed), at most limit of them.

    NotReadable for a folder, FIFO, device or socket (never opened), a file over the limit
    (never read past it), or an OSError, with the path and the reason in its message.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise NotReadable(path, "not a regular file")
        # Without waiting: what the stat saw may have been replaced by a FIFO since.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            status = os.fstat(handle)
            if not stat.S_ISREG(status.st_mode):
                raise NotReadable(path, "not a regular file")
            if status.st_size > limit:
                raise NotReadable(path, _too_large(status.st_size, limit))
            with os.fdopen(handle, "rb", closefd=False) as stream:
                data = stream.read(limit + 1)  # it may have grown since the stat
        finally:
            os.close(handle)
    except OSError as error:
        raise NotReadable(path, f"cannot read: {error.strerror or error}") from error
    if len(data) > limit:
        raise NotReadable(path, _too_large(len(data), limit))
    return data


def read_limited_text(path: Path, limit: int) -> str:
    """read_limited, decoded as UTF-8 (universal newlines, as a text read makes them);
    NotReadable when the bytes are not UTF-8."""
    data = read_limited(path, limit)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        reason = f"not valid UTF-8 (byte 0x{data[error.start]:02x} on line {line})"
        raise NotReadable(path, reason) from error
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _too_large(size: int, limit: int) -> str:
    return f"{size / KB:,.0f} KB, over the limit of {limit / KB:,.0f} KB for this file"
