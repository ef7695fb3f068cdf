"""Precision and recall of the blameless-language rules (PM4xx) on the labeled corpus.

    python bench/blame_quality.py [--set dev|holdout|all] [--show-errors]

Each corpus file (tests/data/blame/<set>/*.yaml) becomes one post-mortem in a temporary
repository: every item goes into its section (Timeline items as timeline rows with their
actor, Action Items as rows with their owner), the repository context of
tests/data/blame/repo.yaml goes into the front matter, the timeline, the action items and
the config. `pmrepo check --select PM4` runs on it through the library API, and every
finding is matched to the item on its line.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from postmortem_repo import api

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "blame"
CODES = ("PM401", "PM402", "PM403", "PM404")
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


def load_items(which: str) -> list[list[Item]]:
    """Items per corpus file, in file order."""
    sets = ("dev", "holdout", "holdout2") if which == "all" else (which,)
    groups = []
    for name in sets:
        for path in sorted((CORPUS / name).glob("*.yaml")):
            data = yaml.safe_load(path.read_text("utf-8")) or {}
            groups.append([_item(f"{name}/{path.name}", raw) for raw in data.get("items", [])])
    return groups


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
                lines.append(f"| 14:30 | {item.actor or 'monitoring'} | {item.text} |")
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
                lines.append(
                    f"| 9 | {item.text} | {item.owner or owners[0]} | P1 | 2024-02-10 | Open |"
                )
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


def evaluate(which: str = "dev") -> list[Item]:
    """Run PM4xx over the corpus; returns the items with the codes found on each."""
    repo = yaml.safe_load((CORPUS / "repo.yaml").read_text("utf-8"))
    groups = load_items(which)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = {
            "people": repo.get("config_people", []),
            "not_people": repo.get("config_not_people", []),
        }
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="dev", choices=("dev", "holdout", "holdout2", "all"))
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    items = evaluate(args.set)
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
    if args.show_errors:
        for item in items:
            if set(item.codes) != item.found:
                missing = ",".join(sorted(set(item.codes) - item.found))
                extra = ",".join(sorted(item.found - set(item.codes)))
                print(
                    f"\n{item.source} [{item.section}] missed={missing} extra={extra}\n"
                    f"  {item.text}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
