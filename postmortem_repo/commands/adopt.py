"""`pmrepo init --from-existing`: read a repository of post-mortems written without pmrepo
and propose a config and a sections schema that describe what it already has."""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.writer import write_new_files
from postmortem_repo.model.document import Document, at_level, parse_document, read_text
from postmortem_repo.model.layout import ANY_FOLDERS, make_layout
from postmortem_repo.model.people import (
    ROLE_PARTS,
    STOPWORDS_UNLESS_KNOWN,
    SUBJECT_STOPWORDS,
    People,
    names_acting_as_people,
    systems_introduced,
    word_set,
)
from postmortem_repo.model.sections import SectionsSpec, heading_key, normalise_heading
from postmortem_repo.model.timeline import DEFAULT_FORMS
from postmortem_repo.model.timeline_forms import forms_used, propose_forms
from postmortem_repo.repo.config import CONFIG_FILES, Config, has_tool_section
from postmortem_repo.repo.discover import markdown_files, relative, walk
from postmortem_repo.repo.exclude import DEFAULT_EXCLUDE, escape
from postmortem_repo.schema.validate import CONFIG_SCHEMA, yaml_modeline

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

    root: Path = Path(".")
    files: list[str] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)  # files named so, not as incidents
    template: str | None = None  # the one the files follow, if any
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
    acting: Counter[str] = field(default_factory=Counter)  # names doing what people do
    systems: Counter[str] = field(default_factory=Counter)  # names introduced as systems
    common_words: set[str] = field(default_factory=set)  # words also written in lowercase


@dataclass
class Template:
    relpath: str
    keys: list[str]  # its sections, as heading_key gives them


# YEAR-MONTH-DAY [SEP REST]: '2023-01-05-db-outage.md', '2019-01-23.md'; MONTH-DAY SEP REST
# under a folder that carries the year: '2023-04/04-25-User_Account_Compromise.md'.
_DATED_NAME = re.compile(
    r"^(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:(?P<sep>[-_ ])(?P<rest>.+?))?(?P<ext>\.md)?$",
    re.IGNORECASE,
)
_MONTH_DAY_NAME = re.compile(
    r"^(?P<month>\d{2})-(?P<day>\d{2})(?P<sep>[-_ ])(?P<rest>.+?)(?P<ext>\.md)?$", re.IGNORECASE
)
_FOLDER_FIELDS = (
    (re.compile(r"(?:19|20)\d{2}"), "{year}"),
    (re.compile(r"(?:19|20)\d{2}-(?:0[1-9]|1[0-2])"), "{year}-{month}"),
    (re.compile(r"Q[1-4]"), "Q{quarter}"),
)
# At least this share of the files must follow a proposed layout.
PLACED_SHARE = 0.9


def _generalise_folder(folder: str) -> str | None:
    if "{" in folder or "}" in folder or "*" in folder:
        return None  # such a folder cannot be spelled in a layout pattern
    parts = []
    for part in folder.split("/") if folder else []:
        spelled = next((field for regex, field in _FOLDER_FIELDS if regex.fullmatch(part)), part)
        parts.append(spelled)
    return "/".join(parts) + "/" if parts else ""


def _rest(rest: str) -> str:
    """A slug when the repository writes lowercase words and hyphens, else a title (capitals,
    underscores, spaces: as the repository writes them)."""
    return "{slug}" if _SLUG.match(rest) else "{title}"


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
        stem = f"{match['prefix']}{{year}}{match['sep1']}{{seq}}"
        return f"{prefix}{stem}{sep2}{_rest(match['rest'])}.md", stem
    dated = _DATED_NAME.match(name)
    if dated is not None:
        stem = "{year}-{month}-{day}"
        if dated["rest"]:
            stem += dated["sep"] + _rest(dated["rest"])
        return f"{prefix}{stem}.md", stem
    short = _MONTH_DAY_NAME.match(name)
    if short is not None and "{year}" in prefix:
        stem = f"{{month}}-{{day}}{short['sep']}{_rest(short['rest'])}"
        return f"{prefix}{stem}.md", "{year}-" + stem
    return None


def _variants(pattern: tuple[str, str]) -> list[tuple[str, str]]:
    """A file's own pattern, the same with a title where it has a slug (a title also takes
    names with capitals or underscores), and each in any folder ('**/')."""
    path, stem = pattern
    kinds = [(path, stem)]
    if "{slug}" in path:
        kinds.append((path.replace("{slug}", "{title}"), stem.replace("{slug}", "{title}")))
    anywhere = []
    for each_path, each_stem in kinds:
        name = each_path.rpartition("/")[2]
        if _FIELD_IN.search(name) and "{year}" in name:
            anywhere.append((ANY_FOLDERS + name, each_stem))
    return kinds + anywhere


_FIELD_IN = re.compile(r"\{[a-z]+\}")


@dataclass
class LayoutChoice:
    """The layout that places the most files, and the files it does not place."""

    path: str
    id: str
    placed: int
    unplaced: list[str]


def choose_layout(files: list[str]) -> LayoutChoice | None:
    """The layout that places the most files (strictly: each file's path follows it); on a
    tie, the narrower one (named folders before '**/', a slug before a title)."""
    own = Counter(pattern for pattern in map(_name_pattern, files) if pattern)
    # Folders with a date or a number in them are part of the layout: a file in another
    # folder is misfiled. Folders without one ('investigations/') may hold post-mortems too.
    structured = any(_FIELD_IN.search(path.rpartition("/")[0]) for path, _ in own)
    candidates: dict[tuple[str, str], None] = {}
    for pattern, _ in own.most_common(12):
        variants = _variants(pattern)
        if structured:
            variants = [each for each in variants if not each[0].startswith(ANY_FOLDERS)]
        candidates.update(dict.fromkeys(variants))
    best: tuple[tuple[int, int, int, int], LayoutChoice] | None = None
    for order, (path, stem) in enumerate(candidates):
        try:
            layout = make_layout(path, stem, "proposal")
        except PmrepoError:
            continue
        placed = [name for name in files if layout.matches(name)]
        rank = (len(placed), -path.count(ANY_FOLDERS), -path.count("{title}"), -order)
        if best is None or rank > best[0]:
            unplaced = [name for name in files if not layout.matches(name)]
            best = (rank, LayoutChoice(path, stem, len(placed), unplaced))
    return best[1] if best else None


def why_unplaced(relpath: str, choice: LayoutChoice) -> str:
    """Why a file does not follow the chosen layout, in a few words."""
    if not relpath.lower().endswith(".md") and make_layout(
        choice.path, choice.id, "proposal"
    ).matches(relpath + ".md"):
        return "no '.md' extension"
    own = _name_pattern(relpath)
    if own is None:
        return "its name has no date, and no year and number"
    folder, _, name = own[0].rpartition("/")
    want_folder, _, want_name = choice.path.rpartition("/")
    if name != want_name:
        return f"named '{name}', not '{want_name}'"
    if folder != want_folder and not want_folder.startswith("**"):
        return f"in '{folder or '.'}/', not '{want_folder or '.'}/'"
    return "the dates of its folder and its name differ"


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
    found = Survey(root=root)
    documents = []
    for path in markdown_files(root):
        relpath = path.relative_to(root).as_posix()
        text = read_text(path)
        if not isinstance(text, str):
            found.unreadable.append(relpath)
            continue
        # A template: named so, and not named like an incident ('Email template outage').
        if _is_template(relpath):
            template = _parse(text, relpath)
            sections = at_level(template.outline, _section_level(template))
            keys = list(dict.fromkeys(heading_key(s.heading.text) for s in sections))
            found.templates.append(Template(relpath, keys))
            continue
        documents.append((relpath, text))
    for relpath, text in documents:
        found.files.append(relpath)
        _survey_file(found, relpath, _parse(text, relpath))
    if not found.files:
        raise PmrepoError(f"{root}: no Markdown files that look like post-mortems")
    found.template = _followed_template(found)
    return found


def _followed_template(found: Survey) -> str | None:
    """The template most files follow (they have at least half of its sections), if at least
    half of the files do: a file named 'template' that nobody follows is not the template."""
    best, best_count = None, 0
    for template in found.templates:
        if not template.keys:
            continue
        count = sum(
            1
            for order in found.orders
            if len(set(order) & set(template.keys)) * 2 >= len(template.keys)
        )
        if count > best_count:
            best, best_count = template.relpath, count
    return best if best_count * 2 >= len(found.files) else None


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
        name = heading_key(section.heading.text)
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
    found.acting.update(names_acting_as_people(doc.text))
    found.common_words.update(_LOWERCASE_WORD.findall(doc.text))
    found.systems.update(systems_introduced(doc.text))
    services = data.get("services") if data is not None else None
    if isinstance(services, list):
        found.systems.update(str(service).lower() for service in services)


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
    notes.extend(_layout_notes(found, config))
    optional = found.with_front_matter * 2 < total
    if optional:
        config["front_matter"] = "optional"
    notes.append(
        f"front matter: {found.with_front_matter} of {total} files have it"
        + (" (optional)" if optional else " (required)")
    )
    notes.extend(_template_notes(found))
    sections, section_notes = _sections_schema(found)
    notes.extend(section_notes)
    config["schemas"] = {"sections": SECTIONS_NAME}
    frontmatter = None
    if found.with_front_matter:
        frontmatter = _frontmatter_schema(found)
        config["schemas"]["frontmatter"] = FRONTMATTER_NAME
    if found.template:
        config["template"] = found.template
        config["exclude"] = [escape(found.template)]
    notes.extend(_people_notes(found, config))
    notes.extend(_unchecked_notes(found, config))
    return Proposal(config, sections, frontmatter, notes)


def _people_notes(found: Survey, config: dict[str, Any]) -> list[str]:
    """`not_people:` for names pmrepo would take for people that the post-mortems introduce
    as systems; `people:` for names they show doing what only people do that pmrepo would
    not know otherwise (front matter, git authors and CODEOWNERS it reads by itself)."""
    nobody = People()
    not_people = sorted(
        name.title() for name in found.systems if nobody.evidence(name.title()) in _NAME_EVIDENCE
    )
    systems = {name.lower() for name in not_people} | set(found.systems)
    people = sorted(
        name
        for name in found.acting
        if not nobody.evidence(name)
        and not nobody.is_system(name)
        and name.lower() not in systems
        and name.lower() not in _NOT_NAMES
        # 'Developer called …', 'Deck posted …': a word also written in lowercase is a noun
        and name.lower() not in found.common_words
    )
    notes = []
    if people:
        config["people"] = people
        notes.append(f"people: names the post-mortems show acting as people: {_some(people)}")
    if not_people:
        config["not_people"] = not_people
        notes.append(f"not_people: names the post-mortems use for systems: {_some(not_people)}")
    return notes


_NAME_EVIDENCE = ("name", "word-name")
_LOWERCASE_WORD = re.compile(r"(?<![\w-])[a-z][a-z-]+(?![\w-])")
# Capitalised words that start a record line without naming anyone.
_NOT_NAMES = (
    SUBJECT_STOPWORDS
    | STOPWORDS_UNLESS_KNOWN
    | ROLE_PARTS
    | word_set(
        """someone everyone anyone nobody customer customers support engineering management
    leadership legal finance sales marketing security oncall on-call we i he she they you"""
    )
)


# Unplaced files listed one by one up to this many.
_LISTED = 20


def _layout_notes(found: Survey, config: dict[str, Any]) -> list[str]:
    total = len(found.files)
    choice = choose_layout(found.files)
    if choice is None or choice.placed * 2 < total:
        return [
            "file names: no common pattern with a year and a number or a date; set layout "
            "yourself (pmrepo check finds no post-mortem until it knows where they are)"
        ]
    config["layout"] = {"path": choice.path, "id": choice.id}
    notes = [f"file names: {choice.placed} of {total} follow '{choice.path}'"]
    if choice.placed < total * PLACED_SHARE:
        notes.append(
            f"only {choice.placed * 100 // total}% of the files follow one layout (pmrepo "
            "expects 90%): rename the others, or set layout yourself"
        )
    if choice.unplaced:
        notes.append("files that do not (pmrepo check reports them, PM103):")
        notes.extend(
            f"  {name}: {why_unplaced(name, choice)}" for name in choice.unplaced[:_LISTED]
        )
        if len(choice.unplaced) > _LISTED:
            notes.append(f"  and {len(choice.unplaced) - _LISTED} more")
    return notes


def _template_notes(found: Survey) -> list[str]:
    return [
        f"{template.relpath}: not used as the template: fewer than half of the files have "
        "most of its sections"
        for template in found.templates
        if template.relpath != found.template
    ]


def _unchecked_notes(found: Survey, config: dict[str, Any]) -> list[str]:
    """Files read here that pmrepo check, under the proposed config, would not check: one
    discovery for both, and what it leaves out is said, never dropped silently."""
    if "layout" not in config:
        return []
    proposed = Config(
        layout=make_layout(config["layout"]["path"], config["layout"]["id"], "proposal"),
        exclude=DEFAULT_EXCLUDE + tuple(config.get("exclude", ())),
    )
    checked = {relative(path, found.root) for path in walk(found.root, found.root, proposed)}
    left_out = [name for name in found.files if name not in checked]
    if not left_out:
        return [f"pmrepo check will check all {len(found.files)} of them"]
    return [f"read here but not checked by pmrepo check under this layout: {_some(left_out)}"]


def _some(names: list[str], shown: int = 5) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _canonical_names(found: Survey) -> list[str]:
    """The sections, in order: the headings at least a fifth of the files have, in their
    most common order (what the files do, whatever a template says)."""
    total = len(found.files)
    common: list[str] = []
    # Headings two files share, when there are some: one file's own heading is no section.
    fewest = 2 if any(count >= 2 for count in found.headings.values()) else 1
    for name, count in found.headings.most_common():
        # A spelling close to a more common section's ('Apendix') is a variant of it.
        shared = count >= fewest and count * 5 >= total
        if shared and not difflib.get_close_matches(name, common, cutoff=0.75):
            common.append(name)
    position: dict[str, list[int]] = {}
    for order in found.orders:
        for index, name in enumerate(order):
            position.setdefault(name, []).append(index)
    common.sort(key=lambda name: sum(position[name]) / len(position[name]))
    return [_display_name(found, name) for name in common]


def _display_name(found: Survey, key: str) -> str:
    """The spelling most files use; a qualifier ('Timeline (all times PST) 01/16/2024') that
    no two files share is left out of the name."""
    spelling, count = found.spelling[key].most_common(1)[0]
    if count * 2 > found.headings[key] or normalise_heading(spelling) == key:
        return spelling
    return spelling.split("(", 1)[0].strip().strip("*_").strip()


def _sections_schema(found: Survey) -> tuple[dict[str, Any], list[str]]:
    total = len(found.files)
    names = _canonical_names(found)
    if not names:
        raise PmrepoError(
            "no section headings that the files share: write a sections schema by hand "
            "(see schemas/sections.meta.schema.json)"
        )
    keys = [heading_key(name) for name in names]
    notes = []
    sections = []
    for name, key in zip(names, keys, strict=True):
        present = found.headings.get(key, 0)
        entry: dict[str, Any] = {"name": name, "required": _required(found, present)}
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
    schema: dict[str, Any] = {
        "title": "Post-mortem sections (proposed by pmrepo init --from-existing)",
        "section_level": level,
        "subsection_level": level + 1,
        "ordered": ordered,
        "sections": sections,
    }
    others = _files_with_other_sections(found, keys, sections)
    if others * 5 >= total:
        schema["other_sections"] = "allowed"
        notes.append(
            f"other sections: {others} of {total} files have sections of their own "
            "(other_sections: allowed; only headings close to a section's name are reported)"
        )
    return schema, notes


def _files_with_other_sections(
    found: Survey, keys: list[str], sections: list[dict[str, Any]]
) -> int:
    """Files with a section that is neither one of the proposed ones nor an alias."""
    known = set(keys) | {
        heading_key(alias) for entry in sections for alias in entry.get("aliases", ())
    }
    return sum(1 for order in found.orders if set(order) - known)


def _required(found: Survey, present: int) -> bool:
    """Required when most files have it and they follow a template; without a template
    the files agree on less, and a section is required when nearly all have it."""
    total = len(found.files)
    return present * 2 > total if found.template else present * 10 >= total * 9


def _aliases(found: Survey, key: str, keys: list[str]) -> list[str]:
    """Other headings two or more files use for this section: its spellings with a
    qualifier ('Timeline (times in BST)') and close variants ('Lessons learnt'). One-off
    spellings are typos for pmrepo check to report, not aliases."""
    name = normalise_heading(_display_name(found, key))
    aliases = [
        spelling
        for spelling, count in found.spelling[key].items()
        if count >= 2 and normalise_heading(spelling) != name
    ]
    for other, count in found.headings.items():
        if other in keys:
            continue
        close = count >= 2 and (
            difflib.get_close_matches(other, [key], n=1, cutoff=0.75) or other.startswith(key)
        )
        if close or _only_widening(other, key, keys):
            aliases.append(found.spelling[other].most_common(1)[0][0])
    return sorted(aliases)


def _only_widening(other: str, key: str, keys: list[str]) -> bool:
    """'Incident Timeline' for Timeline, 'Root Cause' for Root Cause Analysis: the words of
    one heading within the other's, and of no other section's."""

    def related(a: str, b: str) -> bool:
        small, large = sorted((set(a.split()), set(b.split())), key=len)
        return small < large and (len(small) >= 2 or len(large) == 2)

    return related(other, key) and not any(related(other, k) for k in keys if k != key)


def _follows(order: list[str], keys: list[str]) -> bool:
    positions = [keys.index(name) for name in order if name in keys]
    return positions == sorted(positions)


def _table(found: Survey, key: str) -> dict[str, Any] | None:
    total_with_section = found.headings.get(key, 0)
    with_table = found.tables.get(key, 0)
    if with_table * 2 <= len(found.files):  # a table only where most files have one
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
        yaml_modeline(CONFIG_SCHEMA)
        + "# pmrepo config proposed by `pmrepo init --from-existing` from what this repository\n"
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
