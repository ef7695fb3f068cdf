"""The parsing floor pmrepo is measured against: read every post-mortem, split its front
matter (python-frontmatter), parse its body (mistune) and validate the front matter against
the built-in schema (jsonschema), with no rule at all.

    python bench/floor.py CORPUS [--jobs 2] [--runs 3]

Prints the median wall time of whole-process runs, to compare with `pmrepo check --no-cache`
on the same folder (bench/run.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORKER = """
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

def run(paths):
    import frontmatter, jsonschema, mistune
    from postmortem_repo.schema.validate import FRONTMATTER_SCHEMA, builtin_schema
    validator = jsonschema.Draft202012Validator(builtin_schema(FRONTMATTER_SCHEMA))
    markdown = mistune.create_markdown(renderer=None, plugins=["table"])
    for path in paths:
        try:
            post = frontmatter.loads(Path(path).read_text("utf-8"))
        except Exception:
            continue
        markdown(post.content)
        list(validator.iter_errors(dict(post.metadata)))

paths = sorted(str(p) for p in Path(sys.argv[1]).rglob("INC-*.md"))
jobs = int(sys.argv[2])
if jobs == 1:
    run(paths)
else:
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(run, [paths[i::jobs] for i in range(jobs)]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", WORKER, str(args.corpus), str(args.jobs)], check=True)
        times.append(time.perf_counter() - start)
    count = len(list(args.corpus.rglob("INC-*.md")))
    print(f"floor on {count} files, {args.jobs} processes: {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
