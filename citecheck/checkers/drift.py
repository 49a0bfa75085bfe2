"""Content drift: the main text of a page, a compact fingerprint of it, and similarity.

Pure functions, no I/O. A fingerprint is a small JSON-safe dict stored with a link result:

    {"v": 1, "words": 812, "digest": "<sha256 of the normalised text>",
     "simhash": "<64-bit simhash of the words, hex>", "sample": [<= SAMPLE_SIZE ints]}

`sample` is a bottom-k sketch of the hashes of overlapping word shingles: the k smallest
hashes of one page and of another estimate the Jaccard similarity of their shingle sets
without storing the text. Hashes are 52-bit so that they survive JSON readers that use
doubles.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Any

VERSION = 1
SHINGLE = 3  # words per shingle
SAMPLE_SIZE = 128  # bottom-k sketch size: bounded storage, Jaccard error about 1/sqrt(k)
_MASK52 = (1 << 52) - 1
_LANE = 32  # bits per counter when the simhash sums 8 bit counters in one integer
_LANE_MASK = (1 << _LANE) - 1
_SPREAD = [sum(1 << (k * _LANE) for k in range(8) if v >> k & 1) for v in range(256)]
_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Elements whose text is not the page's content (code, chrome, navigation, forms).
_NOISE = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "svg",
    "iframe",
    "button",
    "select",
)
_NOISE_ROLES = ("navigation", "banner", "contentinfo", "search", "complementary")
# Block elements end a word: their text must not run into the next block's.
_BLOCKS = (
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dd",
    "dt",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "title",
    "body",
)
# Weight of the shingle Jaccard in the score; the rest is the simhash agreement.
_JACCARD_WEIGHT = 0.75


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def main_text(html: str) -> str:
    """The readable main text of an HTML page, whitespace collapsed.

    Script, style, navigation, header/footer and form elements are dropped; when the page
    has `<main>` or `<article>` elements the largest one is taken, else the body.
    """
    if not html or not html.strip():
        return ""
    html = _NOT_XML.sub(" ", html)  # lxml refuses NUL and other C0 controls
    import lxml.html
    from lxml import etree

    root: Any  # lxml's element API is wider than its stubs say
    try:
        root = lxml.html.document_fromstring(html)
    except ValueError:  # lxml refuses str with an XML encoding declaration: give it bytes
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"))
    except etree.ParserError:
        return ""
    for el in list(root.iter(*_NOISE)):
        _drop(el)
    roles: Any = root.xpath("//*[@role]")
    for el in roles:
        if el.get("role", "").strip().lower() in _NOISE_ROLES:
            _drop(el)
    for el in list(root.iter(etree.Comment)):
        _drop(el)
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    candidates: Any = root.xpath("//main | //article | //*[@role='main']")
    if candidates:
        texts = [el.text_content() for el in candidates]
        return _collapse(max(texts, key=len))
    body = root.find("body")
    return _collapse((body if body is not None else root).text_content())


def _drop(el: Any) -> None:  # an lxml element
    parent = el.getparent()
    if parent is not None:
        el.drop_tree()


def _collapse(text: str) -> str:
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Lower-cased, NFKC-normalised words of `text`."""
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def _digest64(data: str) -> bytes:
    return hashlib.blake2b(data.encode("utf-8"), digest_size=8).digest()


def _hash64(data: str) -> int:
    return int.from_bytes(_digest64(data), "big")


def _simhash(tokens: list[str]) -> int:
    """Bit i is set when the tokens whose hash has bit i set outweigh (by count) the rest."""
    # Per-token work is 8 byte-wise additions, not 64 bit tests (5x faster on a long page):
    # weights[j][v] sums the counts of tokens whose hash has value v in byte j; the bit
    # totals are then read off _SPREAD (one 32-bit lane per bit of a byte).
    weights: list[defaultdict[int, int]] = [
        defaultdict(int) for _ in range(8)
    ]  # byte 0 = bits 56..63 (big-endian)
    for token, count in Counter(tokens).items():
        for by_value, value in zip(weights, _digest64(token), strict=True):
            by_value[value] += count
    out = 0
    for j, by_value in enumerate(weights):
        lanes = sum(count * _SPREAD[value] for value, count in by_value.items())
        for k in range(8):
            if 2 * (lanes >> (k * _LANE) & _LANE_MASK) > len(tokens):
                out |= 1 << (8 * (7 - j) + k)
    return out


def _shingle_hashes(tokens: list[str]) -> set[int]:
    if len(tokens) < SHINGLE:
        return {_hash64(" ".join(tokens)) & _MASK52} if tokens else set()
    shingles = set(map(" ".join, zip(*(tokens[k:] for k in range(SHINGLE)), strict=False)))
    return {int.from_bytes(_digest64(s), "big") & _MASK52 for s in shingles}


def text_fingerprint(text: str) -> dict:
    """The fingerprint of an already extracted text."""
    tokens = words(text)
    normalised = " ".join(tokens)
    return {
        "v": VERSION,
        "words": len(tokens),
        "digest": hashlib.sha256(normalised.encode("utf-8")).hexdigest(),
        "simhash": f"{_simhash(tokens):016x}",
        "sample": sorted(_shingle_hashes(tokens))[:SAMPLE_SIZE],
    }


def page_fingerprint(html: str) -> dict:
    """The fingerprint of an HTML page's main text (what link results store)."""
    return text_fingerprint(main_text(html))


def similarity(a: dict | str, b: dict | str) -> float:
    """Similarity 0..1 of two fingerprints (or plain texts); 1.0 means the same text.

    Equal digests short-cut to 1.0. Otherwise the bottom-k estimate of the shingle Jaccard,
    blended with the simhash agreement rescaled so that unrelated texts score about 0.
    """
    fa = text_fingerprint(a) if isinstance(a, str) else a
    fb = text_fingerprint(b) if isinstance(b, str) else b
    if fa["digest"] == fb["digest"]:
        return 1.0
    if not fa["words"] or not fb["words"]:
        return 0.0
    jaccard = _sketch_jaccard(fa["sample"], fb["sample"])
    distance = bin(int(fa["simhash"], 16) ^ int(fb["simhash"], 16)).count("1")
    agreement = max(0.0, 1.0 - 2.0 * distance / 64)
    score = _JACCARD_WEIGHT * jaccard + (1 - _JACCARD_WEIGHT) * agreement
    return round(min(score, 0.999), 3)  # not identical, so never a perfect 1.0


def _sketch_jaccard(sa: list[int], sb: list[int]) -> float:
    set_a, set_b = set(sa), set(sb)
    union = sorted(set_a | set_b)[:SAMPLE_SIZE]
    if not union:
        return 0.0
    both = sum(1 for h in union if h in set_a and h in set_b)
    return both / len(union)


def drift_score(live: dict, capture: dict) -> float:
    """Similarity of the live page to the archived capture (LinkResult.drift)."""
    return similarity(live, capture)
