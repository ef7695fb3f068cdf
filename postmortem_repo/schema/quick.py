"""A quick yes for JSON Schema validation, so that valid front matter never waits for
jsonschema.

Importing jsonschema (with referencing, rpds and attrs) costs about 40 ms, a quarter of a
single-file check, the pre-commit case. Almost every front matter, config and sections file
pmrepo validates is valid, and for those the answer needs no error objects. QuickSchema
answers True only when it is sure the instance is valid under draft 2020-12 as jsonschema
implements it; it answers False or None (not sure) otherwise, and the caller then asks
jsonschema, which alone words the errors. So QuickSchema may be incomplete but must never
say True where jsonschema finds an error: tests/test_quickschema.py checks that against
jsonschema on generated schemas and instances.

It handles the keywords pmrepo's schemas and typical front-matter schemas use. A schema with
anything else (prefixItems, contains, multipleOf, $dynamicRef, another draft, ...) is left
to jsonschema entirely.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

# A format check: the function and the exception that means "not in this format".
FormatCheck = tuple[Callable[[object], bool], type[Exception] | tuple[type[Exception], ...]]
Verdict = bool | None
# A keyword's check: (validator, the keyword's value, the schema, the instance, depth).
Keyword = Callable[["QuickSchema", Any, Any, Any, int], bool]

DRAFT_2020_12 = ("https://json-schema.org/draft/2020-12/schema", "")

_ANNOTATIONS = frozenset(
    {
        "$comment",
        "$defs",
        "definitions",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
        "then",
        "else",
    }
)
_HANDLED = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
        "uniqueItems",
        "items",
        "properties",
        "patternProperties",
        "additionalProperties",
        "required",
        "dependentRequired",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "format",
    }
)
# Every other key starting with '$' ($id below the root, $anchor, $dynamicRef, ...) and every
# other draft 2020-12 keyword leaves the answer to jsonschema. Keys jsonschema ignores (such
# as pmrepo's x-pmrepo-expected) are ignored here too.
_LEFT_TO_JSONSCHEMA = frozenset(
    {
        "prefixItems",
        "contains",
        "minContains",
        "maxContains",
        "unevaluatedItems",
        "unevaluatedProperties",
        "dependentSchemas",
        "multipleOf",
        "dependencies",
        "additionalItems",
    }
)
_JSON_VALUES = (str, int, float, bool, type(None), list, dict)
_MAX_DEPTH = 100


class _Unsure(Exception):
    """The quick path cannot decide; jsonschema must."""


class QuickSchema:
    def __init__(self, schema: Any, formats: Mapping[str, FormatCheck]) -> None:
        self._root = schema
        self._formats = formats
        self._plans: dict[int, tuple[bool, list[tuple[Keyword, Any]]]] = {}
        self._targets: dict[str, Any] = {}  # $ref → the node it points at
        self.supported = _draft_supported(schema)

    def verdict(self, instance: Any) -> Verdict:
        """True: valid for sure. False: invalid. None: not sure (ask jsonschema)."""
        if not self.supported:
            return None
        try:
            return self._valid(self._root, instance, 0)
        except _Unsure:
            return None

    def _valid(self, schema: Any, instance: Any, depth: int) -> bool:
        if schema is True:
            return True
        if schema is False:
            return False
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            raise _Unsure
        plan = self._plans.get(id(schema))
        if plan is None:
            plan = self._plans[id(schema)] = self._plan(schema)
        if not plan[0]:
            raise _Unsure
        # A loop rather than all() over a generator: this runs for every node of every
        # front matter, and the generator costs a fifth of the validation.
        for keyword, value in plan[1]:  # noqa: SIM110
            if not keyword(self, value, schema, instance, depth):
                return False
        return True

    def _plan(self, schema: dict[str, Any]) -> tuple[bool, list[tuple[Keyword, Any]]]:
        """(whether every keyword of schema is handled, its keywords in order): made once
        per schema node, as each front matter of a repository is validated against it."""
        steps = [(_KEYWORDS[key], value) for key, value in schema.items() if key in _KEYWORDS]
        return self._handled(schema), steps

    def _handled(self, schema: dict[str, Any]) -> bool:
        for key in schema:
            if key in _HANDLED or key in _ANNOTATIONS:
                continue
            if key in ("$schema", "$id") and schema is self._root:
                continue
            if key.startswith("$") or key in _LEFT_TO_JSONSCHEMA:
                return False
        return True

    def _resolve(self, reference: object) -> Any:
        if not isinstance(reference, str) or not reference.startswith("#"):
            raise _Unsure
        node = self._root
        pointer = reference[1:]
        if not pointer:
            return node
        if not pointer.startswith("/") or "%" in pointer:
            raise _Unsure
        for raw in pointer[1:].split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise _Unsure
        return node


def _draft_supported(schema: Any) -> bool:
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    draft = schema.get("$schema", "")
    return isinstance(draft, str) and draft.rstrip("#") in DRAFT_2020_12


def _check_json(instance: Any) -> None:
    """Values JSON has no type for (dates, sets, ...) are jsonschema's to judge."""
    if not isinstance(instance, _JSON_VALUES):
        raise _Unsure


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _has_type(instance: Any, name: object) -> bool:
    _check_json(instance)
    if name == "string":
        return isinstance(instance, str)
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if name == "number":
        return _is_number(instance)
    if name == "integer":
        if isinstance(instance, float):
            return instance.is_integer()
        return isinstance(instance, int) and not isinstance(instance, bool)
    raise _Unsure


def _type(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    names = value if isinstance(value, list) else [value]
    return any(_has_type(instance, name) for name in names)


def _one_of_values(allowed: list[Any], instance: Any) -> bool:
    """jsonschema's equality for enum and const, where it is plain: strings, null, booleans
    (which never equal 0 or 1 there)."""
    if isinstance(instance, str):
        return any(isinstance(each, str) and each == instance for each in allowed)
    if instance is None:
        return any(each is None for each in allowed)
    if isinstance(instance, bool):
        return any(isinstance(each, bool) and each is instance for each in allowed)
    raise _Unsure


def _enum(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    if not isinstance(value, list):
        raise _Unsure
    return _one_of_values(value, instance)


def _const(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    return _one_of_values([value], instance)


_COMPILED: dict[str, re.Pattern[str]] = {}


def _search(pattern: Any, text: str) -> bool:
    compiled = _COMPILED.get(pattern) if isinstance(pattern, str) else None
    if compiled is None:
        try:
            compiled = _COMPILED[pattern] = re.compile(pattern)
        except (re.error, TypeError) as error:
            raise _Unsure from error
    return compiled.search(text) is not None


def _pattern(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    return not isinstance(instance, str) or _search(value, instance)


def _bound(
    applies: Callable[[Any], bool], measure: Callable[[Any], Any], holds: Callable[[Any, Any], bool]
) -> Callable[[QuickSchema, Any, Any, Any, int], bool]:
    def keyword(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
        if not applies(instance):
            return True
        if not _is_number(value):
            raise _Unsure
        return holds(measure(instance), value)

    return keyword


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_list(value: Any) -> bool:
    return isinstance(value, list)


def _is_dict(value: Any) -> bool:
    return isinstance(value, dict)


def _same(value: Any) -> Any:
    return value


def _at_least(measured: Any, limit: Any) -> bool:
    return bool(measured >= limit)


def _at_most(measured: Any, limit: Any) -> bool:
    return bool(measured <= limit)


def _above(measured: Any, limit: Any) -> bool:
    return bool(measured > limit)


def _below(measured: Any, limit: Any) -> bool:
    return bool(measured < limit)


def _unique(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    if value is not True or not isinstance(instance, list):
        return True
    if not all(isinstance(item, str) for item in instance):
        raise _Unsure
    return len(set(instance)) == len(instance)


def _items(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    if not isinstance(instance, list):
        return True
    return all(quick._valid(value, item, depth + 1) for item in instance)


def _properties(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    if not isinstance(instance, dict):
        return True
    if not isinstance(value, dict):
        raise _Unsure
    return all(
        quick._valid(sub, instance[name], depth + 1)
        for name, sub in value.items()
        if name in instance
    )


def _keys_matching(pattern: str, instance: dict[Any, Any]) -> list[Any]:
    if not all(isinstance(key, str) for key in instance):
        raise _Unsure
    return [key for key in instance if _search(pattern, key)]


def _pattern_properties(
    quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int
) -> bool:
    if not isinstance(instance, dict):
        return True
    return all(
        quick._valid(sub, instance[key], depth + 1)
        for pattern, sub in value.items()
        for key in _keys_matching(pattern, instance)
    )


def _additional(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    if not isinstance(instance, dict):
        return True
    known = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    matched = {key for pattern in patterns for key in _keys_matching(pattern, instance)}
    extra = [key for key in instance if key not in known and key not in matched]
    return all(quick._valid(value, instance[key], depth + 1) for key in extra)


def _required(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    return not isinstance(instance, dict) or all(name in instance for name in value)


def _dependent_required(
    quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int
) -> bool:
    if not isinstance(instance, dict):
        return True
    return all(
        all(needed in instance for needed in needs)
        for key, needs in value.items()
        if key in instance
    )


def _property_names(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    if not isinstance(instance, dict):
        return True
    return all(quick._valid(value, key, depth + 1) for key in instance)


def _all_of(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    return all(quick._valid(sub, instance, depth + 1) for sub in value)


def _any_of(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    # A branch jsonschema alone can judge makes the whole answer unsure, unless another
    # branch is surely valid.
    unsure = False
    for sub in value:
        try:
            if quick._valid(sub, instance, depth + 1):
                return True
        except _Unsure:
            unsure = True
    if unsure:
        raise _Unsure
    return False


def _one_of(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    return sum(quick._valid(sub, instance, depth + 1) for sub in value) == 1


def _not(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    return not quick._valid(value, instance, depth + 1)


def _if(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    if quick._valid(value, instance, depth + 1):
        return "then" not in schema or quick._valid(schema["then"], instance, depth + 1)
    return "else" not in schema or quick._valid(schema["else"], instance, depth + 1)


def _format(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    if not isinstance(value, str):
        raise _Unsure
    check = quick._formats.get(value)
    if check is None:
        return True
    function, raises = check
    try:
        return bool(function(instance))
    except raises:
        return False


def _ref(quick: QuickSchema, value: Any, schema: Any, instance: Any, depth: int) -> bool:
    target = quick._targets.get(value) if isinstance(value, str) else None
    if target is None:
        target = quick._resolve(value)
        quick._targets[value] = target
    return quick._valid(target, instance, depth + 1)


_KEYWORDS: dict[str, Keyword] = {
    "$ref": _ref,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minLength": _bound(_is_str, len, _at_least),
    "maxLength": _bound(_is_str, len, _at_most),
    "minimum": _bound(_is_number, _same, _at_least),
    "maximum": _bound(_is_number, _same, _at_most),
    "exclusiveMinimum": _bound(_is_number, _same, _above),
    "exclusiveMaximum": _bound(_is_number, _same, _below),
    "minItems": _bound(_is_list, len, _at_least),
    "maxItems": _bound(_is_list, len, _at_most),
    "minProperties": _bound(_is_dict, len, _at_least),
    "maxProperties": _bound(_is_dict, len, _at_most),
    "uniqueItems": _unique,
    "items": _items,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional,
    "required": _required,
    "dependentRequired": _dependent_required,
    "propertyNames": _property_names,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
    "if": _if,
    "format": _format,
}
