"""Build a large post-mortem repository from sample-repo, for benchmarks.

    python bench/make_repo.py DEST [--count 1000]

Each sample post-mortem is copied under new ids (INC-YYYY-NNNN) across the years and
quarters of its own date, so that layout, ids and dates stay valid; the README, TEMPLATE,
config and patterns come along so that `pmrepo index` and `pmrepo patterns` have work to do.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "sample-repo"
_ID = re.compile(r"INC-(\d{4})-(\d{4})")


def build(dest: Path, count: int) -> int:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("20[0-9][0-9]"))
    sources = sorted(SAMPLE.glob("20*/Q*/INC-*.md"))
    written = 0
    for index in range(count):
        source = sources[index % len(sources)]
        year = int(source.parent.parent.name)
        number = 1000 + index
        old_id = _ID.search(source.name)
        assert old_id is not None
        new_id = f"INC-{year}-{number:04d}"
        text = source.read_text("utf-8").replace(old_id.group(0), new_id)
        # Links to other incidents would be dangling: keep the id lists empty.
        text = re.sub(r"^related:\n(?:  - .*\n)+", "related: []\n", text, flags=re.M)
        text = re.sub(r"^repeat_of: .*\n", "", text, flags=re.M)
        target = (
            dest / source.parent.relative_to(SAMPLE) / source.name.replace(old_id.group(0), new_id)
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        written += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    print(f"wrote {build(args.dest, args.count)} post-mortems to {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
