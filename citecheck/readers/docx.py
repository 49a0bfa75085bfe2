"""DOCX reader: Word footnotes/endnotes, their references, hyperlinks and headings (lxml)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from io import BytesIO
from typing import Any

from citecheck.errors import InputError
from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers._links import merge_urls
from citecheck.readers.common import parse_date, published_line
from citecheck.urls import find_urls, is_web_target

BINARY = True
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "{" + W + "}"
_FIELD_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_SWITCHES_WITH_ARG = {"\\l", "\\o", "\\t"}
_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_SKIP_TYPES = {"separator", "continuationSeparator", "continuationNotice"}
_X = Any  # an lxml element
_OnRef = Callable[[str, str, "str | None", int], None]
_CORE = "{http://purl.org/dc/terms/}"
MAX_PART = 256 * 1024 * 1024  # one part of the package, unpacked
_COVER = "{http://schemas.microsoft.com/office/2006/coverPageProps}PublishDate"


def sniff(content: bytes) -> bool:
    """A zip archive holding word/document.xml."""
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        return "word/document.xml" in zipfile.ZipFile(BytesIO(content)).namelist()
    except zipfile.BadZipFile:
        return False


def read(content: bytes, source: str) -> Document:
    """Notes, markers, paragraphs, headings and body URLs of a .docx file."""
    parts = _Package(content, source)
    notes_xml = {kind: parts.xml(f"word/{kind}s.xml") for kind in ("footnote", "endnote")}
    bodies = {
        kind: _note_bodies(xml, parts.rels(f"word/{kind}s.xml")) if xml is not None else {}
        for kind, xml in notes_xml.items()
    }
    fmt = _number_formats(parts.xml("word/settings.xml"))
    doc = parts.xml("word/document.xml")
    if doc is None:
        raise InputError("not a Word document (no word/document.xml); save it as .docx", source)
    walker = _BodyWalker(source, parts.rels("word/document.xml"), fmt)
    walker.walk(doc)
    notes = []
    for kind, wid, label, custom, loc in walker.calls:
        text, urls = bodies[kind].get(wid, ("", ()))
        if custom and text.startswith(label):  # Word writes the custom mark in the note too
            text = text[len(label) :].lstrip()
        notes.append(Note(label=label, text=text, location=loc, urls=urls))
    return Document(
        source=source,
        format="docx",
        notes=tuple(notes),
        markers=tuple(walker.markers),
        paragraphs=tuple(walker.paragraphs),
        headings=tuple(walker.headings),
        body_urls=tuple(walker.urls),
        published=_published(parts, walker.paragraphs),
    )


def _published(parts: _Package, paragraphs: list[Paragraph]) -> dt.date | None:
    """The report's date: the cover page's Publish Date, a "Published …"/"Date: …" line near
    the top, else when the file was last saved (docProps/core.xml `dcterms:modified`; its
    `created` may be a template's, years older)."""
    for name in sorted(n for n in parts.names if re.fullmatch(r"customXml/item\d+\.xml", n)):
        tree = parts.xml(name)
        cover = tree.find(f".//{_COVER}") if tree is not None else None
        if cover is not None and parse_date(cover.text or ""):
            return parse_date(cover.text or "")
    stated = published_line("\n".join(p.text for p in paragraphs[:30]))
    if stated is not None:
        return stated
    core = parts.xml("docProps/core.xml")
    saved = core.find(f"{_CORE}modified") if core is not None else None
    return parse_date(saved.text or "") if saved is not None else None


class _Package:
    """The zip parts of a .docx, parsed on demand."""

    def __init__(self, content: bytes, source: str) -> None:
        try:
            self.zip = zipfile.ZipFile(BytesIO(content))
        except zipfile.BadZipFile:
            raise InputError(
                "not a valid .docx (not a zip archive); save it again from Word", source
            ) from None
        self.names = set(self.zip.namelist())
        self.source = source

    def xml(self, name: str) -> _X:
        """The parsed part `name`, None if absent; a damaged or oversized part is an
        InputError naming it (a traceback helps no one who holds a damaged file)."""
        import zlib

        from lxml import etree  # type: ignore[import-untyped]

        if name not in self.names:
            return None
        if self.zip.getinfo(name).file_size > MAX_PART:
            raise InputError(
                f"{name} inflates to over {MAX_PART // 2**20} MiB: not a report's text "
                "(a damaged or hostile file)",
                self.source,
            )
        try:
            data = self.zip.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise InputError(
                f"damaged: {name} cannot be unpacked ({exc}); save the document again from Word",
                self.source,
            ) from None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise InputError(
                f"damaged: {name} is not well-formed XML ({exc.msg}); save the document "
                "again from Word",
                self.source,
            ) from None

    def rels(self, part: str) -> dict[str, str]:
        folder, _, base = part.rpartition("/")
        tree = self.xml(f"{folder}/_rels/{base}.rels")
        if tree is None:
            return {}
        return {
            r.get("Id"): r.get("Target")
            for r in tree
            if r.get("TargetMode") == "External" or r.get("Type", "").endswith("/hyperlink")
        }


def _number_formats(settings: _X) -> dict[str, str]:
    """Printed numbering per note kind (Word's defaults: 1, 2, … and i, ii, …)."""
    fmt = {"footnote": "decimal", "endnote": "lowerRoman"}
    if settings is not None:
        for kind in fmt:
            node = settings.find(f"{_W}{kind}Pr/{_W}numFmt")
            if node is not None:
                fmt[kind] = node.get(f"{_W}val")
    return fmt


def format_number(n: int, fmt: str) -> str:
    """`n` printed in a Word number format."""
    if fmt in ("lowerRoman", "upperRoman"):
        out = _roman(n)
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _note_bodies(tree: _X, rels: dict[str, str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Word note id -> (text, urls) for the real notes of footnotes.xml/endnotes.xml."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for note in tree:
        if note.get(f"{_W}type") in _SKIP_TYPES:
            continue
        paras = [_para_text(p)[0] for p in note.iter(f"{_W}p")]
        text = " ".join(t.strip() for t in paras if t.strip())
        printed = [u for _, u in find_urls(text)]
        out[note.get(f"{_W}id")] = (text, merge_urls(printed, _links(note, rels)))
    return out


def _links(node: _X, rels: dict[str, str]) -> list[str]:
    """Hyperlink targets of `node`: relationship ids, and HYPERLINK field codes, simple
    (`w:fldSimple`) or complex (`w:fldChar` begin … end, the code split over `w:instrText`s)."""
    urls: list[str] = []
    open_codes: list[str] = []
    for el in node.iter(f"{_W}hyperlink", f"{_W}fldSimple", f"{_W}fldChar", f"{_W}instrText"):
        tag = el.tag[len(_W) :]
        if tag == "hyperlink":
            urls.append(rels.get(el.get(f"{{{R}}}id")) or "")
        elif tag == "fldSimple":
            urls.append(_hyperlink_field(el.get(f"{_W}instr") or ""))
        elif tag == "instrText" and open_codes:
            open_codes[-1] += el.text or ""
        elif tag == "fldChar":
            kind = el.get(f"{_W}fldCharType")
            if kind == "begin":
                open_codes.append("")
            elif kind == "end" and open_codes:
                urls.append(_hyperlink_field(open_codes.pop()))
    urls += [_hyperlink_field(code) for code in open_codes]  # field goes on past `node`
    return [u for u in urls if is_web_target(u)]


def _hyperlink_field(code: str) -> str:
    """The address of a `HYPERLINK "url" \\o "tip"` field code ("" for other fields and
    for links to bookmarks, `HYPERLINK \\l "name"`)."""
    tokens = [quoted or bare for quoted, bare in _FIELD_TOKEN.findall(code)]
    if not tokens or tokens[0].upper() != "HYPERLINK":
        return ""
    skip = False
    for token in tokens[1:]:
        if skip:
            skip = False
        elif token.startswith("\\"):
            skip = token.lower() in _SWITCHES_WITH_ARG
        else:
            return token
    return ""


def _para_text(p: _X, on_ref: _OnRef | None = None) -> tuple[str, bool]:
    """The visible text of paragraph `p` (and False); calls on_ref(kind, id, custom mark,
    offset) at each note reference."""
    chunks: list[str] = []
    skip_custom = False
    for el in p.iter(
        f"{_W}t",
        f"{_W}tab",
        f"{_W}br",
        f"{_W}footnoteReference",
        f"{_W}endnoteReference",
        f"{_W}instrText",
    ):
        tag = el.tag[len(_W) :]
        if tag in ("footnoteReference", "endnoteReference"):
            custom = el.get(f"{_W}customMarkFollows") in ("1", "true", "on")
            mark = _custom_mark(el) if custom else None
            if on_ref:
                on_ref(tag[:-9], el.get(f"{_W}id"), mark, len("".join(chunks)))
            skip_custom = custom
        elif tag == "t":
            if skip_custom:  # the custom mark's own text is the label, not body text
                skip_custom = False
                continue
            chunks.append(el.text or "")
        elif tag in ("tab", "br"):
            chunks.append(" ")
    return "".join(chunks), False


def _custom_mark(ref: _X) -> str:
    """The text of the run that prints a custom note mark (`w:customMarkFollows`)."""
    run = ref.getparent()
    texts = [t.text or "" for t in run.iter(f"{_W}t")]
    if not texts:
        nxt = run.getnext()
        texts = [t.text or "" for t in nxt.iter(f"{_W}t")] if nxt is not None else []
    return "".join(texts[:1]).strip() or "*"


class _BodyWalker:
    """Walks document.xml's paragraphs collecting text, markers, headings and links."""

    def __init__(self, source: str, rels: dict[str, str], fmt: dict[str, str]) -> None:
        self.source, self.rels, self.fmt = source, rels, fmt
        self.count = {"footnote": 0, "endnote": 0}
        self.labels: dict[tuple[str, str], str] = {}
        self.calls: list[tuple[str, str, str, bool, Location]] = []
        self.markers: list[Marker] = []
        self.paragraphs: list[Paragraph] = []
        self.headings: list[Heading] = []
        self.urls: list[UrlRef] = []

    def walk(self, doc: _X) -> None:
        body = doc.find(f"{_W}body")
        for number, p in enumerate(body.iter(f"{_W}p"), start=1):
            self._paragraph(p, Location(self.source, number, "paragraph"))

    def _paragraph(self, p: _X, loc: Location) -> None:
        refs: list[tuple[str, str, str | None, int]] = []
        text, _ = _para_text(p, lambda *ref: refs.append(ref))
        index = len(self.paragraphs) if text.strip() or refs else None
        for kind, wid, mark, offset in refs:
            label = self._label(kind, wid, mark, loc)
            self.markers.append(Marker(label, loc, index, offset))
        if index is None:
            return
        self.paragraphs.append(Paragraph(text, loc))
        found = merge_urls([u for _, u in find_urls(text)], _links(p, self.rels))
        for url in found:
            self.urls.append(UrlRef(url, loc))
        self._heading(p, text, loc)

    def _label(self, kind: str, wid: str, mark: str | None, loc: Location) -> str:
        key = (kind, wid)
        if key not in self.labels:
            custom = mark is not None
            if not custom:
                self.count[kind] += 1
                mark = format_number(self.count[kind], self.fmt[kind])
            self.labels[key] = mark or ""
            self.calls.append((kind, wid, mark or "", custom, loc))
        return self.labels[key]

    def _heading(self, p: _X, text: str, loc: Location) -> None:
        style = p.find(f"{_W}pPr/{_W}pStyle")
        name = (style.get(f"{_W}val") if style is not None else "") or ""
        if not name.lower().replace(" ", "").startswith("heading"):
            return
        m = _HEADING.match(text.strip())
        if m:
            self.headings.append(Heading(m.group(1), m.group(2).strip(), loc))
