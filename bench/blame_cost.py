"""What the blameless-language rules (PM4xx) cost per post-mortem, in instructions.

    python bench/blame_cost.py [--src TREE] [--repo DIR] [--corpora DIR] [--warm]

Protocol. The 84 real post-mortems of ../shared/corpora (as bench/blame_corpus.py finds
them) are copied into one repository with optional front matter (DIR, made when it does not
exist; a temporary folder by default). Two fresh processes run `pmrepo check` on it through
the library API, once with `--select PM4` and once parse-only (`--select PM101`, which
reads and parses every file), each under valgrind's callgrind, which counts instructions:
unlike time, the count hardly moves on a busy shared machine. PM4's cost is the difference,
and per post-mortem that difference over the number of files. Each process imports pmrepo
from TREE (this checkout by default, never an installed copy), so a worktree of an older
commit measures that commit. Nothing is cached between the runs: both pay their imports,
and the PM4 run pays for compiling the patterns it uses, as a pre-commit hook does.

Measured (M instructions, PM4 run minus parse-only run, over the 84 post-mortems; CPython
3.11.7, valgrind 3.22):

| tree | PM4 alone | per post-mortem | vs f89d613 |
|---|---|---|---|
| f89d613 (the baseline) | 858 | 10.2 | |
| 6af58b0 (before this work) | 2,179 | 25.9 | +154% |
| sentence ends begin with their character set | 1,715 | 20.4 | +100% |
| each PM402 predicate compiled once, alone | 1,605 | 19.1 | +87% |
| 0cbce5a (more detectors since) | 1,911 | 22.7 | +123% |
| 2bc7672, systems named in more ways found by a name or noun at every word | 2,995 | 35.7 | +249% |
| 1f87929, those found from rare anchors instead | 2,219 | 26.4 | +159% |
| 78707c4, more constructions (roles, coordination, work nouns) | 2,312 | 27.5 | +169% |
| dca91a0, more still (a person as the reason, slips in other words) | 2,399 | 28.6 | +180% |
| 208f1bc, more (an act and its harm, faulty work, PM405) | 2,625 | 31.2 | +206% |
| e39600f, more (judgements, present-tense acts, 'the change of X') | 2,691 | 32.0 | +214% |
| 02fffab, more (what broke after an act, slips told as typing) | 2,911 | 34.7 | +239% |
| f45c4cf, block quotes read as prose, more constructions and words | 3,248 | 38.7 | +279% |
| d6d7155 (f45c4cf's findings), measured again | 3,313 | 39.4 | +286% |
| 53b572f, acts linked to what broke, more PM405, review fixes | 3,744 | 44.6 | +336% |

--warm measures what bench/rule_cost.py times: the cost of one more check in a process
that has checked once (imports paid and patterns compiled, as in an editor or a long-lived
process). Four fresh processes check the repository once or three times, with PM4 and
parse-only; a check's cost is (three checks - one check) / 2, and PM4's cost is the PM4
check's minus the parse-only check's. Measured the same way:

| tree | PM4 alone, warm | per post-mortem | vs f89d613 |
|---|---|---|---|
| f89d613 (the baseline) | 584 | 6.9 | |
| 7f1d5bc | 1,929 | 23.0 | +230% |
| 208f1bc | 2,040 | 24.3 | +249% |
| e39600f | 2,141 | 25.5 | +267% |
| c07d3fa (patterns that begin at any comma or space) | 2,390 | 28.5 | +309% |
| bbf2250 (those begin at their rare words instead) | 2,282 | 27.2 | +291% |
| 02fffab | 2,306 | 27.5 | +295% |
| 929096c (02fffab's findings), measured again | 2,305 | 27.4 | +295% |
| f45c4cf (block quotes, more constructions and words) | 2,600 | 30.9 | +345% |
| d6d7155 (f45c4cf's findings), measured again | 2,663 | 31.7 | +356% |
| 53b572f (acts linked to what broke, more PM405, review fixes) | 3,012 | 35.9 | +416% |

Runs of one tree differ by a few per cent (the parse-only run, whose code did not change
from 7f1d5bc to e39600f, counted 543 to 586 M in five warm measurements): string
hashing differs from process to process, and with it the order sets and dicts are walked in.

With `blameless: {learned: true}` (not the default) the learned reading reads the
sentences the detectors read and find nothing in that name someone: 5,329 M cold at
53b572f (63.4 per post-mortem, 42% more than without it), most of it loading the weights
(127,273 of them) and making each sentence's n-grams.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
CORPORA = HERE.parent / "shared" / "corpora"


def make_repo(root: Path, corpora: Path) -> int:
    """Copy every report of the corpora into root as a repository; returns how many."""
    # Imported here: it imports pmrepo, which a measured process imports from its tree.
    from blame_corpus import reports_of

    quarter = root / "2024" / "Q1"
    quarter.mkdir(parents=True)
    (root / ".pmrepo.yaml").write_text("front_matter: optional\n", "utf-8")
    number = 0
    for corpus in sorted(path for path in corpora.iterdir() if path.is_dir()):
        for report in reports_of(corpus):
            number += 1
            shutil.copyfile(report, quarter / f"INC-2024-{number:04d}-report.md")
    return number


def instructions(
    src: Path, repo: Path, selections: tuple[str, ...], repeats: tuple[int, ...] = ()
) -> list[int]:
    """The instructions of one fresh process per selection that checks repo with it (and
    then again as often as its repeat says), under callgrind (the processes run side by
    side: a count does not depend on the others)."""
    repeats = repeats or (0,) * len(selections)
    with tempfile.TemporaryDirectory() as scratch:
        outs = [
            Path(scratch) / f"callgrind.{select}.{index}.out"
            for index, select in enumerate(selections)
        ]
        runs = [
            subprocess.Popen(
                [
                    "valgrind",
                    "--tool=callgrind",
                    f"--callgrind-out-file={out}",
                    sys.executable,
                    str(Path(__file__).resolve()),
                    *("--child", select, "--src", str(src), "--repo", str(repo)),
                    *("--repeat", str(repeat)),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for select, out, repeat in zip(selections, outs, repeats, strict=True)
        ]
        for select, run in zip(selections, runs, strict=True):
            _, errors = run.communicate()
            if run.returncode:
                raise SystemExit(f"the {select} run failed:\n{errors.decode(errors='replace')}")
        return [_total(out) for out in outs]


def _total(out: Path) -> int:
    """The instruction total of a callgrind output file."""
    for line in out.read_text("utf-8").splitlines():
        if line.startswith(("totals:", "summary:")):
            return int(line.split()[1])
    raise SystemExit(f"no instruction total in {out}")


def child(src: Path, repo: Path, select: str, repeat: int) -> None:
    """One check of repo, importing pmrepo from src rather than from where it is installed."""
    sys.meta_path[:] = [
        finder for finder in sys.meta_path if "editable" not in type(finder).__name__.lower()
    ]
    sys.path.insert(0, str(src))
    from postmortem_repo import api

    if not Path(api.__file__).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"pmrepo was imported from {api.__file__}, not from {src}")
    for _ in range(1 + repeat):
        api.check([repo], config_path=repo / ".pmrepo.yaml", select=(select,))


def warm_cost(src: Path, repo: Path) -> tuple[float, float]:
    """Instructions of one more check in a process that has checked once (PM4's and the
    parse-only run's): the cost bench/rule_cost.py times, as an editor or a long-lived
    process pays it."""
    once_101, thrice_101, once_4, thrice_4 = instructions(
        src, repo, ("PM101", "PM101", "PM4", "PM4"), (0, _REPEATS, 0, _REPEATS)
    )
    return (thrice_101 - once_101) / _REPEATS, (thrice_4 - once_4) / _REPEATS


_REPEATS = 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=HERE, help="the pmrepo tree to measure")
    parser.add_argument("--repo", type=Path, help="where the repository is (made if missing)")
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument(
        "--warm", action="store_true", help="the cost of a check after a first one instead"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.src, args.repo, args.child, args.repeat)
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: this measurement runs under callgrind")
    with tempfile.TemporaryDirectory() as scratch:
        repo = args.repo or Path(scratch) / "repo"
        if not repo.exists():
            make_repo(repo, args.corpora)
        files = len(list(repo.glob("*/Q*/*.md")))
        if args.warm:
            parse_only, pm4 = warm_cost(args.src, repo)
        else:
            parse_only, pm4 = instructions(args.src, repo, ("PM101", "PM4"))
    alone = pm4 - parse_only
    print(f"parse only (PM101)  {parse_only / 1e6:9,.0f} M instructions")
    print(f"PM4                 {pm4 / 1e6:9,.0f} M instructions")
    print(f"PM4 alone           {alone / 1e6:9,.0f} M instructions")
    print(f"per post-mortem     {alone / 1e6 / max(1, files):9,.1f} M instructions ({files} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
