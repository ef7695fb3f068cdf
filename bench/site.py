"""Times `pmrepo site` on a generated corpus, with peak memory, against its targets
(10,000 post-mortems: 60 s and 500 MB).

    python bench/site.py [--count 10000] [--runs 1] [--work /tmp/pmrepo-bench-site]

The corpus comes from bench/gen_corpus.py. Two figures: with no result cache (every file
read as an incident first) and with the cache `pmrepo check` leaves (the usual case in CI
after a check). Each run builds the site into a fresh folder. Each figure is the wall
time, the CPU time of pmrepo and its worker processes (user + system: on a machine that
others share, it moves less than the wall time), and the peak resident memory of the
largest process.
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
from run import PMREPO, TIME  # noqa: E402

TARGET_SECONDS, TARGET_MB = 60.0, 500.0


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak KB) of one run, from /usr/bin/time."""
    if TIME is None:
        raise SystemExit("bench/site.py needs /usr/bin/time (Debian: apt-get install time)")
    start = time.perf_counter()
    done = subprocess.run(
        [TIME, "-f", "%U %S %M", *command], cwd=cwd, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    user, system, peak = done.stderr.strip().splitlines()[-1].split()
    return elapsed, float(user) + float(system), int(peak)


def measure(corpus: Path, output: Path, runs: int, clear: bool) -> tuple[float, float, float]:
    """Median wall and CPU seconds, and the largest peak memory in MB, of runs."""
    results = []
    for _ in range(runs):
        before = (
            ["rm", "-rf", ".pmrepo_cache", str(output)] if clear else ["rm", "-rf", str(output)]
        )
        subprocess.run(before, cwd=corpus, capture_output=True, check=False)
        command = [PMREPO, "site", "--output", str(output), "--today", "2025-01-01"]
        results.append(timed(command, corpus))
        if not (output / "index.html").is_file():
            raise SystemExit(f"pmrepo site wrote no {output / 'index.html'}")
    return (
        statistics.median(wall for wall, _, _ in results),
        statistics.median(cpu for _, cpu, _ in results),
        max(kb for _, _, kb in results) / 1024,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/pmrepo-bench-site"))
    args = parser.parse_args()
    corpus, output = args.work / f"corpus-{args.count}-readable", args.work / "site"
    # pmrepo site publishes every post-mortem or none: the corpus has no unreadable file.
    build(corpus, args.count, seed=7, problems=False)
    subprocess.run([PMREPO, "patterns"], cwd=corpus, capture_output=True, check=False)
    pages = 0
    print(f"pmrepo site, {args.count} post-mortems (median of {args.runs}):")
    for name, clear in (("no cache", True), ("check's cache", False)):
        if not clear:
            subprocess.run([PMREPO, "check", ".", "--exit-zero"], cwd=corpus, capture_output=True)
        seconds, cpu, memory = measure(corpus, output, args.runs, clear)
        pages = sum(1 for _ in output.rglob("*.html"))
        verdict = "within" if seconds <= TARGET_SECONDS and memory <= TARGET_MB else "OVER"
        print(
            f"  {name:<14} {seconds:7.2f} s (CPU {cpu:7.2f} s) {memory:6.0f} MB  ({verdict} "
            f"{TARGET_SECONDS:.0f} s / {TARGET_MB:.0f} MB)",
            flush=True,
        )
    print(f"  {pages} pages written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
