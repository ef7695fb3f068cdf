"""A coverage-guided fuzz target (atheris) for pmrepo's reading of a post-mortem: parsing,
every per-file rule, suppressions. Any exception, or a finding outside the file, is a crash.

    python tests/fuzz/fuzz_parser.py -max_total_time=600      # ten minutes
    python tests/fuzz/fuzz_parser.py -atheris_runs=20000      # a fixed number of inputs

The corpus is seeded from sample-repo and the test fixtures into a scratch folder (libFuzzer
adds the inputs it finds there); pass your own folder as the last argument to keep it.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from postmortem_repo.lint.engine import Engine, Selection
    from postmortem_repo.lint.suppressions import suppressions_of
    from postmortem_repo.model.document import parse_document
    from postmortem_repo.repo.config import Config

REPO = Path(__file__).resolve().parents[2]
SEEDS = [REPO / "sample-repo", REPO / "tests" / "fixtures"]
_ENGINE = Engine(Config(), Selection(("ALL",), (), {}), Path(tempfile.gettempdir()))
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def check(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    doc = parse_document(
        text, path="fuzz.md", relpath="2024/Q1/INC-2024-0001-fuzz.md", spec=_ENGINE.config.sections
    )
    lines = len(_LINE_BREAKS.split(text))
    for finding in _ENGINE._check_document(doc):
        if not (1 <= finding.line <= lines and finding.column >= 1):
            raise AssertionError(f"finding outside the file ({lines} lines): {finding}")
    suppressions_of(doc.directives)
    _ENGINE.context.forget(doc)


def seed_corpus(folder: Path) -> None:
    for source in SEEDS:
        for path in sorted(source.rglob("*.md")):
            target = folder / f"{abs(hash(str(path)))}.md"
            shutil.copyfile(path, target)


def main() -> None:
    args = sys.argv[:]
    if len(args) < 2 or args[-1].startswith("-"):
        corpus = Path(tempfile.mkdtemp(prefix="pmrepo-fuzz-"))
        seed_corpus(corpus)
        args.append(str(corpus))
    atheris.Setup(args, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
