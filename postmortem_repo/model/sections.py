"""The sections schema as typed data: names, aliases, order, subsections, tables, views."""

from __future__ import annotations

import re
import re._constants as re_constants  # type: ignore[import-not-found,unused-ignore]
import re._parser as re_parser  # type: ignore[import-not-found,unused-ignore]
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from postmortem_repo.core.errors import ConfigError
from postmortem_repo.schema.validate import SECTIONS_META_SCHEMA, builtin_validator

_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")


@lru_cache(maxsize=4096)
def normalise_heading(text: str) -> str:
    """Compare headings case-insensitively, ignoring emphasis, spacing and a trailing colon."""
    text = _INVISIBLE.sub("", text).strip().strip("*_").strip().rstrip(":").strip()
    return " ".join(text.casefold().split())


def heading_key(text: str) -> str:
    """The heading without a qualifier in parentheses and what follows it: 'Timeline (times in
    BST)' and 'Timeline (all times PST) 01/16/2024 - 02/28/2024' are the Timeline section."""
    before = text.split("(", 1)[0]
    return normalise_heading(before) or normalise_heading(text)


# Records made once per run are NamedTuples: a frozen dataclass costs about 0.5 ms to
# define, which a single-file check (the pre-commit case) pays in its start-up.
class ColumnSpec(NamedTuple):
    name: str
    aliases: tuple[str, ...] = ()
    key: str = ""

    def matches(self, header: str) -> bool:
        return normalise_heading(header) in _normalised_names(self.name, self.aliases)


@lru_cache(maxsize=1024)
def _normalised_names(name: str, aliases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise_heading(each) for each in (name, *aliases))


class TableSpec(NamedTuple):
    columns: tuple[ColumnSpec, ...]
    view: str = ""
    required: bool = True

    @property
    def header(self) -> str:
        return "| " + " | ".join(column.name for column in self.columns) + " |"


class SectionSpec(NamedTuple):
    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    table: TableSpec | None = None
    subsections: tuple[SectionSpec, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class SectionsSpec:
    sections: tuple[SectionSpec, ...]
    section_level: int = 2
    subsection_level: int = 3
    ordered: bool = True
    placeholders: tuple[re.Pattern[str], ...] = ()
    other_sections_allowed: bool = False
    _lookup: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._lookup = {
            normalise_heading(name): index
            for index, spec in enumerate(self.sections)
            for name in spec.names()
        }

    def index_of(self, heading: str) -> int | None:
        found = self._lookup.get(normalise_heading(heading))
        return self._lookup.get(heading_key(heading)) if found is None else found

    def table_for_view(self, view: str) -> tuple[SectionSpec, TableSpec] | None:
        for section in self.sections:
            for spec in (section, *section.subsections):
                if spec.table is not None and spec.table.view == view:
                    return spec, spec.table
        return None


def load_sections_spec(data: dict[str, Any], *, origin: str) -> SectionsSpec:
    errors = sorted(builtin_validator(SECTIONS_META_SCHEMA).iter_errors(data), key=str)
    if errors:
        error = errors[0]
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        raise ConfigError(f"{origin}: invalid sections schema at {where}: {error.message}")
    return SectionsSpec(
        sections=tuple(_section(item) for item in data["sections"]),
        section_level=data.get("section_level", 2),
        subsection_level=data.get("subsection_level", 3),
        ordered=data.get("ordered", True),
        placeholders=_one_pattern(data.get("placeholders", []), origin),
        other_sections_allowed=data.get("other_sections", "reported") == "allowed",
    )


def _one_pattern(patterns: list[str], origin: str) -> tuple[re.Pattern[str], ...]:
    """All placeholder patterns as one alternation: one scan per line instead of one each."""
    if not patterns:
        return ()
    for pattern in patterns:
        if nested_repeat(pattern):
            raise ConfigError(
                f"{origin}: the placeholder pattern '{pattern}' repeats a repetition "
                "(like (a+)+): on a long line it can take hours to fail; make the inner "
                "or the outer repeat fixed, possessive (a++) or atomic ((?>a+))"
            )
    return (re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE),)


def nested_repeat(pattern: str) -> bool:
    """Whether pattern repeats, without bound, something that itself matches in more than
    one way by repeating ((a+)+, (a*b?)*, (x{1,3})+): a text it fails on makes the regex
    try every way of splitting it, a time that doubles with each character. Possessive
    repeats and atomic groups never try again, and are not counted."""
    try:
        parsed = re_parser.parse(pattern)
    except (re.error, RecursionError):
        return False  # the schema's format check reports an invalid pattern
    return _nested(list(parsed), inside=False)


def _nested(items: list[Any], inside: bool) -> bool:
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = value
            varies = high != low
            if inside and varies:
                return True
            unbounded = high == re_constants.MAXREPEAT or high > 1
            if _nested(list(body), inside or (unbounded and varies) or high > 1):
                return True
        elif name in ("POSSESSIVE_REPEAT", "ATOMIC_GROUP"):
            continue
        elif any(_nested(list(part), inside) for part in _parts(name, value)):
            return True
    return False


def _parts(name: str, value: Any) -> list[Any]:
    """The sub-patterns of a group, an alternation, a lookaround or a conditional."""
    if name == "SUBPATTERN":
        return [value[-1]]
    if name == "BRANCH":
        return list(value[1])
    if name in ("ASSERT", "ASSERT_NOT"):
        return [value[1]]
    if name == "GROUPREF_EXISTS":
        return [part for part in value[1:] if part is not None]
    return []


def _section(item: dict[str, Any]) -> SectionSpec:
    table = item.get("table")
    return SectionSpec(
        name=item["name"],
        aliases=tuple(item.get("aliases", ())),
        required=item.get("required", False),
        table=_table(table) if table else None,
        subsections=tuple(_section(sub) for sub in item.get("subsections", ())),
    )


def _table(item: dict[str, Any]) -> TableSpec:
    return TableSpec(
        columns=tuple(
            ColumnSpec(c["name"], tuple(c.get("aliases", ())), c.get("key", ""))
            for c in item["columns"]
        ),
        view=item.get("view", ""),
        required=item.get("required", True),
    )
