"""How long archive lookups take, and how archive budgets pace a real report.

1. Starts a real pywb archive (warcio + wb-manager + wayback, as the tests do) with 100 URLs,
   each captured at 4 dates (one of them a 404 nearest the target), and times
   `find_snapshots` for the 100 URLs through the CDX API and through Memento TimeMaps, with
   one and with two collections (archives). Ratios are of runs in this same process.
2. The archive stage under the default Internet Archive budget (20 requests a minute, on a
   simulated clock: the budget's sleeps advance it, so minutes of pacing run in seconds) for
   30 and 300 URLs against a real pywb collection, every 10th URL a broken link:
   - before: the per-URL path (a CDX listing and an `id_` replay per URL, document order),
     which is still the path for archives without a batch endpoint;
   - after: the Wayback Availability batch in front of the same pywb (the loopback fake of
     tests/archives/availability_fake.py, IABot's request and answer shapes), one replay per
     URL for the capture it names, broken links first (as the checker's verdicts steer it).
   Prints requests, budget minutes, and when the last broken link's capture was known.

Usage: python bench/archive_lookups.py [--budget-only]
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "archives")]

from pywb_archive import PywbArchive, Record  # noqa: E402

from citecheck.archives import ARCHIVES, Archive, find_snapshots  # noqa: E402
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

            def cdx(c: str) -> Archive:
                return Archive(
                    c, f"{base}/{c}/", cdx=f"{base}/{c}/cdx", cdx_dialect="pywb", per_minute=None
                )

            def tmap(c: str) -> Archive:
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


def budget_run(pywb_base: str, fake, n: int, batch: bool) -> dict:
    """One archive stage over `n` URLs of the `budget` collection under IA's budget."""
    from citecheck.archives import schedule
    from citecheck.archives.stage import look_up

    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    budgets: list[RateBudget] = []

    def factory(archive: Archive) -> RateBudget:
        budgets.append(RateBudget(archive.per_minute, clock=lambda: now[0], sleep=sleep))
        return budgets[-1]

    archive = Archive(
        "ia",
        f"{pywb_base}/budget/",
        cdx=f"{pywb_base}/budget/cdx",
        cdx_dialect="pywb",
        per_minute=ARCHIVES["ia"].per_minute,
        availability=fake.url if batch else None,
    )
    urls = [f"http://budget{i % 10}.test/page/{i}" for i in range(n)]
    broken = set(urls[9::10])
    finished: dict[str, float] = {}
    plain = schedule.lookup_url

    async def timed(*args, **kwargs):
        result = await plain(*args, **kwargs)
        finished[args[2]] = now[0]
        return result

    def steer(scheduler) -> None:
        if batch:  # the checker's verdicts, as they would arrive during the link checks
            for url in broken:
                scheduler.prioritise(url, schedule.Priority.BROKEN)

    schedule.lookup_url = timed
    try:
        results = asyncio.run(
            look_up(
                dict.fromkeys(urls, TARGET),
                Settings(timeout=30, retries=0),
                [archive],
                budget_factory=factory,
                attach=steer,
            )
        )
    finally:
        schedule.lookup_url = plain
    good = sum(
        1
        for r in results.values()
        if r.snapshot and r.snapshot.datetime.date() == dt.date(2015, 8, 1)
    )
    return {
        "requests": budgets[0].requests,
        "minutes": now[0] / 60,
        "broken_known": max(finished[u] for u in broken) / 60,
        "correct": good,
    }


def budget_bench() -> None:
    from availability_fake import AvailabilityFake

    n_max = 300
    with tempfile.TemporaryDirectory() as tmp:
        recs = [dataclasses.replace(r, url=r.url.replace("site", "budget")) for r in records(n_max)]
        archive = PywbArchive(Path(tmp), {"budget": recs})
        archive.start()
        fake = AvailabilityFake(
            "127.0.0.3", f"{archive.base}/budget/cdx", "http://web.archive.org/web/"
        )
        fake.start()
        try:
            print(
                "Archive stage under the Internet Archive budget "
                f"({ARCHIVES['ia'].per_minute}/min, simulated clock), real pywb; "
                "every 10th URL a broken link:"
            )
            for n in (30, n_max):
                before = budget_run(archive.base, fake, n, batch=False)
                after = budget_run(archive.base, fake, n, batch=True)
                for label, got in (
                    ("before (CDX + replay)", before),
                    ("after (batch + replay)", after),
                ):
                    print(
                        f"  {n:4d} URLs {label:24s} {got['requests']:4d} requests "
                        f"{got['minutes']:5.1f} min  broken links known after "
                        f"{got['broken_known']:5.1f} min  correct {got['correct']}/{n}"
                    )
                ratio = after["requests"] / before["requests"]
                print(
                    f"  {n:4d} URLs after/before: requests x{ratio:.2f}, "
                    f"minutes x{after['minutes'] / before['minutes']:.2f}, broken links known "
                    f"x{after['broken_known'] / before['broken_known']:.2f}"
                )
        finally:
            fake.stop()
            archive.stop()


if __name__ == "__main__":
    if "--budget-only" not in sys.argv:
        local_bench()
    budget_bench()
