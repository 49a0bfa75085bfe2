"""How long archive lookups take, and how archive budgets pace a real report.

1. Starts a real pywb archive (warcio + wb-manager + wayback, as the tests do) with 100 URLs,
   each captured at 4 dates (one of them a 404 nearest the target), and times
   `find_snapshots` for the 100 URLs through the CDX API and through Memento TimeMaps, with
   one and with two collections (archives). Ratios are of runs in this same process.
2. Runs the real lookup code for the VGT report's 30 unique URLs against an Internet
   Archive simulated with httpx.MockTransport, under the default IA budget (20 requests a
   minute) on a simulated clock, and prints the wall time the budget imposes.

Usage: /work/venv/bin/python bench/archive_lookups.py
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "archives")]

from pywb_archive import PywbArchive, Record  # noqa: E402

from citecheck.archives import ARCHIVES, Archive, find_snapshots, find_snapshots_async  # noqa: E402
from citecheck.archives.budget import RateBudget  # noqa: E402
from citecheck.settings import Settings  # noqa: E402

UTC = dt.UTC
TARGET = dt.date(2015, 10, 1)
N_URLS = 100
VGT_UNIQUE_URLS = 30


def records(n: int) -> list[Record]:
    out = []
    for i in range(n):
        url = f"http://site{i % 10}.test/page/{i}"
        body = (
            f"<html><body><main><p>Page {i} text "
            + "lorem ipsum " * 50
            + "</p></main></body></html>"
        )
        out += [
            Record(url, dt.datetime(2014, 5, 1, tzinfo=UTC), body=body),
            Record(url, dt.datetime(2015, 8, 1, tzinfo=UTC), body=body),
            Record(url, dt.datetime(2015, 9, 30, tzinfo=UTC), status="404 Not Found", body="x"),
            Record(url, dt.datetime(2016, 3, 1, tzinfo=UTC), body=body),
        ]
    return out


def timed(targets, archives) -> tuple[float, dict]:
    settings = Settings(timeout=30, retries=0)
    start = time.perf_counter()
    results = find_snapshots(targets, settings, archives=archives)
    return time.perf_counter() - start, results


def local_bench() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        recs = records(N_URLS)
        archive = PywbArchive(Path(tmp), {"one": recs, "two": recs[: 2 * N_URLS]})
        archive.start()
        try:
            base = archive.base

            def cdx(c: str, base: str = base) -> Archive:
                return Archive(
                    c, f"{base}/{c}/", cdx=f"{base}/{c}/cdx", cdx_dialect="pywb", per_minute=None
                )

            def tmap(c: str, base: str = base) -> Archive:
                return Archive(
                    c, f"{base}/{c}/", timemap=f"{base}/{c}/timemap/link/", per_minute=None
                )

            targets = {r.url: TARGET for r in recs}
            timed(dict(list(targets.items())[:5]), [cdx("one")])  # warm-up
            rows = []
            for label, archives in (
                ("CDX, 1 archive", [cdx("one")]),
                ("TimeMap, 1 archive", [tmap("one")]),
                ("CDX, 2 archives", [cdx("one"), cdx("two")]),
                ("TimeMap, 2 archives", [tmap("one"), tmap("two")]),
            ):
                seconds, results = timed(targets, archives)
                found = sum(
                    1
                    for r in results.values()
                    if r.snapshot and r.snapshot.datetime.date() == dt.date(2015, 8, 1)
                )
                rows.append((label, seconds, found))
        finally:
            archive.stop()
    print(
        f"Local pywb, {N_URLS} URLs, target {TARGET} (nearest good capture 2015-08-01; "
        "a 404 capture on 2015-09-30 must be skipped in TimeMap mode):"
    )
    first = rows[0][1]
    for label, seconds, found in rows:
        print(
            f"  {label:22s} {seconds:6.2f} s  {1000 * seconds / N_URLS:6.1f} ms/URL  "
            f"x{seconds / first:4.2f}  correct {found}/{N_URLS}"
        )


def ia_pacing() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cdx/search/cdx":
            url = request.url.params["url"]
            return httpx.Response(
                200,
                json=[
                    ["timestamp", "original", "statuscode", "mimetype"],
                    ["20150801000000", url, "200", "text/html"],
                ],
            )
        return httpx.Response(
            200,
            text="<p>x</p>",
            headers={
                "Content-Type": "text/html",
                "Memento-Datetime": "Sat, 01 Aug 2015 00:00:00 GMT",
            },
        )

    budgets = []

    def factory(archive):
        budgets.append(RateBudget(archive.per_minute, clock=lambda: now[0], sleep=sleep))
        return budgets[-1]

    targets = {f"http://vgt{i}.example/doc": TARGET for i in range(VGT_UNIQUE_URLS)}
    asyncio.run(
        find_snapshots_async(
            targets,
            Settings(timeout=5, retries=0),
            transport=httpx.MockTransport(handler),
            archives=[ARCHIVES["ia"]],
            budget_factory=factory,
        )
    )
    requests = budgets[0].requests
    print(
        f"Internet Archive budget ({ARCHIVES['ia'].per_minute}/min), "
        f"{VGT_UNIQUE_URLS} unique URLs: {requests} requests (1 CDX + 1 id_ replay per URL), "
        f"budget-imposed time {now[0]:.0f} s ({now[0] / 60:.1f} min) on a simulated clock."
    )
    for other in ("archive.today", "arquivo.pt", "ukwa", "perma.cc"):
        a = ARCHIVES[other]
        minutes = max(0, -(-VGT_UNIQUE_URLS // a.per_minute) - 1)
        print(
            f"  {other}: {VGT_UNIQUE_URLS} TimeMap requests at {a.per_minute}/min "
            f"-> about {minutes} min before the last is sent"
        )


if __name__ == "__main__":
    local_bench()
    ia_pacing()
