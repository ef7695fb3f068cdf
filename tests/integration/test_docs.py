"""The registry, the rule docs and the README agree."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, run_cli

from postmortem_repo.lint import rules as registry

README = (REPO / "README.md").read_text("utf-8")
ALL_RULES = registry.all_rules()


def test_readme_carries_the_generated_rules_table() -> None:
    table = run_cli("rules", "--format", "markdown").stdout
    assert table in README


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_rule_doc_has_a_bad_and_a_good_example(rule: registry.Rule) -> None:
    assert re.search(r"^Bad:", rule.doc, re.MULTILINE), rule.code
    assert re.search(r"^Good:", rule.doc, re.MULTILINE), rule.code
    assert rule.summary.endswith(".")


def test_registry_codes_are_unique_and_resolve_by_name() -> None:
    assert len({rule.code for rule in ALL_RULES}) == len(ALL_RULES)
    for rule in ALL_RULES:
        assert registry.get(rule.name) is rule
        assert registry.get(rule.code.lower()) is rule
    with pytest.raises(KeyError):
        registry.get("PM999")


def test_readme_names_both_commands() -> None:
    assert "pmrepo check sample-repo" in README
    assert "python -m pytest" in README


def test_schemas_folder_is_the_packaged_one() -> None:
    shipped = sorted(p.name for p in (REPO / "postmortem_repo" / "schema" / "json").glob("*.json"))
    assert sorted(p.name for p in (REPO / "schemas").glob("*.json")) == shipped
    assert "postmortem.frontmatter.schema.json" in shipped


def test_the_cli_lists_of_choices_match_the_modules() -> None:
    from postmortem_repo.cli import authoring as cli
    from postmortem_repo.commands import scaffold, timeline_sources

    assert cli.SEVERITIES == scaffold.SEVERITIES
    assert set(cli.SOURCE_KINDS) == set(timeline_sources.KINDS)


def test_every_shipped_schema_is_a_valid_json_schema() -> None:
    import json

    import jsonschema

    folder = REPO / "postmortem_repo" / "schema" / "json"
    schemas = {path.name: json.loads(path.read_text("utf-8")) for path in folder.glob("*.json")}
    by_id = {schema.get("$id"): schema for schema in schemas.values()}
    for _name, schema in sorted(schemas.items()):
        meta = by_id.get(schema.get("$schema"))
        if meta is None:  # a JSON Schema draft
            jsonschema.validators.validator_for(schema).check_schema(schema)
        else:  # data described by one of pmrepo's own schemas (the sections schema)
            jsonschema.validate(schema, meta)
