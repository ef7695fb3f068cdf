"""The blameless-language rules (PM4xx) on real post-mortems, against a reader's judgement.

    python bench/blame_corpus.py [JUDGEMENT.jsonl] [--corpora DIR] [--show-errors]

JUDGEMENT.jsonl lists, one JSON object a line, every blame sentence a reader found in the
corpora (`corpus`, `file`, `line`, `clarity`: clear or borderline), read without seeing
pmrepo's findings; the default is tests/data/blame/corpora-judgement.jsonl, for the four
corpora of ../shared/corpora (copied into tests/fixtures/). Each corpus file is checked as
it is, line for line, as a post-mortem of a repository with optional front matter; a
finding is a true one when the reader listed a sentence on its line (or the line before,
for a sentence wrapped over two lines). Reported per corpus: precision, recall of clear
blame, and false alarms per 20 post-mortems.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from postmortem_repo import api

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
JUDGEMENT = REPO / "tests" / "data" / "blame" / "corpora-judgement.jsonl"
NOT_REPORTS = {"README.md", "LICENSE.md", "CONTRIBUTING.md"}
NOT_MARKDOWN = {"LICENSE", "NOTICE"}


@dataclass
class Corpus:
    name: str
    reports: int = 0
    found: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    texts: dict[tuple[str, int], str] = field(default_factory=dict)


def reports_of(folder: Path) -> list[Path]:
    """Markdown files other than templates and indexes; a few reports were published
    without the .md suffix, and are read as the reader read them."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and (path.suffix == ".md" or (not path.suffix and path.name not in NOT_MARKDOWN))
        and path.name not in NOT_REPORTS
        and "template" not in path.name.lower()
    )


def check_corpus(folder: Path, learned: bool = False) -> Corpus:
    """PM4xx findings per (file, line), each file checked as a post-mortem of its own."""
    corpus = Corpus(folder.name)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        config = "front_matter: optional\n" + ("blameless: {learned: true}\n" if learned else "")
        (root / ".pmrepo.yaml").write_text(config, "utf-8")
        quarter = root / "2024" / "Q1"
        quarter.mkdir(parents=True)
        names: dict[str, str] = {}
        for number, report in enumerate(reports_of(folder), start=1):
            name = f"INC-2024-{number:04d}-report.md"
            shutil.copyfile(report, quarter / name)
            names[name] = report.relative_to(folder).as_posix()
        corpus.reports = len(names)
        result = api.check([root], config_path=root / ".pmrepo.yaml", select=("PM4",))
        for finding in result.findings:
            key = (names[Path(finding.path).name], finding.line)
            corpus.found.setdefault(key, set()).add(finding.code)
            corpus.texts[key] = finding.message
    return corpus


def load_judgement(path: Path) -> dict[str, dict[tuple[str, int], dict[str, str]]]:
    judged: dict[str, dict[tuple[str, int], dict[str, str]]] = defaultdict(dict)
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            judged[raw["corpus"]][(raw["file"], int(raw["line"]))] = raw
    return judged


def matched(key: tuple[str, int], judged: dict[tuple[str, int], dict[str, str]]) -> bool:
    file, line = key
    return key in judged or (file, line - 1) in judged


def report(corpus: Corpus, judged: dict[tuple[str, int], dict[str, str]], show: bool) -> None:
    true = [key for key in corpus.found if matched(key, judged)]
    false = [key for key in corpus.found if not matched(key, judged)]
    caught = {k for k in judged if any(f == k[0] and line in (k[1], k[1] + 1) for f, line in true)}
    clear = [key for key, raw in judged.items() if raw.get("clarity") == "clear"]
    clear_caught = sum(1 for key in clear if key in caught)
    precision = len(true) / len(corpus.found) if corpus.found else 1.0
    recall = clear_caught / len(clear) if clear else 1.0
    per_20 = 20 * len(false) / max(1, corpus.reports)
    print(
        f"{corpus.name:<28} {corpus.reports:>3} reports  findings {len(corpus.found):>3}  "
        f"precision {precision:.2f}  clear blame {len(clear):>3}  recall {recall:.2f}  "
        f"false alarms/20 {per_20:.1f}"
    )
    if show:
        for key in sorted(false):
            print(
                f"  false alarm {key[0]}:{key[1]} {sorted(corpus.found[key])} {corpus.texts[key]}"
            )
        for key in sorted(set(judged) - caught):
            raw = judged[key]
            print(f"  missed ({raw.get('clarity')}) {key[0]}:{key[1]} {raw.get('text')}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("judgement", type=Path, nargs="?", default=JUDGEMENT)
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument(
        "--learned", action="store_true", help="with the learned reading on (blameless.learned)"
    )
    args = parser.parse_args()
    judged = load_judgement(args.judgement)
    for folder in sorted(path for path in args.corpora.iterdir() if path.is_dir()):
        found = check_corpus(folder, args.learned)
        report(found, judged.get(folder.name, {}), args.show_errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
