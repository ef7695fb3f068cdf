"""What each rule family costs on a repository: median wall time of `check` per selection.

    python bench/rule_cost.py [PATH] [--runs N]

Runs in one process through the library API (imports and schema compilation are paid once,
as a long-lived editor integration would), with a warm-up run first. The PM4xx line is
what the blameless-language rules add to a full check.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from postmortem_repo import api

SELECTIONS = {
    "parse only": ("PM101",),
    "PM1-PM3": ("PM1", "PM2", "PM3"),
    "PM4": ("PM4",),
    "PM5-PM7": ("PM5", "PM6", "PM7"),
    "all rules": ("ALL",),
}


def median_ms(path: Path, select: tuple[str, ...], runs: int) -> float:
    api.check([path], select=select)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        api.check([path], select=select)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="sample-repo", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    results = {name: median_ms(args.path, select, args.runs) for name, select in SELECTIONS.items()}
    for name, ms in results.items():
        print(f"{name:<11} {ms:7.1f} ms")
    others = results["PM1-PM3"] - results["parse only"]
    blameless = results["all rules"] - results["PM1-PM3"]
    print(f"PM1-PM3 rules alone (minus parsing): {others:.1f} ms")
    print(f"PM4xx added to a full check:         {blameless:.1f} ms")
    print(f"PM4xx / (PM1-PM3 including parsing): {blameless / results['PM1-PM3']:.2f}")
    policy = results["PM5-PM7"] - results["parse only"]
    print(f"PM5xx-PM7xx alone (minus parsing):    {policy:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
