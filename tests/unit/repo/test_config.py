"""Config: found by walking up, validated strictly, applied (select, ignore, severity, schemas)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEED_NAME, findings_of, run_cli

from postmortem_repo.core.errors import ConfigError
from postmortem_repo.repo.config import find_config, load_config

MakeRepo = Callable[[dict[str, str | bytes]], Path]


def test_config_is_found_by_walking_up_and_stops_at_the_git_root(make_repo: MakeRepo) -> None:
    root = make_repo({".pmrepo.yaml": "ignore: [PM308]\n", "2024/Q1/x.md": ""})
    assert find_config(root / "2024" / "Q1" / "x.md") == root / ".pmrepo.yaml"
    (root / "2024" / ".git").mkdir()
    assert find_config(root / "2024" / "Q1" / "x.md") is None


def test_pyproject_tool_section(make_repo: MakeRepo) -> None:
    root = make_repo({"pyproject.toml": '[tool.pmrepo]\nignore = ["PM3"]\nroot = "pm"\n'})
    config = load_config(find_config(root))
    assert config.ignore == ("PM3",)
    assert config.root == (root / "pm").resolve()


def test_pyproject_without_the_section_is_not_a_config(make_repo: MakeRepo) -> None:
    root = make_repo({"pyproject.toml": "[project]\nname = 'x'\n", ".git/HEAD": ""})
    assert find_config(root) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selct: [PM1]\n", "unknown config key 'selct'; did you mean 'select'?"),
        (
            "related:\n  treshold: 0.5\n",
            "unknown config key 'related.treshold'; did you mean 'threshold'?",
        ),
        (
            "repeats:\n  window_dys: 30\n",
            "unknown config key 'repeats.window_dys'; did you mean 'window_days'?",
        ),
        ("select: PM1\n", "invalid config at 'select': 'select' must be a list; got 'PM1'"),
        ("severity: {PM301: fatal}\n", "'severity.PM301' must be one of error, warning"),
        ("ignore: [XX1]\n", "invalid config at 'ignore[0]'"),
        ("root: [\n", "invalid YAML in config"),
        ("- a\n", "the config must be a mapping of keys"),
    ],
)
def test_bad_config_exits_2_naming_the_key(make_repo: MakeRepo, text: str, message: str) -> None:
    root = make_repo({".pmrepo.yaml": text})
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"pmrepo: error: {root / '.pmrepo.yaml'}")
    assert message in result.stderr


def test_unknown_rule_code_in_config(make_repo: MakeRepo) -> None:
    root = make_repo({".pmrepo.yaml": "ignore: [PM8]\n"})
    result = run_cli("check", str(root))
    assert (result.exit_code, result.stderr) == (
        2,
        f"pmrepo: error: {root.resolve() / '.pmrepo.yaml'}: invalid config at 'ignore': "
        "unknown rule code or name 'PM8' (see 'pmrepo rules')\n",
    )


def test_select_ignore_and_severity_overrides(make_repo: MakeRepo, seed_text: str) -> None:
    broken = seed_text.replace("severity: SEV2", "severity: SEV2\nextra: 1").replace(
        "## Appendix", "## Notes\n\nx\n\n## Appendix"
    )
    root = make_repo({SEED_NAME: broken})
    assert findings_of(root) == [("PM206", 11, 1), ("PM308", 161, 1)]
    (root / ".pmrepo.yaml").write_text("ignore: [PM3]\nseverity: {PM2: error}\n")
    result = run_cli("check", str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].endswith("PM206 unknown key 'extra'")
    (root / ".pmrepo.yaml").write_text("select: [PM3]\n")
    assert findings_of(root) == [("PM308", 161, 1)]


def test_custom_sections_schema(make_repo: MakeRepo, seed_text: str) -> None:
    sections = {
        "sections": [
            {"name": "Executive Summary", "required": True},
            {"name": "Postmortem Notes", "required": True},
        ]
    }
    root = make_repo(
        {
            ".pmrepo.yaml": "schemas:\n  sections: sections.json\nselect: [PM301]\n",
            "sections.json": json.dumps(sections),
            SEED_NAME: seed_text,
        }
    )
    result = run_cli("check", str(root))
    assert result.stdout.splitlines()[0] == (
        f"{root / SEED_NAME}:173:1: PM301 missing required section '## Postmortem Notes': "
        "add it at the end"
    )


def test_invalid_custom_sections_schema_is_a_config_error(make_repo: MakeRepo) -> None:
    root = make_repo(
        {".pmrepo.yaml": "schemas:\n  sections: s.json\n", "s.json": '{"sections": [{}]}'}
    )
    with pytest.raises(ConfigError, match="invalid sections schema at sections/0"):
        load_config(root / ".pmrepo.yaml")


def test_custom_frontmatter_schema(make_repo: MakeRepo, seed_text: str) -> None:
    schema = {"type": "object", "required": ["ticket"]}
    root = make_repo(
        {
            ".pmrepo.yaml": "schemas:\n  frontmatter: fm.json\nselect: [PM2]\n",
            "fm.json": json.dumps(schema),
            SEED_NAME: seed_text,
        }
    )
    assert findings_of(root) == [("PM205", 1, 1)]


def test_exclude_patterns(make_repo: MakeRepo, seed_text: str) -> None:
    root = make_repo(
        {
            ".pmrepo.yaml": "exclude: ['2023/**']\n",
            SEED_NAME: seed_text,
            "2023/Q1/INC-2023-0001-x.md": "broken",
        }
    )
    result = run_cli("check", str(root))
    assert result.stdout == "All checks passed (1 file checked).\n"
