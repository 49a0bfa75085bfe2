"""Shared data and helpers of the archive tests (fixtures are in conftest.py)."""

from __future__ import annotations

import datetime as dt

from pywb_archive import free_port

from citecheck.archives import Archive

UTC = dt.UTC
ARTICLE = (
    "<html><head><title>Virtual goods</title><script>var tracking = 1;</script></head>"
    "<body><nav>Home | News | About</nav><main><h1>Virtual goods trading in 2015</h1>"
    "<p>{}</p></main><footer>Copyright</footer></body></html>"
)
ORIGINAL_TEXT = (
    "Gold farming and the secondary market for virtual items grew quickly this "
    "year, with several platforms reporting record volumes of trades between "
    "players and a growing number of disputes about stolen accounts. Regulators "
    "in three countries opened consultations on consumer protection."
)
CHANGED_TEXT = (
    "Our newsroom has moved. Subscribe to the weekly newsletter for updates on "
    "sports, weather and celebrity gossip, and read our privacy policy, cookie "
    "settings and terms of service before continuing to the homepage."
)


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def page(text: str) -> str:
    return ARTICLE.format(text)


def timemap_archive(pywb, name: str) -> Archive:
    """A collection asked through its Memento TimeMap."""
    return Archive(
        name, f"{pywb.base}/{name}/", timemap=f"{pywb.base}/{name}/timemap/link/", per_minute=None
    )


def cdx_archive(pywb, name: str) -> Archive:
    """A collection asked through its CDX API (pywb dialect)."""
    return Archive(
        name,
        f"{pywb.base}/{name}/",
        cdx=f"{pywb.base}/{name}/cdx",
        cdx_dialect="pywb",
        per_minute=None,
    )


def dead_port_archive() -> Archive:
    """An archive whose server is not running (connection refused on a free loopback port)."""
    base = f"http://127.0.0.1:{free_port()}"
    return Archive("dead", f"{base}/web/", timemap=f"{base}/web/timemap/link/", per_minute=None)
