"""Bad input never crashes and never hides another file's findings."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEED_NAME, findings_of, run_cli

from postmortem_repo import api
from postmortem_repo.model.document import parse_document
from postmortem_repo.repo.config import Config

Q1 = "2024/Q1/"
BOMB = "---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10)
)

BAD_FILES: dict[str, str | bytes] = {
    Q1 + "INC-2024-0101-malformed-yaml.md": "---\nid: [\n---\n",
    Q1 + "INC-2024-0102-list.md": "---\n- a\n---\n",
    Q1 + "INC-2024-0103-scalar.md": "---\nhello\n---\n",
    Q1 + "INC-2024-0104-unclosed.md": "---\nid: INC-2024-0104\n\n# Title\n",
    Q1 + "INC-2024-0105-latin1.md": b"---\nid: INC-2024-0105\ntitle: caf\xe9\n---\n",
    Q1 + "INC-2024-0106-empty.md": "",
    Q1 + "INC-2024-0107-only-front-matter.md": "---\nid: INC-2024-0107\n---\n",
    Q1 + "INC-2024-0108-alias-bomb.md": BOMB + "---\n",
}

# The first finding each bad file must produce (code, line, column).
FIRST_FINDING = {
    "INC-2024-0101-malformed-yaml.md": ("PM203", 3, 1),
    "INC-2024-0102-list.md": ("PM204", 2, 1),
    "INC-2024-0103-scalar.md": ("PM204", 2, 1),
    "INC-2024-0104-unclosed.md": ("PM202", 1, 1),
    "INC-2024-0105-latin1.md": ("PM102", 3, 11),
    "INC-2024-0106-empty.md": ("PM201", 1, 1),
    "INC-2024-0107-only-front-matter.md": ("PM205", 1, 1),
    "INC-2024-0108-alias-bomb.md": ("PM208", 1, 1),
    "INC-2024-0109-folder.md": ("PM101", 1, 1),
    "INC-2024-0110-dangling.md": ("PM101", 1, 1),
}


@pytest.fixture
def messy_repo(make_repo: Callable[[dict[str, str | bytes]], Path], seed_text: str) -> Path:
    typo = seed_text.replace("severity: SEV2", "severity: SEV5")
    root = make_repo({**BAD_FILES, SEED_NAME: typo})
    (root / Q1 / "INC-2024-0109-folder.md").mkdir()
    (root / Q1 / "INC-2024-0110-dangling.md").symlink_to(root / "nowhere.md")
    return root


def test_every_bad_file_gets_a_finding_and_the_good_file_keeps_its_own(messy_repo: Path) -> None:
    result = api.check([messy_repo])
    first: dict[str, tuple[str, int, int]] = {}
    for finding in result.findings:
        first.setdefault(Path(finding.path).name, (finding.code, finding.line, finding.column))
    assert {name: first.get(name) for name in FIRST_FINDING} == FIRST_FINDING
    seed = [(f.code, f.line) for f in result.findings if f.path.endswith(SEED_NAME)]
    assert seed == [("PM205", 10)]
    assert result.files_checked == 11


def test_cli_reports_them_without_a_traceback(messy_repo: Path) -> None:
    result = run_cli("check", str(messy_repo))
    assert result.exit_code == 1
    assert result.stderr == ""
    assert "Traceback" not in result.stdout


def test_messages_name_the_problem(messy_repo: Path) -> None:
    messages: dict[str, str] = {}
    for finding in api.check([messy_repo]).findings:
        messages.setdefault(Path(finding.path).name, finding.message)
    assert messages["INC-2024-0105-latin1.md"].startswith("not valid UTF-8 (byte 0xe9)")
    assert messages["INC-2024-0109-folder.md"] == "this is a directory, not a file: rename it"
    assert "never closed" in messages["INC-2024-0104-unclosed.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without permissions")
def test_unreadable_file(make_repo: Callable[..., Path]) -> None:
    root = make_repo({Q1 + "INC-2024-0111-secret.md": "---\nid: x\n---\n"})
    path = root / Q1 / "INC-2024-0111-secret.md"
    path.chmod(0)
    try:
        findings = api.check([root]).findings
    finally:
        path.chmod(0o644)
    assert [(f.code, f.line) for f in findings] == [("PM101", 1)]


def test_fifo_named_like_a_post_mortem_is_not_opened(make_repo: Callable[..., Path]) -> None:
    root = make_repo({})
    (root / Q1).mkdir(parents=True)
    os.mkfifo(root / Q1 / "INC-2024-0112-pipe.md")
    findings = api.check([root]).findings
    assert [(f.code, f.message) for f in findings] == [("PM101", "this is not a regular file")]


# Found by review, each with the minimal input.

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
