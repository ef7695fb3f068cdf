"""Times `pmrepo related` for one incident in a generated repository (bench/gen_corpus.py).

    python bench/related_speed.py [--size 10000] [--runs 5] [--work /tmp/pmrepo-related]

The first run reads every post-mortem and fills the cache (cold); the figure is the
median wall time of --runs whole-process runs after it (warm).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_corpus import build  # noqa: E402

PMREPO = str(Path(sys.executable).parent / "pmrepo")


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/pmrepo-related"))
    options = parser.parse_args()
    root = options.work / f"repo-{options.size}"
    build(root, options.size, seed=1)
    newest = max(root.glob("20*/Q*/INC-*.md")).name[: len("INC-2025-0000")]
    command = [PMREPO, "related", newest, "."]
    cold = timed(command, root)
    warm = [timed(command, root) for _ in range(options.runs)]
    print(f"{options.size} incidents, pmrepo related {newest}")
    print(f"cold (reads every post-mortem, fills the cache): {cold:.2f} s")
    print(
        f"warm, median of {options.runs}: {statistics.median(warm):.2f} s "
        f"(min {min(warm):.2f}, max {max(warm):.2f})"
    )


if __name__ == "__main__":
    main()
