"""Internet Archive protocol corners with httpx.MockTransport: the CDX JSON dialect,
429/Retry-After, giving up on a rate-limiting archive, and the cache."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import time

import httpx

from citecheck.archives import ARCHIVES, find_snapshots, find_snapshots_async
from citecheck.archives.budget import RateBudget
from citecheck.cache.store import Cache
from citecheck.settings import Settings

SETTINGS = Settings(timeout=5, retries=0)
# The CDX path (the availability batch, tried first by default, is in test_availability.py).
IA = dataclasses.replace(ARCHIVES["ia"], availability=None)
URL = "http://www.example.org/paper.pdf"
TARGET = dt.date(2015, 10, 1)
HEADER = ["timestamp", "original", "statuscode", "mimetype"]


def cdx_rows(*rows):
    return httpx.Response(200, json=[HEADER, *[list(r) for r in rows]])


class FakeIA:
    """Answers CDX queries and id_ replays; records every request."""

    def __init__(self, rows, replays):
        self.rows, self.replays, self.seen = rows, replays, []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.path == "/cdx/search/cdx":
            return cdx_rows(*self.rows)
        return self.replays[str(request.url)]


def memento(ts: str, body: str = "<p>paper</p>") -> httpx.Response:
    moment = dt.datetime.strptime(ts, "%Y%m%d%H%M%S")
    return httpx.Response(
        200,
        text=body,
        headers={
            "Content-Type": "text/html",
            "Memento-Datetime": moment.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        },
    )


def test_ia_cdx_query_and_json_dialect():
    redirect = f"https://web.archive.org/web/20150930000000id_/{URL}"
    good = f"https://web.archive.org/web/20150801000000id_/{URL}"
    ia = FakeIA(
        rows=[
            ("20150930000000", URL, "200", "text/html"),
            ("20150801000000", URL, "200", "text/html"),
            ("20151002000000", URL, "200", "text/html"),
        ],
        replays={
            redirect: httpx.Response(
                302,
                headers={
                    "Location": "https://web.archive.org/web/20150930000000id_/http://www.example.org/"
                },
            ),
            good: memento("20150801000000"),
        },
    )
    result = find_snapshots(
        {URL: TARGET}, SETTINGS, transport=httpx.MockTransport(ia), archives=[IA]
    )[URL]
    query = ia.seen[0].url.params
    assert query["filter"] == "statuscode:200" and query["output"] == "json"
    assert query["closest"] == "20151001235959" and query["sort"] == "closest"
    assert query["url"] == URL
    # 09-30 is nearest but replays as a redirect to the site root: the 08-01 capture is chosen.
    assert result.rules == ()
    assert result.snapshot.url == f"https://web.archive.org/web/20150801000000/{URL}"
    assert result.snapshot.datetime == dt.datetime(2015, 8, 1, tzinfo=dt.UTC)
    assert result.fingerprint["words"] == 1
    assert [str(r.url) for r in ia.seen[1:]] == [redirect, good]


def test_ia_empty_cdx_answer_is_no_archived_copy():
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=[]))
    result = find_snapshots({URL: TARGET}, SETTINGS, transport=transport, archives=[IA])[URL]
    assert result.rules == ("no-archived-copy",)


def test_server_error_is_archive_unavailable():
    transport = httpx.MockTransport(lambda r: httpx.Response(503))
    result = find_snapshots({URL: TARGET}, SETTINGS, transport=transport, archives=[IA])[URL]
    assert result.rules == ("archive-unavailable",) and "HTTP 503" in result.detail


class FakeClock:
    def __init__(self):
        self.now, self.slept = 0.0, []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_429_retry_after_honoured_then_answer_used():
    answers = iter([httpx.Response(429, headers={"Retry-After": "7"})])

    def handler(request):
        if request.url.path == "/cdx/search/cdx":
            return next(answers, None) or cdx_rows(("20150801000000", URL, "200", "text/html"))
        return memento("20150801000000")

    fake = FakeClock()
    results = asyncio.run(
        find_snapshots_async(
            {URL: TARGET},
            SETTINGS,
            transport=httpx.MockTransport(handler),
            archives=[IA],
            budget_factory=lambda a: RateBudget(a.per_minute, clock=fake.clock, sleep=fake.sleep),
        )
    )
    assert results[URL].rules == () and results[URL].snapshot is not None
    assert fake.slept == [7.0]


def test_repeated_429_stops_asking_that_archive_for_the_run():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(429, headers={"Retry-After": "0"})

    urls = {f"http://example.org/{i}": TARGET for i in range(5)}
    settings = Settings(timeout=5, retries=0, max_concurrency=1)
    results = find_snapshots(urls, settings, transport=httpx.MockTransport(handler), archives=[IA])
    assert len(seen) == 3  # three 429s in a row, then the archive is left alone
    for result in results.values():
        assert result.rules == ("archive-unavailable",)
        assert result.snapshot is None and "429" in result.detail


def test_cache_found_for_long_none_for_a_day(tmp_path):
    def handler(request):
        if request.url.path == "/cdx/search/cdx":
            if "missing" in request.url.params["url"]:
                return httpx.Response(200, json=[])
            return cdx_rows(("20150801000000", URL, "200", "text/html"))
        return memento("20150801000000")

    cache = Cache(tmp_path)
    targets = {URL: TARGET, "http://example.org/missing": TARGET}
    first = find_snapshots(
        targets, SETTINGS, transport=httpx.MockTransport(handler), archives=[IA], cache=cache
    )

    def refuse(request):
        raise AssertionError(f"asked the network for {request.url}")

    second = find_snapshots(
        targets, SETTINGS, transport=httpx.MockTransport(refuse), archives=[IA], cache=cache
    )
    assert second[URL].from_cache and second[URL].snapshot == first[URL].snapshot
    assert second[URL].fingerprint == first[URL].fingerprint
    assert second["http://example.org/missing"].rules == ("no-archived-copy",)
    keys = [k for (k,) in cache._db.execute("SELECT key FROM entries")]
    in_two_days = time.time() + 2 * 86400
    fresh = cache.get_many("archive", keys, now=in_two_days)
    assert [v["snapshot"] is not None for v in fresh.values()] == [True]
    cache.close()


def test_unavailable_results_are_not_cached(tmp_path):
    cache = Cache(tmp_path)
    find_snapshots(
        {URL: TARGET},
        SETTINGS,
        archives=[IA],
        cache=cache,
        transport=httpx.MockTransport(lambda r: httpx.Response(503)),
    )
    assert cache._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 0
    cache.close()


def test_replay_redirected_to_the_archives_nearest_capture_is_cited_as_replayed():
    listed = f"https://web.archive.org/web/20150801000000id_/{URL}"
    actual = f"https://web.archive.org/web/20150731120000id_/{URL}"
    ia = FakeIA(
        rows=[("20150801000000", URL, "200", "text/html")],
        replays={
            listed: httpx.Response(302, headers={"Location": actual}),
            actual: memento("20150731120000"),
        },
    )
    result = find_snapshots(
        {URL: TARGET}, SETTINGS, transport=httpx.MockTransport(ia), archives=[IA]
    )[URL]
    assert result.snapshot.url == f"https://web.archive.org/web/20150731120000/{URL}"
    assert result.snapshot.datetime == dt.datetime(2015, 7, 31, 12, tzinfo=dt.UTC)
