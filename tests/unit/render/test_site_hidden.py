"""What the site and the review deck leave out: DRAFTs (unless asked for) and uncleared
security incidents appear on no page and make no repeat, even where another file names them."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SAMPLE_REPO, run_cli
from test_site import TODAY, build
from test_site import secret_repo as secret_repo  # a fixture

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


def _action_table(page: str) -> str:
    found = re.search(r"<caption>Action items of .*?</table>", page, re.DOTALL)
    assert found is not None
    return found[0]


def test_a_withheld_incidents_action_items_are_counted_nowhere(
    secret_repo: Path, tmp_path: Path
) -> None:
    plain = build(SAMPLE_REPO, tmp_path / "plain")
    pages = build(secret_repo, tmp_path / "site")
    # The withheld SEV2 of Q1 2024 and its 3 open action items: counted as an incident only.
    assert _action_table(pages["reports/2024Q1.html"]) == _action_table(
        plain["reports/2024Q1.html"]
    )
    open_items = re.compile(r"<dt>Open action items</dt><dd>.*?</dd>")
    assert open_items.findall(pages["index.html"]) == open_items.findall(plain["index.html"])
    assert "<dt>Incidents</dt><dd>10</dd>" in pages["index.html"]
    # Its severity's tile says how many of them the list it links to shows.
    assert (
        '<dt>SEV2</dt><dd>4 <a href="incidents.html#severity=SEV2">(3 listed)</a></dd>'
        in pages["index.html"]
    )
    assert "counted in the incident numbers (not its action items)" in pages["index.html"]


def test_the_site_and_the_deck_give_the_same_numbers(
    tmp_path: Path, repo: Path, seed_text: str
) -> None:
    (repo / LINKER_PATH).write_text(_linker(seed_text, DRAFT), "utf-8")
    for drafts in ((), ("--include-drafts",)):
        pages = build(repo, tmp_path / f"site{len(drafts)}", *drafts)
        site_rows = re.findall(
            r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td>', pages["reports/2024Q4.html"]
        )
        deck = run_cli(
            "review-deck", str(repo), "--quarter", "2024Q4", "--today", TODAY, *drafts
        ).stdout
        deck_rows = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|", deck, re.MULTILINE))
        measures = ["Incidents", "Repeat rate", "MTTD median / p90", "MTTR median / p90"]
        site = {measure: value for measure, value in site_rows if measure in measures}
        assert site == {measure: deck_rows[measure] for measure in measures}, drafts
        assert site["Incidents"] == ("2" if drafts else "1")
