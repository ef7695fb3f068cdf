"""How many timeline entries pmrepo reads in each report of a folder, in every form it
reads (tables, headings, bullet lists, bare lines, chat-log stamps).

    python bench/timeline_entries.py FOLDER [--sections SCHEMA]

SCHEMA: a sections schema (default: a Timeline section in any form,
tests/fixtures/timeline/sections.schema.json). Prints one line per report that has a
Timeline section, `entries form(s) zone path`, then how many of those have entries read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from postmortem_repo.model.document import parse_document, read_text
from postmortem_repo.model.sections import load_sections_spec

ANY_FORM = Path(__file__).parent.parent / "tests/fixtures/timeline/sections.schema.json"
NOT_REPORTS = {"README.md", "LICENSE", "SOURCE.txt", "template.md"}


def reports(folder: Path) -> list[Path]:
    """The files of a folder that may be reports: Markdown, or text without an extension."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in NOT_REPORTS and path.suffix in ("", ".md"):
            found.append(path)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sections", type=Path, default=ANY_FORM)
    args = parser.parse_args()
    spec = load_sections_spec(json.loads(args.sections.read_text("utf-8")), origin="sections")
    with_section = read = 0
    for path in reports(args.folder):
        text = read_text(path)
        if not isinstance(text, str):
            continue
        relpath = path.relative_to(args.folder).as_posix()
        doc = parse_document(text, path=str(path), relpath=relpath, spec=spec)
        if doc.timeline_section is None:
            continue
        with_section += 1
        rows = doc.timeline
        read += bool(rows)
        forms = ",".join(sorted(Counter(row.form for row in rows))) or "-"
        zone = doc.timeline_read.zone.name if doc.timeline_read.zone else "-"
        print(f"{len(rows):4d}  {forms:18s} {zone:4s} {relpath}")
    share = read / with_section if with_section else 1.0
    print(f"timelines read in {read} of {with_section} reports with a Timeline ({share:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
