"""Configuration: .pmrepo.yaml or [tool.pmrepo] in pyproject.toml, found by walking up."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from postmortem_repo.core.errors import ConfigError
from postmortem_repo.core.findings import Severity
from postmortem_repo.core.reading import (
    CONFIG_LIMIT,
    DEFAULT_MAX_FILE_KB,
    DEFAULT_MAX_FRONT_MATTER_KB,
    GENERATED_LIMIT,
    NotReadable,
    read_limited_text,
)
from postmortem_repo.core.timeparse import ZONES
from postmortem_repo.model.layout import Layout, make_layout
from postmortem_repo.model.sections import SectionsSpec, load_sections_spec
from postmortem_repo.repo.exclude import (
    DEFAULT_EXCLUDE,
    Exclusion,
    check_patterns,
    compile_exclusion,
)
from postmortem_repo.schema.messages import describe_path, did_you_mean, flatten, message_for
from postmortem_repo.schema.validate import (
    CONFIG_SCHEMA,
    FRONTMATTER_SCHEMA,
    SECTIONS_SCHEMA,
    builtin_schema,
    builtin_validator,
    load_schema_file,
    make_validator,
)
from postmortem_repo.store.keys import describe, digest

if TYPE_CHECKING:
    from postmortem_repo.model.document import Document

CONFIG_FILES = (".pmrepo.yaml", ".pmrepo.yml")
# gitignore syntax (see exclude.py): every README.md, the root's TEMPLATE.md, patterns/.


@dataclass(frozen=True)
class BlamelessConfig:
    allow: tuple[str, ...] = ()
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skip_sections: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # lint/blameless/learned.py reads the sentences the detectors read and find nothing in:
    # more findings in hurried and unusual writing, and a slower check.
    learned: bool = False


class TemplateFile(NamedTuple):
    """The repository's own template (config: `template`), as pmrepo read it."""

    relpath: str  # relative to the config's folder
    text: str


@dataclass
class Config:
    source: Path | None = None
    root: Path | None = None
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    fixable: tuple[str, ...] = ("ALL",)  # the rules whose fixes `check --fix` applies
    unfixable: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    # (pattern in .gitignore syntax relative to the root, the codes or rule names it ignores)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    layout: Layout = field(default_factory=Layout)
    max_file_kb: int = DEFAULT_MAX_FILE_KB
    max_front_matter_kb: int = DEFAULT_MAX_FRONT_MATTER_KB
    front_matter_required: bool = True
    people: tuple[str, ...] = ()
    not_people: tuple[str, ...] = ()
    blameless: BlamelessConfig = field(default_factory=BlamelessConfig)
    index_per_year: bool = False
    timeline_slack_before: int = 60
    timeline_slack_after: int = 60
    timeline_zone: dt.tzinfo | None = None  # the zone of timelines that declare none
    due_windows: dict[str, str] = field(
        default_factory=lambda: {"P0": "7d", "P1": "1m", "P2": "3m"}
    )
    repeat_window_days: int = 365
    repeat_ignore_tags: tuple[str, ...] = ("unknown",)
    related_threshold: float = 0.8  # PM706: a suggestion at least this strong is worth a link
    # The org.yaml of the teams whose incidents `related` may name as team/INC-… (PM703).
    related_org: Path | None = None
    frontmatter_schema: dict[str, Any] = field(
        default_factory=lambda: builtin_schema(FRONTMATTER_SCHEMA)
    )
    sections: SectionsSpec = field(
        default_factory=lambda: load_sections_spec(
            builtin_schema(SECTIONS_SCHEMA), origin=SECTIONS_SCHEMA
        )
    )
    template: TemplateFile | None = None

    def parse(self, text: str, *, path: str, relpath: str) -> Document:
        """A post-mortem's text parsed as this config reads it: its sections and its limit
        on front matter."""
        # Imported here: reading the config must not load the Markdown parser (pmrepo related
        # answers from its cache without it); looked up at each call, so that what patches
        # the parser patches every caller.
        from postmortem_repo.model import document

        return document.parse_document(
            text,
            path=path,
            relpath=relpath,
            spec=self.sections,
            max_front_matter_kb=self.max_front_matter_kb,
        )

    @property
    def exclusion(self) -> Exclusion:
        """The exclude patterns compiled: one matcher, built once for these patterns."""
        return compile_exclusion(self.exclude)

    # Every field, named: a field added to Config and not here fails a test, since the
    # cache would otherwise serve results computed under another value of it.
    CACHE_KEY_FIELDS = (
        "source",
        "root",
        "select",
        "ignore",
        "fixable",
        "unfixable",
        "severity",
        "exclude",
        "per_file_ignores",
        "layout",
        "max_file_kb",
        "max_front_matter_kb",
        "front_matter_required",
        "people",
        "not_people",
        "blameless",
        "index_per_year",
        "timeline_slack_before",
        "timeline_slack_after",
        "timeline_zone",
        "due_windows",
        "repeat_window_days",
        "repeat_ignore_tags",
        "related_threshold",
        "related_org",
        "frontmatter_schema",
        "sections",
        "template",
    )

    def cache_key(self) -> str:
        """The hash of everything in the config, for the keys of stored results."""
        return digest(
            *(f"{name}={describe(getattr(self, name))}" for name in self.CACHE_KEY_FIELDS)
        )


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above start, stopping at the git root."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        for name in CONFIG_FILES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and has_tool_section(pyproject):
            return pyproject
        if (folder / ".git").exists():
            return None
    return None


def has_tool_section(pyproject: Path) -> bool:
    import tomllib  # only where a pyproject.toml is seen: it costs start-up time

    try:
        data = tomllib.loads(read_limited_text(pyproject, CONFIG_LIMIT))
    except (NotReadable, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "pmrepo" in data["tool"]


def resolve_config(targets: Sequence[Path], config_path: Path | None = None) -> Config:
    """The explicit config file, else the nearest one above the first target, else defaults."""
    if config_path is not None:
        return load_config(config_path)
    start = targets[0] if targets else Path.cwd()
    return load_config(find_config(start))


def load_config(path: Path | None) -> Config:
    """Load and validate a config file; the built-in defaults when path is None."""
    if path is None:
        return Config()
    raw = _read_raw(path)
    _validate(raw, path)
    return _build(raw, path)


def _read_raw(path: Path) -> dict[str, Any]:
    try:
        text = read_limited_text(path, CONFIG_LIMIT)
    except NotReadable as error:
        raise ConfigError(f"{path}: cannot read config: {error.reason}") from error
    if path.name == "pyproject.toml":
        import tomllib

        try:
            tool = tomllib.loads(text).get("tool", {})
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: invalid TOML: {error}") from error
        raw = tool.get("pmrepo", {}) if isinstance(tool, dict) else {}
    else:
        try:
            raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f":{mark.line + 1}" if mark else ""
            raise ConfigError(f"{path}{line}: invalid YAML in config: {error}") from error
        raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the config must be a mapping of keys")
    return raw


def _validate(raw: dict[str, Any], path: Path) -> None:
    schema = builtin_schema(CONFIG_SCHEMA)
    known = schema["properties"]
    for key in raw:
        if key not in known:
            raise ConfigError(f"{path}: unknown config key '{key}'{did_you_mean(key, known)}")
        _known_subkeys(raw[key], known[key], f"{key}.", path)
    errors = sorted(flatten(builtin_validator(CONFIG_SCHEMA).iter_errors(raw)), key=str)
    if errors:
        where, message = message_for(errors[0], schema)
        message = message.replace("the front matter", "the config")
        raise ConfigError(f"{path}: invalid config at '{describe_path(where)}': {message}")


def _known_subkeys(value: Any, schema: dict[str, Any], prefix: str, path: Path) -> None:
    """A typo inside a section of fixed keys (related.treshold) named with a suggestion."""
    known = schema.get("properties")
    if schema.get("additionalProperties") is not False or not known or not isinstance(value, dict):
        return
    for key in value:
        if key not in known:
            raise ConfigError(
                f"{path}: unknown config key '{prefix}{key}'{did_you_mean(str(key), known)}"
            )


def _build(raw: dict[str, Any], path: Path) -> Config:
    base = path.parent
    root = (base / raw.get("root", ".")).resolve()
    config = Config(source=path, root=root)
    folder = base.resolve()
    if root != folder and folder not in root.parents:
        raise ConfigError(
            f"{path}: invalid config at 'root': '{raw['root']}' leads out of the config's "
            f"folder (to {config.root}): the root must be that folder or one inside it"
        )
    if config.root is not None and config.root.exists() and not config.root.is_dir():
        raise ConfigError(f"{path}: invalid config at 'root': '{raw['root']}' is not a folder")
    config.select = tuple(raw.get("select", config.select))
    config.ignore = tuple(raw.get("ignore", ()))
    config.fixable = tuple(raw.get("fixable", config.fixable))
    config.unfixable = tuple(raw.get("unfixable", ()))
    config.severity = {code: Severity(level) for code, level in raw.get("severity", {}).items()}
    try:
        check_patterns(raw.get("exclude", ()))
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from error
    config.exclude = DEFAULT_EXCLUDE + tuple(raw.get("exclude", ()))
    per_file = raw.get("per_file_ignores", {})
    try:
        check_patterns(per_file, key="per_file_ignores")
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from error
    config.per_file_ignores = tuple((pattern, tuple(codes)) for pattern, codes in per_file.items())
    compile_exclusion(config.exclude)
    if "layout" in raw:
        config.layout = make_layout(raw["layout"]["path"], raw["layout"]["id"], str(path))
    config.front_matter_required = raw.get("front_matter", "required") == "required"
    limits = raw.get("limits", {})
    config.max_file_kb = int(limits.get("max_file_kb", DEFAULT_MAX_FILE_KB))
    config.max_front_matter_kb = int(limits.get("max_front_matter_kb", DEFAULT_MAX_FRONT_MATTER_KB))
    config.people = tuple(raw.get("people", ()))
    config.not_people = tuple(raw.get("not_people", ()))
    blameless = raw.get("blameless", {})
    config.blameless = BlamelessConfig(
        allow=tuple(blameless.get("allow", ())),
        extra={code: tuple(words) for code, words in blameless.get("extra", {}).items()},
        skip_sections={
            name: tuple(codes) for name, codes in blameless.get("skip_sections", {}).items()
        },
        learned=bool(blameless.get("learned", False)),
    )
    config.index_per_year = bool(raw.get("index", {}).get("per_year", False))
    timeline = raw.get("timeline", {})
    config.timeline_slack_before = int(timeline.get("slack_before_minutes", 60))
    config.timeline_slack_after = int(timeline.get("slack_after_minutes", 60))
    if "zone" in timeline:
        config.timeline_zone = dt.timezone(dt.timedelta(minutes=ZONES[timeline["zone"]]))
    config.due_windows = {**config.due_windows, **raw.get("actions", {}).get("due_within", {})}
    repeats = raw.get("repeats", {})
    config.repeat_window_days = int(repeats.get("window_days", config.repeat_window_days))
    config.repeat_ignore_tags = tuple(repeats.get("ignore_tags", config.repeat_ignore_tags))
    config.related_threshold = float(
        raw.get("related", {}).get("threshold", config.related_threshold)
    )
    if "org" in raw.get("related", {}):
        config.related_org = Path(os.path.normpath(base / raw["related"]["org"]))
        if not config.related_org.is_file():
            raise ConfigError(f"{path}: related.org: {config.related_org} is not a file")
    schemas = raw.get("schemas", {})
    if "frontmatter" in schemas:
        schema_path = base / schemas["frontmatter"]
        config.frontmatter_schema = load_schema_file(schema_path)
        make_validator(config.frontmatter_schema, origin=str(schema_path))
    if "sections" in schemas:
        sections_path = base / schemas["sections"]
        config.sections = load_sections_spec(
            load_schema_file(sections_path), origin=str(sections_path)
        )
    if "template" in raw:
        config.template = _template(base, raw["template"], path)
    return config


def _template(base: Path, relpath: str, path: Path) -> TemplateFile:
    try:
        text = read_limited_text(base / relpath, GENERATED_LIMIT)
    except NotReadable as error:
        raise ConfigError(
            f"{path}: invalid config at 'template': cannot read '{relpath}': {error.reason}"
        ) from error
    return TemplateFile(relpath, text.replace("\r\n", "\n"))
