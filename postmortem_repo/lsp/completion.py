"""Completion: front-matter values from the schema and from what the repository already uses;
in the body, the headings of the sections not yet written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lsprotocol import types

from postmortem_repo.lsp.knowledge import Knowledge
from postmortem_repo.model.sections import SectionsSpec
from postmortem_repo.repo.config import Config

_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]*(.*)$")
_LIST_ITEM = re.compile(r"^[ \t]+-[ \t]*(.*)$|^-[ \t]*(.*)$")
_KEY_ALONE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]*$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")

# Keys whose values name incidents, and keys whose values name people.
ID_KEYS = ("related", "repeat_of")
PEOPLE_KEYS = ("author", "authors", "reviewers", "incident_commander")


def complete(
    lines: Sequence[str], line: int, character: int, config: Config, knowledge: Knowledge
) -> list[types.CompletionItem]:
    """What may be written at (line, character), both 0-based code points."""
    before = lines[line][:character] if line < len(lines) else ""
    close = _front_matter_close(lines)
    if close is not None and 0 < line < close:
        key = _key_at(lines, line)
        return _values(key, config, knowledge, _own_id(lines, close)) if key else []
    if before.lstrip().startswith("#"):
        return _headings(lines, line, character, config.sections)
    return []


def _front_matter_close(lines: Sequence[str]) -> int | None:
    """The 0-based line of the closing '---' (the end of the text when it is not closed yet);
    None when the document has no front matter."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for number in range(1, len(lines)):
        if lines[number].rstrip() in ("---", "..."):
            return number
    return len(lines)


def _key_at(lines: Sequence[str], line: int) -> str | None:
    """The top-level key whose value is written on this line: its own, or the list's above."""
    text = lines[line].rstrip("\r\n")
    own = _KEY_VALUE.match(text)
    if own is not None:
        return own.group(1)
    if _LIST_ITEM.match(text) is None and text.strip():
        return None
    for number in range(line - 1, 0, -1):
        above = lines[number].rstrip("\r\n")
        if _LIST_ITEM.match(above) is not None or not above.strip():
            continue
        alone = _KEY_ALONE.match(above)
        return alone.group(1) if alone else None
    return None


def _own_id(lines: Sequence[str], close: int) -> str | None:
    """The document's own id: a post-mortem is not related to itself."""
    for text in lines[1:close]:
        found = _KEY_VALUE.match(text.rstrip("\r\n"))
        if found is not None and found.group(1) == "id":
            return text.split(":", 1)[1].strip().strip("'\"")
    return None


def _values(
    key: str, config: Config, knowledge: Knowledge, own_id: str | None = None
) -> list[types.CompletionItem]:
    if key in ID_KEYS:
        return [
            _item(incident_id, incident.title, types.CompletionItemKind.Reference)
            for incident_id, incident in sorted(knowledge.incidents.items())
            if incident_id != own_id
        ]
    if key in PEOPLE_KEYS:
        people = [person for person in knowledge.people if person.strip()]
        return [_item(person, "named in this repository") for person in people]
    allowed = _schema_values(config.frontmatter_schema, key)
    used = {"services": knowledge.services, "root_cause_tags": knowledge.tags}.get(key, [])
    items = [_item(value, "allowed by the schema") for value in allowed]
    items += [_item(value, "used in this repository") for value in used if value not in allowed]
    return items


def _schema_values(schema: dict[str, Any], key: str) -> list[str]:
    """The values the front-matter schema lists for key, or for the items of its list."""
    prop = schema.get("properties", {}).get(key, {})
    if not isinstance(prop, dict):
        return []
    items = prop.get("items")
    values = (items if isinstance(items, dict) else prop).get("enum", [])
    return [str(value) for value in values] if isinstance(values, list) else []


def _headings(
    lines: Sequence[str], line: int, character: int, spec: SectionsSpec
) -> list[types.CompletionItem]:
    """The sections of the spec the document does not have yet, as headings for this line."""
    present = set()
    for text in lines:
        heading = _HEADING.match(text.rstrip("\r\n"))
        if heading is not None and len(heading.group(1)) == spec.section_level:
            found = spec.index_of(heading.group(2))
            if found is not None:
                present.add(found)
    marks = "#" * spec.section_level
    where = types.Range(types.Position(line, 0), types.Position(line, character))
    items = []
    for index, section in enumerate(spec.sections):
        if index in present:
            continue
        written = f"{marks} {section.name}"
        detail = "required section" if section.required else "section"
        item = _item(written, detail, types.CompletionItemKind.Module)
        item.text_edit = types.TextEdit(range=where, new_text=written)
        item.sort_text = f"{index:03d}"
        items.append(item)
    return items


def _item(
    label: str, detail: str, kind: types.CompletionItemKind = types.CompletionItemKind.Value
) -> types.CompletionItem:
    return types.CompletionItem(label=label, detail=detail, kind=kind)
