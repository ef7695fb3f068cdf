"""`pmrepo init --from-existing`: read a repository of post-mortems written without pmrepo
and propose a config and a sections schema that describe what it already has."""

from __future__ import annotations

import difflib
import json
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.writer import write_new_files
from postmortem_repo.model.document import Document, at_level, parse_document, read_text
from postmortem_repo.model.layout import is_companion_file
from postmortem_repo.model.sections import SectionsSpec, normalise_heading
from postmortem_repo.model.timeline import DEFAULT_FORMS
from postmortem_repo.model.timeline_forms import forms_used, propose_forms
from postmortem_repo.repo.config import CONFIG_FILES, has_tool_section
from postmortem_repo.repo.discover import walk_folders
from postmortem_repo.repo.exclude import escape

CONFIG_NAME = CONFIG_FILES[0]
SECTIONS_NAME = "pmrepo.sections.json"
FRONTMATTER_NAME = "pmrepo.frontmatter.json"

# PREFIX YEAR SEP SEQ SEP REST: 'PM2020-001 - Title.md', 'INC-2024-0007-db-outage.md'.
_NAME = re.compile(
    r"^(?P<prefix>[A-Za-z][A-Za-z_-]*?)(?P<year>(?:19|20)\d{2})(?P<sep1>[-_]?)(?P<seq>\d{2,})"
    r"(?P<sep2>\s*[-_:]\s*|\s+)(?P<rest>.+?)(?P<ext>\.md)?$",
    re.IGNORECASE,
)
_NO_SECTIONS = SectionsSpec(sections=())
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_VIEWS = {"timeline": "timeline", "action items": "action_items", "metrics": "metrics"}
_COLUMN_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "timeline": {"time": ("time", "date", "when"), "event": ("event", "description", "what")},
    "action_items": {
        "action": ("action", "item", "task"),
        "owner": ("owner", "assignee", "who"),
        "priority": ("priority",),
        "due": ("due",),
        "status": ("status", "state"),
    },
    "metrics": {"metric": ("metric", "name"), "value": ("value",)},
}


@dataclass
class Survey:
    """What the repository holds, file by file, as counts."""

    files: list[str] = field(default_factory=list)
    template: str | None = None
    template_headings: list[str] = field(default_factory=list)
    names: Counter[tuple[str, str]] = field(default_factory=Counter)  # (path pattern, id)
    unreadable: list[str] = field(default_factory=list)
    with_front_matter: int = 0
    keys: Counter[str] = field(default_factory=Counter)
    key_types: dict[str, Counter[str]] = field(default_factory=dict)
    levels: Counter[int] = field(default_factory=Counter)
    headings: Counter[str] = field(default_factory=Counter)  # normalised name → files
    spelling: dict[str, Counter[str]] = field(default_factory=dict)  # normalised → as written
    orders: list[list[str]] = field(default_factory=list)
    tables: Counter[str] = field(default_factory=Counter)  # section → files with a table
    columns: dict[str, list[Counter[str]]] = field(default_factory=dict)  # by position
    timeline_forms: list[Counter[str]] = field(default_factory=list)  # entries per form


def _post_mortem_files(root: Path) -> list[Path]:
    """Markdown files (and extensionless files that start with a heading) under root."""
    found = []
    for folder, subfolders, names in walk_folders(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or is_companion_file(name):
                continue
            if name.lower().endswith(".md") or ("." not in name and _starts_with_heading(path)):
                found.append(path)
    return found


def _starts_with_heading(path: Path) -> bool:
    try:
        # Without waiting, and looked at before it is read: a FIFO would block forever.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return False
        with os.fdopen(handle, "r", encoding="utf-8", closefd=False) as stream:
            return stream.read(200).lstrip("\ufeff").startswith("#")
    except (OSError, UnicodeDecodeError):
        return False
    finally:
        os.close(handle)


# YEAR-MONTH-DAY SEP REST: '2023-01-05-db-outage.md'.
_DATED_NAME = re.compile(
    r"^(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})(?P<sep>[-_ ])(?P<rest>.+?)"
    r"(?P<ext>\.md)?$",
    re.IGNORECASE,
)


def _generalise_folder(folder: str) -> str | None:
    if "{" in folder or "}" in folder:
        return None  # a folder named with braces cannot be spelled in a layout pattern
    parts = []
    for part in folder.split("/") if folder else []:
        if re.fullmatch(r"(?:19|20)\d{2}", part):
            parts.append("{year}")
        elif re.fullmatch(r"Q[1-4]", part):
            parts.append("Q{quarter}")
        else:
            parts.append(part)
    return "/".join(parts) + "/" if parts else ""


def _name_pattern(relpath: str) -> tuple[str, str] | None:
    """(layout.path, layout.id) that this file's path follows, if it has a recognisable
    id (PREFIX YEAR SEQ, or a date) in its name."""
    folder, _, name = relpath.rpartition("/")
    prefix = _generalise_folder(folder)
    if prefix is None:
        return None
    match = _NAME.match(name)
    if match is not None:
        sep2 = " - " if match["sep2"].strip() == "-" and " " in match["sep2"] else match["sep2"]
        rest = "{slug}" if _SLUG.match(match["rest"]) else "{title}"
        stem = f"{match['prefix']}{{year}}{match['sep1']}{{seq}}"
        return f"{prefix}{stem}{sep2}{rest}.md", stem
    dated = _DATED_NAME.match(name)
    if dated is not None:
        rest = "{slug}" if _SLUG.match(dated["rest"]) else "{title}"
        stem = f"{{year}}-{{month}}-{{day}}{dated['sep']}{rest}"
        return f"{prefix}{stem}.md", stem
    return None


def _parse(text: str, relpath: str) -> Document:
    """The file parsed as pmrepo reads it (front matter set apart); sections are matched
    against nothing here, only the headings and the outline are read."""
    return parse_document(text, path=relpath, relpath=relpath, spec=_NO_SECTIONS)


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def survey(root: Path) -> Survey:
    if not root.is_dir():
        raise PmrepoError(f"{root}: not a folder")
    found = Survey()
    documents = []
    for path in _post_mortem_files(root):
        relpath = path.relative_to(root).as_posix()
        text = read_text(path)
        if not isinstance(text, str):
            found.unreadable.append(relpath)
            continue
        # The template: named so, and not named like an incident ('Email template outage').
        if found.template is None and _is_template(relpath):
            found.template = relpath
            template = _parse(text, relpath)
            headings = at_level(template.outline, _section_level(template))
            found.template_headings = list(dict.fromkeys(s.heading.text.strip() for s in headings))
            continue
        documents.append((relpath, text))
    for relpath, text in documents:
        found.files.append(relpath)
        _survey_file(found, relpath, _parse(text, relpath))
    if not found.files:
        raise PmrepoError(f"{root}: no Markdown files that look like post-mortems")
    return found


def _is_template(relpath: str) -> bool:
    return "template" in relpath.rpartition("/")[2].lower() and _name_pattern(relpath) is None


def _section_level(doc: Document) -> int:
    """The level of a document's sections: the highest level used twice or more, not
    counting a title H1 on the first heading."""
    headings = doc.headings[1:] if doc.headings and doc.headings[0].level == 1 else doc.headings
    levels = Counter(heading.level for heading in headings)
    repeated = [level for level, count in levels.items() if count >= 2]
    return min(repeated) if repeated else 2


def _survey_file(found: Survey, relpath: str, doc: Document) -> None:
    pattern = _name_pattern(relpath)
    if pattern:
        found.names[pattern] += 1
    data = doc.front_matter.data
    if data is not None:
        found.with_front_matter += 1
        for key, value in data.items():
            found.keys[str(key)] += 1
            found.key_types.setdefault(str(key), Counter())[_type_name(value)] += 1
    level = _section_level(doc)
    found.levels[level] += 1
    order: list[str] = []
    for section in at_level(doc.outline, level):
        name = normalise_heading(section.heading.text)
        if name in order:
            continue
        order.append(name)
        found.headings[name] += 1
        found.spelling.setdefault(name, Counter())[section.heading.text.strip()] += 1
        if section.tables:
            found.tables[name] += 1
            header = section.tables[0].header
            slots = found.columns.setdefault(name, [])
            for index, cell in enumerate(header):
                if index >= len(slots):
                    slots.append(Counter())
                slots[index][cell.strip()] += 1
    found.orders.append(order)
    found.timeline_forms.append(forms_used(doc))


@dataclass
class Proposal:
    config: dict[str, Any]
    sections: dict[str, Any]
    frontmatter: dict[str, Any] | None
    notes: list[str]


def propose(found: Survey) -> Proposal:
    total = len(found.files)
    notes = [
        f"{total} post-mortems read" + (f"; template: {found.template}" if found.template else "")
    ]
    config: dict[str, Any] = {}
    if found.unreadable:
        notes.append(f"not read (not UTF-8): {_some(found.unreadable)}")
    if found.names:
        (path, stem), count = found.names.most_common(1)[0]
        config["layout"] = {"path": path, "id": stem}
        notes.append(f"file names: {count} of {total} follow '{path}'")
        others = [name for name in found.files if _name_pattern(name) != (path, stem)]
        if others:
            notes.append(f"file names that do not (pmrepo check reports them): {_some(others)}")
    else:
        notes.append(
            "file names: no common pattern with a year and a number or a date; set layout yourself"
        )
    optional = found.with_front_matter * 2 < total
    if optional:
        config["front_matter"] = "optional"
    notes.append(
        f"front matter: {found.with_front_matter} of {total} files have it"
        + (" (optional)" if optional else " (required)")
    )
    sections, section_notes = _sections_schema(found)
    notes.extend(section_notes)
    config["schemas"] = {"sections": SECTIONS_NAME}
    frontmatter = None
    if found.with_front_matter:
        frontmatter = _frontmatter_schema(found)
        config["schemas"]["frontmatter"] = FRONTMATTER_NAME
    if found.template:
        config["exclude"] = [escape(found.template)]
    return Proposal(config, sections, frontmatter, notes)


def _some(names: list[str], shown: int = 5) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _canonical_names(found: Survey) -> list[str]:
    """The sections, in order: the template's headings when there is a template, else the
    headings at least a fifth of the files have, in their most common order."""
    if found.template_headings:
        return found.template_headings
    total = len(found.files)
    common = [name for name, count in found.headings.items() if count * 5 >= total]
    position: dict[str, list[int]] = {}
    for order in found.orders:
        for index, name in enumerate(order):
            position.setdefault(name, []).append(index)
    common.sort(key=lambda name: sum(position[name]) / len(position[name]))
    return [found.spelling[name].most_common(1)[0][0] for name in common]


def _sections_schema(found: Survey) -> tuple[dict[str, Any], list[str]]:
    total = len(found.files)
    names = _canonical_names(found)
    if not names:
        raise PmrepoError(
            "no section headings that the files share: write a sections schema by hand "
            "(see schemas/sections.meta.schema.json)"
        )
    keys = [normalise_heading(name) for name in names]
    notes = []
    sections = []
    for name, key in zip(names, keys, strict=True):
        present = found.headings.get(key, 0)
        entry: dict[str, Any] = {"name": name, "required": present * 2 > total}
        aliases = _aliases(found, key, keys)
        if aliases:
            entry["aliases"] = aliases
        table = _table(found, key)
        if table:
            entry["table"] = table
        forms = propose_forms(found.timeline_forms) if "timeline" in key else []
        if forms and forms != list(DEFAULT_FORMS):
            entry["timeline_forms"] = forms
        sections.append(entry)
        notes.append(
            f"section '{name}': in {present} of {total} files"
            + (" (required)" if entry["required"] else " (optional)")
            + (f"; timeline written as: {', '.join(forms)}" if "timeline_forms" in entry else "")
        )
    in_order = sum(1 for order in found.orders if _follows(order, keys))
    ordered = in_order * 10 >= total * 9
    notes.append(
        f"section order: {in_order} of {total} files follow it"
        + ("" if ordered else " (ordered: false; set it to true to enforce the order)")
    )
    level = found.levels.most_common(1)[0][0] if found.levels else 2
    schema = {
        "title": "Post-mortem sections (proposed by pmrepo init --from-existing)",
        "section_level": level,
        "subsection_level": level + 1,
        "ordered": ordered,
        "sections": sections,
    }
    return schema, notes


def _aliases(found: Survey, key: str, keys: list[str]) -> list[str]:
    """Other headings two or more files use for this section (one-off spellings are typos
    for pmrepo check to report, not aliases)."""
    aliases = []
    for other, count in found.headings.items():
        if other in keys or count < 2:
            continue
        if difflib.get_close_matches(other, [key], n=1, cutoff=0.75) or other.startswith(key):
            aliases.append(found.spelling[other].most_common(1)[0][0])
    return sorted(aliases)


def _follows(order: list[str], keys: list[str]) -> bool:
    positions = [keys.index(name) for name in order if name in keys]
    return positions == sorted(positions)


def _table(found: Survey, key: str) -> dict[str, Any] | None:
    total_with_section = found.headings.get(key, 0)
    with_table = found.tables.get(key, 0)
    if not with_table or with_table * 2 < total_with_section:
        return None
    view = next((v for word, v in _VIEWS.items() if word in key), "")
    columns = []
    for slot in found.columns.get(key, []):
        ranked = [name for name, count in slot.most_common() if name]
        if not ranked or slot[ranked[0]] * 2 < with_table:
            continue
        column: dict[str, Any] = {"name": ranked[0]}
        aliases = [name for name in ranked[1:] if slot[name] >= 2]
        if aliases:
            column["aliases"] = aliases
        column_key = _column_key(view, [ranked[0], *aliases])
        if column_key:
            column["key"] = column_key
        columns.append(column)
    if not columns:
        return None
    table: dict[str, Any] = {"required": with_table * 10 >= total_with_section * 9}
    if view:
        table["view"] = view
    table["columns"] = columns
    return table


def _column_key(view: str, names: list[str]) -> str:
    for key, words in _COLUMN_KEYS.get(view, {}).items():
        if any(word in normalise_heading(name) for name in names for word in words):
            return key
    return ""


def _frontmatter_schema(found: Survey) -> dict[str, Any]:
    properties: dict[str, dict[str, Any]] = {}
    for key, types in sorted(found.key_types.items()):
        seen = sorted(types)  # 'authors: carol' in one file, a list in another: both
        properties[key] = {"type": seen[0] if len(seen) == 1 else seen}
    required = sorted(
        key for key, count in found.keys.items() if count * 10 >= found.with_front_matter * 9
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Post-mortem front matter (proposed by pmrepo init --from-existing)",
        "type": "object",
        "properties": properties,
        "required": required,
    }


# What YAML reads as a line break (CR, LF, NEL, U+2028, U+2029), what it refuses to read at
# all (other controls, surrogates, U+FFFE, U+FFFF), a BOM, and the bidi embeddings,
# overrides and isolates that reorder what a reviewer sees.
_COMMENT_UNSAFE = re.compile(
    r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    r"\ud800-\udfff\ufeff\ufffe\uffff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def yaml_comment(text: str) -> str:
    """Text for after '# ' on one line of a YAML file: whatever a file name holds, it stays
    inside the comment (each unsafe character written as a visible escape, '\\x0a')."""
    return _COMMENT_UNSAFE.sub(_visible, text)


def render_config(proposal: Proposal) -> str:
    header = "".join(f"# {yaml_comment(note)}\n" for note in proposal.notes)
    body = yaml.safe_dump(proposal.config, sort_keys=False, allow_unicode=True, width=100)
    return (
        "# pmrepo config proposed by `pmrepo init --from-existing` from what this repository\n"
        "# already has. Review it, then run `pmrepo check`.\n#\n" + header + "\n" + body
    )


def existing_config(root: Path) -> Path | None:
    """A config pmrepo would read in root: never overridden by a proposal."""
    for name in CONFIG_FILES:
        if (root / name).is_file():
            return root / name
    pyproject = root / "pyproject.toml"
    return pyproject if pyproject.is_file() and has_tool_section(pyproject) else None


@dataclass
class Adoption:
    written: list[tuple[Path, bool]]  # (file, created)
    notes: list[str]
    kept_config: Path | None  # a config that was there: nothing was written
    proposal: str  # the proposed config, to print when it was not written


def adopt(root: Path) -> Adoption:
    """Write the proposed config and schemas into root, unless root has a config already
    (then nothing is written and the proposal is returned to be shown)."""
    proposal = propose(survey(root))
    config_text = render_config(proposal)
    kept = existing_config(root)
    if kept is not None:
        return Adoption([], proposal.notes, kept, config_text)
    files = {
        CONFIG_NAME: config_text,
        SECTIONS_NAME: json.dumps(proposal.sections, indent=2, ensure_ascii=False) + "\n",
    }
    if proposal.frontmatter is not None:
        files[FRONTMATTER_NAME] = json.dumps(proposal.frontmatter, indent=2) + "\n"
    return Adoption(write_new_files(root, files), proposal.notes, None, config_text)
