"""Times pmrepo on generated corpora: cold and warm checks, one changed file, a single file,
index and patterns, with peak memory; optionally markdownlint-cli2 on the same files.

    python bench/run.py [--sizes 1000,10000] [--runs 3] [--markdownlint] [--floor]
                        [--work /tmp/pmrepo-bench] [--pmrepo PATH --pmrepo OTHER_PATH]

Every figure is the median wall time of --runs whole-process runs (`/usr/bin/time` gives the
peak resident memory where it is installed). Corpora come from bench/gen_corpus.py.
Several --pmrepo executables (say, an install of main and one of a branch) are timed side by
side, their runs interleaved, so that a busy machine slows them alike. --floor adds the
parse + schema floor (bench/floor.py, 2 processes) as a last column of the no-cache row,
interleaved with those runs.
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

from floor import WORKER  # noqa: E402
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


def medians(
    commands: list[list[str]], cwd: Path, runs: int, before: list[str] | None = None
) -> str:
    """One column per command; the commands take turns."""
    results: list[list[tuple[float, int]]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            results[index].append(timed(command, cwd, before))
    columns = []
    for timings in results:
        seconds = statistics.median(result[0] for result in timings)
        memory = max(result[1] for result in timings)
        columns.append(
            f"{seconds:7.2f} s {memory / 1024:4.0f} MB" if memory else f"{seconds:7.2f} s"
        )
    return " | ".join(columns)


def bench(
    size: int, work: Path, runs: int, markdownlint: bool, pmrepos: list[str], floor: bool = False
) -> list[tuple[str, str]]:
    corpus = work / f"corpus-{size}"
    build(corpus, size, seed=7)
    clear = ["rm", "-rf", ".pmrepo_cache"]
    single = str(next(corpus.glob("20*/Q*/INC-*.md")).relative_to(corpus))
    touch = [
        sys.executable,
        "-c",
        f"import pathlib; p = pathlib.Path({single!r}); p.write_text(p.read_text() + ' ')",
    ]
    subprocess.run([pmrepos[0], "index"], cwd=corpus, capture_output=True, check=False)
    subprocess.run([pmrepos[0], "patterns"], cwd=corpus, capture_output=True, check=False)

    def each(*arguments: str) -> list[list[str]]:
        return [[pmrepo, *arguments] for pmrepo in pmrepos]

    check = ("check", ".", "--exit-zero")
    floor_run = [[sys.executable, "-c", WORKER, str(corpus), "2"]] if floor else []
    no_cache = medians(each(*check, "--no-cache") + floor_run, corpus, runs)
    rows = [
        ("check, no cache" + (" | floor" if floor else ""), no_cache),
        ("check, cold cache", medians(each(*check), corpus, runs, before=clear)),
        ("check, warm cache", medians(each(*check), corpus, runs)),
        ("check, one file changed", medians(each(*check), corpus, runs, before=touch)),
        ("check one file, no cache", medians(each("check", single, "--no-cache"), corpus, runs)),
        ("check one file, warm cache", medians(each("check", single), corpus, runs)),
        ("index --check", medians(each("index", "--check"), corpus, runs)),
        ("patterns --check", medians(each("patterns", "--check"), corpus, runs)),
    ]
    if markdownlint and shutil.which("npx"):
        lint = [["npx", "--yes", "markdownlint-cli2", "20*/**/*.md"]]
        rows.append(("markdownlint-cli2 (npx)", medians(lint, corpus, runs)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdownlint", action="store_true")
    parser.add_argument("--floor", action="store_true", help="time bench/floor.py alongside")
    parser.add_argument("--work", type=Path, default=Path("/tmp/pmrepo-bench"))
    parser.add_argument(
        "--pmrepo", action="append", help="a pmrepo executable to time (repeatable)"
    )
    args = parser.parse_args()
    pmrepos = args.pmrepo or [PMREPO]
    for size in (int(part) for part in args.sizes.split(",")):
        print(f"\n{size} post-mortems (median of {args.runs}): {' | '.join(pmrepos)}")
        for name, figure in bench(
            size, args.work, args.runs, args.markdownlint, pmrepos, args.floor
        ):
            print(f"  {name:<28} {figure}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
