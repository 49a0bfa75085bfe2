"""The Wayback Availability batch (POST) and the archive stage's order, budget and overlap.

Request and answer shapes are the ones InternetArchiveBot uses and reads
(internetarchive/internetarchivebot, app/src/Core/APII.php: `CDXQuery` POSTs
`implode("\\n", $post)` to http://archive.org/wayback/available with the header
`Wayback-Api-Version: 2`, each line `url=...&timestamp=YmdHis&closest=before&statuscodes=200
&statuscodes=203&statuscodes=206&tag=$id`; it reads `results[].tag` and
`results[].archived_snapshots.closest` {available, url, timestamp, status}, `{}` for none, and
asks again for results without `archived_snapshots`), and the single-URL form documented at
https://archive.org/help/wayback_api.php. pywb has no such endpoint: a loopback fake answers
from pywb's own index (availability_fake.py), and MockTransport covers the batch corners.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from urllib.parse import parse_qs

import httpx
from archive_helpers import when

from citecheck.archives import ARCHIVES, Archive, find_snapshots, find_snapshots_async
from citecheck.archives.availability import BATCH, batch_body, parse_answer
from citecheck.archives.budget import RateBudget
from citecheck.archives.progress import eta_text
from citecheck.archives.schedule import Priority, Scheduler
from citecheck.archives.session import ArchiveSession, make_client
from citecheck.settings import Settings

SETTINGS = Settings(timeout=10, retries=0)
OCT_2015 = dt.date(2015, 10, 1)
REPORT = "http://site.test/report"
IA = ARCHIVES["ia"]


class Recording(httpx.AsyncBaseTransport):
    """The real HTTP transport, recording (method, URL) of every request."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, str(request.url)))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def kinds(self) -> list[str]:
        out = []
        for method, url in self.seen:
            if method == "POST":
                out.append("batch")
            elif "/cdx?" in url:
                out.append("cdx")
            else:
                out.append("replay " + url.split("/alpha/", 1)[1][:14])
        return out


def ia_like(pywb, fake) -> Archive:
    """pywb's alpha collection with the availability fake in front, as IA has it."""
    return Archive(
        "alpha",
        f"{pywb.base}/alpha/",
        cdx=f"{pywb.base}/alpha/cdx",
        cdx_dialect="pywb",
        per_minute=None,
        availability=fake.url,
    )


def lookup(pywb, fake, targets):
    transport = Recording()
    results = find_snapshots(targets, SETTINGS, transport=transport, archives=[ia_like(pywb, fake)])
    return results, transport


def memento(ts: str) -> httpx.Response:
    moment = dt.datetime.strptime(ts, "%Y%m%d%H%M%S")
    return httpx.Response(
        200,
        text="<p>paper</p>",
        headers={
            "Content-Type": "text/html",
            "Memento-Datetime": moment.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        },
    )


def test_batch_body_is_one_form_encoded_query_per_line():
    body, tags = batch_body(
        {"http://a.example/x?y=1&z=2": OCT_2015, "https://b.example/": OCT_2015}
    )
    lines = body.split("\n")
    assert len(lines) == 2
    first = parse_qs(lines[0])
    assert first == {
        "url": ["http://a.example/x?y=1&z=2"],
        "timestamp": ["20151001235959"],
        "closest": ["before"],
        "statuscodes": ["200"],
        "tag": ["0"],
    }
    assert tags == {"0": "http://a.example/x?y=1&z=2", "1": "https://b.example/"}


def test_answer_shapes_none_unanswered_after_and_non_200_are_not_hints():
    tags = {str(i): f"http://e.example/{i}" for i in range(6)}
    targets = dict.fromkeys(tags.values(), OCT_2015)
    closest = {"available": True, "status": "200"}
    answer = {
        "results": [
            {
                "tag": "0",
                "url": "http://e.example/0",
                "archived_snapshots": {
                    "closest": {
                        **closest,
                        "url": "http://web.archive.org/web/20150801000000/http://e.example/0",
                        "timestamp": "20150801000000",
                    }
                },
            },
            {"tag": "1", "archived_snapshots": {}},  # no capture (a hint only)
            {"tag": "2"},  # not answered
            {
                "tag": "3",
                "archived_snapshots": {
                    "closest": {
                        **closest,
                        "url": "http://web.archive.org/web/20160101000000/http://e.example/3",
                        "timestamp": "20160101000000",
                    }
                },
            },
            {
                "tag": "4",
                "archived_snapshots": {
                    "closest": {
                        "available": True,
                        "status": "404",
                        "url": "http://web.archive.org/web/20150801000000/http://e.example/4",
                        "timestamp": "20150801000000",
                    }
                },
            },
            {"tag": "99", "archived_snapshots": {}},  # a tag never asked
        ]
    }
    import json

    got = parse_answer(json.dumps(answer), IA, tags, targets)
    assert (
        got["http://e.example/0"].url
        == "https://web.archive.org/web/20150801000000/http://e.example/0"
    )
    assert got["http://e.example/0"].datetime == dt.datetime(2015, 8, 1, tzinfo=dt.UTC)
    assert got["http://e.example/1"] is None
    assert "http://e.example/2" not in got
    assert got["http://e.example/3"] is None  # after the target: no hint
    assert got["http://e.example/4"] is None
    assert "http://e.example/5" not in got


def test_many_urls_cost_one_post_per_batch_and_cdx_only_where_no_capture_is_named():
    urls = [f"http://site{i % 7}.example/page/{i}" for i in range(2 * BATCH + 20)]
    posts, cdx, replays = [], [], []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posts.append(request)
            results = []
            for line in request.content.decode().split("\n"):
                q = {k: v[0] for k, v in parse_qs(line).items()}
                i = int(q["url"].rsplit("/", 1)[1])
                snap = (
                    {}
                    if i % 2
                    else {
                        "closest": {
                            "available": True,
                            "url": f"http://web.archive.org/web/20150801000000/{q['url']}",
                            "timestamp": "20150801000000",
                            "status": "200",
                        }
                    }
                )
                results.append({"url": q["url"], "tag": q["tag"], "archived_snapshots": snap})
            return httpx.Response(200, json={"results": results})
        if request.url.path == "/cdx/search/cdx":
            cdx.append(request.url.params["url"])
            return httpx.Response(
                200,
                json=[
                    ["timestamp", "original", "statuscode", "mimetype"],
                    ["20150701000000", request.url.params["url"], "200", "text/html"],
                ],
            )
        replays.append(str(request.url))
        return memento(str(request.url).split("/web/", 1)[1][:14])

    results = find_snapshots(
        dict.fromkeys(urls, OCT_2015),
        SETTINGS,
        transport=httpx.MockTransport(handler),
        archives=[dataclasses.replace(IA, per_minute=None)],  # IA's endpoints, no waiting
    )
    assert [len(p.content.decode().split("\n")) for p in posts] == [BATCH, BATCH, 20]
    for post in posts:
        assert str(post.url) == "https://archive.org/wayback/available"
        assert post.headers["Wayback-Api-Version"] == "2"
        assert post.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sorted(cdx) == sorted(u for u in urls if int(u.rsplit("/", 1)[1]) % 2)
    assert len(replays) == len(urls)  # one id_ replay per URL: the capture that is shown
    for url in urls:
        odd = int(url.rsplit("/", 1)[1]) % 2
        snap = results[url].snapshot
        assert results[url].rules == ()
        assert snap.datetime.month == (7 if odd else 8)
        assert snap.url.startswith("https://web.archive.org/web/2015")


def test_named_capture_is_replayed_without_listing_the_archive(pywb, availability):
    results, transport = lookup(pywb, availability, {REPORT: OCT_2015})
    assert results[REPORT].rules == ()
    assert results[REPORT].snapshot.datetime == when("2015-03-01T10:00:00")
    assert results[REPORT].snapshot.url == f"{pywb.base}/alpha/20150301100000/{REPORT}"
    assert transport.kinds() == ["batch", "replay 20150301100000"]
    assert availability.posts[0][1]["Wayback-Api-Version"] == "2"


def test_batch_endpoint_is_trusted_like_the_archives_other_endpoints(pywb, availability):
    # The real client (address guard on, no private networks allowed): the archive's own
    # endpoints are trusted, its availability endpoint as well.
    settings = Settings(timeout=10, retries=0)
    results = find_snapshots({REPORT: OCT_2015}, settings, archives=[ia_like(pywb, availability)])
    assert results[REPORT].snapshot.datetime == when("2015-03-01T10:00:00")
    assert len(availability.posts) == 1


def test_no_capture_answer_is_confirmed_with_cdx(pywb, availability):
    availability.forget.add(REPORT)
    results, transport = lookup(pywb, availability, {REPORT: OCT_2015})
    assert results[REPORT].snapshot.datetime == when("2015-03-01T10:00:00")
    assert transport.kinds() == ["batch", "cdx", "replay 20150301100000"]


def test_only_later_captures_found_through_cdx_are_archived_only_after(pywb, availability):
    late = "http://site.test/late"
    results, transport = lookup(pywb, availability, {late: OCT_2015})
    assert results[late].rules == ("archived-only-after",)
    assert transport.kinds()[:2] == ["batch", "cdx"]


def test_named_capture_that_replays_as_an_error_falls_back_to_the_listing(pywb, availability):
    availability.lie[REPORT] = "20150920100000"  # the 404 capture, named as a good one
    results, transport = lookup(pywb, availability, {REPORT: OCT_2015})
    assert results[REPORT].snapshot.datetime == when("2015-03-01T10:00:00")
    assert transport.kinds() == [
        "batch",
        "replay 20150920100000",
        "cdx",
        "replay 20150301100000",
    ]


def test_failing_or_unanswering_endpoint_means_cdx_for_every_url(pywb, availability):
    targets = {REPORT: OCT_2015, "http://site.test/late": OCT_2015}
    availability.status = 503
    results, transport = lookup(pywb, availability, targets)
    assert results[REPORT].snapshot.datetime == when("2015-03-01T10:00:00")
    assert results["http://site.test/late"].rules == ("archived-only-after",)
    assert transport.kinds().count("cdx") == 2
    availability.status = 200
    availability.unanswered.add(REPORT)
    results, transport = lookup(pywb, availability, {REPORT: OCT_2015})
    assert results[REPORT].snapshot.datetime == when("2015-03-01T10:00:00")
    assert transport.kinds() == ["batch", "cdx", "replay 20150301100000"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _ia_handler(order: list[str]):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            results = []
            for line in request.content.decode().split("\n"):
                q = {k: v[0] for k, v in parse_qs(line).items()}
                closest = {
                    "available": True,
                    "url": f"http://web.archive.org/web/20150801000000/{q['url']}",
                    "timestamp": "20150801000000",
                    "status": "200",
                }
                results.append({"tag": q["tag"], "archived_snapshots": {"closest": closest}})
            return httpx.Response(200, json={"results": results})
        order.append(str(request.url).rsplit("/", 1)[1])
        return memento("20150801000000")

    return handler


def _scheduled(urls, steer, workers=1):
    """Run a Scheduler over `urls` against a MockTransport IA under its real budget (20 a
    minute) on a simulated clock; `steer(scheduler)` runs before it starts."""
    order: list[str] = []
    fake = FakeClock()

    async def main():
        async with make_client(httpx.MockTransport(_ia_handler(order)), 5, None) as client:
            session = ArchiveSession(
                client,
                [IA],
                retries=0,
                budget_factory=lambda a: RateBudget(
                    a.per_minute, clock=fake.clock, sleep=fake.sleep
                ),
            )
            scheduler = Scheduler(session, [IA], dict.fromkeys(urls, OCT_2015), workers)
            steer(scheduler)
            eta = scheduler.eta()
            results = await scheduler.run()
            return scheduler, eta, results

    scheduler, eta, results = asyncio.run(main())
    return order, fake.now, eta, results, scheduler


def test_broken_links_first_skipped_not_at_all_and_one_request_per_url():
    urls = [f"http://e.example/{i}" for i in range(30)]

    def steer(scheduler):
        for i in (25, 27, 29):
            scheduler.prioritise(urls[i], Priority.BROKEN)
        scheduler.prioritise(urls[0], Priority.ALIVE)
        scheduler.drop(urls[1])

    order, seconds, eta, results, scheduler = _scheduled(urls, steer)
    assert order[:3] == ["25", "27", "29"]
    assert order[-1] == "0"  # known alive: after those not checked yet
    assert "1" not in order and urls[1] not in results
    assert len(results) == 29
    assert scheduler.session.budgets["ia"].requests == 1 + 29  # one batch, one replay each
    # 30 requests at 20 a minute: the last ten wait for the first minute to pass.
    assert 59.0 <= seconds <= 61.0
    assert eta == 30.0  # 1 batch + 29 replays, 20 free now: 10 more at 20 a minute


def test_eta_text():
    assert eta_text(12) == "under a minute left"
    assert eta_text(14 * 60 + 20) == "about 14 min left"
    assert eta_text(75 * 60) == "about 1 h 15 min left"


def test_without_batch_every_url_costs_a_listing_and_a_replay():
    urls = [f"http://e.example/{i}" for i in range(30)]
    order: list[str] = []
    fake = FakeClock()
    cdx_only = dataclasses.replace(IA, availability=None)

    def handler(request):
        if request.url.path == "/cdx/search/cdx":
            return httpx.Response(
                200,
                json=[
                    ["timestamp", "original", "statuscode", "mimetype"],
                    ["20150801000000", request.url.params["url"], "200", "text/html"],
                ],
            )
        return _ia_handler(order)(request)

    asyncio.run(
        find_snapshots_async(
            dict.fromkeys(urls, OCT_2015),
            SETTINGS,
            transport=httpx.MockTransport(handler),
            archives=[cdx_only],
            budget_factory=lambda a: RateBudget(a.per_minute, clock=fake.clock, sleep=fake.sleep),
        )
    )
    assert len(order) == 30 and 119.0 <= fake.now <= 121.0  # 60 requests: two minutes


def test_a_good_named_capture_spares_the_archives_without_a_batch_endpoint():
    """IA names a capture before the date and it replays well: archive.today (10 requests a
    minute) is not asked at all; where IA names none, both archives are listed."""
    asked_other: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "other.example":
            asked_other.append(str(request.url))
            return httpx.Response(
                200,
                text=f'<{request.url}>; rel="memento"; datetime="Mon, 01 Jun 2015 00:00:00 GMT"',
                headers={"Content-Type": "application/link-format"},
            )
        if request.method == "POST":
            results = []
            for line in request.content.decode().split("\n"):
                q = {k: v[0] for k, v in parse_qs(line).items()}
                named = q["url"].endswith("/kept")
                closest = {
                    "available": True,
                    "url": f"http://web.archive.org/web/20150801000000/{q['url']}",
                    "timestamp": "20150801000000",
                    "status": "200",
                }
                snap = {"closest": closest} if named else {}
                results.append({"url": q["url"], "tag": q["tag"], "archived_snapshots": snap})
            return httpx.Response(200, json={"results": results})
        if request.url.path == "/cdx/search/cdx":
            return httpx.Response(200, json=[["timestamp", "original", "statuscode", "mimetype"]])
        return memento(str(request.url).split("/web/", 1)[1][:14])

    other = Archive("other", "https://other.example/", timemap="https://other.example/timemap/")
    archives = [dataclasses.replace(IA, per_minute=None), other]
    urls = {"http://site.test/kept": OCT_2015, "http://site.test/unnamed": OCT_2015}
    results = find_snapshots(
        urls, SETTINGS, transport=httpx.MockTransport(handler), archives=archives
    )
    assert results["http://site.test/kept"].snapshot.archive == "ia"
    assert not [u for u in asked_other if "kept" in u]
    assert [u for u in asked_other if "unnamed" in u]  # no hint: every archive is listed
