"""Regression tests for defects found by review, each with the minimal input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEED_NAME, findings_of, run_cli

from postmortem_repo.model.document import parse_document
from postmortem_repo.repo.config import Config

MakeRepo = Callable[..., Path]


@pytest.mark.parametrize(
    "value", ["!!bool maybe", '!!bool ""', '!!int ""', '!!float ""', "!!int 0x"]
)
def test_bad_tagged_scalar_is_a_finding_at_its_value(value: str) -> None:
    doc = parse_document(
        f"---\nid: x\nnear_miss: {value}\n---\n", path="x", relpath="x", spec=Config().sections
    )
    assert [(p.kind, p.line, p.column) for p in doc.front_matter.problems] == [("syntax", 3, 12)]


def test_apostrophe_in_a_custom_section_name(make_repo: MakeRepo, seed_text: str) -> None:
    sections = {"sections": [{"name": "Reviewer's Appendix"}]}
    text = seed_text.replace("## Appendix", "## Reviewers Appendix")
    root = make_repo(
        {
            ".pmrepo.yaml": "schemas: {sections: s.json}\nselect: [PM308]\n",
            "s.json": json.dumps(sections),
            SEED_NAME: text,
        }
    )
    result = run_cli("check", str(root))
    assert "did you mean '## Reviewer's Appendix'?" in result.stdout


def test_checking_a_quarter_folder_without_config_keeps_the_layout(
    make_repo: MakeRepo, seed_text: str
) -> None:
    dup = seed_text.replace("date: 2024-01-15", "date: 2023-01-15")
    root = make_repo({SEED_NAME: seed_text, "2023/Q1/INC-2024-0015-dup.md": dup})
    assert findings_of(root, root / "2024" / "Q1") == [("PM106", 2, 5)]


def test_uppercase_md_extension_is_found_and_flagged(make_repo: MakeRepo, seed_text: str) -> None:
    name = SEED_NAME.replace(".md", ".MD")
    root = make_repo({name: seed_text})
    assert findings_of(root) == [("PM103", 1, 1)]


def test_symlinked_year_folder_is_followed_once(make_repo: MakeRepo, seed_text: str) -> None:
    root = make_repo({"elsewhere/Q1/INC-2025-0001-x.md": "broken", SEED_NAME: seed_text})
    (root / "2025").symlink_to(root / "elsewhere")
    (root / "elsewhere" / "loop").symlink_to(root / "elsewhere")
    assert [code for code, _, _ in findings_of(root, root / "2025")][:1] == ["PM201"]


def test_config_root_that_is_a_file(make_repo: MakeRepo) -> None:
    root = make_repo({".pmrepo.yaml": "root: notes.txt\n", "notes.txt": "x"})
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert "invalid config at 'root': 'notes.txt' is not a folder" in result.stderr


def test_invalid_custom_schema_names_the_schema_file(make_repo: MakeRepo) -> None:
    root = make_repo(
        {".pmrepo.yaml": "schemas: {frontmatter: bad.json}\n", "bad.json": '{"type": 5}'}
    )
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert f"{root / 'bad.json'}: not a valid JSON Schema" in result.stderr


def test_empty_select_is_a_usage_error(make_repo: MakeRepo, seed_text: str) -> None:
    root = make_repo({SEED_NAME: seed_text})
    result = run_cli("check", str(root), "--select", "")
    assert result.exit_code == 2
    assert "no rules selected" in result.stderr


def test_zero_width_space_in_a_heading_still_matches(make_repo: MakeRepo, seed_text: str) -> None:
    root = make_repo({SEED_NAME: seed_text.replace("## Impact", "## Impact\u200b")})
    assert findings_of(root) == []


def test_missing_closing_dashes_with_a_later_rule_hints_at_the_cause(
    make_repo: MakeRepo, seed_text: str
) -> None:
    text = seed_text.replace("related:\n  []\n---\n", "related: []\n", 1)
    text = text.replace("## Appendix", "---\n\n## Appendix")
    root = make_repo({SEED_NAME: text})
    result = run_cli("check", str(root), "--select", "PM2")
    assert "(is the closing '---' of the front matter missing?)" in result.stdout
