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
    """Title, first <h1> and not-found/parking cues of an HTML body (and the decoded text,
    for a fingerprint computed later where one is needed: `drift.page_fingerprint`)."""
    encoding = charset or _sniff_charset(body) or "utf-8"
    title = _first(_TITLE, body, encoding)
    heading = _first(_H1, body, encoding)
    cues = " ".join(filter(None, (title, heading)))
    html = body.decode(encoding, "replace")
    return Page(
        title=title,
        heading=heading,
        not_found_cue=bool(_NOT_FOUND.search(cues)),
        parking_cue=bool(
            _PARKING.search(cues) or (len(body) <= _PARKING_MAX_BODY and _parking_text(html))
        ),
        length=len(body),
        html=html,
    )


def _parking_text(html: str) -> bool:
    lower = html.lower()
    return any(word in lower for word in _PARKING_WORDS) and bool(_PARKING.search(html))


def _first(pattern: re.Pattern, body: bytes, encoding: str) -> str | None:
    m = pattern.search(body)
    if not m:
        return None
    import html

    text = _TAGS.sub(" ", m.group(1).decode(encoding, "replace"))
    text = " ".join(html.unescape(text).split())
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
