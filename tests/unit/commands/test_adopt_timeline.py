"""init --from-existing proposes the timeline forms the reports write, so that `check`
reads their timelines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import FIXTURES

from postmortem_repo.model.document import parse_document, read_text
from postmortem_repo.model.sections import SectionsSpec
from postmortem_repo.model.timeline_forms import forms_used, propose_forms

MakeRepo = Callable[[dict[str, str | bytes]], Path]
Cli = Callable[..., Result]
CORPORA = {
    "chia": FIXTURES / "chia",
    "k8s-test-infra": FIXTURES / "k8s-test-infra",
    "posthog": FIXTURES / "posthog",
    "dfds": FIXTURES / "dfds",
}


def _forms(folder: Path) -> list[str]:
    counts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in ("", ".md") and path.name != "README.md":
            text = read_text(path)
            assert isinstance(text, str)
            doc = parse_document(text, path=str(path), relpath=path.name, spec=SectionsSpec(()))
            counts.append(forms_used(doc))
    return propose_forms(counts)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("chia", ["line", "table", "list"]),
        ("k8s-test-infra", ["chat", "list"]),
        ("posthog", ["list", "table"]),
        ("dfds", ["table"]),
    ],
)
def test_the_forms_each_collection_writes(name: str, expected: list[str]) -> None:
    assert _forms(CORPORA[name]) == expected


BODY = "# {title}\n\n## Summary\n\nText.\n\n## Timeline\n\n{timeline}\n## Action Items\n\n- One.\n"


def test_init_proposes_the_forms_and_check_reads_them(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "2023-01-05-db-outage.md": BODY.format(
                title="DB", timeline="- [01-05 10:00] deploy\n- [01-05 10:05] alert\n"
            ),
            "2023-02-11-cache-miss.md": BODY.format(
                title="Cache", timeline="- **14:20** alert\n- **14:10** deploy\n"
            ),
        }
    )
    monkeypatch.chdir(root)
    result = cli("init", "--from-existing", ".")
    assert result.exit_code == 0, result.output
    assert "timeline written as: chat, list" in result.stdout
    report = json.loads(cli("check", ".", "--format", "json", "--no-cache").stdout)
    found = [(f["path"], f["line"], f["code"]) for f in report["findings"]]
    assert found == [("2023-02-11-cache-miss.md", 10, "PM502")]
