"""Where post-mortems live and how their ids are spelled: the default YYYY/Qn/INC-... layout,
or a team's own pattern from the config (`layout: {path: ..., id: ...}`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from postmortem_repo.core.errors import ConfigError

DEFAULT_PATH = "{year}/Q{quarter}/INC-{year}-{seq}-{slug}.md"
DEFAULT_ID = "INC-{year}-{seq}"

_YEAR_FOLDER = re.compile(r"^\d{4}$")
# In a path pattern, '**/' stands for any folders, or none: '**/{year}-{month}-{day}-{slug}.md'.
ANY_FOLDERS = "**/"
ANY_FOLDERS_REGEX = "(?:[^/]+/)*"
_FIELD = re.compile(r"\{([a-z]+)\}")

# What each field of a path pattern matches. Strict: what a well-named file has; lenient:
# enough to recognise a post-mortem whose name needs fixing (and to take its id from it).
_STRICT = {
    "year": r"\d{4}",
    "quarter": r"[1-4]",
    "month": r"\d{2}",
    "day": r"\d{2}",
    "seq": r"\d+",
    "slug": r"[a-z0-9]+(?:-[a-z0-9]+)*",
    "title": r"[^/\n]*[^/\s]",  # one line: a line break in a name is no title
}
_LENIENT = {**_STRICT, "slug": r"[^/]+?", "title": r"[^/]+?"}
FIELDS = tuple(_STRICT)
# What each field of an id matches. An id is also looked for in text (a front matter's
# `related: [...]`): a title in it stops at what separates ids in a list.
_TITLE_IN_TEXT = r"[^/\s,\[\]'\"](?:[^/\n,\[\]'\"]*[^/\s,\[\]'\"])?"
_ID_PARTS = {**_STRICT, "title": _TITLE_IN_TEXT}
# The default ids have four digits or more: INC-2024-0001.
_DEFAULT_ID_PARTS = {**_ID_PARTS, "seq": r"\d{4,}"}


def _compile(pattern: str, parts: dict[str, str], *, lenient: bool) -> re.Pattern[str]:
    """Strict: the whole path, a repeated field the same each time. Lenient: the file name
    alone, in any folder, any case, '.md' optional, so that a misfiled or misnamed
    post-mortem is still found (and PM103 says what is wrong with it)."""
    if lenient:
        name = pattern.rpartition("/")[2]
        # A name that is only a slug or a title says nothing by itself: keep the folders.
        if _FIELD.sub("", name).lower() not in ("", ".md") or not set(_FIELD.findall(name)) <= {
            "slug",
            "title",
        }:
            pattern = name
        if pattern.lower().endswith(".md"):
            pattern = pattern[:-3]
    regex, position = "", 0
    groups: dict[str, str] = {}
    for number, match in enumerate(_FIELD.finditer(pattern)):
        regex += _literal(pattern[position : match.start()])
        name = match.group(1)
        if name in groups and not lenient:
            regex += f"(?P={groups[name]})"
        else:
            groups.setdefault(name, f"{name}{number}")
            regex += f"(?P<{name}{number}>{parts[name]})"
        position = match.end()
    regex += _literal(pattern[position:])
    if lenient:
        anchor = r"(?:^|/)" if "/" not in pattern else "^"
        return re.compile(anchor + regex + r"(?:\.md)?$", re.IGNORECASE)
    return re.compile("^" + regex + "$")


def _literal(text: str) -> str:
    """Literal text of a path pattern as a regex: '**/' is any folders, or none."""
    return ANY_FOLDERS_REGEX.join(re.escape(part) for part in text.split(ANY_FOLDERS))


def _folder_regex(pattern: str) -> re.Pattern[str] | None:
    """Any file in a folder the pattern's folders match when they carry a field
    ('{year}-{month}/'): whatever its name, a file there is a post-mortem, well named or
    not ('2023-04/outage.md' for '{year}-{month}/{year}-{month}-{day}-{slug}.md'), found to
    be reported, as any Markdown file in a YYYY/ folder is under the default layout.
    Folders without a field ('incidents/', '**/') say too little."""
    folder, _, _name = pattern.rpartition("/")
    if not _FIELD.search(folder):
        return None
    regex, position = "", 0
    for match in _FIELD.finditer(folder):
        regex += _literal(folder[position : match.start()]) + f"(?:{_STRICT[match.group(1)]})"
        position = match.end()
    return re.compile("^" + regex + _literal(folder[position:]) + "/[^/]*$", re.IGNORECASE)


def _id_regex(pattern: str, parts: dict[str, str], fixed: dict[str, str]) -> str:
    """The id pattern as a regex: a group named after each field (a repeated field the same
    each time), a fixed field matching its value only."""
    regex, position, seen = "", 0, set()
    for match in _FIELD.finditer(pattern):
        regex += re.escape(pattern[position : match.start()])
        name = match.group(1)
        if name in seen:
            regex += f"(?P={name})"
        else:
            seen.add(name)
            value = re.escape(fixed[name]) if name in fixed else parts[name]
            regex += f"(?P<{name}>{value})"
        position = match.end()
    return regex + re.escape(pattern[position:])


# A name with an extension other than .md is not a post-mortem ('diagram.png', 'notes.txt').
_OTHER_EXTENSION = re.compile(r"\.(?!md$)[A-Za-z0-9]{1,5}$", re.IGNORECASE)
# Files that sit beside post-mortems in most repositories and never are one, in any case.
_COMPANION = re.compile(
    r"^(?:readme|license|licence|changelog|contributing|code_of_conduct|security|notice"
    r"|authors|codeowners|index|source)(?:\.\w+)?$",
    re.IGNORECASE,
)


def is_companion_file(name: str) -> bool:
    """README, LICENSE, CHANGELOG and the like: never a post-mortem."""
    return _COMPANION.match(name) is not None


@dataclass(frozen=True)
class Layout:
    """A path pattern ({year}, {quarter}, {month}, {day}, {seq}, {slug}, {title}; '**/' for any
    folders) and an id built from the same fields. The default layout keeps its own, more
    specific messages."""

    path: str = DEFAULT_PATH
    id: str = DEFAULT_ID
    _strict: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _lenient: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _ids: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _folders: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_strict", _compile(self.path, _STRICT, lenient=False))
        object.__setattr__(self, "_folders", _folder_regex(self.path))
        object.__setattr__(self, "_lenient", _compile(self.path, _LENIENT, lenient=True))
        ids = self.id_regex()
        if not self.is_default:
            # Not part of a longer word or id: '2024-01' is no id in the date '2024-01-12'.
            ids = rf"(?<![\w-]){ids}(?![\w-])"
        object.__setattr__(self, "_ids", re.compile(ids))

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
        name = relpath.rpartition("/")[2]
        if name.startswith(".") or is_companion_file(name) or _OTHER_EXTENSION.search(name):
            return False
        if name.lower() in ("template", "template.md"):
            return False
        in_folder = self._folders is not None and self._folders.match(relpath) is not None
        if in_folder and relpath.lower().endswith(".md"):
            return True
        return self._lenient.search(relpath) is not None

    def matches(self, relpath: str) -> bool:
        """Does the path follow the layout exactly?"""
        return self._strict.match(relpath) is not None

    def fields(self, relpath: str) -> dict[str, str]:
        """The fields the path carries ({} when it is not recognisable); a field that
        appears twice takes its first value."""
        match = self._strict.match(relpath) or self._lenient.search(relpath)
        found: dict[str, str] = {}
        for group, value in (match.groupdict() if match else {}).items():
            if value:
                found.setdefault(group.rstrip("0123456789"), value)
        return found

    def id_regex(self, **fixed: str) -> str:
        """The ids of this layout as a regex (not anchored), with a group named after each
        field of `id`; a field given (`year="2024"`) matches that value only."""
        parts = _DEFAULT_ID_PARTS if self.is_default else _ID_PARTS
        return _id_regex(self.id, parts, fixed)

    def ids_in(self, text: str) -> set[str]:
        """The ids of this layout found in text (a file name, a front matter)."""
        return {match.group(0) for match in self._ids.finditer(text)}

    def id_from_path(self, relpath: str) -> str | None:
        """The incident id the file name carries, if any."""
        if self.is_default:
            match = self._ids.match(relpath.rpartition("/")[2])
            return match.group(0) if match else None
        found = self.fields(relpath)
        try:
            return self.id.format(**found)
        except (KeyError, IndexError, ValueError):
            return None


_ANY_FIELD = re.compile(r"\{([^{}]*)\}")


def make_layout(path: str, incident_id: str, origin: str) -> Layout:
    """A validated custom layout; ConfigError names the config key at fault."""
    for key, pattern in (("layout.path", path), ("layout.id", incident_id)):
        unknown = sorted(set(_ANY_FIELD.findall(pattern)) - set(FIELDS))
        if unknown:
            raise ConfigError(
                f"{origin}: invalid config at '{key}': unknown field {{{unknown[0]}}} "
                f"(known: {', '.join('{' + name + '}' for name in FIELDS)})"
            )
        leftover = _FIELD.sub("", pattern)
        if "{" in leftover or "}" in leftover:
            raise ConfigError(f"{origin}: invalid config at '{key}': unbalanced braces")
    if "*" in incident_id or "*" in re.sub(r"(?:^|(?<=/))\*\*/", "", path):
        raise ConfigError(
            f"{origin}: invalid config: '*' is only allowed as '**/' (any folders) at the "
            "start of a folder in 'layout.path'"
        )
    if not _FIELD.search(incident_id):
        raise ConfigError(
            f"{origin}: invalid config at 'layout.id': '{incident_id}' uses no field of "
            "layout.path, so every post-mortem would have the same id"
        )
    missing = sorted(set(_FIELD.findall(incident_id)) - set(_FIELD.findall(path)))
    if missing:
        raise ConfigError(
            f"{origin}: invalid config at 'layout.id': {{{missing[0]}}} is not a field of "
            f"layout.path '{path}'"
        )
    return Layout(path, incident_id)
