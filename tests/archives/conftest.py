"""Session fixtures: a live loopback web and a real pywb archive with two collections."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pywb_archive import PywbArchive, Record  # noqa: E402
from web import LiveWeb  # noqa: E402

from citecheck.archives import Archive  # noqa: E402

UTC = dt.timezone.utc
ARTICLE = ("<html><head><title>Virtual goods</title><script>var tracking = 1;</script></head>"
           "<body><nav>Home | News | About</nav><main><h1>Virtual goods trading in 2015</h1>"
           "<p>{}</p></main><footer>Copyright</footer></body></html>")
ORIGINAL_TEXT = ("Gold farming and the secondary market for virtual items grew quickly this "
                 "year, with several platforms reporting record volumes of trades between "
                 "players and a growing number of disputes about stolen accounts. Regulators "
                 "in three countries opened consultations on consumer protection.")
CHANGED_TEXT = ("Our newsroom has moved. Subscribe to the weekly newsletter for updates on "
                "sports, weather and celebrity gossip, and read our privacy policy, cookie "
                "settings and terms of service before continuing to the homepage.")


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def page(text: str) -> str:
    return ARTICLE.format(text)


@pytest.fixture(scope="session")
def live_web():
    server = LiveWeb("127.0.0.2", {
        "/article": page(ORIGINAL_TEXT),
        "/changed": page(CHANGED_TEXT),
        "/fresh": page("A page captured during the test run by the pywb recorder."),
    }).start()
    yield server
    server.stop()


def _records(live_web) -> dict[str, list[Record]]:
    report = "http://site.test/report"
    many = [Record("http://site.test/many", when(f"{2010 + i // 12}-{i % 12 + 1:02d}-15T08:00:00"),
                   body=page(f"monthly edition {i}")) for i in range(60)]
    alpha = [
        Record(report, when("2015-03-01T10:00:00"), body=page("report, spring edition")),
        Record(report, when("2015-09-20T10:00:00"), status="404 Not Found", body="gone"),
        Record(report, when("2015-09-28T10:00:00"), status="302 Found",
               headers=(("Location", "http://site.test/"),)),
        Record(report, when("2016-02-01T10:00:00"), body=page("report, 2016 edition")),
        Record("http://site.test/late", when("2016-05-01T00:00:00"), body=page("late")),
        Record(live_web.url("/article"), when("2015-09-01T12:00:00"), body=page(ORIGINAL_TEXT)),
        Record(live_web.url("/changed"), when("2015-09-01T12:00:00"), body=page(ORIGINAL_TEXT)),
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


def timemap_archive(pywb, name: str) -> Archive:
    """A collection asked through its Memento TimeMap."""
    return Archive(name, f"{pywb.base}/{name}/", timemap=f"{pywb.base}/{name}/timemap/link/",
                   per_minute=None)


def cdx_archive(pywb, name: str) -> Archive:
    """A collection asked through its CDX API (pywb dialect)."""
    return Archive(name, f"{pywb.base}/{name}/", cdx=f"{pywb.base}/{name}/cdx",
                   cdx_dialect="pywb", per_minute=None)
