"""The sections schema as typed data: names, aliases, order, subsections, tables, views."""

from __future__ import annotations

import re
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
    _lookup: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._lookup = {
            normalise_heading(name): index
            for index, spec in enumerate(self.sections)
            for name in spec.names()
        }

    def index_of(self, heading: str) -> int | None:
        return self._lookup.get(normalise_heading(heading))

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
        placeholders=_one_pattern(data.get("placeholders", [])),
    )


def _one_pattern(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    """All placeholder patterns as one alternation: one scan per line instead of one each."""
    if not patterns:
        return ()
    return (re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE),)


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
