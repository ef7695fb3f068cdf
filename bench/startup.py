"""What a single-file check costs, the pre-commit case, and where its start-up goes.

    python bench/startup.py [FILE] [--runs 21] [--pmrepo EXE ...]

Times whole-process runs of `pmrepo check FILE --no-cache` for each executable given (the
installed one by default) and of a bare interpreter, interleaved so that a busy machine
weighs on each alike, and prints medians. Then runs the check once under
`python -X importtime` and sums the import time of each top-level package, since imports
are most of a single-file check.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "sample-repo/2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"


def wall_ms(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    return (time.perf_counter() - start) * 1000


def interleaved_medians(commands: list[list[str]], cwd: Path, runs: int) -> list[float]:
    samples: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            samples[index].append(wall_ms(command, cwd))
    return [statistics.median(times) for times in samples]


def import_ms_by_package(file: Path) -> list[tuple[str, float]]:
    """Self import time summed per top-level package, largest first."""
    command = [sys.executable, "-X", "importtime", "-m", "postmortem_repo", "check"]
    done = subprocess.run(
        [*command, file.name, "--no-cache"], cwd=file.parent, capture_output=True, text=True
    )
    totals: collections.Counter[str] = collections.Counter()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        self_us, _, name = (part.strip() for part in line[len("import time:") :].split("|"))
        if self_us.isdigit():
            totals[name.split(".")[0]] += int(self_us) / 1000
    return totals.most_common(12)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--pmrepo", action="append", help="a pmrepo executable (repeatable)")
    args = parser.parse_args()
    file = args.file.resolve()
    pmrepos = args.pmrepo or [shutil.which("pmrepo") or "pmrepo"]
    commands = [[sys.executable, "-c", "pass"]]
    commands += [[pmrepo, "check", file.name, "--no-cache"] for pmrepo in pmrepos]
    medians = interleaved_medians(commands, file.parent, args.runs)
    print(f"single-file check of {file.name}, median of {args.runs} runs:")
    for command, median in zip(commands, medians, strict=True):
        print(f"  {median:7.1f} ms  {' '.join(command)}")
    print("import time by package (python -X importtime, one run):")
    for package, ms in import_ms_by_package(file):
        print(f"  {ms:7.1f} ms  {package}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
