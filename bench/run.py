"""Times pmrepo on generated corpora: cold and warm checks, one changed file, a single file,
index and patterns, with peak memory; optionally markdownlint-cli2 on the same files.

    python bench/run.py [--sizes 1000,10000] [--runs 3] [--markdownlint] [--work /tmp/pmrepo-bench]

Every figure is the median wall time of --runs whole-process runs (`/usr/bin/time` gives the
peak resident memory where it is installed). Corpora come from bench/gen_corpus.py.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_corpus import build  # noqa: E402

PMREPO = str(Path(sys.executable).parent / "pmrepo")
TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def timed(command: list[str], cwd: Path, before: list[str] | None = None) -> tuple[float, int]:
    """(seconds, peak KB or 0) of one run; `before` is run first, untimed."""
    if before:
        subprocess.run(before, cwd=cwd, capture_output=True, check=False)
    if TIME:
        start = time.perf_counter()
        done = subprocess.run([TIME, "-f", "%M", *command], cwd=cwd, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        lines = done.stderr.strip().splitlines()
        return elapsed, int(lines[-1]) if lines and lines[-1].isdigit() else 0
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start, 0


def median(command: list[str], cwd: Path, runs: int, before: list[str] | None = None) -> str:
    results = [timed(command, cwd, before) for _ in range(runs)]
    seconds = statistics.median(result[0] for result in results)
    memory = max(result[1] for result in results)
    return f"{seconds:7.2f} s  {memory / 1024:6.0f} MB" if memory else f"{seconds:7.2f} s"


def bench(size: int, work: Path, runs: int, markdownlint: bool) -> list[tuple[str, str]]:
    corpus = work / f"corpus-{size}"
    build(corpus, size, seed=7)
    check = [PMREPO, "check", ".", "--exit-zero"]
    clear = ["rm", "-rf", ".pmrepo_cache"]
    single = str(next(corpus.glob("20*/Q*/INC-*.md")).relative_to(corpus))
    touch = [
        sys.executable,
        "-c",
        f"import pathlib; p = pathlib.Path({single!r}); p.write_text(p.read_text() + ' ')",
    ]
    subprocess.run([PMREPO, "index"], cwd=corpus, capture_output=True, check=False)
    subprocess.run([PMREPO, "patterns"], cwd=corpus, capture_output=True, check=False)
    rows = [
        ("check, no cache", median([*check, "--no-cache"], corpus, runs)),
        ("check, cold cache", median(check, corpus, runs, before=clear)),
        ("check, warm cache", median(check, corpus, runs)),
        ("check, one file changed", median(check, corpus, runs, before=touch)),
        ("check one file, no cache", median([PMREPO, "check", single, "--no-cache"], corpus, runs)),
        ("index --check", median([PMREPO, "index", "--check"], corpus, runs)),
        ("patterns --check", median([PMREPO, "patterns", "--check"], corpus, runs)),
    ]
    if markdownlint and shutil.which("npx"):
        lint = ["npx", "--yes", "markdownlint-cli2", "20*/**/*.md"]
        rows.append(("markdownlint-cli2 (npx)", median(lint, corpus, runs)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdownlint", action="store_true")
    parser.add_argument("--work", type=Path, default=Path("/tmp/pmrepo-bench"))
    args = parser.parse_args()
    for size in (int(part) for part in args.sizes.split(",")):
        print(f"\n{size} post-mortems (median of {args.runs})")
        for name, figure in bench(size, args.work, args.runs, args.markdownlint):
            print(f"  {name:<28} {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
