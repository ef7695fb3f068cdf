"""Train the learned reading of the blameless-language rules (lint/blameless/learned.py).

    pip install -e '.[train]'
    python bench/blame_train.py [--threshold P] [--c C] [SET.jsonl ...]
    python bench/blame_train.py --cross-validate [SET.jsonl ...]

The training data are the labelled sentence sets (tests/data/blame/sentences/*.jsonl by
default): each sentence is read as pmrepo reads it in its section (quoted text masked,
names of the test repository's people known, bench/blame_quality.py's section labels), so
the features are the ones pmrepo computes at run time; with --corpus, the sentences of
real post-mortems join them (those any reader of tests/data/blame/corpora-judgement*.jsonl
listed as clear blame as blame, the unlisted as not). Two logistic regressions
(scikit-learn, lbfgs: deterministic) are fitted: blame or not over every sentence, and
which rule's kind of blame over the blame sentences.
Features of a single sentence and weights that round to zero are dropped, and the model
is written, keys sorted, to postmortem_repo/lint/blameless/blame-model.json with
the SHA-256 of each set it learned from.

--cross-validate leaves one set out at a time (each set is one writer's; the whole
post-mortems are always learned from) and reports, on the sets left out, the model alone
and the model together with the detectors (a sentence is blame when either finds it): how
well each would do on a new writer's text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import blame_corpus
import blame_quality

from postmortem_repo.lint.blameless import learned
from postmortem_repo.lint.blameless.prose import mask, prose_units
from postmortem_repo.lint.blameless.sentences import sentence_bounds
from postmortem_repo.model.people import People
from postmortem_repo.repo.config import Config

REPO = Path(__file__).resolve().parents[1]
SETS = REPO / "tests" / "data" / "blame" / "sentences"
CORPORA = blame_corpus.CORPORA
REAL_CORPORA = (
    "chia-postmortems",
    "dfds-postmortems",
    "k8s-test-infra-postmortems",
    "posthog-postmortems",
)
DOCUMENTS = REPO / "tests" / "data" / "blame" / "documents"
# Every reader's list of the blame in the real corpora.
CORPORA_JUDGEMENTS = sorted(blame_corpus.JUDGEMENT.parent.glob("corpora-judgement*.jsonl"))
OUTPUT = REPO / "postmortem_repo" / "lint" / "blameless" / learned.MODEL_FILE
DEFAULT_THRESHOLD = 0.99
DEFAULT_C = 2.0
SMALLEST_WEIGHT = 0.02
MIN_SENTENCES = 2


def test_repository_people() -> People:
    """The people and systems bench/blame_quality.py's repository tells pmrepo about."""
    repo = yaml.safe_load((blame_quality.CORPUS / "repo.yaml").read_text("utf-8"))
    people = People()
    people.add_people([repo["author"], *repo["reviewers"], *repo["owners"], *repo["config_people"]])
    people.add_people(repo["timeline_actors"])
    people.add_systems([*repo["services"], *repo["config_not_people"]])
    return people


def load(paths: list[Path]) -> list[dict[str, Any]]:
    rows = []
    for path in paths:
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                raw["set"] = path.stem
                raw["label"] = blame_quality.SENTENCE_SECTIONS[raw["section"]]
                rows.append(raw)
    return rows


def corpus_rows(names: list[str]) -> list[dict[str, Any]]:
    """The real post-mortems of ../shared/corpora/NAME, with the reader's judgement."""
    judged = readers_judgement(CORPORA_JUDGEMENTS)
    return [
        row
        for name in sorted(names)
        for row in document_rows(CORPORA / name, judged.get(name, {}), name)
    ]


def readers_judgement(paths: list[Path]) -> dict[str, dict[tuple[str, int], dict[str, str]]]:
    """Several readers' lists as one: a sentence is clear blame when any reader says so."""
    merged: dict[str, dict[tuple[str, int], dict[str, str]]] = {}
    for path in paths:
        for corpus, listed in blame_corpus.load_judgement(path).items():
            into = merged.setdefault(corpus, {})
            for key, raw in listed.items():
                if key not in into or raw.get("clarity") == "clear":
                    into[key] = raw
    return merged


def written_rows(folders: list[Path]) -> list[dict[str, Any]]:
    """Post-mortems written for pmrepo's data: FOLDER/docs/*.md, with the blame sentences
    their writer listed in FOLDER/judgement.jsonl."""
    rows = []
    for folder in sorted(folders):
        judged = blame_corpus.load_judgement(folder / "judgement.jsonl")
        listed = {key: raw for by_file in judged.values() for key, raw in by_file.items()}
        rows += document_rows(folder / "docs", listed, folder.name)
    return rows


def document_rows(
    folder: Path, listed: dict[tuple[str, int], dict[str, str]], name: str
) -> list[dict[str, Any]]:
    """The sentences of whole post-mortems as pmrepo reads them: those listed as clear blame
    are blame, those not listed are not, and borderline ones are left out."""
    config = Config()
    rows = []
    for report in blame_corpus.reports_of(folder):
        relpath = report.relative_to(folder).as_posix()
        text = report.read_text("utf-8", errors="replace")
        doc = config.parse(text, path=str(report), relpath=relpath)
        for unit in prose_units(doc):
            for start, end in sentence_bounds(unit.text):
                first, last = unit.position(start)[0], unit.position(max(start, end - 1))[0]
                lines = range(first, last + 1)
                sentence = unit.text[start:end]
                said = [
                    listed[(relpath, n)]
                    for n in lines
                    if (relpath, n) in listed and _same_sentence(sentence, listed[(relpath, n)])
                ]
                if any(raw.get("clarity") != "clear" for raw in said):
                    continue
                kind = said[0].get("kind", "") if said else "plain"
                rows.append(
                    {
                        "text": sentence,
                        "label": unit.section,
                        "blame": bool(said),
                        "kind": kind,
                        "set": name,
                    }
                )
    return rows


def _same_sentence(sentence: str, listed: dict[str, str]) -> bool:
    """Whether a sentence is the one a reader listed on its line (a line may hold several):
    most of its words are in the listed text (quoted words are masked in the sentence)."""
    words = set(sentence.lower().split())
    listed_words = set(str(listed.get("text", "")).lower().split())
    return len(words & listed_words) >= 0.6 * len(words)


def feature_names(row: dict[str, Any], people: People) -> dict[str, int]:
    text = mask(" ".join(str(row["text"]).split()))
    words = learned.tokens(text, 0, len(text), people)
    return dict.fromkeys(learned.features([token.word for token in words], row["label"]), 1)


def fit(rows: list[dict[str, Any]], people: People, c: float) -> tuple[Any, Any, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    named = [feature_names(row, people) for row in rows]
    seen = Counter(name for features in named for name in features)
    # A feature of a single sentence teaches that sentence, not the language.
    common = [{name: 1 for name in features if seen[name] >= MIN_SENTENCES} for features in named]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(common)
    labels = [bool(row["blame"]) for row in rows]
    blame = LogisticRegression(C=c, solver="lbfgs", class_weight="balanced", max_iter=5000)
    blame.fit(matrix, labels)
    chosen = [index for index, row in enumerate(rows) if row["blame"]]
    kinds = LogisticRegression(C=c, solver="lbfgs", max_iter=5000)
    kinds.fit(matrix[chosen], [learned.KIND_CODES[rows[index]["kind"]] for index in chosen])
    return vectorizer, blame, kinds


def _sparse(names: list[str], weights: Any, smallest: float = SMALLEST_WEIGHT) -> dict[str, float]:
    return {
        name: round(float(weight), 3)
        for name, weight in zip(names, weights, strict=True)
        if abs(weight) >= smallest
    }


def write_model(
    paths: list[Path], corpora: list[str], written: list[Path], threshold: float, c: float
) -> None:
    people = test_repository_people()
    rows = load(paths) + corpus_rows(corpora) + written_rows(written)
    vectorizer, blame, kinds = fit(rows, people, c)
    names = list(vectorizer.get_feature_names_out())
    model = {
        "threshold": threshold,
        "bias": round(float(blame.intercept_[0]), 4),
        "weights": _sparse(names, blame.coef_[0]),
        "codes": {
            code: {"bias": round(float(bias), 4), "weights": _sparse(names, weights, 0.05)}
            for code, bias, weights in zip(
                kinds.classes_, kinds.intercept_, kinds.coef_, strict=True
            )
        },
        "trained_on": {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(paths)
        },
        "corpora": sorted(corpora),
        "documents": sorted(folder.name for folder in written),
        "sentences": len(rows),
        "c": c,
    }
    OUTPUT.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")
    print(f"{OUTPUT.relative_to(REPO)}: {len(model['weights'])} weights from {len(rows)} sentences")


def cross_validate(paths: list[Path], c: float) -> None:
    """Leave one set out at a time; the detectors' own findings come from a check with the
    learned reading switched off."""
    people = test_repository_people()
    rows = load(paths)
    real = corpus_rows(list(REAL_CORPORA)) + written_rows(sorted(DOCUMENTS.iterdir()))
    detected = _detector_findings(paths)
    probabilities: list[float] = [0.0] * len(rows)
    for left_out in sorted({row["set"] for row in rows}):
        training = [row for row in rows if row["set"] != left_out] + real
        vectorizer, blame, _ = fit(training, people, c)
        indexes = [index for index, row in enumerate(rows) if row["set"] == left_out]
        matrix = vectorizer.transform([feature_names(rows[index], people) for index in indexes])
        for index, probability in zip(indexes, blame.predict_proba(matrix)[:, 1], strict=True):
            probabilities[index] = float(probability)
    truth = [bool(row["blame"]) for row in rows]
    print(f"{len(rows)} sentences in {len({row['set'] for row in rows})} sets, each left out once")
    print("detectors alone        " + _score(truth, detected))
    for threshold in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        alone = [p >= threshold for p in probabilities]
        both = [a or d for a, d in zip(alone, detected, strict=True)]
        print(
            f"threshold {threshold:.2f}: model {_score(truth, alone)}"
            f" | with detectors {_score(truth, both)}"
        )


def _detector_findings(paths: list[Path]) -> list[bool]:
    found = []
    for path in paths:
        items = blame_quality.evaluate(sentences=path, learned=False)
        found += [bool(item.found) for item in items]
    return found


def _score(truth: list[bool], found: list[bool]) -> str:
    tp = sum(t and f for t, f in zip(truth, found, strict=True))
    fp = sum(f and not t for t, f in zip(truth, found, strict=True))
    fn = sum(t and not f for t, f in zip(truth, found, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"P {precision:.3f} R {recall:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--c", type=float, default=DEFAULT_C)
    parser.add_argument("--cross-validate", action="store_true")
    parser.add_argument(
        "--corpus",
        action="append",
        default=[],
        help="a folder of real post-mortems under ../shared/corpora to learn from (repeat; "
        "default: all four)",
    )
    parser.add_argument(
        "--documents",
        action="append",
        type=Path,
        default=[],
        help="a folder of written post-mortems (docs/, judgement.jsonl) to learn from "
        "(repeat; default: every folder of tests/data/blame/documents)",
    )
    args = parser.parse_args()
    paths = args.sets or sorted(SETS.glob("*.jsonl"))
    if args.cross_validate:
        cross_validate(paths, args.c)
    else:
        written = args.documents or sorted(DOCUMENTS.iterdir())
        write_model(paths, args.corpus or list(REAL_CORPORA), written, args.threshold, args.c)


if __name__ == "__main__":
    main()
