"""A missing section as the repository's template writes it: its heading, its
subsections and its placeholders, for the unsafe fix of PM301."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from postmortem_repo.core.reading import GENERATED_LIMIT, NotReadable, read_limited_text
from postmortem_repo.model.sections import SectionSpec, heading_key

_HEADING = re.compile(r"(?P<marks>#{1,6})[ \t]+(?P<text>.*?)[ \t#]*$")


def repository_template(path: Path) -> str:
    """The template file's text ('' when there is none or it cannot be read), read again
    only when the file changes."""
    try:
        status = os.stat(path)
    except OSError:
        return ""
    return _read(str(path), status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=4)
def _read(path: str, _mtime: int, _size: int) -> str:
    try:
        return read_limited_text(Path(path), GENERATED_LIMIT)
    except NotReadable:
        return ""


def section_skeleton(template: str, spec: SectionSpec, level: int, sublevel: int) -> str:
    """The section's lines in the template (from its heading to the next heading of its
    level or above, trailing blank lines left out); without one there, its heading and
    its required subsections' headings."""
    lines = template.replace("\r\n", "\n").split("\n")
    names = {heading_key(name) for name in spec.names()}
    start = next(
        (
            index
            for index, line in enumerate(lines)
            if (found := _HEADING.match(line))
            and len(found["marks"]) == level
            and heading_key(found["text"]) in names
        ),
        None,
    )
    if start is None:
        parts = [f"{'#' * level} {spec.name}"]
        parts += [f"{'#' * sublevel} {sub.name}" for sub in spec.subsections if sub.required]
        return "\n\n".join(parts)
    end = start + 1
    while end < len(lines):
        found = _HEADING.match(lines[end])
        if found and len(found["marks"]) <= level:
            break
        end += 1
    return "\n".join(lines[start:end]).rstrip()
