"""Archive lookups against a real pywb archive (started by the session fixture)."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
from archive_helpers import ORIGINAL_TEXT, cdx_archive, timemap_archive, when

from citecheck.archives import find_snapshots
from citecheck.archives.choose import order_captures
from citecheck.archives.memento import list_timemap
from citecheck.archives.session import ArchiveSession
from citecheck.settings import Settings

SETTINGS = Settings(timeout=10, retries=0)
OCT_2015 = dt.date(2015, 10, 1)
REPORT = "http://site.test/report"


def test_nearest_capture_before_target_skips_error_and_redirect_captures(pywb):
    # alpha has 09-28 (redirect elsewhere) and 09-20 (404) nearer than 03-01: both skipped.
    result = find_snapshots(
        {REPORT: OCT_2015}, SETTINGS, archives=[timemap_archive(pywb, "alpha")]
    )[REPORT]
    assert result.rules == ()
    assert result.snapshot.archive == "alpha"
    assert result.snapshot.datetime == when("2015-03-01T10:00:00")
    assert result.snapshot.url == f"{pywb.base}/alpha/20150301100000/{REPORT}"


def test_two_archives_merged_and_before_preferred_over_nearer_after(pywb):
    # beta's 2015-10-05 is nearer than its 2015-08-15 but after the target: 08-15 wins,
    # and it is nearer than alpha's 03-01.
    archives = [timemap_archive(pywb, "alpha"), timemap_archive(pywb, "beta")]
    result = find_snapshots({REPORT: OCT_2015}, SETTINGS, archives=archives)[REPORT]
    assert (result.snapshot.archive, result.snapshot.datetime) == (
        "beta",
        when("2015-08-15T10:00:00"),
    )
    only = find_snapshots({"http://site.test/only-beta": OCT_2015}, SETTINGS, archives=archives)
    assert only["http://site.test/only-beta"].snapshot.archive == "beta"


def test_nearest_after_when_target_precedes_every_capture(pywb):
    archives = [timemap_archive(pywb, "alpha"), timemap_archive(pywb, "beta")]
    result = find_snapshots({REPORT: dt.date(2015, 1, 1)}, SETTINGS, archives=archives)[REPORT]
    assert result.snapshot.datetime == when("2015-03-01T10:00:00")
    assert result.rules == ("archived-only-after",)
    assert "2015-03-01" in result.detail


def test_archived_only_after_and_found_when_target_is_later(pywb):
    archives = [cdx_archive(pywb, "alpha")]
    url = "http://site.test/late"
    after = find_snapshots({url: OCT_2015}, SETTINGS, archives=archives)[url]
    assert after.rules == ("archived-only-after",)
    assert after.snapshot.datetime == when("2016-05-01T00:00:00")
    later = find_snapshots({url: dt.date(2016, 6, 1)}, SETTINGS, archives=archives)[url]
    assert later.rules == () and later.snapshot is not None


def test_pywb_cdx_dialect_filters_error_captures(pywb):
    # The CDX path asks only for status 200: the 404 and the redirect never show up.
    result = find_snapshots(
        {REPORT: dt.date(2015, 9, 30)}, SETTINGS, archives=[cdx_archive(pywb, "alpha")]
    )[REPORT]
    assert result.snapshot.datetime == when("2015-03-01T10:00:00")
    assert result.snapshot.url == f"{pywb.base}/alpha/20150301100000/{REPORT}"


def test_no_archived_copy(pywb):
    url = "http://site.test/never-captured"
    for archive in (cdx_archive(pywb, "alpha"), timemap_archive(pywb, "alpha")):
        result = find_snapshots({url: OCT_2015}, SETTINGS, archives=[archive])[url]
        assert result.snapshot is None
        assert result.rules == ("no-archived-copy",)


def test_timegate_only_archive_from_settings(pywb):
    # `--archive alpha=PREFIX`: a plain TimeGate; the TimeMap is found from its Link header.
    settings = Settings(timeout=10, retries=0, archives=(("alpha", f"{pywb.base}/alpha/"),))
    result = find_snapshots({REPORT: OCT_2015}, settings)[REPORT]
    assert result.snapshot.datetime == when("2015-03-01T10:00:00")


def test_timemap_with_many_mementos(pywb):
    async def listing():
        archive = timemap_archive(pywb, "alpha")
        async with httpx.AsyncClient() as client:
            return await list_timemap(
                ArchiveSession(client, [archive]), archive, "http://site.test/many"
            )

    captures = asyncio.run(listing())
    assert len(captures) == 60
    assert len({c.url for c in captures}) == 60
    nearest = order_captures(captures, dt.date(2013, 7, 1))[0]
    assert nearest.datetime == when("2013-06-15T08:00:00")
    result = find_snapshots(
        {"http://site.test/many": dt.date(2013, 7, 1)},
        SETTINGS,
        archives=[timemap_archive(pywb, "alpha")],
    )
    assert result["http://site.test/many"].snapshot.datetime == when("2013-06-15T08:00:00")


def test_failed_lookup_is_archive_unavailable_never_not_archived(pywb):
    from archive_helpers import dead_port_archive

    dead = dead_port_archive()
    results = find_snapshots(
        {REPORT: OCT_2015, "http://site.test/never-captured": OCT_2015},
        SETTINGS,
        archives=[dead, timemap_archive(pywb, "alpha")],
    )
    # The page alpha holds before the target is found despite the dead archive ...
    assert results[REPORT].rules == () and results[REPORT].snapshot.archive == "alpha"
    # ... but "none found" with one archive down is unknown, not "not archived".
    missing = results["http://site.test/never-captured"]
    assert missing.rules == ("archive-unavailable",)
    assert missing.snapshot is None and "dead" in missing.detail


def test_capture_fingerprint_comes_from_raw_replay(pywb, live_web):
    url = live_web.url("/article")
    result = find_snapshots({url: OCT_2015}, SETTINGS, archives=[cdx_archive(pywb, "alpha")])[url]
    from citecheck.checkers.drift import text_fingerprint

    assert (
        result.fingerprint["digest"]
        == text_fingerprint("Virtual goods trading in 2015 " + ORIGINAL_TEXT)["digest"]
    )
