"""The lists of allowed front-matter values come from the shipped front-matter schema."""

from __future__ import annotations

from conftest import run_cli

from postmortem_repo.cli import authoring as cli
from postmortem_repo.commands import scaffold
from postmortem_repo.schema.validate import FRONTMATTER_SCHEMA, builtin_schema, frontmatter_enum


def test_the_values_are_the_schema_s_in_its_order() -> None:
    properties = builtin_schema(FRONTMATTER_SCHEMA)["properties"]
    assert frontmatter_enum("severity") == tuple(properties["severity"]["enum"])
    assert frontmatter_enum("severity") == ("SEV1", "SEV2", "SEV3", "SEV4")
    assert frontmatter_enum("status") == ("DRAFT", "IN REVIEW", "PUBLISHED")
    assert frontmatter_enum("severity") is frontmatter_enum("severity")  # read once
    assert cli.SEVERITIES == scaffold.SEVERITIES == frontmatter_enum("severity")


def test_new_offers_the_schema_s_severities() -> None:
    result = run_cli("new", "--title", "x", "--severity", "SEV5")
    assert result.exit_code == 2
    assert "'SEV5' is not one of 'SEV1', 'SEV2', 'SEV3', 'SEV4'" in result.output
