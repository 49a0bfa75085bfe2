"""Benchmark: the link checker at scale, on loopback hosts (not a test: numbers depend on
the machine; ratios are measured in the same run).

    python bench/bench_scale.py hosts     # 3,000 links on 1,000 hosts under ulimit -n 1024
    python bench/bench_scale.py notes     # 100,000 notes, 1 in 11 on a host that never
                                          # answers, against the same run without it

`hosts`: the checker runs in a child process limited to 1,024 open files (setrlimit); a
thread samples its open descriptors (/proc/self/fd) every few milliseconds. Reports wall
time, CPU, peak open files, peak memory and wrong verdicts (every link should be alive).

`notes`: the whole `citecheck check` command (JSON to a file, --no-archive, no canaries) on a
generated Markdown report of --notes notes, each citing its own URL on one of --live hosts;
in the first run every 11th note cites a host that listens but never answers (its
connections are never accepted), in the second that note cites a live host instead. Reports
both wall times, their difference (target: under 120 s), peak memory (target: < 500 MB) and
the statuses.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8766
TARGETS = {"peak_files": 300, "breaker_extra_s": 120.0, "notes_peak_mb": 500.0}


def serve(hosts: list[str], silent: str | None, ready, stop) -> None:
    """Every host answers a small HTML page at once (404 for the soft-404 probe); `silent`
    listens and never accepts."""
    import asyncio

    from aiohttp import web

    page = "<html><head><title>Doc {}</title></head><body><p>Text {}.</p></body></html>"

    async def handle(request: web.Request) -> web.Response:
        if request.path.startswith("/citecheck-probe-"):
            return web.Response(status=404, text="no such page")
        name = request.path.rsplit("/", 1)[-1]
        return web.Response(text=page.format(name, name), content_type="text/html")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for host in hosts:
            await web.TCPSite(runner, host, PORT, backlog=1024).start()
        hole = None
        if silent:
            hole = socket.socket()
            hole.bind((silent, PORT))
            hole.listen(4096)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        if hole is not None:
            hole.close()
        await runner.cleanup()

    asyncio.run(main())


class Web:
    """The simulated web in its own process (so the measured process counts only its own
    files)."""

    def __init__(self, hosts: list[str], silent: str | None = None) -> None:
        self.ready, self.stop = multiprocessing.Event(), multiprocessing.Event()
        self.proc = multiprocessing.Process(
            target=serve, args=(hosts, silent, self.ready, self.stop)
        )

    def __enter__(self) -> Web:
        self.proc.start()
        if not self.ready.wait(60):
            raise SystemExit("the simulated web did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.proc.join(20)
        if self.proc.is_alive():
            self.proc.kill()


def measure(cmd: list[str]) -> dict:
    """Run `cmd`: wall time, CPU and peak RSS of that process alone, its stdout."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "rc": os.waitstatus_to_exitcode(status),
        "stdout": text,
    }


# -- hosts ---------------------------------------------------------------------------------


def hosts_child(listing: str, files: int) -> None:
    """In the child: limit open files, sample them, check the links, print JSON."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (files, hard))
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                peak[0] = max(peak[0], len(os.listdir("/proc/self/fd")))
            except OSError:  # out of descriptors for the listing itself: count it as full
                peak[0] = max(peak[0], files)
            time.sleep(0.002)

    sys.path.insert(0, str(ROOT))
    from citecheck.checkers import check_links
    from citecheck.settings import Settings

    urls = Path(listing).read_text().split()
    settings = Settings(canaries=(), no_archive=True, allow_networks=("127.0.0.0/8",), per_host=8)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    run = check_links(urls, settings)
    stop.set()
    sampler.join()
    statuses = Counter(r.status.value for r in run.results.values())
    details = Counter(r.detail for r in run.results.values() if r.status.value != "alive")
    print(json.dumps({"statuses": statuses, "details": details.most_common(3), "peak": peak[0]}))


def bench_hosts(args: argparse.Namespace) -> None:
    hosts = [f"127.4.{i // 250}.{i % 250 + 1}" for i in range(args.hosts)]
    urls = [f"http://{h}:{PORT}/doc/{n}" for n in range(args.links // args.hosts) for h in hosts]
    with tempfile.TemporaryDirectory() as tmp:
        listing = os.path.join(tmp, "urls.txt")
        Path(listing).write_text("\n".join(urls))
        with Web(hosts):
            got = measure([sys.executable, __file__, "--hosts-child", listing, str(args.files)])
    out = json.loads(got["stdout"])
    wrong = sum(n for status, n in out["statuses"].items() if status != "alive")
    print(
        f"{len(urls)} links on {len(hosts)} hosts, ulimit -n {args.files}: "
        f"wall {got['wall']:.2f} s, CPU {got['cpu']:.2f} s "
        f"({got['cpu'] / len(urls) * 1000:.2f} ms/link), peak RSS {got['peak_mb']:.0f} MB, "
        f"peak open files {out['peak']} (target < {TARGETS['peak_files']}), "
        f"wrong verdicts {wrong} {out['details'] if wrong else ''}"
    )


# -- notes ---------------------------------------------------------------------------------


def write_report(
    tmp: str, notes: int, live: list[str], silent: str | None, text: bool = False
) -> str:
    """The report (Markdown footnotes, or `text`: bracketed notes as the text reader reads
    them) and a references.yaml pointing at it."""
    urls = [
        f"http://{silent if silent and i % 11 == 10 else live[i % len(live)]}:{PORT}/doc/{i}"
        for i in range(notes)
    ]
    if text:
        lines = [f"Claim number {i} [{i + 1}]." for i in range(notes)] + [""]
        lines += [f"[{i + 1}] Document {i}, <{url}>" for i, url in enumerate(urls)]
        name = "report.txt"
    else:
        lines = ["# Simulated report", ""]
        lines += [f"Claim number {i}.[^{i + 1}]" for i in range(notes)] + [""]
        lines += [f"[^{i + 1}]: Document {i}, <{url}>." for i, url in enumerate(urls)]
        name = "report.md"
    Path(tmp, name).write_text("\n".join(lines) + "\n")
    manifest = Path(tmp, "references.yaml")
    manifest.write_text(f"version: 1\nsource: {name}\nsettings: {{canaries: []}}\nreferences: []\n")
    return str(manifest)


def run_cli(manifest: str, tmp: str) -> dict:
    out = os.path.join(tmp, "report.json")
    got = measure(
        [
            sys.executable,
            "-m",
            "citecheck",
            "check",
            manifest,
            "-f",
            "json",
            "-o",
            out,
            "--no-cache",
            "--no-archive",
            "--allow-network",
            "127.0.0.0/8",
        ]
    )
    try:
        report = json.loads(Path(out).read_text())
        got["statuses"] = report["summary"]["links"]
    except (OSError, ValueError, KeyError):
        got["statuses"] = None
    return got


def bench_notes(args: argparse.Namespace) -> None:
    live = [f"127.5.0.{i + 1}" for i in range(args.live)]
    silent = "127.5.1.1"
    figures = {}
    with Web(live, silent):
        for name, hole in (("with the silent host", silent), ("without it", None)):
            with tempfile.TemporaryDirectory() as tmp:
                manifest = write_report(tmp, args.notes, live, hole, args.text)
                got = run_cli(manifest, tmp)
            figures[name] = got
            print(
                f"{args.notes} notes, {name}: wall {got['wall']:.1f} s, CPU {got['cpu']:.1f} s, "
                f"peak RSS {got['peak_mb']:.0f} MB, exit {got['rc']}, links {got['statuses']}",
                flush=True,
            )
    extra = figures["with the silent host"]["wall"] - figures["without it"]["wall"]
    peak = max(f["peak_mb"] for f in figures.values())
    print(
        f"circuit breaker: the silent host costs {extra:.1f} s "
        f"(target < {TARGETS['breaker_extra_s']:.0f} s); "
        f"peak memory {peak:.0f} MB (target < {TARGETS['notes_peak_mb']:.0f} MB)"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="scenario", required=True)
    h = sub.add_parser("hosts")
    h.add_argument("--hosts", type=int, default=1000)
    h.add_argument("--links", type=int, default=3000)
    h.add_argument("--files", type=int, default=1024)
    n = sub.add_parser("notes")
    n.add_argument("--notes", type=int, default=100_000)
    n.add_argument("--live", type=int, default=100)
    n.add_argument("--text", action="store_true", help="a plain-text report, not Markdown")
    args = p.parse_args()
    bench_hosts(args) if args.scenario == "hosts" else bench_notes(args)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--hosts-child":
        hosts_child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
