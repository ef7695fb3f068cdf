"""pmrepo new and pmrepo init."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from postmortem_repo import api
from postmortem_repo.schema.validate import CONFIG_SCHEMA, SCHEMA_FOLDER


def test_new_twice_gives_consecutive_ids_and_drafts_that_pass_check(repo: Path) -> None:
    first = run_cli(
        "new",
        str(repo),
        "--title",
        "Payment API — Latency spike (p95 > 5s)",
        "--severity",
        "sev2",
        "--date",
        "2024-12-02",
        "--services",
        "payment-api, knox-api",
    )
    second = run_cli(
        "new",
        str(repo),
        "--title",
        "Søren's DNS outage",
        "--severity",
        "SEV3",
        "--date",
        "2024-12-03",
    )
    assert first.exit_code == second.exit_code == 0
    made = [Path(first.stdout.strip()), Path(second.stdout.strip())]
    assert [path.name for path in made] == [
        "INC-2024-0049-payment-api-latency-spike-p95-5s.md",
        "INC-2024-0050-soren-s-dns-outage.md",
    ]
    assert all(path.parent == repo / "2024" / "Q4" for path in made)
    text = made[0].read_text("utf-8")
    assert text.startswith(
        '---\nid: INC-2024-0049\ntitle: "Payment API — Latency spike (p95 > 5s)"\n'
        "date: 2024-12-02\n"
    )
    assert "status: DRAFT\n" in text and 'services: ["payment-api", "knox-api"]\n' in text
    assert "\n# Payment API — Latency spike (p95 > 5s)\n" in text
    assert run_cli("index", str(repo)).exit_code == 0
    result = api.check([repo])
    assert result.findings == [] and result.files_checked == 12


def test_new_never_overwrites(repo: Path) -> None:
    (repo / ".pmrepo.yaml").write_text('root: .\nexclude: ["2024/Q4/INC-2024-0049-*"]\n', "utf-8")
    hidden = repo / "2024/Q4/INC-2024-0049-second-one.md"
    hidden.write_text("someone's notes\n", "utf-8")
    # The excluded file's name still holds its number.
    made = run_cli(
        "new", str(repo), "--title", "Second one", "--severity", "SEV3", "--date", "2024-12-03"
    )
    assert made.stdout.strip().endswith("INC-2024-0050-second-one.md")
    assert hidden.read_text("utf-8") == "someone's notes\n"


def test_new_uses_the_repository_template(repo: Path) -> None:
    template = repo / "TEMPLATE.md"
    template.write_text(
        template.read_text("utf-8").replace("## Executive Summary", "## Executive Summary\n\nOURS"),
        "utf-8",
    )
    made = run_cli("new", str(repo), "--title", "X", "--severity", "SEV4", "--date", "2023-02-01")
    path = Path(made.stdout.strip())
    assert path.name == "INC-2023-0090-x.md" and path.parent.name == "Q1"
    assert "OURS" in path.read_text("utf-8")


def test_new_refuses_a_bad_request(repo: Path) -> None:
    assert run_cli("new", str(repo), "--title", " ", "--severity", "SEV1").exit_code == 2
    bad = run_cli("new", str(repo), "--title", "X", "--severity", "SEV9")
    assert bad.exit_code == 2 and "'SEV9' is not one of" in bad.stderr


def test_init_sets_up_a_repository_that_works_end_to_end(tmp_path: Path) -> None:
    target = tmp_path / "post-mortems"
    result = run_cli("init", str(target))
    assert result.exit_code == 0
    names = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert names == [
        ".gitignore",
        ".pmrepo.yaml",
        ".pre-commit-config.yaml",
        "README.md",
        "TEMPLATE.md",
        "patterns/README.md",
    ]
    assert (
        run_cli(
            "new",
            str(target),
            "--title",
            "First",
            "--severity",
            "SEV2",
            "--date",
            "2025-03-04",
            "--services",
            "api",
        ).exit_code
        == 0
    )
    assert run_cli("index", str(target)).exit_code == 0
    assert run_cli("patterns", str(target)).exit_code == 0
    assert api.check([target]).findings == []
    # The site it builds is not committed: git ignores it.
    assert run_cli("site", str(target)).exit_code == 0
    assert "/_site/\n" in (target / ".gitignore").read_text("utf-8")
    readme = (target / "README.md").read_text("utf-8")
    assert "[INC-2025-0001](2025/Q1/INC-2025-0001-first.md)" in readme
    again = run_cli("init", str(target))
    kept = again.stdout.split("\n\nNext steps:\n")[0].splitlines()
    assert kept and all(line.startswith("kept") for line in kept)
    assert "edit .pre-commit-config.yaml" not in again.stdout  # not written this time


def test_the_config_init_writes_names_its_schema_for_yaml_aware_editors(tmp_path: Path) -> None:
    """yaml-language-server reads the first line; the address is the shipped schema's $id."""
    target = tmp_path / "post-mortems"
    assert run_cli("init", str(target)).exit_code == 0
    first = (target / ".pmrepo.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=https://pmrepo.dev/schemas/config.schema.json"
    schema = json.loads((SCHEMA_FOLDER / CONFIG_SCHEMA).read_text("utf-8"))
    assert first.endswith(schema["$id"])
    assert api.resolve_config([target]).source == target / ".pmrepo.yaml"  # it still loads
