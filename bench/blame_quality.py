"""Precision and recall of the blameless-language rules (PM4xx) on the labeled corpus.

    python bench/blame_quality.py [--set dev|holdout|all] [--show-errors]
    python bench/blame_quality.py --sentences PATH.jsonl [--show-errors]

Each corpus file (tests/data/blame/<set>/*.yaml) becomes one post-mortem in a temporary
repository: every item goes into its section (Timeline items as timeline rows with their
actor, Action Items as rows with their owner), the repository context of
tests/data/blame/repo.yaml goes into the front matter, the timeline, the action items and
the config. `pmrepo check --select PM4` runs on it through the library API, and every
finding is matched to the item on its line.

A sentence set (JSON lines with `text`, `section`, `blame`, `kind`, as in
../shared/eval/blame-v1/) is scored per sentence, blame or not, with recall per kind: its
sentences go into their sections the same way, 40 to a post-mortem, and the names they
mention are not told to the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from postmortem_repo import api

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "blame"
CODES = ("PM401", "PM402", "PM403", "PM404", "PM405")
SECTIONS = (
    ("Executive Summary", ()),
    ("Impact", ("User Impact", "Business Impact")),
    ("Timeline", ()),
    (
        "Root Cause Analysis",
        ("Proximate Cause", "Root Cause", "Contributing Factors", "5 Whys Analysis"),
    ),
    ("Lessons Learned", ("What Went Well", "What Went Poorly", "Where We Got Lucky")),
    ("Action Items", ()),
    ("Appendix", ()),
)


@dataclass
class Item:
    source: str
    section: str
    text: str
    codes: frozenset[str]
    actor: str = ""
    owner: str = ""
    line: int = 0
    found: set[str] = field(default_factory=set)
    kind: str = ""


def load_items(which: str) -> list[list[Item]]:
    """Items per corpus file, in file order."""
    sets = ("dev", "holdout", "holdout2") if which == "all" else (which,)
    groups = []
    for name in sets:
        for path in sorted((CORPUS / name).glob("*.yaml")):
            data = yaml.safe_load(path.read_text("utf-8")) or {}
            groups.append([_item(f"{name}/{path.name}", raw) for raw in data.get("items", [])])
    return groups


# Where a sentence set's section names go in the rendered post-mortem.
SENTENCE_SECTIONS = {
    "executive-summary": "Executive Summary",
    "impact": "Impact",
    "timeline": "Timeline",
    "root-cause": "Root Cause Analysis / Root Cause",
    "five-whys": "Root Cause Analysis / 5 Whys Analysis",
    "lessons-learned": "Lessons Learned / What Went Poorly",
    "where-we-got-lucky": "Lessons Learned / Where We Got Lucky",
    "action-items": "Action Items",
    "related": "Appendix",
    "appendix": "Appendix",
    "metrics": "Impact",
}
SENTENCES_PER_DOCUMENT = 40


def load_sentences(path: Path) -> list[list[Item]]:
    """A sentence set's items, 40 to a post-mortem; a blame sentence is labelled 'blame'."""
    items = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        section = SENTENCE_SECTIONS[raw["section"]]
        text = " ".join(str(raw["text"]).split())
        items.append(
            Item(
                f"{path.name}:{number}:{raw.get('id', '')}",
                section,
                text,
                frozenset({"blame"}) if raw["blame"] else frozenset(),
                kind=str(raw.get("kind") or ""),
            )
        )
    size = SENTENCES_PER_DOCUMENT
    return [items[start : start + size] for start in range(0, len(items), size)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _item(source: str, raw: dict[str, Any]) -> Item:
    return Item(
        source,
        str(raw["section"]),
        str(raw["text"]),
        frozenset(raw.get("codes") or ()),
        str(raw.get("actor") or ""),
        str(raw.get("owner") or ""),
    )


def _render(items: list[Item], repo: dict[str, Any], number: int) -> str:
    """A post-mortem holding every item in its section; sets each item's line."""
    lines = [
        "---",
        f"id: INC-2024-{number:04d}",
        f"title: Corpus document {number}",
        "date: 2024-02-01",
        f"author: {repo['author']}",
        "status: DRAFT",
        "reviewers:",
        *(f"  - {name}" for name in repo["reviewers"]),
        "severity: SEV3",
        "services:",
        *(f"  - {name}" for name in repo["services"]),
        "---",
        "",
        f"# Corpus document {number}",
    ]
    by_section: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_section[item.section].append(item)
    for name, subsections in SECTIONS:
        lines += ["", f"## {name}", ""]
        if name == "Timeline":
            lines += ["| Time (UTC) | Source | Event |", "|---|---|---|"]
            lines += [
                f"| 14:0{i % 10} | {actor} | Joined the incident channel |"
                for i, actor in enumerate(repo["timeline_actors"])
            ]
            for item in by_section.pop(name, []):
                item.line = len(lines) + 1
                lines.append(f"| 14:30 | {item.actor or 'monitoring'} | {_cell(item.text)} |")
        elif name == "Action Items":
            lines += [
                "| # | Action | Owner | Priority | Due | Status |",
                "|---|---|---|---|---|---|",
            ]
            owners = list(repo["owners"])
            lines += [
                f"| {i} | Review the runbook index | {owner} | P2 | 2024-03-01 | Open |"
                for i, owner in enumerate(owners, start=1)
            ]
            for item in by_section.pop(name, []):
                item.line = len(lines) + 1
                owner = item.owner or owners[0]
                lines.append(f"| 9 | {_cell(item.text)} | {owner} | P1 | 2024-02-10 | Open |")
        else:
            _paragraphs(lines, by_section.pop(name, []))
        for sub in subsections:
            lines += ["", f"### {sub}"]
            _paragraphs(lines, by_section.pop(f"{name} / {sub}", []))
    if by_section:
        raise SystemExit(f"unknown sections in the corpus: {sorted(by_section)}")
    return "\n".join(lines) + "\n"


def _paragraphs(lines: list[str], items: list[Item]) -> None:
    for item in items:
        lines.append("")
        item.line = len(lines) + 1
        lines.append(item.text)


def evaluate(
    which: str = "dev", sentences: Path | None = None, learned: bool = False
) -> list[Item]:
    """Run PM4xx over the corpus; returns the items with the codes found on each."""
    repo = yaml.safe_load((CORPUS / "repo.yaml").read_text("utf-8"))
    groups = load_sentences(sentences) if sentences else load_items(which)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = {
            "people": repo.get("config_people", []),
            "not_people": repo.get("config_not_people", []),
        }
        if learned:
            config["blameless"] = {"learned": True}
        (root / ".pmrepo.yaml").write_text(yaml.safe_dump(config), "utf-8")
        (root / "2024" / "Q1").mkdir(parents=True)
        by_file: dict[str, dict[int, Item]] = {}
        for number, items in enumerate(groups, start=1):
            path = root / "2024" / "Q1" / f"INC-2024-{number:04d}-corpus.md"
            path.write_text(_render(items, repo, number), "utf-8")
            by_file[path.name] = {item.line: item for item in items}
        result = api.check([root], config_path=root / ".pmrepo.yaml", select=("PM4",))
        for finding in result.findings:
            item = by_file[Path(finding.path).name].get(finding.line)
            if item is None:
                raise SystemExit(f"finding outside any item: {finding}")
            item.found.add(finding.code)
    return [item for items in groups for item in items]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(items: list[Item]) -> dict[str, Score]:
    """Per rule, 'overall' (every (item, code) pair) and 'any' (blame or not, per item)."""
    scores = {code: Score() for code in (*CODES, "overall", "any")}
    for item in items:
        for code in CODES:
            expected, found = code in item.codes, code in item.found
            for key in (code, "overall"):
                scores[key].tp += expected and found
                scores[key].fp += found and not expected
                scores[key].fn += expected and not found
        expected_any, found_any = bool(item.codes), bool(item.found)
        scores["any"].tp += expected_any and found_any
        scores["any"].fp += found_any and not expected_any
        scores["any"].fn += expected_any and not found_any
    return scores


def print_sentence_scores(items: list[Item]) -> None:
    """Per sentence: blame found or not, overall and by kind."""
    overall = score(items)["any"]
    negatives = sum(1 for item in items if not item.codes)
    print(
        f"{len(items)} sentences, {overall.tp + overall.fn} blame, {negatives} not: "
        f"precision {overall.precision:.3f}, recall {overall.recall:.3f}, f1 {overall.f1:.3f} "
        f"(tp {overall.tp}, fp {overall.fp}, fn {overall.fn})"
    )
    by_kind: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    print(f"{'kind':<18} {'n':>4} {'flagged':>7} {'rate':>6}")
    for kind, group in sorted(by_kind.items()):
        flagged = sum(1 for item in group if item.found)
        print(f"{kind:<18} {len(group):>4} {flagged:>7} {flagged / len(group):>6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="dev", choices=("dev", "holdout", "holdout2", "all"))
    parser.add_argument("--sentences", type=Path, help="a JSON-lines sentence set")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument(
        "--learned", action="store_true", help="with the learned reading on (blameless.learned)"
    )
    args = parser.parse_args()
    items = evaluate(args.set, args.sentences, args.learned)
    if args.sentences:
        print_sentence_scores(items)
        _print_errors(items, args.show_errors)
        return 0
    labelled = Counter(code for item in items for code in item.codes)
    blame = sum(1 for item in items if item.codes)
    print(
        f"corpus: {args.set}, {len(items)} items, {blame} with blame "
        f"({100 * blame / max(1, len(items)):.0f}%)"
    )
    print(
        f"{'rule':<8} {'labels':>6} {'tp':>4} {'fp':>4} {'fn':>4} "
        f"{'precision':>9} {'recall':>7} {'f1':>6}"
    )
    for key, s in score(items).items():
        labels = labelled[key] if key in CODES else s.tp + s.fn
        print(
            f"{key:<8} {labels:>6} {s.tp:>4} {s.fp:>4} {s.fn:>4} "
            f"{s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}"
        )
    _print_errors(items, args.show_errors)
    return 0


def _print_errors(items: list[Item], show: bool) -> None:
    if not show:
        return
    for item in items:
        if item.kind:  # a sentence set: blame or not
            if bool(item.codes) != bool(item.found):
                what = "missed" if item.codes else f"false alarm {','.join(sorted(item.found))}"
                print(f"\n{item.source} [{item.section}] {item.kind}: {what}\n  {item.text}")
        elif set(item.codes) != item.found:
            missing = ",".join(sorted(set(item.codes) - item.found))
            extra = ",".join(sorted(item.found - set(item.codes)))
            print(f"\n{item.source} [{item.section}] missed={missing} extra={extra}\n  {item.text}")


if __name__ == "__main__":
    sys.exit(main())
