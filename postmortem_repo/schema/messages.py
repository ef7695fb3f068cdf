"""JSON Schema errors in words a person understands, instead of a raw jsonschema dump."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import ValidationError

JsonPath = tuple[str | int, ...]


def describe_path(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the front matter"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "empty (null)",
}


def _expected(error: ValidationError) -> str | None:
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("x-pmrepo-expected")
    return hint if isinstance(hint, str) else None


def _because(error: ValidationError, root: dict[str, Any]) -> str:
    """' (required for <description of the then-branch>)' when the error comes from if/then."""
    node: Any = root
    parts = list(error.schema_path)
    for index, part in enumerate(parts):
        if not isinstance(node, dict | list):
            break
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if part == "then" and isinstance(node, dict) and index + 1 < len(parts):
            description = node.get("description")
            if description:
                return f" ({description} needs it)"
    return ""


def flatten(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """Replace an anyOf/oneOf error by its most relevant sub-error."""
    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            # "must be null" is never the helpful half of "a timestamp or null".
            from jsonschema.exceptions import best_match

            useful = [e for e in error.context if not _is_null_branch(e)]
            yield best_match(useful or error.context)
        else:
            yield error


def _is_null_branch(error: ValidationError) -> bool:
    return bool(error.validator == "type" and error.validator_value == "null")


def message_for(error: ValidationError, root: dict[str, Any]) -> tuple[JsonPath, str]:
    """(path of the offending key, message) for one validation error."""
    path: JsonPath = tuple(error.absolute_path)
    where = describe_path(path)
    value = error.instance
    kind = error.validator
    expected = _expected(error)
    if kind == "required":
        # jsonschema reports one error per missing key, named only in its message.
        missing = error.message.split("'")[1] if error.message.count("'") >= 2 else "?"
        return path, f"missing required key '{missing}'{_because(error, root)}"
    if kind == "enum":
        choices = ", ".join(str(choice) for choice in error.validator_value)
        suggestion = _suggest(value, error.validator_value)
        return path, f"'{where}' must be one of {choices}; got {_show(value)}{suggestion}"
    if kind == "const":
        return path, f"'{where}' must be {_show(error.validator_value)}; got {_show(value)}"
    if kind == "type":
        wanted = error.validator_value
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        words = expected or " or ".join(_TYPE_WORDS.get(name, name) for name in names)
        return path, f"'{where}' must be {words}; got {_show(value)}"
    if kind in ("pattern", "format"):
        what = expected or (f"in {error.validator_value} format" if kind == "format" else "valid")
        return path, f"'{where}' must be {what}; got {_show(value)}"
    if kind == "minItems":
        count = error.validator_value
        items = "item" if count == 1 else "items"
        return path, f"'{where}' needs at least {count} {items}{_because(error, root)}"
    if kind == "minLength":
        return path, f"'{where}' must not be empty"
    if kind == "uniqueItems":
        repeat = _first_repeat(value)
        if repeat is not None:
            return (
                *path,
                repeat,
            ), f"'{where}' lists {_show(value[repeat])} twice: remove the repeat"
        return path, f"'{where}' lists the same item twice: remove the repeat"
    if kind == "additionalProperties":
        return path, f"unexpected keys in '{where}'"
    return path, f"'{where}': {error.message}"


def _first_repeat(items: Any) -> int | None:
    if not isinstance(items, list):
        return None
    for index, item in enumerate(items):
        if item in items[:index]:
            return index
    return None


def _suggest(value: Any, choices: Iterable[Any]) -> str:
    if not isinstance(value, str):
        return ""
    strings = [choice for choice in choices if isinstance(choice, str)]
    upper = {choice.upper(): choice for choice in strings}
    if value.strip().upper() in upper:
        return f" (did you mean '{upper[value.strip().upper()]}'?)"
    close = difflib.get_close_matches(value, strings, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
