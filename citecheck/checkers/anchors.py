"""`#fragments`: which cited fragments can be checked, the anchors a page offers, the page
count of a PDF (facts; `citecheck.rules` decides `missing-fragment`).

A page's anchors are its `id`s and `<a name>`s, the targets of its own `href="#..."` links
(a page that links to an anchor handles it, if only by script), and on GitHub the
`user-content-` ids of rendered Markdown and its heading slugs.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import unquote, urlsplit

_ID = re.compile(r"""\s(?:id|name)\s*=\s*\\?["']?([^"'\s>\\]+)""", re.IGNORECASE)
_SELF_LINK = re.compile(r"""href\s*=\s*\\?["']#([^"'\s>\\]+)""", re.IGNORECASE)
_GITHUB_TOC = re.compile(r'"anchor"\s*:\s*"([^"]+)"')
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_PAGE = re.compile(r"(?:^|&)page=(\d+)(?:&|$)", re.IGNORECASE)
_PDF_PARAMS = frozenset(
    [
        "page",
        "zoom",
        "view",
        "viewrect",
        "nameddest",
        "pagemode",
        "search",
        "comment",
        "toolbar",
        "navpanes",
        "scrollbar",
        "statusbar",
        "messages",
        "highlight",
        "fdf",
    ]
)
GITHUB_HOSTS = ("github.com", "gist.github.com")
USER_CONTENT = "user-content-"
PDF_CAP = 64 * 1024 * 1024  # bytes of a PDF read to count its pages


def fragment(url: str) -> str | None:
    """The cited fragment of `url` when it names an anchor or a PDF page; None for none and
    for those that name no anchor: text fragments (`#:~:text=`), single-page-app routes
    (`#/...`, `#!...`), application state (`#q=x&y`)."""
    raw = url.partition("#")[2].split(":~:", 1)[0]
    if not raw or raw == "top":
        return None
    if pdf_page(raw) is not None:
        return raw
    if raw[0] in "/!" or any(c in raw for c in "=&?/"):
        return None
    return raw


def pdf_page(frag: str) -> int | None:
    """N of a PDF open parameter `page=N` (RFC 8118 §3) in a fragment of PDF open parameters
    only, else None."""
    keys = {part.partition("=")[0].lower() for part in frag.split("&")}
    m = _PAGE.search(frag)
    return int(m.group(1)) if m and keys <= _PDF_PARAMS else None


def page_anchors(html: str, url: str) -> list[str] | None:
    """Every anchor the page offers (sorted), or None when it offers none at all: a page
    built by script, whose anchors cannot be read from its HTML."""
    found = {html_lib.unescape(v) for v in _ID.findall(html)}
    found |= {html_lib.unescape(v) for v in _SELF_LINK.findall(html)}
    if (urlsplit(url).hostname or "").lower() in GITHUB_HOSTS:
        found |= set(_GITHUB_TOC.findall(html))
        found |= {github_slug(h) for h in _HEADING.findall(html)}
    found.discard("")
    return sorted(found) if found else None


def github_slug(heading_html: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to
    hyphens (github/cmark-gfm's and github-slugger's rule)."""
    text = html_lib.unescape(_TAGS.sub("", heading_html)).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def has_anchor(frag: str, anchors: list[str]) -> bool:
    """True when the page offers the fragment: as written or percent-decoded, with GitHub's
    `user-content-` prefix, or differing only in case (pages that scroll by script match
    loosely)."""
    wanted = {frag, unquote(frag)}
    have = set(anchors)
    if wanted & have or {USER_CONTENT + w for w in wanted} & have:
        return True
    lower = {a.lower() for a in anchors}
    return any(w.lower() in lower or (USER_CONTENT + w).lower() in lower for w in wanted)


def pdf_pages(body: bytes) -> int | None:
    """The number of pages of a PDF, or None when it cannot be read."""
    try:
        import pypdfium2
    except ImportError:
        return None
    try:
        document = pypdfium2.PdfDocument(body)
    except Exception:  # noqa: BLE001 - a PDF the library cannot open: page count unknown
        return None
    try:
        return len(document)
    finally:
        document.close()
