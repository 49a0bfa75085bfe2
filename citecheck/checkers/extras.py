"""Facts about a fetched page kept only for URLs that need them (in `LinkResult.extra`):
its anchors and PDF page count where a note cites a `#fragment`, its titles where a note
cites a title. Judged by `citecheck.rules` (`missing-fragment`, `title-mismatch`)."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from citecheck.checkers.facts import Fetch

ANCHORS, PDF_PAGES, TITLES = "anchors", "pdf_pages", "titles"
_OG_TITLE = re.compile(
    r"""<meta\b(?=[^>]*\bproperty\s*=\s*["']og:title["'])[^>]*\bcontent\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PageWants:
    """Normalised URLs whose anchors (a cited `#fragment`) or titles (a cited title) are
    kept."""

    anchors: frozenset[str] = field(default_factory=frozenset)
    titles: frozenset[str] = field(default_factory=frozenset)

    def wanted(self, url: str) -> tuple[str, ...]:
        """The extra keys a result for `url` must hold."""
        keys = (ANCHORS,) if url in self.anchors else ()
        return keys + ((TITLES,) if url in self.titles else ())

    def satisfied(self, url: str, extra: Mapping[str, Any]) -> bool:
        """A cached result for `url` holds every extra this run needs."""
        return all(k in extra for k in self.wanted(url))


def page_extras(url: str, fact: Fetch, wants: PageWants) -> dict[str, Any]:
    """The extras of `url`'s answer that `wants` asks for (a None value: could not tell)."""
    from citecheck.checkers.fetch import BODY_CAP

    out: dict[str, Any] = {}
    if fact.error is not None or fact.status is None or not 200 <= fact.status < 300:
        return out
    page = fact.page
    html = page.html if page is not None else None
    if url in wants.anchors:
        from citecheck.checkers.anchors import page_anchors

        whole = html is not None and page is not None and page.length < BODY_CAP
        out[ANCHORS] = page_anchors(html, fact.final_url or url) if whole and html else None
        out[PDF_PAGES] = fact.pdf_pages
    if url in wants.titles and page is not None:
        found = [page.title, og_title(html) if html else None, page.heading]
        out[TITLES] = [t for t in dict.fromkeys(found) if t]
    return out


_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def titles_of(html: str) -> list[str]:
    """The `<title>`, `og:title` and first `<h1>` of a page (a capture's), each once."""
    found = [_text(_TITLE.search(html)), og_title(html), _text(_H1.search(html))]
    return [t for t in dict.fromkeys(found) if t]


def _text(m: re.Match[str] | None) -> str | None:
    if m is None:
        return None
    return " ".join(html_lib.unescape(_TAGS.sub(" ", m.group(1))).split())[:300] or None


def og_title(html: str) -> str | None:
    """The page's Open Graph title (`<meta property="og:title" content="...">`)."""
    m = _OG_TITLE.search(html, 0, 65536)
    if m is None:
        return None
    text = " ".join(html_lib.unescape(next(g for g in m.groups() if g is not None)).split())
    return text[:300] or None
