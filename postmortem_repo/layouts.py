"""Where post-mortems live and how their ids are spelled: the default YYYY/Qn/INC-... layout,
or a team's own pattern from the config (`layout: {path: ..., id: ...}`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from postmortem_repo.errors import ConfigError

DEFAULT_PATH = "{year}/Q{quarter}/INC-{year}-{seq}-{slug}.md"
DEFAULT_ID = "INC-{year}-{seq}"

_YEAR_FOLDER = re.compile(r"^\d{4}$")
_DEFAULT_FILE_ID = re.compile(r"^(INC-\d{4}-\d{4,})")
_FIELD = re.compile(r"\{([a-z]+)\}")

# What each field of a path pattern matches. Strict: what a well-named file has; lenient:
# enough to recognise a post-mortem whose name needs fixing (and to take its id from it).
_STRICT = {
    "year": r"\d{4}",
    "quarter": r"[1-4]",
    "seq": r"\d+",
    "slug": r"[a-z0-9]+(?:-[a-z0-9]+)*",
    "title": r"[^/]*[^/\s]",
}
_LENIENT = {**_STRICT, "slug": r"[^/]+", "title": r"[^/]+"}
FIELDS = tuple(_STRICT)


def _compile(pattern: str, parts: dict[str, str], *, optional_extension: bool) -> re.Pattern[str]:
    regex, seen, position = "", set(), 0
    extension = ".md" if optional_extension and pattern.endswith(".md") else ""
    body = pattern[: -len(extension)] if extension else pattern
    for match in _FIELD.finditer(body):
        regex += re.escape(body[position : match.start()])
        name = match.group(1)
        regex += f"(?P={name})" if name in seen else f"(?P<{name}>{parts[name]})"
        seen.add(name)
        position = match.end()
    regex += re.escape(body[position:])
    if extension:
        regex += r"(?:\.md)?"
    return re.compile(regex + "$", re.IGNORECASE if optional_extension else 0)


@dataclass(frozen=True)
class Layout:
    """A path pattern ({year}, {quarter}, {seq}, {slug}, {title}) and an id pattern built
    from the same fields. The default layout keeps its own, more specific messages."""

    path: str = DEFAULT_PATH
    id: str = DEFAULT_ID
    _strict: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _lenient: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_strict", _compile(self.path, _STRICT, optional_extension=False))
        object.__setattr__(self, "_lenient", _compile(self.path, _LENIENT, optional_extension=True))

    @property
    def is_default(self) -> bool:
        return self.path == DEFAULT_PATH and self.id == DEFAULT_ID

    def is_candidate(self, relpath: str) -> bool:
        """Is this file (relative to the root) a post-mortem, well named or not?"""
        if self.is_default:
            name = relpath.rsplit("/", 1)[-1]
            return relpath.lower().endswith(".md") and (
                bool(_YEAR_FOLDER.match(relpath.split("/", 1)[0]))
                or name.upper().startswith("INC-")
            )
        return self._lenient.match(relpath) is not None

    def matches(self, relpath: str) -> bool:
        """Does the path follow the layout exactly?"""
        return self._strict.match(relpath) is not None

    def fields(self, relpath: str) -> dict[str, str]:
        """The fields the path carries ({} when it is not recognisable)."""
        match = self._strict.match(relpath) or self._lenient.match(relpath)
        return {name: value for name, value in match.groupdict().items() if value} if match else {}

    def id_from_path(self, relpath: str) -> str | None:
        """The incident id the file name carries, if any."""
        if self.is_default:
            match = _DEFAULT_FILE_ID.match(relpath.rpartition("/")[2])
            return match.group(1) if match else None
        found = self.fields(relpath)
        try:
            return self.id.format(**found)
        except (KeyError, IndexError, ValueError):
            return None


def make_layout(path: str, incident_id: str, origin: str) -> Layout:
    """A validated custom layout; ConfigError names the config key at fault."""
    for key, pattern in (("layout.path", path), ("layout.id", incident_id)):
        unknown = sorted(set(_FIELD.findall(pattern)) - set(FIELDS))
        if unknown:
            raise ConfigError(
                f"{origin}: invalid config at '{key}': unknown field {{{unknown[0]}}} "
                f"(known: {', '.join('{' + name + '}' for name in FIELDS)})"
            )
        leftover = _FIELD.sub("", pattern)
        if "{" in leftover or "}" in leftover:
            raise ConfigError(f"{origin}: invalid config at '{key}': unbalanced braces")
    missing = sorted(set(_FIELD.findall(incident_id)) - set(_FIELD.findall(path)))
    if missing:
        raise ConfigError(
            f"{origin}: invalid config at 'layout.id': {{{missing[0]}}} is not a field of "
            f"layout.path '{path}'"
        )
    return Layout(path, incident_id)
