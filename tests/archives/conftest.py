"""Session fixtures: a live loopback web and a real pywb archive with two collections."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from archive_helpers import (
    CHANGED_TEXT,
    GUIDE,
    ORIGINAL_TEXT,
    RETITLED_LIVE,
    RETITLED_THEN,
    page,
    pdf_of,
    when,
)
from archive_web import LiveWeb
from pywb_archive import PywbArchive, Record


@pytest.fixture(scope="session")
def live_web():
    server = LiveWeb(
        "127.0.0.2",
        {
            "/article": page(ORIGINAL_TEXT),
            "/changed": page(CHANGED_TEXT),
            "/fresh": page("A page captured during the test run by the pywb recorder."),
            "/guide": GUIDE,  # anchors for #fragments (tests/archives/test_source_*)
            "/doc.pdf": (pdf_of(3), "application/pdf"),
            "/retitled": RETITLED_LIVE,  # the title changed since its capture
        },
    ).start()
    yield server
    server.stop()


WALLED, WALL_ONLY = "http://site.test/walled", "http://site.test/wall-only"
WALL_CAPTURE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><noscript>"
    "Enable JavaScript and cookies to continue</noscript><script>window._cf_chl_opt={cvId:"
    " '3'};</script></body></html>"
)
SOFT_404_CAPTURE = "<html><head><title>Page not found</title></head><body>Sorry.</body></html>"


def _records(live_web) -> dict[str, list[Record]]:
    report = "http://site.test/report"
    many = [
        Record(
            "http://site.test/many",
            when(f"{2010 + i // 12}-{i % 12 + 1:02d}-15T08:00:00"),
            body=page(f"monthly edition {i}"),
        )
        for i in range(60)
    ]
    alpha = [
        Record(report, when("2015-03-01T10:00:00"), body=page("report, spring edition")),
        Record(report, when("2015-09-20T10:00:00"), status="404 Not Found", body="gone"),
        Record(
            report,
            when("2015-09-28T10:00:00"),
            status="302 Found",
            headers=(("Location", "http://site.test/"),),
        ),
        Record(report, when("2016-02-01T10:00:00"), body=page("report, 2016 edition")),
        # captures that replay as 200 but are not the page (tests/archives/test_capture_walls.py)
        Record(WALLED, when("2015-03-01T10:00:00"), body=page("the walled report itself")),
        Record(WALLED, when("2015-09-10T10:00:00"), body=SOFT_404_CAPTURE),
        Record(WALLED, when("2015-09-25T10:00:00"), body=WALL_CAPTURE),
        Record(WALL_ONLY, when("2015-09-25T10:00:00"), body=WALL_CAPTURE),
        Record("http://site.test/late", when("2016-05-01T00:00:00"), body=page("late")),
        Record(live_web.url("/article"), when("2015-09-01T12:00:00"), body=page(ORIGINAL_TEXT)),
        Record(live_web.url("/changed"), when("2015-09-01T12:00:00"), body=page(ORIGINAL_TEXT)),
        # gone from the live web (404 there), preserved here: tests/archives/test_appendix_*
        Record(live_web.url("/gone"), when("2015-09-01T12:00:00"), body=page(ORIGINAL_TEXT)),
        Record(live_web.url("/guide"), when("2015-09-01T12:00:00"), body=GUIDE),
        Record(live_web.url("/retitled"), when("2015-09-01T12:00:00"), body=RETITLED_THEN),
        Record(
            live_web.url("/doc.pdf"),
            when("2015-09-01T12:00:00"),
            body=pdf_of(3),
            content_type="application/pdf",
        ),
        *many,
    ]
    beta = [
        Record(report, when("2015-08-15T10:00:00"), body=page("report, summer edition")),
        Record(report, when("2015-10-05T10:00:00"), body=page("report, autumn edition")),
        Record("http://site.test/only-beta", when("2014-01-01T00:00:00"), body=page("beta")),
    ]
    return {"alpha": alpha, "beta": beta, "rec": []}


@pytest.fixture(scope="session")
def pywb(tmp_path_factory, live_web):
    archive = PywbArchive(tmp_path_factory.mktemp("pywb"), _records(live_web), record=True)
    archive.start()
    yield archive
    archive.stop()


@pytest.fixture(scope="session")
def _availability_server(pywb):
    from availability_fake import AvailabilityFake

    fake = AvailabilityFake("127.0.0.3", f"{pywb.base}/alpha/cdx", "http://web.archive.org/web/")
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def availability(_availability_server):
    """The availability fake over pywb's alpha collection, its switches reset."""
    fake = _availability_server
    fake.forget, fake.lie, fake.unanswered, fake.status = set(), {}, set(), 200
    fake.posts.clear()
    return fake
