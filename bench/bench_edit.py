"""Benchmark: reading a Markdown report edited in a few places since the last run, this tree
against a baseline tree, alternated in the same run.

The report is bench_links' (10,000 claims in one paragraph, then one definition a line).
Each measurement: a fresh process reads the report with an empty cache (the last version
stored: its Document and, where the reader keeps one, its memo), then `--edits` lines are
changed (notes by default, each `Document i, <…>.` made `Document i (revised), <…>.`; or the
claims, lines of the one 10,000-line paragraph), and a second fresh process reads the new
version with that cache: the document cache misses, so the reader runs. Timed after the
imports, wall and CPU. With `--cli`, the whole `citecheck check --offline` of the edited
version is timed too, after a check of the last version with a cache of its own (the
analysis of the edited version runs again too).

    python bench/bench_edit.py --baseline-tree /tmp/base     # git archive main | tar -x -C …
    python bench/bench_edit.py --edits 1 10 100 --rounds 3 --cli

Not a test: numbers depend on the machine; compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_read import cli, write_links  # noqa: E402
from bench_read import step as read_step  # noqa: E402

STEP = """
import json, sys, time
from pathlib import Path
from citecheck.cache.store import Cache
from citecheck.readers import load_document
cache = Cache(Path(sys.argv[2]))
t0, c0 = time.perf_counter(), time.process_time()
document = load_document(Path(sys.argv[1]), cache=cache)
cache.close()
t1, c1 = time.perf_counter(), time.process_time()
print(json.dumps({"read": [t1 - t0, c1 - c0], "notes": len(document.notes)}))
"""


def step(root: Path, report: Path, cache: Path) -> dict:
    return read_step(root, report, cache, STEP)


def edited(text: str, edits: int, where: str, rng: random.Random) -> str:
    """`text` with `edits` lines changed: notes or claims, picked at random."""
    lines = text.split("\n")
    prefix = "[^" if where == "notes" else "Claim number "
    targets = [i for i, line in enumerate(lines) if line.startswith(prefix)]
    for i in rng.sample(targets, edits):
        if where == "notes":
            lines[i] = lines[i].replace(", <", " (revised), <", 1)
        else:
            lines[i] = lines[i].replace("Claim number", "Claim (revised) number", 1)
    return "\n".join(lines)


def measure(
    trees: dict[str, Path],
    work: Path,
    notes: int,
    edits: int,
    where: str,
    rounds: int,
    with_cli: bool,
) -> dict[str, dict[str, list]]:
    base = work / "base.md"
    write_links(base, notes)
    got: dict[str, dict[str, list]] = {name: {} for name in trees}
    rng = random.Random(edits)
    for turn in range(rounds + 1):  # the first round writes the bytecode: not counted
        new = edited(base.read_text(), edits, where, rng)
        for name, root in trees.items():
            run = work / f"{name.replace(' ', '-')}-{turn}"
            run.mkdir()
            report, cache = run / "report.md", run / "cache"
            shutil.copy(base, report)
            step(root, report, cache)  # the last version, stored
            report.write_text(new)
            figures = step(root, report, cache)
            if turn:
                got[name].setdefault("read", []).append(figures["read"])
                got[name]["notes"] = figures["notes"]
            if with_cli:
                cache = run / "cache-cli"  # the last version checked: all of it stored
                shutil.copy(base, report)
                cli(root, report, cache)
                report.write_text(new)
                timed = cli(root, report, cache)
                if turn:
                    got[name].setdefault("cli", []).append(timed)
            shutil.rmtree(run)
    return got


def median(runs: list[list[float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def show(got: dict[str, dict[str, list]], edits: int, where: str) -> None:
    print(f"{edits} {where} line(s) edited (medians):")
    for name, figures in got.items():
        for key, label in (("read", "read (+ stored)"), ("cli", "whole CLI --offline")):
            if key in figures:
                wall, cpu = median(figures[key])
                print(f"  {name:10s} {label:20s} wall {wall:6.3f} s  CPU {cpu:6.3f} s")
    if "baseline" in got:
        for key, label in (("read", "read"), ("cli", "whole CLI")):
            if key in got["baseline"]:
                (tw, tc), (bw, bc) = median(got["this tree"][key]), median(got["baseline"][key])
                print(f"  {label}: this tree / baseline = x{tw / bw:.2f} wall, x{tc / bc:.2f} CPU")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--notes", type=int, default=10000)
    p.add_argument("--edits", type=int, nargs="+", default=[1, 10, 100])
    p.add_argument("--where", choices=("notes", "claims"), default="notes")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--cli", action="store_true", help="time the whole check command too")
    p.add_argument("--baseline-tree", type=Path, help="another checkout, measured alternately")
    args = p.parse_args()
    trees = {"this tree": ROOT}
    if args.baseline_tree:
        trees["baseline"] = args.baseline_tree.resolve()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")
    print(f"report: {args.notes} notes (bench_links' shape); a fresh process per read")
    tmp = Path(tempfile.mkdtemp(prefix="citecheck-bench-edit-"))
    try:
        for edits in args.edits:
            work = tmp / f"edits-{edits}"
            work.mkdir()
            got = measure(trees, work, args.notes, edits, args.where, args.rounds, args.cli)
            show(got, edits, args.where)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")


if __name__ == "__main__":
    main()
