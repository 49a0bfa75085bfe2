"""HTML reports: pandoc footnotes, Google Docs exports, Wikipedia-style reference lists."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from typing import Any

from citecheck.errors import InputError
from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers._common import TextBuilder, clamp_offsets, dedupe, fold, heading
from citecheck.readers._links import shortens
from citecheck.readers.common import parse_date, published_line
from citecheck.urls import find_urls, is_web_target

_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_TAG = re.compile(r"<(?:html|body)[\s>]", re.I)
_NOTE_LISTS = "section.footnotes li[id], div.footnotes li[id], ol.references > li[id]"
_BLOCKS = (
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "blockquote",
    "pre",
)
# Digits raised in <sup> stay raised in the text ("²,³"), as a PDF or Word shows them: a
# reference list called by superscripts can then be read (citecheck.styles).
_RAISED = re.compile(r"\d{1,3}(?:\s*[,\-–]\s*\d{1,3})*")
_TO_SUPERSCRIPT = str.maketrans("0123456789-–", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")
_INLINE_NOTES = ("d-footnote", "dt-fn")
# what a call-out prints: 1, [12], (3), a, *, †, iv
_LABEL_TEXT = re.compile(r"[\[(]?(?:\d{1,4}|[a-zA-Z]{1,3}|[*†‡§¶#]{1,3})[\])]?")
_NOTE_PARAS = 20
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BACKLINK_TEXT = {"^", "↩", "↩︎", "↑"}
# a custom element's name has a hyphen (<dt-fn> is not a <dt>)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*(?:-[a-zA-Z0-9._-]*)?)(?=[\s/>])[^>]*>")
_IMPLIED_HINT = re.compile(r"<(?:p|li|dt|dd)\b", re.I)
# start tags that end an open <p> (HTML's rule, the common ones)
_CLOSES_P = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
        "dt",
        "dd",
    ]
)
MAX_DEPTH = 1000  # real pages nest tens of elements deep, generated ones a few hundred
_El = Any  # a bs4 Tag (its attribute values are str or lists of str)
# <meta name|property=…> that state when the page was published, most telling first
_DATE_META = (
    "article:published_time",
    "citation_publication_date",
    "citation_date",
    "dcterms.issued",
    "dc.date.issued",
    "dcterms.date",
    "dc.date",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "parsely-pub-date",
)
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{4,40})"')


def sniff(content: str) -> bool:
    """True when the text starts like an HTML document or has <html>/<body> tags."""
    head = content[:4096]
    return bool(_START.match(head)) or (head.lstrip().startswith("<") and bool(_TAG.search(head)))


def read(content: str, source: str) -> Document:
    """The notes, markers, paragraphs, headings and body URLs of an HTML report."""
    from bs4 import BeautifulSoup

    with warnings.catch_warnings():  # bs4 warns when a short text looks like a URL or path
        warnings.simplefilter("ignore")
        # html.parser gives tag.sourceline, but nests what a browser closes: <p>a<p>b
        soup = BeautifulSoup(_close_implied(content), "html.parser")
    _check_depth(soup, source)
    stated = _meta_date(soup) or _ld_date(soup)
    for tag in soup.find_all(["script", "style", "noscript", "template"]):
        tag.decompose()
    index = _fragments(soup)
    anchors = _marker_anchors(soup, index)
    notes = _note_elements(soup, anchors, index)
    note_ids = {id(el) for el in notes}
    reader = _Body(source, anchors, notes)
    for block in _body_blocks(soup, note_ids):
        reader.block(block)
    return Document(
        source=source,
        format="html",
        notes=tuple(_note(el, label, source) for el, label in notes.items()),
        markers=tuple(reader.markers),
        paragraphs=tuple(reader.paragraphs),
        headings=tuple(reader.headings),
        body_urls=tuple(reader.body_urls),
        published=stated
        or _time_date(soup)
        or published_line("\n".join(p.text for p in reader.paragraphs[:30])),
    )


def _close_implied(content: str) -> str:
    """`content` with the end tags HTML lets authors leave out written in, as a browser reads
    them: an open <p> ends where a block starts, an open <li>, <dt> or <dd> where the next one
    of its list starts or the list ends. Nothing else moves, so lines stay where they were."""
    if not _IMPLIED_HINT.search(content):
        return content
    out: list[str] = []
    pos = 0
    open_p = False
    items: list[list[str]] = [[]]  # per open list: the item tags not yet closed
    for m in _TAG_RE.finditer(content):
        closing, name = m.group(1) == "/", m.group(2).lower()
        close = ""
        if name == "p" and closing:
            open_p = False
        elif open_p and not closing and name in _CLOSES_P:
            close, open_p = "</p>", False
        if name in ("ul", "ol", "dl") and closing:
            close += "".join(f"</{t}>" for t in reversed(items[-1])) if len(items) > 1 else ""
            close = ("</p>" if open_p else "") + close
            open_p = False
            if len(items) > 1:
                items.pop()
        elif name in ("li", "dt", "dd") and not closing:
            close += "".join(f"</{t}>" for t in reversed(items[-1]))
            items[-1] = [name]
        elif name in ("li", "dt", "dd") and closing and name in items[-1]:
            items[-1].remove(name)
        elif name in ("ul", "ol", "dl") and not closing:
            items.append([])
        if name == "p" and not closing:
            open_p = True
        out.append(content[pos : m.start()] + close + m.group(0))
        pos = m.end()
    out.append(content[pos:])
    return "".join(out)


def _check_depth(soup: _El, source: str) -> None:
    """InputError when elements nest deeper than any real page does (thousands of unclosed
    tags): reading such a tree takes time that grows with the square of its depth."""
    from bs4 import Tag

    depth: dict[int, int] = {id(soup): 0}
    for tag in soup.descendants:
        if isinstance(tag, Tag):
            level = depth[id(tag.parent)] + 1
            if level > MAX_DEPTH:
                raise InputError(
                    f"elements nest over {MAX_DEPTH} deep (line {tag.sourceline or 1}): not a "
                    "report page as a browser shows it; is it damaged, or are tags left open?",
                    source,
                )
            depth[id(tag)] = level


def _meta_date(soup: _El) -> dt.date | None:
    """The date a publication <meta> gives (`article:published_time`, `dcterms.date`…)."""
    found: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key = str(meta.get("name") or meta.get("property") or meta.get("itemprop") or "")
        found.setdefault(key.strip().lower(), str(meta.get("content") or ""))
    for key in _DATE_META:
        when = parse_date(found.get(key, ""))
        if when is not None:
            return when
    return None


def _ld_date(soup: _El) -> dt.date | None:
    """`datePublished` of the page's JSON-LD (schema.org) description."""
    for script in soup.find_all("script", type="application/ld+json"):
        m = _LD_DATE.search(script.get_text())
        if m and parse_date(m.group(1)):
            return parse_date(m.group(1))
    return None


def _time_date(soup: _El) -> dt.date | None:
    """The <time> that says when the page was published: marked so (`pubdate`,
    `itemprop=datePublished`), or the first in the page's or article's <header>. Other <time>
    elements (events, deadlines, dates of cited works) say nothing about the report."""
    marked = soup.find("time", attrs={"itemprop": "datePublished"}) or soup.find(
        "time", attrs={"pubdate": True}
    )
    if marked is None:
        header = soup.find("header")
        marked = header.find("time") if header is not None else None
    if marked is None:
        return None
    return parse_date(str(marked.get("datetime") or "")) or parse_date(marked.get_text())


def _fragments(soup: _El) -> dict[str, _El]:
    """What an in-page link (`#x`) can point at: the element with that id, else the
    `<a name>` anchor of that name (Word and LibreOffice write names, not ids)."""
    index = {str(a["name"]): a for a in soup.find_all("a", attrs={"name": True})}
    index.update((str(el["id"]), el) for el in soup.find_all(id=True))
    return index


def _marker_anchors(soup: _El, index: dict[str, _El]) -> dict[int, _El]:
    """Call-out links: `a.footnote-ref`, an in-page link in or around a <sup>, or the first of
    two links that point at each other (or at the block holding the other) when its text is
    a note label. Of such a pair (tex4ht, Google Docs, Word, LibreOffice, Texinfo and
    Wikipedia write them), the later one is the note's link back."""
    found, backs = {}, set()
    for a in soup.find_all("a", href=True):
        if not a["href"].startswith("#") or len(a["href"]) < 2:
            continue
        classes = a.get("class") or []
        if "footnote-ref" in classes or a.find_parent("sup") or a.find("sup"):
            found[id(a)] = a
        back = _link_back(index, a)
        if back is not None:
            first, later = (a, back) if _after(back, a) else (back, a)
            target = index[first["href"][1:]]
            in_heading = target.name in _HEADINGS or target.find_parent(_HEADINGS) is not None
            if _LABEL_TEXT.fullmatch(first.get_text(strip=True)) and not in_heading:
                found[id(first)] = first  # (a numbered contents entry and its heading: not)
                backs.add(id(later))
    return {k: a for k, a in found.items() if k not in backs}


def _link_back(index: dict[str, _El], a: _El) -> _El | None:
    """The link that points back at `a` from where `a` points (that element, or one of the
    first links in the block it is: a note's link back comes first)."""
    target = index.get(a["href"][1:])
    if target is None:
        return None
    links = [target] if target.name == "a" else target.find_all("a", href=True, limit=3)
    return next((b for b in links if b is not a and _points_at(index, b, a)), None)


def _points_at(index: dict[str, _El], link: _El, el: _El) -> bool:
    """Whether `link` points at `el` or at a block holding it."""
    href = str(link.get("href", ""))
    target = index.get(href[1:]) if href.startswith("#") else None
    return target is not None and (target is el or any(p is target for p in el.parents))


def _after(a: _El, b: _El) -> bool:
    """Whether tag `a` starts after tag `b` in the source."""
    return (a.sourceline or 0, a.sourcepos or 0) > (b.sourceline or 0, b.sourcepos or 0)


def _note_elements(soup: _El, anchors: dict[int, _El], index: dict[str, _El]) -> dict[_El, str]:
    """Every note element (in document order) mapped to the label the reader sees."""
    elements = list(soup.select(_NOTE_LISTS))
    for a in anchors.values():
        target = index.get(a["href"][1:])
        if target is not None and target.name == "a":
            target = _note_block(target)
        if target is not None and _inside_note_area(target):
            elements.append(target)
    for a in soup.find_all("a", id=re.compile(r"^ftnt\d+$")):  # Google Docs, even unreferenced
        elements.append(_note_block(a))
    inline = _inline_notes(soup)
    unique = {id(el): el for el in elements + list(inline)}
    ordered = [el for el in soup.find_all(True) if id(el) in unique]
    return {el: inline.get(el) or _note_label(el) for el in ordered}


def _note_block(anchor: _El) -> _El:
    """The note a note's own anchor starts: its paragraph, or the <div> of that paragraph when
    the div holds this note alone (a note of several paragraphs, as Word, LibreOffice and
    Google Docs write them: `<div id="sdfootnote1"><p><a name="sdfootnote1sym">1</a>…`)."""
    block = anchor.find_parent(["p", "div", "li"]) or anchor
    div = block.parent if block.name == "p" else None
    if div is None or div.name != "div":
        return block
    paras = div.find_all(["p", "li"], recursive=False)
    others = [x for x in div.find_all("a", attrs={"name": True}) if x is not anchor]
    others += [x for x in div.find_all("a", id=True) if x is not anchor]
    if paras and paras[0] is block and len(paras) <= _NOTE_PARAS and not others:
        return div
    return block


def _inline_notes(soup: _El) -> dict[_El, str]:
    """Notes written where they are called (Distill's <d-footnote>, its first template's
    <dt-fn>): the page numbers them in order, the element is both note and call-out."""
    return {el: str(n) for n, el in enumerate(soup.find_all(_INLINE_NOTES), 1)}


def _inside_note_area(el: _El) -> bool:
    # A marker's target is a note unless it is just a heading or body block with an id.
    return el.name in ("li", "p", "div") and el.find_parent(["p"]) is None


def _note_label(el: _El) -> str:
    if el.name == "li" and el.parent is not None and el.parent.name == "ol":
        items = el.parent.find_all("li", recursive=False)
        return str(int(el.parent.get("start", 1) or 1) + items.index(el))
    first = el.find("a")
    if first is not None and first.get_text(strip=True):
        return first.get_text(strip=True).strip("[]")
    return el.get("id", "")


def _is_backlink(a: _El) -> bool:
    """A note's link back to its call-out (`↩`, `^`, `#fnref1`, `#ftnt_ref1`, `#cite_ref-..`)."""
    classes = a.get("class") or []
    href = a.get("href", "")
    return href.startswith("#") and (
        a.get_text(strip=True) in _BACKLINK_TEXT
        or "footnote-back" in classes
        or a.get("role") == "doc-backlink"
        or "ref" in href.lower()
    )


def _note(el: _El, label: str, source: str) -> Note:
    """The note's plain text (back-links dropped) and every URL in it."""
    import copy

    el = copy.copy(el)
    for span in el.select("span.mw-cite-backlink"):
        span.decompose()
    back = [a for a in el.find_all("a", href=True) if _own_number(a, label) or _is_backlink(a)]
    for a in back:
        if not a.decomposed:  # (a link nested in one dropped already went with it)
            a.decompose()
    linked = [a["href"] for a in el.find_all("a", href=True) if _is_web(a["href"])]
    for block in el.find_all(["p", "div", "br", "li"]):
        block.insert_after(" ")  # keep words of adjacent blocks apart
    text = fold(el.get_text(""))
    # A printed URL that is a link's address cut short (text search stops at `<`) is that link.
    printed = [u for _, u in find_urls(text) if not any(shortens(u, t) for t in linked)]
    return Note(label, text, Location(source, el.sourceline or 1), dedupe(linked + printed))


def _own_number(a: _El, label: str) -> bool:
    """The note's own number linking back to its call-out (LibreOffice, Word: `1`, `[1]`)."""
    return str(a["href"]).startswith("#") and a.get_text(strip=True).strip("[]()") == label


def _is_web(href: str) -> bool:
    return is_web_target(href)


def _body_blocks(soup: _El, note_ids: set[int]) -> Iterator[_El]:
    """Text blocks outside notes, in document order; each one is read without the blocks
    inside it (an <li> holding text, a call-out and a <pre> gives two paragraphs)."""
    for el in soup.find_all(_BLOCKS):
        if not any(id(p) in note_ids for p in [el, *el.parents]):
            yield el


class _Body:
    """Builds paragraphs, markers, headings and body URLs from body blocks."""

    def __init__(self, source: str, anchors: dict[int, _El], notes: dict[_El, str]) -> None:
        self.source, self.anchors = source, anchors
        self.inline = {el: label for el, label in notes.items() if el.name in _INLINE_NOTES}
        self.labels = {el.get("id"): label for el, label in notes.items() if el.get("id")}
        for el, label in notes.items():  # Google Docs, Word: the marker targets an anchor in it
            for a in el.find_all("a"):
                for key in (a.get("id"), a.get("name")):
                    if key:
                        self.labels.setdefault(str(key), label)
        self.markers: list[Marker] = []
        self.paragraphs: list[Paragraph] = []
        self.headings: list[Heading] = []
        self.body_urls: list[UrlRef] = []

    def block(self, el: _El) -> None:
        out, index, line = TextBuilder(), len(self.paragraphs), el.sourceline or 1
        markers_before = len(self.markers)
        self._walk(el, out, index, [line])
        text = out.text()
        if not text and len(self.markers) == markers_before:
            return  # (a block holding only a marker is kept: the marker points at it)
        clamp_offsets(self.markers, markers_before, len(text))
        self.paragraphs.append(Paragraph(text, Location(self.source, line)))
        if el.name in _HEADINGS:
            self.headings.append(heading(text, Location(self.source, line)))

    def _walk(self, el: _El, out: TextBuilder, index: int, line: list[int]) -> None:
        from bs4 import NavigableString, Tag

        for child in el.children:
            if isinstance(child, Tag):
                line[0] = child.sourceline or line[0]
                if id(child) in self.anchors or self._sup_marker(child):
                    self._marker(child, out, index, line[0])
                    continue
                if child.name in _INLINE_NOTES and child in self.inline:
                    where = Location(self.source, line[0])
                    self.markers.append(Marker(self.inline[child], where, index, out.offset()))
                    continue
                if child.name in _BLOCKS:
                    continue  # a block of its own (_body_blocks)
                href = str(child.get("href", "")) if child.name == "a" else ""
                if _is_web(href):
                    self.body_urls.append(UrlRef(href, Location(self.source, line[0])))
                self._walk(child, out, index, line)
            elif isinstance(child, NavigableString) and type(child) is NavigableString:
                self._text(str(child), child.parent, out, line)

    def _sup_marker(self, tag: _El) -> bool:
        return tag.name == "sup" and any(id(a) in self.anchors for a in tag.find_all("a"))

    def _marker(self, tag: _El, out: TextBuilder, index: int, line: int) -> None:
        a = tag if tag.name == "a" else next(a for a in tag.find_all("a") if id(a) in self.anchors)
        label = self.labels.get(a["href"][1:]) or a.get_text(strip=True).strip("[]")
        self.markers.append(Marker(label, Location(self.source, line), index, out.offset()))

    def _text(self, text: str, parent: _El, out: TextBuilder, line: list[int]) -> None:
        href = parent.get("href") if parent is not None and parent.name == "a" else None
        for pos, url in find_urls(text):
            if url != href:  # a link whose text is its href counts once
                where = Location(self.source, line[0] + text.count("\n", 0, pos))
                self.body_urls.append(UrlRef(url, where))
        line[0] += text.count("\n")
        if parent is not None and parent.name == "sup" and _RAISED.fullmatch(text.strip()):
            text = text.translate(_TO_SUPERSCRIPT)  # "land.<sup>2,3</sup>": a raised call-out
        out.add(text)
