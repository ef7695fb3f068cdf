"""The quick validator never says "valid" where jsonschema finds an error.

pmrepo answers valid front matter, configs and sections files without importing jsonschema
(postmortem_repo/schema/quick.py). A wrong True there would silently drop findings, so these
tests compare its every decided answer with jsonschema's on generated schemas and instances,
and on pmrepo's own schemas with front matter from sample-repo, mutated.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortem_repo.core.textpos import LineIndex, normalise
from postmortem_repo.model.frontmatter import parse_front_matter
from postmortem_repo.schema.quick import QuickSchema
from postmortem_repo.schema.validate import (
    CONFIG_SCHEMA,
    FORMATS,
    FRONTMATTER_SCHEMA,
    SECTIONS_META_SCHEMA,
    builtin_schema,
    format_checker,
)

SETTINGS = settings(
    max_examples=int(os.environ.get("PMREPO_PROPERTY_EXAMPLES", "300")) * 3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ROOT = REPO
SAMPLE = ROOT / "sample-repo"

KEYS = ["id", "status", "a", "b", "x-1"]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([0.0, 1.0, 1.5, -2.5])
    | st.sampled_from(["", "a", "ab", "b1", "2024-01-15", "2024-02-30", "2024-01-15T10:00:00Z"])
    | st.sampled_from(["INC-2024-0015", "PUBLISHED", "[", " ", "ä"])
    | st.dates()  # not a JSON value: the quick path must leave it to jsonschema
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=3)
    ),
    max_leaves=8,
)
small_scalars = st.sampled_from([None, True, False, 0, 1, 1.0, "a", "b", "PUBLISHED", ""])
types = st.sampled_from(["string", "integer", "number", "boolean", "null", "array", "object"])
patterns = st.sampled_from(["^a", "b$", "[0-9]", "^$", "\\S", "^INC-[0-9]{4}-[0-9]{4,}$"])
counts = st.integers(0, 3)


def keyword_leaf() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.just({}),
        st.booleans(),
        st.builds(
            lambda t: {"type": t}, types | st.lists(types, min_size=1, max_size=3, unique=True)
        ),
        st.builds(lambda e: {"enum": e}, st.lists(small_scalars, min_size=1, max_size=3)),
        st.builds(lambda c: {"const": c}, small_scalars),
        st.builds(lambda p: {"pattern": p}, patterns),
        st.builds(lambda k, n: {k: n}, st.sampled_from(["minLength", "maxLength"]), counts),
        st.builds(
            lambda k, n: {k: n},
            st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
            st.sampled_from([0, 1, 1.5, -1]),
        ),
        st.builds(lambda k, n: {k: n}, st.sampled_from(["minItems", "maxItems"]), counts),
        st.builds(lambda k, n: {k: n}, st.sampled_from(["minProperties", "maxProperties"]), counts),
        st.builds(lambda u: {"uniqueItems": u}, st.booleans()),
        st.builds(lambda r: {"required": r}, st.lists(st.sampled_from(KEYS), unique=True)),
        st.builds(
            lambda d: {"dependentRequired": d},
            st.dictionaries(st.sampled_from(KEYS), st.lists(st.sampled_from(KEYS), unique=True)),
        ),
        st.builds(
            lambda f: {"format": f}, st.sampled_from(["date", "date-time", "regex", "email"])
        ),
        st.just({"$ref": "#/$defs/d"}),
        st.just({"multipleOf": 2}),  # left to jsonschema
    )


def composite(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(lambda s: {"items": s}, children),
        st.builds(lambda p: {"properties": p}, st.dictionaries(st.sampled_from(KEYS), children)),
        st.builds(lambda s: {"additionalProperties": s}, children),
        st.builds(
            lambda p, s: {"properties": p, "additionalProperties": s},
            st.dictionaries(st.sampled_from(KEYS), children),
            children,
        ),
        st.builds(lambda p, s: {"patternProperties": {p: s}}, patterns, children),
        st.builds(lambda s: {"propertyNames": s}, children),
        st.builds(
            lambda k, s: {k: s},
            st.sampled_from(["allOf", "anyOf", "oneOf"]),
            st.lists(children, min_size=1, max_size=3),
        ),
        st.builds(lambda s: {"not": s}, children),
        st.builds(lambda i, t, e: {"if": i, "then": t, "else": e}, children, children, children),
        st.builds(
            lambda a, b: {**a, **b} if isinstance(a, dict) and isinstance(b, dict) else a,
            children,
            children,
        ),
    )


schemas = st.recursive(keyword_leaf(), composite, max_leaves=6)
ref_free = st.recursive(
    keyword_leaf().filter(lambda s: not (isinstance(s, dict) and "$ref" in s)),
    composite,
    max_leaves=4,
)


def jsonschema_errors(schema: Any, instance: Any) -> list[Any]:
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=format_checker(), registry=referencing.Registry()
    )
    return list(validator.iter_errors(instance))


def assert_agrees(schema: Any, instance: Any) -> bool | None:
    verdict = QuickSchema(schema, FORMATS).verdict(instance)
    if verdict is not None:
        errors = jsonschema_errors(schema, instance)
        assert verdict == (not errors), (schema, instance, errors)
    return verdict


@SETTINGS
@given(body=schemas, definition=ref_free, instance=values)
def test_generated_schemas_and_instances(body: Any, definition: Any, instance: Any) -> None:
    schema = {"$defs": {"d": definition}, "allOf": [body]}
    jsonschema.Draft202012Validator.check_schema(schema)
    assert_agrees(schema, instance)


def sample_front_matters() -> list[dict[str, Any]]:
    found = []
    for path in sorted(SAMPLE.glob("20*/Q*/INC-*.md")):
        text = normalise(path.read_text("utf-8"))
        data = parse_front_matter(text, LineIndex(text)).data
        assert data is not None
        found.append(data)
    return found


FRONT_MATTERS = sample_front_matters()
FRONTMATTER = builtin_schema(FRONTMATTER_SCHEMA)


def test_every_sample_front_matter_is_answered_without_jsonschema() -> None:
    assert len(FRONT_MATTERS) >= 5
    for data in FRONT_MATTERS:
        assert QuickSchema(FRONTMATTER, FORMATS).verdict(data) is True
        assert jsonschema_errors(FRONTMATTER, data) == []


@SETTINGS
@given(
    which=st.integers(0, len(FRONT_MATTERS) - 1),
    edits=st.lists(
        st.tuples(st.sampled_from([*FRONTMATTER["properties"], "extra"]), values | st.just(...)),
        min_size=1,
        max_size=3,
    ),
)
def test_mutated_sample_front_matter(which: int, edits: list[tuple[str, Any]]) -> None:
    data = dict(FRONT_MATTERS[which])
    for key, value in edits:
        if value is ...:
            data.pop(key, None)
        else:
            data[key] = value
    assert_agrees(FRONTMATTER, data)


@pytest.mark.parametrize("name", [CONFIG_SCHEMA, SECTIONS_META_SCHEMA])
def test_shipped_schemas_are_all_within_the_quick_path(name: str) -> None:
    schema = builtin_schema(name)
    assert QuickSchema(schema, FORMATS).supported
    assert assert_agrees(schema, {}) is not None


def test_a_value_json_has_no_type_for_is_left_to_jsonschema() -> None:
    quick = QuickSchema({"type": "string"}, FORMATS)
    assert quick.verdict(dt.date(2024, 1, 15)) is None
    assert quick.verdict("2024-01-15") is True
    assert quick.verdict(5) is False


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        ({"enum": [1]}, 1.0),  # numbers compare by jsonschema's own rules
        ({"prefixItems": [{"type": "string"}]}, [1]),
        ({"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"}, "a"),
        ({"properties": {"a": {"$id": "other", "type": "string"}}}, {"a": "b"}),
        ({"$ref": "https://example.com/schema.json"}, "a"),
        ({"anyOf": [{"multipleOf": 2}, {"type": "string"}]}, 3),
    ],
)
def test_what_the_quick_path_cannot_judge_it_leaves_alone(schema: Any, instance: Any) -> None:
    assert QuickSchema(schema, FORMATS).verdict(instance) is None


def test_checking_a_valid_post_mortem_never_imports_jsonschema(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from postmortem_repo import api\n"
        f"result = api.check([{str(SAMPLE)!r}])\n"
        "assert result.files_checked > 5 and not result.findings, result\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'jsonschema', 'referencing'}))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert ran.stdout.strip() == "[]"


def test_an_invalid_front_matter_still_gets_jsonschema_s_message() -> None:
    data = {**FRONT_MATTERS[0], "severity": "SEV9"}
    assert QuickSchema(FRONTMATTER, FORMATS).verdict(data) is False
    assert jsonschema_errors(FRONTMATTER, data)[0].validator == "enum"
