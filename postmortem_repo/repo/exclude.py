"""The `exclude` patterns of the config, matched as .gitignore matches its lines.

`*` and `?` stay within one path segment, `**` crosses folders, a trailing `/` means a
folder (and everything in it), a leading `/` (or any `/` but a trailing one) anchors the
pattern at the repository root, a pattern without one matches at any depth, and `!pattern`
re-includes what an earlier pattern excluded. The last pattern that matches a path decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from postmortem_repo.core.errors import ConfigError

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# What pmrepo never reads as a post-mortem, whatever the config adds.
DEFAULT_EXCLUDE = ("README.md", "**/README.md", "/TEMPLATE.md", "patterns/**")


def _excluded_by_default(relpath: str) -> bool:
    """DEFAULT_EXCLUDE, matched without pathspec (a test holds the two to the same
    answers): importing pathspec costs about 30 ms, a fifth of a pre-commit hook's
    one-file check, and most repositories add no pattern of their own."""
    parts = relpath.split("/")
    return (
        "README.md" in parts
        or parts[0] == "TEMPLATE.md"
        or (parts[0] == "patterns" and len(parts) > 1)
    )


class Exclusion:
    """Compiled exclude patterns: the one matcher for every place that leaves files out."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        self._spec = None if patterns == DEFAULT_EXCLUDE else _spec(patterns)

    def excludes(self, relpath: str) -> bool:
        """Whether a path relative to the root ('/'-separated) is left out."""
        if self._spec is None:
            return _excluded_by_default(relpath)
        return self._spec.match_file(relpath)


def _spec(patterns: Iterable[str]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # see _excluded_by_default

    return GitIgnoreSpec.from_lines(patterns)


@lru_cache(maxsize=64)
def compile_exclusion(patterns: tuple[str, ...]) -> Exclusion:
    """The matcher for a config's patterns, compiled once for all the files it is asked
    about (a ConfigError for the first pattern that is not one)."""
    check_patterns(patterns)
    return Exclusion(patterns)


def check_patterns(patterns: Iterable[str], key: str = "exclude") -> None:
    """A ConfigError naming the first pattern that does not compile, or that gitignore
    syntax reads as no pattern at all (a comment, a bad bracket expression). key: the
    config key the patterns are under (a list, or a mapping keyed by pattern)."""
    for index, pattern in enumerate(patterns):
        reason = None if pattern in DEFAULT_EXCLUDE else _problem(pattern)
        if reason:
            where = f"{key}[{index}]" if key == "exclude" else f"{key}.{pattern}"
            raise ConfigError(f"invalid config at '{where}': '{pattern}' {reason}")


def _problem(pattern: str) -> str | None:
    if pattern.lstrip().startswith("#"):
        return "is a comment in gitignore syntax, not a pattern (write '\\#' for a '#')"
    try:
        compiled = _spec([pattern]).patterns
    except (ValueError, re.error) as error:  # pathspec's pattern errors are ValueErrors
        return f"is not a valid pattern ({error})"
    if all(part.include is None for part in compiled):
        return "is not a valid pattern (gitignore syntax reads it as matching nothing)"
    return None


_SPECIAL = re.compile(r"([\\*?\[\]!#])")


def escape(relpath: str) -> str:
    """A pattern that matches this path literally (at any depth when it names no folder)."""
    escaped = _SPECIAL.sub(r"\\\1", relpath)
    return escaped[:-1] + "\\ " if escaped.endswith(" ") else escaped
