"""What people wrote reaches readers as they wrote it: an entity such as '&gt;' is shown as
'>' (as GitHub shows it), escaped once, and text that looks like HTML ('<br>', '<receipt-id>')
stays words in the site, the digest, the deck and the announcement, never markup."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from test_site import build

SEED = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
ACTION = "Remove stray <br> tags and the <receipt-id> placeholder from the email"


def test_an_entity_is_escaped_once_on_the_site(repo: Path, tmp_path: Path) -> None:
    path = repo / SEED
    text = path.read_text("utf-8").replace(
        "## Executive Summary\n\n",
        "## Executive Summary\n\nWe saw &lt;script&gt; and &#x3C;b&#x3E;.\n\n",
    )
    path.write_text(text, "utf-8")
    pages = build(repo, tmp_path / "site")
    assert "(&gt;50% regression = block)" in pages["patterns/PATTERN-001.html"]
    assert "We saw &lt;script&gt; and &lt;b&gt;." in pages["incidents/INC-2024-0015.html"]
    for name, page in pages.items():
        assert "&amp;gt;" not in page and "&amp;lt;" not in page and "&amp;#x" not in page, name


def _with_html_looking_text(repo: Path) -> None:
    path = repo / SEED
    text = path.read_text("utf-8")
    text = text.replace(
        "| Add connection pool utilization alert (>80% for 5 min) |", f"| {ACTION} |"
    )
    text = text.replace(
        "| Build perf test stage in CI with 10M+ row dataset |",
        "| <script>alert('action')</script> |",
    )
    text = text.replace(
        "### User Impact\n\n",
        "### User Impact\n\n<marquee>edge</marquee> customers saw errors.\n\n",
    )
    path.write_text(text, "utf-8")


def test_text_that_looks_like_html_is_kept_as_words(repo: Path) -> None:
    _with_html_looking_text(repo)
    january = ("--since", "2024-01-01", "--today", "2024-01-31")
    digest = run_cli("digest", str(repo), *january, "--format", "text").stdout
    assert f"P1 {ACTION} (owner sre-team" in digest
    assert "P1 <script>alert('action')</script> (owner platform-team" in digest
    markdown = run_cli("digest", str(repo), *january).stdout
    assert "Remove stray &lt;br&gt; tags and the &lt;receipt-id&gt; placeholder" in markdown
    deck = run_cli("review-deck", str(repo), "--quarter", "2024Q1", "--today", "2024-04-15")
    assert "Remove stray &lt;br&gt; tags and the &lt;receipt-id&gt; placeholder" in deck.stdout
    announcement = run_cli("announce", "INC-2024-0015", str(repo)).stdout
    assert "Impact: <marquee>edge</marquee> customers saw errors." in announcement


def test_controls_and_bidi_overrides_reach_no_reader(repo: Path, tmp_path: Path) -> None:
    path = repo / SEED
    text = path.read_text("utf-8").replace(
        "title: Samsung Pay — Payment Processing Latency Degradation",
        'title: "Sparse \\e[31mRED\\e[0m \\u202Eevil\\u202C one"',
    )
    path.write_text(text, "utf-8")
    page = build(repo, tmp_path / "site")["incidents/INC-2024-0015.html"]
    january = ("--since", "2024-01-01", "--today", "2024-01-31")
    outputs = {
        "site": page,
        "slack": run_cli("announce", "INC-2024-0015", str(repo), "--format", "slack").stdout,
        "announce": run_cli("announce", "INC-2024-0015", str(repo)).stdout,
        "digest": run_cli("digest", str(repo), *january, "--format", "text").stdout,
        "html digest": run_cli("digest", str(repo), *january, "--format", "html").stdout,
    }
    for name, output in outputs.items():
        assert "Sparse [31mRED[0m evil one" in output, name
        for unseen in ("\x1b", "\u202e", "\u202c", "\\u001b", "\\u202e"):
            assert unseen not in output, (name, unseen)


def test_a_link_to_a_heading_of_the_page_lands_on_it(repo: Path, tmp_path: Path) -> None:
    path = repo / SEED
    text = path.read_text("utf-8").replace(
        "## Action Items\n", "## Action Items\n\nSee the [summary](#executive-summary).\n", 1
    )
    path.write_text(text, "utf-8")
    page = build(repo, tmp_path / "site")["incidents/INC-2024-0015.html"]
    assert '<a href="#executive-summary">summary</a>' in page
    assert '<h3 id="executive-summary">Executive Summary</h3>' in page
    assert '<h3 id="action-items">Action Items</h3>' in page


def test_a_chart_says_where_its_table_is(tmp_path: Path) -> None:
    from conftest import SAMPLE_REPO

    home = build(SAMPLE_REPO, tmp_path / "site")["index.html"]
    assert "The table below" not in home
    assert "The table beside it gives every number." in home
