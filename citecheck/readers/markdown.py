"""Markdown reports with pandoc/GitHub footnotes (`text[^12]` ... `[^12]: note`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers._common import TextBuilder, clamp_offsets, dedupe, fold, heading
from citecheck.urls import find_urls

# A definition line; sniff confirms candidates with the parser (code blocks do not count).
_DEF_LINE = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:", re.M)
# A call-out the footnote plugin left as text because its label has no definition.
_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")


def sniff(content: str) -> bool:
    """True when the text has a footnote definition at a line start outside code."""
    if not _DEF_LINE.search(content):
        return False
    return any(t.type == "footnote_reference_open" for t in _parser(inline=False).parse(content))


def read(content: str, source: str) -> Document:
    """The notes, markers, paragraphs, headings and body URLs of a Markdown report."""
    state = _State(source)
    note: _OpenNote | None = None
    pending_heading = False
    for token in _parse(content):
        if token.type == "footnote_reference_open":
            note = _OpenNote(token.meta["label"], token.map[0] + 1)
        elif token.type == "footnote_reference_close" and note:
            state.notes.append(note.close(source))
            note = None
        elif token.type == "heading_open":
            pending_heading = True
        elif token.type == "inline":
            block = state.inline(token, in_note=note is not None)
            if note:
                note.add(block)
            elif pending_heading:
                state.headings.append(heading(block.text, Location(source, block.line)))
            pending_heading = False
    return Document(
        source=source,
        format="markdown",
        notes=tuple(state.notes),
        markers=tuple(state.markers),
        paragraphs=tuple(state.paragraphs),
        headings=tuple(state.headings),
        body_urls=tuple(state.body_urls),
    )


def _parse(content: str):
    return _parser().parse(content)


@lru_cache(maxsize=2)
def _parser(inline: bool = True):
    """The footnote-aware parser; without `inline`, block structure only (half the time)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    class _Parser(MarkdownIt):
        # markdown-it's link normalisation (a URL parse, re-encode and IDNA pass for every
        # link, a third of the parse) gives a plain http(s) URL back unchanged: skip it.
        def normalizeLink(self, url: str) -> str:
            return url if _PLAIN_LINK.fullmatch(url) else super().normalizeLink(url)

        def normalizeLinkText(self, link: str) -> str:
            return link if _PLAIN_LINK.fullmatch(link) else super().normalizeLinkText(link)

    # Without footnote_tail the definitions stay where they are written, with their line
    # ranges, and a repeated label keeps both definitions (the tail would keep one).
    md = _Parser("commonmark").use(footnote_plugin).disable("footnote_tail")
    return md if inline else md.disable("inline")


# ASCII host without punycode labels (the text form would decode them), no "%" (it would
# decode escapes), only characters the link encoder keeps as they are.
_PLAIN_LINK = re.compile(
    r"(?!.*[/.@](?i:xn--))https?://[A-Za-z0-9.-]+(?::[0-9]+)?"
    r"(?:[/?#][A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]*)?"
)


@dataclass
class _Block:
    """The plain text of one inline token and the URLs seen in it."""

    text: str
    line: int
    urls: list[tuple[str, int]]


@dataclass
class _OpenNote:
    label: str
    line: int
    texts: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def add(self, block: _Block) -> None:
        self.texts.append(block.text)
        self.urls.extend(url for url, _ in block.urls)

    def close(self, source: str) -> Note:
        return Note(
            self.label, fold(" ".join(self.texts)), Location(source, self.line), dedupe(self.urls)
        )


@dataclass
class _State:
    source: str
    notes: list[Note] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    body_urls: list[UrlRef] = field(default_factory=list)

    def inline(self, token, in_note: bool) -> _Block:
        """Walk one inline token: collect its text, markers and URLs."""
        first_line = token.map[0] + 1
        line, href, autolink = first_line, None, False
        out = TextBuilder()
        markers_before = len(self.markers)
        index = None if in_note else len(self.paragraphs)
        urls: list[tuple[str, int]] = []
        for child in token.children or []:
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                out.add(" ")
                line += 1
            elif kind == "footnote_ref":
                self._marker(child.meta["label"], line, index, out.offset())
            elif kind == "link_open":
                href = child.attrs.get("href", "")
                if href.startswith(("http://", "https://")):
                    urls.append((href, line))
                # An autolink's text is its URL again, in another spelling when it has
                # non-ASCII or % escapes (markdown-it encodes the href, decodes the text).
                autolink = child.markup == "autolink"
            elif kind == "link_close":
                href, autolink = None, False
            elif kind == "code_inline" or (kind == "text" and autolink):
                out.add(child.content)
            elif kind == "text":
                self._text(child.content, line, index, out, urls, href)
        block = _Block(out.text(), first_line, urls)
        clamp_offsets(self.markers, markers_before, len(block.text))
        if not in_note:
            self.paragraphs.append(Paragraph(block.text, Location(self.source, first_line)))
            self.body_urls.extend(UrlRef(u, Location(self.source, n)) for u, n in urls)
        return block

    def _text(self, text, line, index, out, urls, href) -> None:
        if "[^" not in text:  # most text: no call-out left undefined
            self._plain(text, line, out, urls, href)
            return
        pos = 0
        for m in _UNDEFINED_REF.finditer(text):
            self._plain(text[pos : m.start()], line, out, urls, href)
            self._marker(m.group(1), line, index, out.offset())
            pos = m.end()
        self._plain(text[pos:], line, out, urls, href)

    @staticmethod
    def _plain(text, line, out, urls, href) -> None:
        # A link whose visible text is its own href counts once (the href was taken).
        urls.extend((u, line) for _, u in find_urls(text) if u != href)
        out.add(text)

    def _marker(self, label, line, index, offset) -> None:
        where = Location(self.source, line)
        if index is None:
            self.markers.append(Marker(label, where))
        else:
            self.markers.append(Marker(label, where, index, offset))
