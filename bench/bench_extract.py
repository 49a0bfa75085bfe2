"""Benchmark: `citecheck extract` on a report of N notes, new manifest vs round-trip writer.

Writes a Markdown report with N footnotes (URLs, quotes, colons, hashes, `yes`-like texts),
then times the whole `citecheck extract` command, each in its own process:

- new manifest: the file does not exist, so it is written from the template;
- round-trip writer: the file exists with no entries (`references: []`), so every note is
  merged in through the round-trip dumper (what a new manifest cost before the template);
- update, no change: extract again over the file the template wrote (round-trip read,
  nothing written);
- update, one note changed.

Ratios are of runs in this same process. Not a test: numbers depend on the machine.

    python bench/bench_extract.py            # 10,000 notes
    python bench/bench_extract.py --notes 2000
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_NEW_10K_S = 3.0
TEXTS = (
    'Author, "Title": a study #{i}, <https://example.org/doc/{i}>',
    "Report {i}, available at <http://site{h}.example/report-{i}.pdf>",
    "yes",
    "Ibid.",
    "Interview {i} (unpublished), 2015",
    "See note {j}; also: <https://example.net/a?b={i}&c=#x>",
)


def write_report(path: Path, notes: int) -> None:
    body = [f"Claim number {i}.[^{i + 1}]" for i in range(notes)]
    defs = [
        f"[^{i + 1}]: " + TEXTS[i % len(TEXTS)].format(i=i, h=i % 50, j=max(1, i - 3))
        for i in range(notes)
    ]
    path.write_text("# A long report\n\n" + "\n\n".join(body) + "\n\n" + "\n".join(defs) + "\n")


def extract(report: Path, manifest: Path, root: str | None = None) -> tuple[float, float, str]:
    """(wall s, CPU s, stdout) of one `citecheck extract` process (of this checkout, or of
    the one at `root`)."""
    env = dict(os.environ, PYTHONPATH=str(root or ROOT))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "citecheck", "extract", str(report), "-o", str(manifest)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=manifest.parent,  # not this checkout: `-m` would import the citecheck found here
    )
    out = proc.stdout.read().decode() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"extract failed: {out}")
    return wall, usage.ru_utime + usage.ru_stime, out.strip()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--notes", type=int, default=10000)
    p.add_argument("--baseline-tree", help="also time a new manifest with another checkout")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="citecheck-bench-extract-"))
    try:
        report = tmp / "report.md"
        write_report(report, args.notes)
        new, old = tmp / "new.yaml", tmp / "old.yaml"
        extract(report, tmp / "warmup.yaml")  # file cache, bytecode
        rows = [("new manifest (template)", extract(report, new))]
        if args.baseline_tree:
            rows.append(
                ("baseline: new manifest", extract(report, tmp / "b.yaml", args.baseline_tree))
            )
        old.write_text("version: 1\nreferences: []\n")
        rows.append(("round-trip writer", extract(report, old)))
        rows.append(("update, no change", extract(report, new)))
        lines = report.read_text().replace("Claim number 0.", "Claim number zero.")
        lines = lines.replace("[^1]: " + TEXTS[0].format(i=0, h=0, j=1), "[^1]: Changed text")
        report.write_text(lines)
        rows.append(("update, one note changed", extract(report, new)))
        print(f"citecheck extract, {args.notes} notes (Markdown report):")
        for name, (wall, cpu, out) in rows:
            print(f"  {name:26s} wall {wall:6.2f} s  CPU {cpu:6.2f} s   {out.split(': ', 1)[-1]}")
        by = dict(rows)
        target = f" (target < {TARGET_NEW_10K_S} s at 10,000)" if args.notes == 10000 else ""
        new_run, rt = by["new manifest (template)"], by["round-trip writer"]
        print(
            f"new manifest: template / round-trip writer = x{new_run[0] / rt[0]:.2f} wall, "
            f"x{new_run[1] / rt[1]:.2f} CPU{target}"
        )
        if "baseline: new manifest" in by:
            old = by["baseline: new manifest"]
            print(
                f"new manifest: this tree / baseline = x{new_run[0] / old[0]:.2f} wall, "
                f"x{new_run[1] / old[1]:.2f} CPU"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
