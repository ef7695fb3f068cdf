"""A progress line on a terminal while `pmrepo check` runs long: never in a pipe, in CI, or
in a machine-read format."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

# A run shorter than this shows nothing: the line would only flicker.
DELAY_SECONDS = 1.0
# How often the line is redrawn at most.
INTERVAL_SECONDS = 0.1
MACHINE_FORMATS = frozenset({"json", "sarif", "github"})


def wanted(stream: TextIO, output_format: str, environ: Mapping[str, str]) -> bool:
    """A progress line only for people: stream is a terminal, the format is read by people,
    and the run is not in CI (CI=true, as CI services set it)."""
    if output_format in MACHINE_FORMATS:
        return False
    if environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class ProgressLine:
    """`Checking 1200/3000 files…` redrawn in place on stream once the run is past
    DELAY_SECONDS, and erased when the run ends (done() is called)."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.start = clock()
        self.drawn_at: float | None = None

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.start < DELAY_SECONDS:
            return
        if self.drawn_at is not None and now - self.drawn_at < INTERVAL_SECONDS and done < total:
            return
        self.stream.write(f"\r\x1b[KChecking {done}/{total} files…")
        self.stream.flush()
        self.drawn_at = now

    def done(self) -> None:
        if self.drawn_at is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


@contextmanager
def shown(stream: TextIO, output_format: str, quiet: bool) -> Iterator[ProgressLine | None]:
    """The progress line for a check (None where none is wanted), erased when the check
    ends, before anything else (an error too) is printed."""
    line = None if quiet or not wanted(stream, output_format, os.environ) else ProgressLine(stream)
    try:
        yield line
    finally:
        if line is not None:
            line.done()
