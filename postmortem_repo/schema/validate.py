"""The JSON Schemas pmrepo ships (package data) and the validators built from them.

jsonschema is imported only when an instance is not surely valid (see quickschema) or a
user's schema must be checked: it is a quarter of a single-file check's start-up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postmortem_repo.core.errors import ConfigError
from postmortem_repo.core.reading import CONFIG_LIMIT, NotReadable, read_limited_text
from postmortem_repo.core.timeparse import is_iso_date, is_rfc3339_datetime
from postmortem_repo.schema.quick import FormatCheck, QuickSchema

if TYPE_CHECKING:
    from jsonschema import FormatChecker, ValidationError
    from jsonschema.protocols import Validator

SCHEMA_FOLDER = Path(__file__).resolve().parent / "json"

FRONTMATTER_SCHEMA = "postmortem.frontmatter.schema.json"
SECTIONS_SCHEMA = "postmortem.sections.schema.json"
SECTIONS_META_SCHEMA = "sections.meta.schema.json"
CONFIG_SCHEMA = "config.schema.json"


def _is_regex(value: object) -> bool:
    if isinstance(value, str):
        re.compile(value)
    return True


# The formats pmrepo checks; jsonschema checks none unless told.
FORMATS: dict[str, FormatCheck] = {
    "date-time": (is_rfc3339_datetime, ValueError),
    "date": (is_iso_date, ValueError),
    "regex": (_is_regex, re.error),
}


@cache
def format_checker() -> FormatChecker:
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    for name, (function, raises) in FORMATS.items():
        checker.checks(name, raises=raises)(function)
    return checker


class SchemaValidator:
    """jsonschema's iter_errors, answered without jsonschema when the instance is surely
    valid, the common case."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._quick = QuickSchema(schema, FORMATS)

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        if self._quick.verdict(instance) is True:
            return iter(())
        errors: Iterator[ValidationError] = self._full.iter_errors(instance)
        return errors

    @cached_property
    def _full(self) -> Validator:
        import jsonschema
        import referencing

        cls = jsonschema.validators.validator_for(
            self.schema, default=jsonschema.Draft202012Validator
        )
        # An empty registry: without one jsonschema would fetch a remote $ref over the network.
        validator: Validator = cls(
            self.schema, format_checker=format_checker(), registry=referencing.Registry()
        )
        return validator


def builtin_schema_text(name: str) -> str:
    return (SCHEMA_FOLDER / name).read_text("utf-8")


@cache
def builtin_schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(builtin_schema_text(name))
    return loaded


@cache
def frontmatter_enum(key: str) -> tuple[str, ...]:
    """The values the built-in front-matter schema allows for a key, in its order
    (frontmatter_enum("severity") is ("SEV1", "SEV2", "SEV3", "SEV4"))."""
    values = builtin_schema(FRONTMATTER_SCHEMA)["properties"][key]["enum"]
    return tuple(str(value) for value in values)


def yaml_modeline(name: str) -> str:
    """The first line of a YAML file that follows a built-in schema: yaml-language-server
    (VS Code's YAML extension, Neovim, Helix, Emacs) reads it and completes and checks the
    file against the schema's published address (its $id)."""
    return f"# yaml-language-server: $schema={builtin_schema(name)['$id']}\n"


def load_schema_file(path: Path) -> dict[str, Any]:
    """A user's schema file (JSON, or YAML for convenience); ConfigError when unreadable."""
    try:
        text = read_limited_text(path, CONFIG_LIMIT)
    except NotReadable as error:
        raise ConfigError(f"{path}: cannot read schema: {error.reason}") from error
    try:
        data = json.loads(text) if path.suffix == ".json" else _load_yaml(text)
    except ValueError as error:
        raise ConfigError(f"{path}: invalid schema file: {error}") from error
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a schema must be a JSON object")
    return data


def _load_yaml(text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise ValueError(str(error)) from error


def make_validator(schema: dict[str, Any], *, origin: str, check: bool = True) -> SchemaValidator:
    """A validator for schema, checked against its own metaschema first unless check is
    False (a schema already checked when the config was loaded: checking costs ~20 ms)."""
    if check:
        _check_schema(schema, origin)
    for location, reference in _references(schema, ()):
        if not reference.startswith("#"):
            raise ConfigError(
                f"{origin}: '$ref: {reference}' at {'/'.join(location) or '(top level)'}: pmrepo "
                "resolves only references inside the schema ('#/$defs/...') and never fetches "
                "one: copy what it points at into $defs"
            )
    return SchemaValidator(schema)


def _check_schema(schema: dict[str, Any], origin: str) -> None:
    import jsonschema

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        message = f"{origin}: not a valid JSON Schema at {where}: {error.message}"
        raise ConfigError(message) from error


def _references(node: object, where: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    """Every $ref of a schema with where it is."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append((where, value))
            else:
                found.extend(_references(value, (*where, str(key))))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found.extend(_references(item, (*where, str(index))))
    return found


@cache
def builtin_validator(name: str) -> SchemaValidator:
    # The shipped schemas are checked against their metaschema by the test suite, not on
    # every start (that check costs more than validating a repository's front matter).
    return make_validator(builtin_schema(name), origin=name, check=False)
