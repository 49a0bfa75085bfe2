"""Benchmark: reading and analysing a changed Markdown report of N notes, this tree against
a baseline tree, alternated in the same run.

What a warm `citecheck check` does when the report's bytes differ from the last run's: the
document cache misses, so the report is read (and the new Document stored), then the
analysis cache misses, so the notes are classified and the document's facts found (and
stored). Each measurement is a fresh process on a report with one byte changed since the
last, timed after the imports, CPU beside wall; the imports and the whole
`citecheck check --offline` command are timed too (wall and CPU of the process).

Two reports: "links", the one bench/bench_links.py writes (the claims in one paragraph, every
note `Document i, <http://…>.`); "mixed", that of bench/bench_extract.py (a paragraph per
claim; notes with quotes, emphasis-free titles, bare and angle-bracket URLs, Ibid.).

    python bench/bench_read.py --baseline-tree /tmp/base      # git archive main | tar -x -C …
    python bench/bench_read.py --notes 2000 --rounds 5

`--edited 1,10,100`: the "links" report whose previous version was read, analysed and cached,
with that many notes' words changed (different notes each round): read + analysis as
pipeline._analysed does them (its cache entries, its pool), and the whole `check --offline`
after as many edits again; beside them the unchanged report (every cache hit). Each tree's
notes and facts are hashed: the trees must agree on every version.

Not a test: numbers depend on the machine; compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_extract import write_report as write_mixed  # noqa: E402

# Run in the measured process: read and analyse as pipeline.run does on a cache miss.
STEP = """
import json, sys, time
from pathlib import Path
t0, c0 = time.perf_counter(), time.process_time()
from citecheck.analysis import classified, document_facts
from citecheck.cache import analysis as saved
from citecheck.cache.store import Cache
from citecheck.readers import load_document
from citecheck.settings import DEFAULT_HEDGES
t1, c1 = time.perf_counter(), time.process_time()
cache = Cache(Path(sys.argv[2]))
document = load_document(Path(sys.argv[1]), cache=cache)
t2, c2 = time.perf_counter(), time.process_time()
entry = saved.key(document, DEFAULT_HEDGES)
assert saved.load(cache, entry, document) is None, "the report did not change"
notes = classified(document)
facts = document_facts(document, notes, DEFAULT_HEDGES)
saved.store(cache, entry, notes, facts)
cache.close()
t3, c3 = time.perf_counter(), time.process_time()
print(json.dumps({"import": [t1 - t0, c1 - c0], "read": [t2 - t1, c2 - c1],
                  "analysis": [t3 - t2, c3 - c2], "notes": len(notes), "facts": len(facts)}))
"""


# Read and analyse as pipeline.run does, the caches warm with the previous version.
EDITED_STEP = """
import hashlib, json, sys, time
from pathlib import Path
t0, c0 = time.perf_counter(), time.process_time()
from concurrent.futures import ThreadPoolExecutor
import orjson
from citecheck import pipeline
from citecheck.cache.store import Cache
from citecheck.readers import load_document
from citecheck.settings import DEFAULT_HEDGES
t1, c1 = time.perf_counter(), time.process_time()
cache = Cache(Path(sys.argv[2]))
document = load_document(Path(sys.argv[1]), cache=cache)
t2, c2 = time.perf_counter(), time.process_time()
with ThreadPoolExecutor(1) as pool:
    notes, pending, keep = pipeline._analysed(document, DEFAULT_HEDGES, cache, pool)
    facts = keep(pending.result())
cache.close()
t3, c3 = time.perf_counter(), time.process_time()
digest = hashlib.sha256(orjson.dumps([notes, facts])).hexdigest()
print(json.dumps({"import": [t1 - t0, c1 - c0], "read": [t2 - t1, c2 - c1],
                  "analysis": [t3 - t2, c3 - c2], "notes": len(notes), "facts": len(facts),
                  "digest": digest}))
"""


def edit_notes(text: str, count: int, turn: int) -> str:
    """`count` notes of the links report with their words changed (which, and to what,
    differs each turn)."""
    import random

    lines = text.split("\n")
    notes = [i for i, line in enumerate(lines) if line.startswith("[^")]
    for i in random.Random(turn).sample(notes, count):
        label, _, rest = lines[i].partition(": ")
        lines[i] = f"{label}: Edition {turn}, {rest}"
    return "\n".join(lines)


def measure_edited(
    trees: dict[str, Path], report: Path, counts: list[int], rounds: int
) -> dict[int | str, dict[str, dict[str, list]]]:
    """Per edit count ("unchanged" too), per tree, per figure the [wall, CPU] of each
    round; the trees take the same versions in turn, each from its own cache."""
    got: dict[int | str, dict[str, dict[str, list]]] = {}
    base, turn = report.read_text(), 0
    for count in counts:
        caches = {name: report.parent / f"cache-{name}-{count}" for name in trees}
        for name, root in trees.items():  # the previous version analysed and cached
            report.write_text(base)
            step(root, report, caches[name], EDITED_STEP)
        text, digests = base, {}
        for _ in range(rounds):
            turn += 1
            text, later = edit_notes(text, count, turn), edit_notes(text, count, -turn)
            for name, root in trees.items():
                report.write_text(text)
                figures = step(root, report, caches[name], EDITED_STEP)
                digests.setdefault(turn, set()).add(figures["digest"])
                report.write_text(later)
                figures["cli"] = cli(root, report, caches[name])
                figures["both"] = [
                    a + b for a, b in zip(figures["read"], figures["analysis"], strict=True)
                ]
                mine = got.setdefault(count, {}).setdefault(name, {})
                for key in ("read", "analysis", "both", "cli"):
                    mine.setdefault(key, []).append(figures[key])
                mine["counts"] = [figures["notes"], figures["facts"]]
            text = later
        if any(len(d) > 1 for d in digests.values()):
            raise SystemExit(f"the trees disagree on the notes or facts ({count} edits)")
    for name, root in trees.items():  # unchanged: the last version again, twice
        for _ in range(rounds):
            figures = step(root, report, caches[name], EDITED_STEP)
            figures["cli"] = cli(root, report, caches[name])
            figures["both"] = [
                a + b for a, b in zip(figures["read"], figures["analysis"], strict=True)
            ]
            mine = got.setdefault("unchanged", {}).setdefault(name, {})
            for key in ("read", "analysis", "both", "cli"):
                mine.setdefault(key, []).append(figures[key])
            mine["counts"] = [figures["notes"], figures["facts"]]
    return got


def report_edited(notes: int, got: dict[int | str, dict[str, dict[str, list]]]) -> None:
    print(f"links report, {notes} notes, previous version cached, some notes edited (medians):")
    for count, trees in got.items():
        what = "unchanged" if count == "unchanged" else f"{count} notes edited"
        print(f"  {what}:")
        for name, figures in trees.items():
            for label, key in (("read", "read"), ("analysis", "analysis"), ("whole CLI", "cli")):
                wall, cpu = median(figures[key])
                print(f"    {name:10s} {label:9s} wall {wall:6.3f} s  CPU {cpu:6.3f} s")
        if "baseline" in trees:
            for label, key in (("analysis", "analysis"), ("read + analysis", "both")):
                (tw, tc), (bw, bc) = median(trees["this tree"][key]), median(trees["baseline"][key])
                print(
                    f"    {label}: this tree / baseline = x{tw / bw:.2f} wall, x{tc / bc:.2f} CPU"
                )


def write_links(path: Path, notes: int) -> None:
    """The report of bench/bench_links.py (write_inputs), hosts 127.0.1.x."""
    urls = [f"http://127.0.1.{1 + i % 8}:8765/doc/{i}" for i in range(notes)]
    doc = ["# Simulated report", ""]
    doc += [f"Claim number {i}.[^{i + 1}]" for i in range(notes)] + [""]
    doc += [f"[^{i + 1}]: Document {i}, <{url}>." for i, url in enumerate(urls)]
    path.write_text("\n".join(doc) + "\n")


def change(report: Path, turn: int) -> None:
    """The first claim's words changed, differently each turn: every run reads again."""
    text = report.read_text()
    head, sep, rest = text.partition("Claim ")
    report.write_text(head + sep + f"{turn:06d}" + rest[6:])


def child_env(root: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(root))
    env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def step(root: Path, report: Path, cache: Path, code: str = STEP) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, str(report), str(cache)],
        capture_output=True,
        text=True,
        env=child_env(root),
        cwd=report.parent,
        check=True,
    )
    return json.loads(out.stdout)


def cli(root: Path, report: Path, cache: Path) -> list[float]:
    """[wall, CPU] of one whole `citecheck check --offline` process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "citecheck", "check", str(report), "--offline"),
            *("-f", "json", "-o", str(report.with_suffix(".json")), "--cache-dir", str(cache)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=child_env(root),
        cwd=report.parent,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"citecheck check failed: {proc.stderr.read() if proc.stderr else ''}")
    return [wall, usage.ru_utime + usage.ru_stime]


def measure(trees: dict[str, Path], report: Path, rounds: int) -> dict[str, dict[str, list]]:
    """Per tree, per figure, the [wall, CPU] of each round (trees alternated)."""
    caches = {name: report.parent / f"cache-{name}" for name in trees}
    got: dict[str, dict[str, list]] = {name: {} for name in trees}
    turn = 0
    for name, root in trees.items():  # bytecode written, caches filled
        change(report, turn)
        turn += 1
        step(root, report, caches[name])
        cli(root, report, caches[name])
    for _ in range(rounds):
        for name, root in trees.items():
            change(report, turn)
            turn += 1
            figures = step(root, report, caches[name])
            change(report, turn)
            turn += 1
            figures["cli"] = cli(root, report, caches[name])
            read, analysis = figures["read"], figures["analysis"]
            figures["both"] = [read[0] + analysis[0], read[1] + analysis[1]]
            for key in ("import", "read", "analysis", "both", "cli"):
                got[name].setdefault(key, []).append(figures[key])
            got[name]["counts"] = [figures["notes"], figures["facts"]]
    return got


def median(runs: list[list[float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def report_figures(shape: str, notes: int, got: dict[str, dict[str, list]]) -> None:
    print(f"{shape} report, {notes} notes, changed since the last run (medians):")
    for name, figures in got.items():
        counts = figures["counts"]
        print(f"  {name} ({counts[0]} notes, {counts[1]} facts):")
        rows = [
            ("read (+ stored)", median(figures["read"])),
            ("analysis (+ stored)", median(figures["analysis"])),
            ("read + analysis", median(figures["both"])),
            ("imports", median(figures["import"])),
            ("whole CLI --offline", median(figures["cli"])),
        ]
        for label, (wall, cpu) in rows:
            print(f"    {label:22s} wall {wall:6.3f} s  CPU {cpu:6.3f} s")
    if "baseline" in got:
        ours, base = got["this tree"], got["baseline"]
        for label, key in (("read + analysis", "both"), ("whole CLI", "cli")):
            (tw, tc), (bw, bc) = median(ours[key]), median(base[key])
            print(f"  {label}: this tree / baseline = x{tw / bw:.2f} wall, x{tc / bc:.2f} CPU")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--notes", type=int, default=10000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--baseline-tree", type=Path, help="another checkout, measured alternately")
    p.add_argument("--shape", choices=("links", "mixed", "both"), default="both")
    p.add_argument("--edited", help="edit counts (1,10,100): a cached report edited in places")
    args = p.parse_args()
    trees = {"this tree": ROOT}
    if args.baseline_tree:
        trees["baseline"] = args.baseline_tree.resolve()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")
    tmp = Path(tempfile.mkdtemp(prefix="citecheck-bench-read-"))
    try:
        if args.edited:
            report = tmp / "edited" / "report.md"
            report.parent.mkdir()
            write_links(report, args.notes)
            counts = [int(c) for c in args.edited.split(",")]
            report_edited(args.notes, measure_edited(trees, report, counts, args.rounds))
            return
        shapes = ("links", "mixed") if args.shape == "both" else (args.shape,)
        for shape in shapes:
            report = tmp / shape / "report.md"
            report.parent.mkdir()
            (write_links if shape == "links" else write_mixed)(report, args.notes)
            report_figures(shape, args.notes, measure(trees, report, args.rounds))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")


if __name__ == "__main__":
    main()
