"""What each rule family costs on a repository: median wall time of `check` per selection.

    python bench/rule_cost.py [PATH] [--runs N]

Runs in one process through the library API (imports and schema compilation are paid once,
as a long-lived editor integration would), with a warm-up run first. A family's own cost
is its run minus the parse-only run (PM101 alone reads and parses every file).
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


def median_ms(
    path: Path, select: tuple[str, ...], runs: int, ignore: tuple[str, ...] = ()
) -> float:
    api.check([path], select=select, ignore=ignore)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        api.check([path], select=select, ignore=ignore)
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
    parse = results["parse only"]
    for family in ("PM1-PM3", "PM4", "PM5-PM7"):
        print(f"{family} rules alone (their run minus parsing): {results[family] - parse:6.1f} ms")
    # What a family adds to a full check, where the work rules share is done once.
    for family, codes in (
        ("PM1-PM3", ("PM1", "PM2", "PM3")),
        ("PM4", ("PM4",)),
        ("PM5-PM7", ("PM5", "PM6", "PM7")),
    ):
        without = median_ms(args.path, ("ALL",), args.runs, ignore=codes)
        added = results["all rules"] - without
        print(f"{family} added to a full check: {added:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
