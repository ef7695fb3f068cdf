"""What the site and the review deck leave out: DRAFTs (unless asked for) and uncleared
security incidents appear on no page and make no repeat, even where another file names them."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli
from test_site import TODAY, build

DRAFT = "INC-2024-0048"
DRAFT_PATH = "2024/Q4/INC-2024-0048-payment-api-webhook-retry-storm.md"
LINKER_PATH = "2024/Q4/INC-2024-0051-ledger-export-stalled.md"


def _linker(seed_text: str, related: str) -> str:
    """A PUBLISHED Q4 2024 incident, of a service and cause no other has, naming related."""
    text = seed_text.replace("INC-2024-0015", "INC-2024-0051")
    text = text.replace("date: 2024-01-15", "date: 2024-12-02")
    text = text.replace("2024-01-15T", "2024-12-02T").replace("2024-01-17T", "2024-12-04T")
    text = text.replace("  - payment-api\n", "  - ledger-export\n")
    text = text.replace("  - deployment-bug\n  - data-volume\n", "  - capacity\n")
    return text.replace("related:\n  []\n", f"related:\n  - {related}\n")


def test_a_pattern_page_names_no_draft(tmp_path: Path, repo: Path) -> None:
    pages = build(repo, tmp_path / "site")
    page = pages["patterns/PATTERN-003.html"]
    assert DRAFT not in page and "TBD in review" not in page
    assert "last seen 2023-08-22 (INC-2023-0061)" in page
    # The human-written line about the draft keeps its words, not the draft's id.
    assert "[withheld] (payment-api, notification-service)" in page
    for name, text in pages.items():
        assert DRAFT not in text, name
    drafts = build(repo, tmp_path / "drafts", "--include-drafts")["patterns/PATTERN-003.html"]
    assert "last seen 2024-11-19 (INC-2024-0048)" in drafts


def test_a_link_to_a_hidden_draft_makes_no_repeat(
    tmp_path: Path, repo: Path, seed_text: str
) -> None:
    (repo / LINKER_PATH).write_text(_linker(seed_text, DRAFT), "utf-8")
    home = build(repo, tmp_path / "site")["index.html"]
    assert "Repeat rate in Q4 2024: <strong>0.0%</strong> (0 of 1 incidents" in home
    with_drafts = build(repo, tmp_path / "drafts", "--include-drafts")["index.html"]
    assert "Repeat rate in Q4 2024: <strong>50.0%</strong> (1 of 2 incidents" in with_drafts


def test_a_link_to_a_withheld_incident_makes_no_repeat(
    tmp_path: Path, repo: Path, seed_text: str
) -> None:
    secret = _linker(seed_text, "INC-2023-0089").replace("INC-2024-0051", "INC-2024-0050")
    secret = secret.replace("date: 2024-12-02", "date: 2024-12-01")
    secret = secret.replace("security: false", "security: true")
    (repo / "2024/Q4/INC-2024-0050-secret.md").write_text(secret, "utf-8")
    linker = _linker(seed_text, "INC-2024-0050").replace("  - ledger-export\n", "  - other\n")
    (repo / LINKER_PATH).write_text(linker, "utf-8")
    home = build(repo, tmp_path / "site")["index.html"]
    # 0050 counts (it repeats 0089), 0051 does not repeat the withheld 0050.
    assert "Repeat rate in Q4 2024: <strong>50.0%</strong> (1 of 2 incidents" in home
    deck = run_cli("review-deck", str(repo), "--quarter", "2024Q4", "--today", TODAY)
    assert deck.exit_code == 0, deck.stderr
    assert "INC-2024-0050" not in deck.stdout
    assert re.search(r"\| Repeat rate \| 50(\.0)?% \|", deck.stdout), deck.stdout
