"""Reading only what the verdict needs from an HTML page: title, first heading, cues, text."""

from __future__ import annotations

import re

from citecheck.checkers.facts import Page

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)
_H1 = re.compile(rb"<h1[^>]*>(.*?)</h1", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_NOT_FOUND = re.compile(
    r"\b(^404$|404 (?:error|page|not found)|error 404|page not found|not found"
    r"|page (?:does not|doesn't|could not be|cannot be) "
    r"(?:exist|found)|no longer (?:exists|available)|page you (?:requested|are looking for)"
    r"[^.]{0,40}(?:not|n't)|nothing (?:was )?found|file not found)\b",
    re.I,
)
_PARKING = re.compile(
    r"(this domain (?:name )?(?:is|may be) for sale|buy this domain|domain (?:is )?for sale"
    r"|this domain has been registered|parked free|domain parking|\bparkingcrew\b"
    r"|\bsedoparking\b|\bbodis\.com\b|\bafternic\b|\bhugedomains\b|\bdan\.com/"
    r"|this domain has expired|this web page is parked|parked domain)",
    re.I,
)
# Parking pages are small: a marker deep inside a big page is a link or an ad, not parking.
_PARKING_MAX_BODY = 40_000
# Every _PARKING alternative contains one of these: a page without any is not searched
# with the regex (which tries all its alternatives at every position: ~10 ms for 40 KB).
_PARKING_WORDS = (
    "domain",
    "parked",
    "parkingcrew",
    "sedoparking",
    "bodis.com",
    "afternic",
    "dan.com/",
)


def read_page(body: bytes, charset: str | None) -> Page:
    """Title, first <h1>, not-found/parking/bot-wall cues and meta refresh of an HTML body
    (and the decoded text, for a fingerprint computed later where one is needed:
    `drift.page_fingerprint`)."""
    from citecheck.checkers.walls import page_wall

    encoding = charset or _sniff_charset(body) or "utf-8"
    title = _first(_TITLE, body, encoding)
    heading = _first(_H1, body, encoding)
    cues = " ".join(filter(None, (title, heading)))
    # NUL and other C0 controls are not XML characters: lxml refuses text holding them
    html = _NOT_XML.sub(" ", body.decode(encoding, "replace"))
    return Page(
        title=title,
        heading=heading,
        not_found_cue=bool(_NOT_FOUND.search(cues)),
        parking_cue=bool(
            _PARKING.search(cues) or (len(body) <= _PARKING_MAX_BODY and _parking_text(html))
        ),
        length=len(body),
        html=html,
        wall=page_wall(html),
        refresh=meta_refresh(html),
    )


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_META_REFRESH = re.compile(r"<meta\b[^>]*?http-equiv\s*=\s*[\"']?refresh\b[^>]*>", re.I)
_REFRESH_CONTENT = re.compile(r"content\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_REFRESH_VALUE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*(?:[;,]\s*(?:url\s*=\s*)?(.*))?", re.I | re.S)
REFRESH_MAX_DELAY = 10.0  # seconds; a slower refresh reloads the page, it does not move it


def meta_refresh(html: str) -> str | None:
    """The target of a `<meta http-equiv="refresh" content="N; url=...">` that sends the
    reader on within REFRESH_MAX_DELAY seconds (as written: relative or absolute), or None."""
    tag = _META_REFRESH.search(html, 0, 65536)
    if tag is None:
        return None
    content = _REFRESH_CONTENT.search(tag.group(0))
    if content is None:
        return None
    value = _REFRESH_VALUE.fullmatch(next(g for g in content.groups() if g is not None))
    if value is None or float(value.group(1)) > REFRESH_MAX_DELAY or not value.group(2):
        return None
    import html as html_lib

    target = html_lib.unescape(value.group(2)).strip().strip("'\"").strip()
    return target or None


def _parking_text(html: str) -> bool:
    lower = html.lower()
    return any(word in lower for word in _PARKING_WORDS) and bool(_PARKING.search(html))


def _first(pattern: re.Pattern, body: bytes, encoding: str) -> str | None:
    m = pattern.search(body)
    if not m:
        return None
    import html

    from citecheck.controls import strip_escapes

    text = _TAGS.sub(" ", m.group(1).decode(encoding, "replace"))
    text = " ".join(strip_escapes(html.unescape(text)).split())
    return text[:300] or None


def _sniff_charset(body: bytes) -> str | None:
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", body[:4096], re.I)
    if not m:
        return None
    name = m.group(1).decode("ascii")
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
