"""The site of sample-repo in headless Chromium: every page loads without a console error,
every link and source resolves, the filters and the search work, and axe-core finds no
serious or critical accessibility violation.

The browser is Debian's chromium, driven by Playwright. Without chromium (or Playwright, or
axe-core and npm to fetch it) the tests skip, saying why; with PMREPO_REQUIRE_BROWSER=1 (CI
sets it) they fail instead: a check that did not run must not pass."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from conftest import SAMPLE_REPO, run_cli

CHROMIUM = Path(os.environ.get("PMREPO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe-core from npm, installed outside the repository (a cache folder), never committed.
AXE_HOME = Path(os.environ.get("PMREPO_AXE_HOME", Path.home() / ".cache" / "pmrepo-axe"))
AXE_VERSION = "4.10"


def _unavailable(reason: str) -> None:
    if os.environ.get("PMREPO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"PMREPO_REQUIRE_BROWSER=1 and {reason}")
    pytest.skip(reason)


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, and tests after these (the language server's) start loops of their own.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    script = AXE_HOME / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("axe-core is not installed and there is no npm to install it")
        AXE_HOME.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_HOME),
                f"axe-core@{AXE_VERSION}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not script.is_file():
            _unavailable(f"npm could not install axe-core: {done.stderr.strip()[-500:]}")
    return script.read_text(encoding="utf-8")


# Where the screenshots go: PMREPO_SCREENSHOTS names a folder to keep them in.
SCREENSHOTS = os.environ.get("PMREPO_SCREENSHOTS")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("site") / "site"
    result = run_cli("site", str(SAMPLE_REPO), "--output", str(output), "--today", "2024-12-31")
    assert result.exit_code == 0, result.stderr
    return output


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _open(browser: Any, url: str) -> tuple[Any, list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    page.goto(url)
    return page, errors


def test_every_page_loads_without_errors_and_every_link_resolves(browser: Any, site: Path) -> None:
    pages = _pages(site)
    assert len(pages) > 20
    broken = []
    for path in pages:
        page, errors = _open(browser, path.as_uri())
        assert errors == [], f"{path.relative_to(site)}: {errors}"
        targets = page.eval_on_selector_all(
            "[href], [src]", "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))"
        )
        page.close()
        for target in targets:
            parts = urlsplit(target)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme and not parts.netloc, f"{path}: not relative: {target}"
            resolved = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not resolved.is_file():
                broken.append(f"{path.relative_to(site)} -> {target}")
    assert broken == []


def _shown_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#incident-rows tr[data-id]:not([hidden])", "rows => rows.map(r => r.dataset.id)"
    )


def test_the_severity_filter_leaves_exactly_the_sev1_incidents(browser: Any, site: Path) -> None:
    page, errors = _open(browser, (site / "incidents.html").as_uri())
    page.select_option("#filter-severity", "SEV1")
    assert _shown_ids(page) == ["INC-2024-0003", "INC-2023-0012"]
    assert page.inner_text("#match-count") == "2 of 9 incidents shown."
    assert errors == []


def test_a_link_with_a_filter_opens_the_list_filtered(browser: Any, site: Path) -> None:
    page, errors = _open(browser, (site / "incidents.html").as_uri() + "#severity=SEV1")
    assert _shown_ids(page) == ["INC-2024-0003", "INC-2023-0012"]
    assert errors == []


def test_a_filter_in_the_address_is_read_in_any_case(browser: Any, site: Path) -> None:
    page, errors = _open(browser, (site / "incidents.html").as_uri() + "#severity=sev1")
    assert _shown_ids(page) == ["INC-2024-0003", "INC-2023-0012"]
    assert page.evaluate("location.hash") == "#severity=SEV1"
    assert errors == []


def test_a_search_for_a_service_finds_its_incidents(browser: Any, site: Path) -> None:
    page, errors = _open(browser, (site / "incidents.html").as_uri())
    page.fill("#filter-q", "payment-api")
    assert _shown_ids(page) == ["INC-2024-0015"]
    page.fill("#filter-q", "cdn-edge")
    assert _shown_ids(page) == ["INC-2024-0003", "INC-2023-0012"]
    assert errors == []


def test_no_page_has_a_serious_accessibility_violation(
    browser: Any, site: Path, axe_source: str
) -> None:
    found = {}
    for path in _pages(site):
        page, _ = _open(browser, path.as_uri())
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document)")
        page.close()
        serious = [
            f"{violation['id']}: {violation['help']} ({len(violation['nodes'])})"
            for violation in result["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        if serious:
            found[str(path.relative_to(site))] = serious
    assert found == {}


def test_screenshots_of_the_home_page_and_an_incident(
    browser: Any, site: Path, tmp_path: Path
) -> None:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in (
        ("home.png", site / "index.html"),
        ("incident-INC-2024-0015.png", site / "incidents" / "INC-2024-0015.html"),
    ):
        page, errors = _open(browser, path.as_uri())
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(folder / name), full_page=True)
        page.close()
        assert errors == []
        assert (folder / name).stat().st_size > 10_000


@pytest.mark.parametrize(
    "args",
    [
        ("review-deck", "--quarter", "2024Q1", "--today", "2024-04-15", "--format", "html"),
        ("digest", "--since", "2024-01-01", "--today", "2024-01-31", "--format", "html"),
    ],
)
def test_the_deck_and_the_digest_load_and_pass_axe(
    browser: Any, axe_source: str, tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = run_cli(args[0], str(SAMPLE_REPO), *args[1:])
    path = tmp_path / "page.html"
    path.write_text(result.stdout, "utf-8")
    page, errors = _open(browser, path.as_uri())
    # Self-contained: nothing to load (the deck's charts are inline SVG).
    assert page.eval_on_selector_all("[src], link[href]", "els => els.length") == 0
    page.add_script_tag(content=axe_source)
    found = page.evaluate("async () => await axe.run(document)")
    serious = [v["id"] for v in found["violations"] if v["impact"] in ("serious", "critical")]
    assert (errors, serious) == ([], [])
