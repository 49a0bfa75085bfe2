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


GUIDE = (
    "<html><head><title>Field guide</title></head><body><h1>Field guide</h1>"
    '<h2 id="intro">Introduction</h2><p>How the survey was run.</p>'
    '<h2 id="methods">Methods</h2><p>Interviews and questionnaires.</p>'
    '<a name="results"></a><h2>Results</h2><p>Most respondents agreed.</p></body></html>'
)
_RETITLED = (
    "<html><head><title>{0}</title><meta property='og:title' content='{0}'></head><body>"
    "<main><h1>{0}</h1><p>" + ORIGINAL_TEXT + "</p></main></body></html>"
)
RETITLED_THEN = _RETITLED.format("Annual report on virtual goods markets")
RETITLED_LIVE = _RETITLED.format("Buy cheap virtual data rooms")


def pdf_of(pages: int) -> bytes:
    """A real PDF of `pages` blank pages, written by PDFium."""
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(612, 792)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


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
