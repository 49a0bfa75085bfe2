"""Benchmark: the tail of a warm `citecheck check`, after the link results are known.

Builds the simulated web and the generated Markdown report of bench/bench_links.py, fills a
cache with one cold run, then, in child processes that alternate between this checkout and
`--baseline-tree` (e.g. `git archive main | tar -x -C DIR`), runs the pipeline once on the
warm cache, keeps the inputs it gave `rules.findings_ahead` and `rules.findings`, and times
each stage of the tail again on them, `--repeat` times in the process (median, CPU beside
wall): the findings ahead (they run while the last failures are fetched), then the findings,
the policy, the Report, and the rendering with the writing of the output. Not a test: the
numbers depend on the machine; compare the ratios of the same run.

    git archive main | tar -x -C /tmp/base
    python bench/bench_tail.py --baseline-tree /tmp/base            # JSON, 10,000 links
    python bench/bench_tail.py --baseline-tree /tmp/base --format table --format sarif
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench_links as web

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("ahead", "findings", "policy", "report", "render")
TAIL = STAGES[1:]  # what runs after the last link result is known


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--links", type=int, default=10000)
    p.add_argument("--hosts", type=int, default=20)
    p.add_argument("--port", type=int, default=8933)
    p.add_argument("--format", action="append", dest="formats")
    p.add_argument("--repeat", type=int, default=5, help="timings per child process")
    p.add_argument("--rounds", type=int, default=3, help="alternated child processes per tree")
    p.add_argument("--baseline-tree")
    args = p.parse_args()
    formats = args.formats or ["json"]
    web.PORT = args.port
    args.tmp = tempfile.mkdtemp(prefix="citecheck-tail-")
    args.latency, args.per_host, args.concurrency = 0.01, 8, 64
    args.cluster_429 = args.errors = False
    hosts = [f"127.0.1.{i + 1}" for i in range(args.hosts)]
    web.write_inputs(args, hosts)
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    server = multiprocessing.Process(
        target=web.serve, args=(hosts, args.latency, web.SPREAD, ready, stop)
    )
    server.start()
    trees = [("this", str(ROOT))] + ([("baseline", args.baseline_tree)] * bool(args.baseline_tree))
    try:
        if not ready.wait(30):
            raise SystemExit("the simulated web did not start")
        web.compile_trees(args)
        cache = os.path.join(args.tmp, "cache")
        web.run_cli(args, cache)  # cold: fills the cache
        web.run_cli(args, cache)  # the report's analysis cached too
        print(f"{args.links} links; load average {os.getloadavg()[0]:.2f}")
        for fmt in formats:
            got: dict[str, list[dict]] = {name: [] for name, _ in trees}
            for _ in range(args.rounds):
                for name, root in reversed(trees):  # baseline first in each round
                    got[name].append(child(args, root, cache, fmt))
            show(fmt, got)
    finally:
        stop.set()
        server.join(10)
        shutil.rmtree(args.tmp, ignore_errors=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def child(args: argparse.Namespace, root: str, cache: str, fmt: str) -> dict:
    env = web.python_env(args, root)
    cmd = [sys.executable, __file__, "--child", args.manifest, cache, fmt, str(args.repeat)]
    out = subprocess.run(cmd, env=env, cwd=args.tmp, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"child failed ({root}):\n{out.stderr}")
    return json.loads(out.stdout.splitlines()[-1])


def show(fmt: str, got: dict[str, list[dict]]) -> None:
    def med(name: str, stage: str, clock: str) -> float:
        return statistics.median(r[stage][clock] for r in got[name])

    print(f"--format {fmt}: median ms of {len(got['this'])} processes (wall / CPU)")
    for stage in (*STAGES, "tail"):
        line = f"  {stage:9}"
        for name in got:
            line += f"  {name} {med(name, stage, 'wall'):7.1f} / {med(name, stage, 'cpu'):6.1f}"
        if "baseline" in got:
            base = med("baseline", stage, "wall")
            line += f"  ratio {med('this', stage, 'wall') / base:.2f}" if base else ""
        print(line)
    sizes = {name: {r["bytes"] for r in rs} for name, rs in got.items()}
    same = {name: {r["digest"] for r in rs} for name, rs in got.items()}
    print(f"  output bytes {sizes}; identical output: {len(set().union(*same.values())) == 1}")


# -- in the child ----------------------------------------------------------------------


def in_child(manifest: str, cache_dir: str, fmt: str, repeat: int) -> None:
    import datetime as dt
    import gc
    import hashlib

    gc.set_threshold(50_000, 50, 100)  # as cli.main
    from citecheck import rules
    from citecheck.pipeline import build_settings, load_source, run

    flags = {
        "format": fmt,
        "cache_dir": Path(cache_dir),
        "no_archive": True,
        "allow_networks": ["127.0.0.0/8"],
        "per_host": 8,
        "max_concurrency": 64,
    }
    seen: dict[str, tuple[Any, Any]] = {}
    real_ahead, real_findings = rules.findings_ahead, rules.findings

    def ahead(*a: Any, **k: Any) -> Any:
        seen["ahead"] = (a, k)
        return real_ahead(*a, **k)

    def findings(*a: Any, **k: Any) -> Any:
        seen["findings"] = (a, k)
        return real_findings(*a, **k)

    rules.findings_ahead, rules.findings = ahead, findings
    source = load_source(Path(manifest), flags)
    settings = build_settings(source, flags)
    today = dt.date.today()
    outcome = run(source, settings, today=today)
    rules.findings_ahead, rules.findings = real_ahead, real_findings
    out = Path(tempfile.mkdtemp()) / "report.out"
    times: dict[str, list[tuple[float, float]]] = {s: [] for s in STAGES}
    for _ in range(repeat):
        text = tail(seen, outcome.report, settings, today, fmt, out, times)
    digest = hashlib.sha256(text.encode()).hexdigest()
    shutil.rmtree(out.parent)
    result: dict[str, object] = {"bytes": len(text.encode()), "digest": digest}
    for stage, pairs in times.items():
        result[stage] = {"wall": _ms(pairs, 0), "cpu": _ms(pairs, 1)}
    result["tail"] = {
        clock: sum(result[s][clock] for s in TAIL)  # type: ignore[index]
        for clock in ("wall", "cpu")
    }
    print(json.dumps(result))


def _ms(pairs: list[tuple[float, float]], i: int) -> float:
    return statistics.median(p[i] for p in pairs) * 1000


Times = dict[str, list[tuple[float, float]]]


def tail(seen: dict, old: Any, settings: Any, today: Any, fmt: str, out: Path, times: Times) -> str:
    """One pass of the tail on the captured inputs, each stage timed into `times`; the
    output written."""
    from citecheck import rules
    from citecheck.policy import apply_policy

    def timed(stage: str, fn: Callable[..., Any], *a: Any, **k: Any) -> Any:
        w, c = time.perf_counter(), time.process_time()
        value = fn(*a, **k)
        times[stage].append((time.perf_counter() - w, time.process_time() - c))
        return value

    a, k = seen["ahead"]
    early = timed("ahead", rules.findings_ahead, *a, **k)
    a, k = seen["findings"]
    found = timed("findings", rules.findings, *a[:6], early, **k)  # as pipeline.run calls it
    found = timed(
        "policy",
        apply_policy,
        found,
        severities=dict(settings.rules),
        waivers={},
        baseline=None,
        today=today,
    )
    report = timed("report", _report, old, found)
    timed("render", _render, report, fmt, out)
    return out.read_text(encoding="utf-8")


def _report(old: Any, found: tuple) -> Any:
    """The Report as pipeline.run makes it, with these findings."""
    from citecheck.findings import Report
    from citecheck.pipeline import _markers_by_label

    markers = _markers_by_label(old.document)
    return Report(
        old.source, old.document, old.notes, found, old.as_of, old.links, markers, old.fail_on
    )


def _render(report: Any, fmt: str, out: Path) -> None:
    from citecheck.fsutil import atomic_write_pieces
    from citecheck.reporters import chunk_renderer

    atomic_write_pieces(out, chunk_renderer(fmt)(report))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        in_child(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        main()
