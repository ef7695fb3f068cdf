"""How well `pmrepo related` finds the labelled related post-mortems, and what PM706 warns
about on the dfds corpus.

    python bench/related_quality.py [--show-misses] [--warnings]

The labelled set is tests/data/related/ (see its README): sample-repo, generated clusters
written to a temporary folder, and the dfds corpus under its own config. For each incident
with at least one labelled earlier partner: precision@1 (its first suggestion is a
partner) and recall@3 (each partner is among its first three). --warnings lists every
PM706 finding on the dfds corpus, for judging by hand.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from postmortem_repo import api
from postmortem_repo.repo.corpus import load_related
from postmortem_repo.repo.related import RelatedIndex

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "tests" / "data" / "related"
DFDS = REPO / "tests" / "fixtures" / "dfds"
DFDS_CONFIG = REPO / "tests" / "golden" / "dfds-proposed.pmrepo.yaml"
DFDS_SECTIONS = REPO / "tests" / "fixtures" / "dfds-config" / "sections.schema.json"


@dataclass
class LabelledRepo:
    name: str
    root: Path
    pairs: list[tuple[str, str]]  # (later, earlier)


@dataclass
class Scores:
    queries: int = 0
    hits_at_1: int = 0
    pairs: int = 0
    found_in_3: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision_at_1(self) -> float:
        return self.hits_at_1 / self.queries if self.queries else 0.0

    @property
    def recall_at_3(self) -> float:
        return self.found_in_3 / self.pairs if self.pairs else 0.0


def _generated_module() -> object:
    spec = importlib.util.spec_from_file_location("generated", LABELS / "generated.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generated"] = module  # its NamedTuples look their module up
    spec.loader.exec_module(module)
    return module


def copy_dfds(target: Path) -> Path:
    """The dfds corpus with the config pmrepo proposes for it."""
    shutil.copytree(DFDS, target)
    shutil.copy(DFDS_CONFIG, target / ".pmrepo.yaml")
    shutil.copy(DFDS_SECTIONS, target / "pmrepo.sections.json")
    return target


@contextmanager
def labelled_repositories() -> Iterator[list[LabelledRepo]]:
    """The three labelled repositories, in a temporary folder while the block runs."""
    labels = yaml.safe_load((LABELS / "pairs.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as work:
        generated = Path(work) / "generated"
        pairs = _generated_module().write_clusters(generated)  # type: ignore[attr-defined]
        yield [
            LabelledRepo("sample-repo", REPO / "sample-repo", _pairs(labels["sample-repo"])),
            LabelledRepo("generated", generated, pairs),
            LabelledRepo("dfds", copy_dfds(Path(work) / "dfds"), _pairs(labels["dfds"])),
        ]


def _pairs(rows: list[list[str]]) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in rows]


def related_index(root: Path) -> RelatedIndex:
    config = api.resolve_config([root])
    return load_related(root, config, warn=False)


def score(labelled: LabelledRepo) -> Scores:
    index = related_index(labelled.root)
    partners: dict[str, set[str]] = {}
    for later, earlier in labelled.pairs:
        partners.setdefault(later, set()).add(earlier)
    scores = Scores()
    for later, wanted in sorted(partners.items()):
        target = index.by_id(later)
        if target is None:
            raise SystemExit(f"{labelled.name}: no incident {later}")
        suggested = [suggestion.incident.id for suggestion in index.suggest(target, 3)]
        scores.queries += 1
        scores.hits_at_1 += bool(suggested) and suggested[0] in wanted
        scores.pairs += len(wanted)
        scores.found_in_3 += len(wanted & set(suggested))
        if not suggested or suggested[0] not in wanted or not wanted <= set(suggested):
            scores.misses.append(f"{later}: wanted {sorted(wanted)}, got {suggested}")
    return scores


def total(all_scores: list[Scores]) -> Scores:
    summed = Scores()
    for part in all_scores:
        summed.queries += part.queries
        summed.hits_at_1 += part.hits_at_1
        summed.pairs += part.pairs
        summed.found_in_3 += part.found_in_3
    return summed


def dfds_warnings(root: Path, threshold: float | None = None) -> tuple[int, list[str]]:
    """(post-mortems judged, PM706 findings) on the dfds corpus, with the default threshold
    or this one."""
    config = root / ".pmrepo.yaml"
    text = DFDS_CONFIG.read_text(encoding="utf-8")
    if threshold is not None:
        text += f"related:\n  threshold: {threshold}\n"
    config.write_text(text, encoding="utf-8")
    result = api.check([root], select=["PM706"])
    judged = [i for i in related_index(root).incidents if i.status.upper() != "DRAFT"]
    shown = [
        f"{Path(finding.path).name}:{finding.line}: {finding.message}"
        for finding in result.findings
    ]
    return len(judged), shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--warnings", action="store_true")
    options = parser.parse_args()
    with labelled_repositories() as repositories:
        parts = []
        for labelled in repositories:
            part = score(labelled)
            parts.append(part)
            print(
                f"{labelled.name:12} queries {part.queries:3}  pairs {part.pairs:3}  "
                f"precision@1 {part.precision_at_1:.3f}  recall@3 {part.recall_at_3:.3f}"
            )
            if options.show_misses:
                for miss in part.misses:
                    print(f"    {miss}")
        summed = total(parts)
        print(
            f"{'all':12} queries {summed.queries:3}  pairs {summed.pairs:3}  "
            f"precision@1 {summed.precision_at_1:.3f}  recall@3 {summed.recall_at_3:.3f}"
        )
        if options.warnings:
            for threshold in (None, 0.3, 0.25):
                checked, warnings = dfds_warnings(repositories[2].root, threshold)
                named = "default threshold" if threshold is None else f"threshold {threshold}"
                print(f"PM706 on dfds, {named}: {len(warnings)} warnings, {checked} judged")
                for warning in warnings:
                    print(f"    {warning}")


if __name__ == "__main__":
    main()
