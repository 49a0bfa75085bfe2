"""A capture that is itself a bot wall or a "not found" page is not offered (real pywb)."""

from __future__ import annotations

import datetime as dt

import httpx
from archive_helpers import timemap_archive, when
from conftest import SOFT_404_CAPTURE, WALL_CAPTURE, WALL_ONLY, WALLED

from citecheck.archives import find_snapshots
from citecheck.archives.choose import unusable_capture
from citecheck.settings import Settings


def test_wall_and_soft_404_captures_are_skipped_for_the_real_page(pywb):
    settings = Settings(timeout=10, retries=0)
    archive = timemap_archive(pywb, "alpha")
    result = find_snapshots({WALLED: dt.date(2015, 10, 1)}, settings, archives=[archive])[WALLED]
    # 09-25 (Cloudflare challenge) and 09-10 (page not found) are nearer, but not the page
    assert result.snapshot is not None
    assert result.snapshot.datetime == when("2015-03-01T10:00:00")
    assert result.rules == ()


def test_only_a_wall_captured_means_no_usable_copy(pywb):
    settings = Settings(timeout=10, retries=0)
    archive = timemap_archive(pywb, "alpha")
    result = find_snapshots({WALL_ONLY: dt.date(2015, 10, 1)}, settings, archives=[archive])
    assert result[WALL_ONLY].snapshot is None
    assert result[WALL_ONLY].rules == ("no-archived-copy",)
    assert "bot wall" in result[WALL_ONLY].detail


def test_unusable_capture_judgement():
    html = httpx.Headers({"content-type": "text/html"})
    assert "bot wall (Cloudflare)" in unusable_capture(html, WALL_CAPTURE.encode())
    assert "not found" in unusable_capture(html, SOFT_404_CAPTURE.encode())
    challenge = httpx.Headers({"content-type": "text/html", "cf-mitigated": "challenge"})
    assert "bot wall" in unusable_capture(challenge, b"<html><title>Report</title></html>")
    good = b"<html><title>Annual report</title><p>" + b"Text. " * 300 + b"</p></html>"
    assert unusable_capture(html, good) is None
    assert unusable_capture(httpx.Headers({"content-type": "application/pdf"}), b"%PDF") is None
