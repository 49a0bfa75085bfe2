"""A TimeGate-only archive (RFC 7089 pattern 2.2) with httpx.MockTransport: the request
carries a full RFC 1123 Accept-Datetime, the redirect is read, not followed, and the
neighbours named in `Link` are candidates too."""

from __future__ import annotations

import datetime as dt

import httpx

from citecheck.archives import Archive, find_snapshots
from citecheck.settings import Settings

URL = "http://news.example/story"
GATE = "https://gate.example/web/"


def test_timegate_redirect_and_link_neighbours():
    seen = []
    prev = f"{GATE}20150901000000/{URL}"
    nearest = f"{GATE}20151003000000/{URL}"

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if str(request.url) == GATE + URL:
            assert request.headers["Accept-Datetime"] == "Thu, 01 Oct 2015 23:59:59 GMT"
            return httpx.Response(302, headers={
                "Location": nearest, "Vary": "accept-datetime",
                "Link": f'<{URL}>; rel="original", <{prev}>; rel="prev memento"; '
                        f'datetime="Tue, 01 Sep 2015 00:00:00 GMT", <{nearest}>; rel="memento"; '
                        f'datetime="Sat, 03 Oct 2015 00:00:00 GMT"'})
        if str(request.url) == f"{GATE}20150901000000id_/{URL}":
            return httpx.Response(200, text="<p>story</p>", headers={
                "Content-Type": "text/html", "Memento-Datetime": "Tue, 01 Sep 2015 00:00:00 GMT"})
        return httpx.Response(500)

    archive = Archive("gate", GATE, per_minute=None)
    result = find_snapshots({URL: dt.date(2015, 10, 1)}, Settings(timeout=5, retries=0),
                            transport=httpx.MockTransport(handler), archives=[archive])[URL]
    # The TimeGate's choice (10-03) is after the target; its "prev memento" is before: chosen.
    assert result.rules == ()
    assert result.snapshot.url == prev
    assert result.snapshot.datetime == dt.datetime(2015, 9, 1, tzinfo=dt.timezone.utc)
    assert len(seen) == 2  # no redirect followed, no TimeMap to fetch
