"""A deterministic corpus of realistic post-mortems in the repository layout, for benchmarks.

    python bench/gen_corpus.py DEST [--count 1000] [--seed 7]

Each file starts from one of sample-repo's post-mortems (the full template), gets its own
id, date and timestamps across 2020-2025, a timeline of 10-40 rows inside its incident
window, and extra prose up to 4-12 KB. About 10% carry a blame sentence and about 5% a
structural or front-matter problem, so that every rule family has work to do. The same
arguments always give the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "sample-repo"
BLAME = [
    "The on-call engineer should have checked the dashboard before paging.",
    "Bob forgot to drain the node before the kernel upgrade.",
    "Root cause: human error during the manual failover.",
    "A careless reviewer approved the change without reading it.",
]
PADDING = (
    "The {service} team reviewed the dashboards, the deploy log and the alert history for "
    "the hour before the incident; nothing else changed in that window, and the error "
    "budget for the month was still at {budget}% when the alert fired."
)


def _timeline(start: dt.datetime, minutes: int, rows: int, rng: random.Random) -> list[str]:
    offsets = sorted(rng.randrange(0, max(1, minutes + 10)) for _ in range(rows))
    kinds = ["alert", "human", "deployment", "system"]
    return [
        f"| {(start + dt.timedelta(minutes=offset)).strftime('%H:%M:%S')} | "
        f"{rng.choice(kinds)} | Event {index + 1}: status update from the responders |"
        for index, offset in enumerate(offsets)
    ]


def _metrics(text: str, stamps: dict[str, dt.datetime]) -> str:
    """The Incident Metrics table agreeing with the new timestamps."""
    started, detected, resolved = (stamps[k] for k in ("started_at", "detected_at", "resolved_at"))

    def minutes(span: dt.timedelta) -> str:
        return f"{int(span.total_seconds() // 60)} minutes"

    values = {
        "Detection Time": detected.strftime("%H:%M UTC"),
        "Start Time": started.strftime("%H:%M UTC"),
        "Resolution Time": resolved.strftime("%H:%M UTC"),
        "Total Duration": minutes(resolved - started),
        "MTTD": minutes(detected - started),
        "MTTR": minutes(resolved - detected),
    }
    for name, value in values.items():
        text = re.sub(rf"^\| {name} \| .* \|$", f"| {name} | {value} |", text, count=1, flags=re.M)
    return text


_WINDOW_DAYS = {"P0": 5, "P1": 20, "P2": 60}


def _due_dates(text: str, day: dt.date) -> str:
    """Action items due inside their priority's window from the new incident date."""

    def moved(match: re.Match[str]) -> str:
        due = day + dt.timedelta(days=_WINDOW_DAYS.get(match.group(1), 20))
        return f"| {match.group(1)} | {due.isoformat()} |"

    return re.sub(r"\| (P[0-2]) \| [^|]+ \|", moved, text)


def _problem(text: str, rng: random.Random) -> str:
    choice = rng.randrange(3)
    if choice == 0:
        return text.replace("severity: ", "severity: SEV9 #", 1)
    if choice == 1:
        return re.sub(r"\n## Lessons Learned\n", "\n## Lesons Learned\n", text, count=1)
    return text.replace("\ntitle: ", "\ntitle: [unclosed\n  nested: ", 1)


def build(dest: Path, count: int, seed: int, *, problems: bool = True) -> None:
    """problems=False leaves out the structural and front-matter problems: a corpus every
    file of which reads, as a site that publishes all post-mortems or none needs."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("20[0-9][0-9]", ".pmrepo_cache"))
    sources = sorted(SAMPLE.glob("20*/Q*/INC-*.md"))
    texts = [source.read_text("utf-8") for source in sources]
    numbers: dict[int, int] = {}
    for index in range(count):
        text = texts[index % len(texts)]
        year = 2020 + rng.randrange(6)
        numbers[year] = numbers.get(year, 0) + 1
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        incident = f"INC-{year}-{numbers[year]:04d}"
        start = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)), dt.UTC)
        detect, length = rng.randrange(1, 30), rng.randrange(20, 240)
        stamps = {
            "started_at": start,
            "detected_at": start + dt.timedelta(minutes=detect),
            "resolved_at": start + dt.timedelta(minutes=detect + length),
            "published_at": start + dt.timedelta(minutes=detect + length, hours=20),
        }
        text = re.sub(r"INC-\d{4}-\d{4}", incident, text, count=1)
        text = re.sub(r"^date: .*$", f"date: {day.isoformat()}", text, count=1, flags=re.M)
        for key, moment in stamps.items():
            value = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
            text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
        text = re.sub(r"^related:\n(?:  - .*\n)+", "related: []\n", text, flags=re.M)
        text = re.sub(r"^repeat_of: .*\n", "", text, flags=re.M)
        text = _metrics(text, stamps)
        text = _due_dates(text, day)
        table = _timeline(start, detect + length, rng.randrange(10, 41), rng)
        text = re.sub(
            r"(\| Time \(UTC\) \| Source \| Event \|\n\|[-| ]+\|\n)(?:\|.*\|\n)+",
            lambda m, rows=table: m.group(1) + "\n".join(rows) + "\n",  # type: ignore[misc]
            text,
            count=1,
        )
        target_size = rng.randrange(4000, 12000)
        padding: list[str] = []
        while len(text) + sum(len(p) for p in padding) < target_size:
            padding.append(
                PADDING.format(
                    service=rng.choice(["payments", "edge", "auth"]), budget=rng.randrange(10, 90)
                )
            )
        text = text.replace("## Appendix\n", "## Appendix\n\n" + "\n\n".join(padding) + "\n", 1)
        if rng.random() < 0.10:
            text = text.replace(
                "### What Went Poorly\n\n", f"### What Went Poorly\n\n{rng.choice(BLAME)}\n\n", 1
            )
        if rng.random() < 0.05 and problems:
            text = _problem(text, rng)
        quarter = (day.month - 1) // 3 + 1
        slug = re.sub(r"^INC-\d{4}-\d{4}-", "", sources[index % len(sources)].name)
        path = dest / str(year) / f"Q{quarter}" / f"{incident}-{slug}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    build(args.dest, args.count, args.seed)
    print(f"wrote {args.count} post-mortems to {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
