"""Bad input never crashes and never hides another file's findings."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEED_NAME, run_cli

from postmortem_repo import api

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
