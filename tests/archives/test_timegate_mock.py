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
            return httpx.Response(
                302,
                headers={
                    "Location": nearest,
                    "Vary": "accept-datetime",
                    "Link": f'<{URL}>; rel="original", <{prev}>; rel="prev memento"; '
                    f'datetime="Tue, 01 Sep 2015 00:00:00 GMT", <{nearest}>; rel="memento"; '
                    f'datetime="Sat, 03 Oct 2015 00:00:00 GMT"',
                },
            )
        if str(request.url) == f"{GATE}20150901000000id_/{URL}":
            return httpx.Response(
                200,
                text="<p>story</p>",
                headers={
                    "Content-Type": "text/html",
                    "Memento-Datetime": "Tue, 01 Sep 2015 00:00:00 GMT",
                },
            )
        return httpx.Response(500)

    archive = Archive("gate", GATE, per_minute=None)
    result = find_snapshots(
        {URL: dt.date(2015, 10, 1)},
        Settings(timeout=5, retries=0),
        transport=httpx.MockTransport(handler),
        archives=[archive],
    )[URL]
    # The TimeGate's choice (10-03) is after the target; its "prev memento" is before: chosen.
    assert result.rules == ()
    assert result.snapshot.url == prev
    assert result.snapshot.datetime == dt.datetime(2015, 9, 1, tzinfo=dt.UTC)
    assert len(seen) == 2  # no redirect followed, no TimeMap to fetch


def test_replay_redirect_to_archive_mirror_stays_inside_but_leaving_archive_does_not():
    from citecheck.archives import ARCHIVES

    today = ARCHIVES["archive.today"]
    first = f"https://archive.today/20151001000000/{URL}"
    second = f"https://archive.today/20150601000000/{URL}"
    timemap = (
        f'<{URL}>; rel="original", <{first}>; rel="memento"; datetime="Thu, 01 Oct 2015 '
        f'00:00:00 GMT", <{second}>; rel="memento"; datetime="Mon, 01 Jun 2015 00:00:00 GMT"'
    )

    def handler(request):
        target = str(request.url)
        if target.startswith(today.timemap):
            return httpx.Response(
                200, text=timemap, headers={"Content-Type": "application/link-format"}
            )
        if target == first:  # replays as the original site's redirect: not a good capture
            return httpx.Response(302, headers={"Location": "http://news.example/"})
        if target == second:  # the archive's short URL on a mirror host
            return httpx.Response(302, headers={"Location": "https://archive.ph/AbCd1"})
        if target == "https://archive.ph/AbCd1":
            return httpx.Response(
                200,
                text="<p>story</p>",
                headers={
                    "Content-Type": "text/html",
                    "Memento-Datetime": "Mon, 01 Jun 2015 00:00:00 GMT",
                },
            )
        return httpx.Response(500)

    result = find_snapshots(
        {URL: dt.date(2015, 10, 1)},
        Settings(timeout=5, retries=0),
        transport=httpx.MockTransport(handler),
        archives=[today],
    )[URL]
    # The archive's own short URL is what it replays: that is the one to cite.
    assert result.rules == () and result.snapshot.url == "https://archive.ph/AbCd1"
