"""Would a learned decision do better than the blameless rules? A linear model over word
n-grams (names, roles and systems replaced by their kind), trained on the sentence sets and
tested on the set or the real corpus it did not see.

    pip install scikit-learn   # not a pmrepo dependency: this script alone needs it
    python bench/blame_learned.py

For each sentence set in tests/data/blame/sentences/: precision and recall of the model
trained on the other sets, at several thresholds. For each real corpus: false alarms and
clear blame found by the model trained on every set plus the other corpora's sentences.
pmrepo does not ship such a model: on real post-mortems it raises many more false alarms
than the rules while finding no more of the blame a reader found (see the README).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from blame_corpus import CORPORA, JUDGEMENT, reports_of

from postmortem_repo.lint.blameless.lexicon import ROLE_NOUNS
from postmortem_repo.lint.blameless.prose import prose_units
from postmortem_repo.lint.blameless.sentences import sentence_bounds
from postmortem_repo.model.document import parse_document
from postmortem_repo.model.people import SYSTEM_NAMES, first_names
from postmortem_repo.repo.config import Config

SETS = Path(__file__).resolve().parents[1] / "tests" / "data" / "blame" / "sentences"
TOKEN = re.compile(r"@[\w.-]+|[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)?|\d+")
THRESHOLDS = (0.5, 0.7, 0.9)


def tokens(text: str, section: str) -> str:
    """The sentence as the model reads it: lowercase words, a person's name as __person__, a
    role as __role__ (and its word), a system as __system__, the section as a token."""
    out = [f"__section_{section}"]
    for match in TOKEN.finditer(text):
        word = match.group()
        bare = re.sub(r"['\u2019]s$", "", word)
        if word.startswith("@") or bare in first_names():
            out.append("__person__")
        elif bare.lower() in SYSTEM_NAMES:
            out.append("__system__")
        elif word[0].isdigit():
            out.append("__number__")
        else:
            out += ["__role__"] if bare.lower() in ROLE_NOUNS else []
            out.append(word.lower())
    return " ".join(out)


def sentence_sets() -> dict[str, list[tuple[str, bool]]]:
    sets = {}
    for path in sorted(SETS.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
        sets[path.stem] = [(tokens(r["text"], r["section"]), bool(r["blame"])) for r in rows]
    return sets


def corpus_sentences() -> dict[str, list[tuple[str, str]]]:
    """Each corpus's sentences as pmrepo reads its prose, labelled 'clear', 'borderline'
    (a reader listed it) or ''."""
    judged = {}
    for line in JUDGEMENT.read_text("utf-8").splitlines():
        row = json.loads(line)
        judged[(row["corpus"], row["file"], row["line"])] = row["clarity"]
    spec, found = Config().sections, {}
    for corpus in sorted(CORPORA.iterdir()):
        rows = found.setdefault(corpus.name, [])
        for path in reports_of(corpus):
            relpath = path.relative_to(corpus).as_posix()
            text = path.read_text("utf-8", errors="replace")
            doc = parse_document(text, path=str(path), relpath=relpath, spec=spec)
            for unit in prose_units(doc):
                for start, end in sentence_bounds(unit.text):
                    first, last = unit.position(start)[0], unit.position(max(start, end - 1))[0]
                    lines = range(first, last + 1)
                    label = next(
                        (
                            judged[(corpus.name, relpath, n)]
                            for n in lines
                            if (corpus.name, relpath, n) in judged
                        ),
                        "",
                    )
                    rows.append((tokens(unit.text[start:end], "root-cause"), label))
    return found


def fit(rows: list[tuple[str, bool]]) -> object:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        CountVectorizer(
            tokenizer=str.split,
            lowercase=False,
            ngram_range=(1, 3),
            min_df=2,
            binary=True,
            token_pattern=None,
        ),
        LogisticRegression(C=1.0, max_iter=4000, class_weight="balanced"),
    )
    model.fit([text for text, _ in rows], [label for _, label in rows])
    return model


def main() -> int:
    sets = sentence_sets()
    for name, rows in sets.items():
        model = fit([row for other, kept in sets.items() if other != name for row in kept])
        scores = model.predict_proba([text for text, _ in rows])[:, 1]  # type: ignore[attr-defined]
        parts = []
        for threshold in THRESHOLDS:
            flagged = [
                label for (_, label), score in zip(rows, scores, strict=False) if score >= threshold
            ]
            blame = sum(label for _, label in rows)
            precision = sum(flagged) / len(flagged) if flagged else 0.0
            parts.append(f"{threshold}: P {precision:.2f} R {sum(flagged) / blame:.2f}")
        print(f"{name:4s} " + "  ".join(parts))
    corpora = corpus_sentences()
    everything = [row for rows in sets.values() for row in rows]
    for name, rows in corpora.items():
        others = [
            (t, label == "clear")
            for c, kept in corpora.items()
            if c != name
            for t, label in kept
            if label in ("", "clear")
        ]
        model = fit(everything + others)
        scores = model.predict_proba([text for text, _ in rows])[:, 1]  # type: ignore[attr-defined]
        clear = sum(label == "clear" for _, label in rows)
        for threshold in THRESHOLDS:
            alarms = sum(
                1
                for (_, label), s in zip(rows, scores, strict=False)
                if s >= threshold and not label
            )
            found = sum(
                1
                for (_, label), s in zip(rows, scores, strict=False)
                if s >= threshold and label == "clear"
            )
            print(f"{name:28s} {threshold}: false alarms {alarms:3d}  clear blame {found}/{clear}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
