"""Drift against the live loopback web, and capturing into the pywb recorder."""

from __future__ import annotations

import datetime as dt
import time

import httpx
from archive_helpers import cdx_archive

from citecheck.archives import capture_urls, drift_score, find_snapshots, stale_urls
from citecheck.archives.capture import CaptureStatus
from citecheck.checkers.drift import page_fingerprint
from citecheck.settings import Settings

SETTINGS = Settings(timeout=10, retries=0)
OCT_2015 = dt.date(2015, 10, 1)


def _live_fingerprint(url: str) -> dict:
    return page_fingerprint(httpx.get(url, timeout=5).text)


def test_drift_detected_for_changed_page_and_not_for_identical(pywb, live_web):
    same, changed = live_web.url("/article"), live_web.url("/changed")
    results = find_snapshots(
        {same: OCT_2015, changed: OCT_2015}, SETTINGS, archives=[cdx_archive(pywb, "alpha")]
    )
    unchanged = drift_score(_live_fingerprint(same), results[same].fingerprint)
    drifted = drift_score(_live_fingerprint(changed), results[changed].fingerprint)
    assert unchanged == 1.0
    assert drifted < 0.3
    assert drifted < SETTINGS.drift_threshold <= unchanged  # rules.py: content-drift or not


def test_capture_into_pywb_recorder_then_find_it(pywb, live_web):
    url = live_web.url("/fresh")
    rec = cdx_archive(pywb, "rec")
    today = dt.datetime.now(dt.UTC).date()
    before = find_snapshots({url: today}, SETTINGS, archives=[rec])[url]
    assert before.rules == ("no-archived-copy",)
    assert stale_urls({url: before}, today=today) == [url]

    planned = capture_urls([url], SETTINGS, endpoint=f"{pywb.base}/rec/record/", dry_run=True)
    assert planned[0].status is CaptureStatus.PLANNED

    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    [result] = capture_urls([url], SETTINGS, endpoint=f"{pywb.base}/rec/record/")
    assert result.status is CaptureStatus.CAPTURED, result.detail
    assert result.datetime >= started - dt.timedelta(seconds=1)
    assert result.memento_url.startswith(f"{pywb.base}/rec/")
    assert result.memento_url.endswith(f"/{url}")

    pywb.reindex("rec")
    deadline = time.monotonic() + 10
    while True:
        after = find_snapshots({url: today}, SETTINGS, archives=[rec])[url]
        if after.snapshot is not None or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert after.rules == ()
    assert after.snapshot.datetime == result.datetime
    assert after.snapshot.url == result.memento_url
    assert stale_urls({url: after}, today=today) == []
    # the capture's fingerprint is the live page's, with the capture's titles beside it
    assert after.fingerprint is not None and after.fingerprint.pop("titles")
    assert after.fingerprint == _live_fingerprint(url)
