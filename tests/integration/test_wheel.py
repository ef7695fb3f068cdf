"""A wheel built from the repository, installed in a fresh venv, checks sample-repo clean."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_REPO


@pytest.mark.slow
def test_wheel_install_finds_its_schemas(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("pmrepo-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    completed = subprocess.run(
        [env_dir / "bin" / "pmrepo", "check", str(SAMPLE_REPO)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (completed.returncode, completed.stderr) == (0, "")
    assert completed.stdout == "All checks passed (10 files checked).\n"
    # The code really came from the wheel, not from the source tree.
    where = subprocess.run(
        [python, "-c", "import postmortem_repo; print(postmortem_repo.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(env_dir) in where
    # Data files ship too: the built-in template (init, new) and the first-name list (PM402).
    fresh = elsewhere / "post-mortems"
    pmrepo = env_dir / "bin" / "pmrepo"
    assert subprocess.run([pmrepo, "init", str(fresh)], capture_output=True).returncode == 0
    (fresh / "TEMPLATE.md").unlink()
    created = subprocess.run(
        [
            pmrepo,
            "new",
            str(fresh),
            "--title",
            "First",
            "--severity",
            "SEV3",
            "--date",
            "2025-01-02",
            "--services",
            "api",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    draft = Path(created.stdout.strip())
    text = draft.read_text("utf-8") + "\nOluwaseun forgot to renew the certificate.\n"
    draft.write_text(text, "utf-8")
    blamed = subprocess.run(
        [pmrepo, "check", str(draft), "--select", "PM402"], capture_output=True, text=True
    )
    assert blamed.returncode == 1 and "PM402" in blamed.stdout
    # The site's templates and assets ship too.
    site = tmp_path / "site"
    built = subprocess.run(
        [pmrepo, "site", str(SAMPLE_REPO), "--output", str(site), "--today", "2024-12-31"],
        capture_output=True,
        text=True,
    )
    assert (built.returncode, built.stderr) == (0, "")
    assert (site / "incidents" / "INC-2024-0015.html").is_file()
    assert (site / "assets" / "style.css").is_file() and (site / "assets" / "site.js").is_file()
