"""The browser the site tests open pages in: Debian's chromium, driven by Playwright.

Without chromium (or Playwright, or axe-core and npm to fetch it) the tests skip, saying
why; with PMREPO_REQUIRE_BROWSER=1 (CI sets it) they fail instead: a check that did not run
must not pass."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture(scope="session")
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
