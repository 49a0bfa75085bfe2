"""Markdown reports with pandoc/GitHub footnotes (`text[^12]` ... `[^12]: note`, inline `^[…]`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers import _mdfast
from citecheck.readers._common import TextBuilder, clamp_offsets, dedupe, fold, heading
from citecheck.readers._links import shortens
from citecheck.readers.common import parse_date, published_line
from citecheck.urls import find_urls, is_web_target

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_Urls = list[tuple[str, int]]

# A definition line; sniff confirms candidates with the parser (code blocks do not count).
_DEF_LINE = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:", re.M)
_YAML_BLOCK = re.compile(r"\A---[ \t]*\n(?P<body>(?:.*\n){0,200}?)(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_YAML_LINE = re.compile(r"^(?:[\w.-]+[ \t]*:|[ \t]|- |#)")
_DATE_KEYS = re.compile(
    r"^(?:date|published|publish_?date|pub_?date|publication_?date|date_?published|"
    r"datePublished|issued)[ \t]*:[ \t]*(?P<value>[^\n#]+)",
    re.IGNORECASE | re.MULTILINE,
)
_TITLE_BLOCK = re.compile(r"\A%[^\n]*\n%[^\n]*\n%(?P<date>[^\n]*)\n")
_HEAD_LINES = 60  # a "Published …" line is looked for at the top only
# A call-out the footnote plugin left as text because its label has no definition.
_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")


def sniff(content: str) -> bool:
    """True when the text has a footnote definition at a line start outside code, or a
    pandoc inline note `^[…]`."""
    if _DEF_LINE.search(content):
        blocks = _blocks(_parser(), content, {})  # block structure only, stopping at the first
        return any(t.type == "footnote_reference_open" for block in blocks for t in block)
    if "^[" in content:
        return any(
            c.type == "footnote_ref" for t in _parser().parse(content) for c in t.children or []
        )
    return False


def read(content: str, source: str) -> Document:
    """The notes, markers, paragraphs, headings and body URLs of a Markdown report."""
    content, published = _front_matter(content)
    env: dict = {}
    md = _parser()
    # Block structure first, for the whole text (a footnote or link may be called before it
    # is defined), kept as small records; each inline token is then parsed, read and dropped,
    # so a 100,000-note report never holds its whole token stream.
    records = [_record(t) for block in _blocks(md, content, env) for t in block if t.type in _KEPT]
    # the plugin's list, filled as inline tokens are parsed
    state = _State(source, inline_notes=env.setdefault("footnotes", {}).setdefault("list", {}))
    read_records(state, md, env, _mdfast.usable(env), records)
    if state.inlined:
        state.label_inline_notes()
    return Document(
        source=source,
        format="markdown",
        notes=_in_call_order(state) if state.inlined else tuple(state.notes),
        markers=tuple(state.markers),
        paragraphs=tuple(state.paragraphs),
        headings=tuple(state.headings),
        body_urls=tuple(state.body_urls),
        published=published or published_line("\n".join(content.splitlines()[:_HEAD_LINES])),
    )


_KEPT = frozenset(("footnote_reference_open", "footnote_reference_close", "heading_open", "inline"))


def read_records(
    state: _State,
    md: MarkdownIt,
    env: dict,
    fast: bool,
    records: Iterable[tuple[str, str, int]],
    seen: Callable[[str], None] | None = None,
) -> _OpenNote | None:
    """Read the (kind, value, line) records of block tokens into `state`: each inline text
    parsed, read and dropped, footnote definitions and headings closed around it; `seen` is
    given each inline text. The note left open at the end, if one is."""
    source = state.source
    note: _OpenNote | None = None
    pending_heading = False
    for kind, value, line in records:
        if kind == "footnote_reference_open":
            note = _OpenNote(value, line)
        elif kind == "footnote_reference_close" and note:
            state.notes.append(note.close(source))
            note = None
        elif kind == "heading_open":
            pending_heading = True
        elif kind == "inline":
            if seen is not None:
                seen(value)
            children = _children(md, env, value, line, fast)
            block = state.inline(children, line, in_note=note is not None)
            if note:
                note.add(block)
            elif pending_heading:
                state.headings.append(heading(block.text, Location(source, block.line)))
            pending_heading = False
    return note


def read_again(content: str, source: str, memo: object) -> tuple[Document, dict | None]:
    """`read(content, source)`, reusing what `memo` (the second value given back for the
    report's last version) says of the blocks that did not change; and the memo of this
    version (None when the report is read whole, as with inline notes `^[…]`, whose
    numbers run across the whole text)."""
    from citecheck.readers import _mdincr

    return _mdincr.read_again(content, source, memo)


def _record(token: Token) -> tuple[str, str, int]:
    """What the reader needs of a block token: its type, label or inline source, line."""
    if token.type == "footnote_reference_open":
        return token.type, token.meta["label"], _line(token)
    return token.type, token.content if token.type == "inline" else "", _line(token)


def _blocks(md: MarkdownIt, content: str, env: dict) -> Iterator[list[Token]]:
    """The block tokens of `content`, one top-level block at a time: markdown-it's block
    tokenizer loop (ParserBlock.tokenize) at the top level, handing each block's tokens
    over as soon as its rule has run instead of keeping them all."""
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import normalize
    from markdown_it.rules_core.state_core import StateCore

    core = StateCore(content, md, env)
    normalize(core)
    if not core.src:
        return
    state = StateBlock(core.src, md, env, [])
    rules = md.block.ruler.getRules("")
    line, end, empty_before = state.line, state.lineMax, False
    while line < end:
        state.line = line = state.skipEmptyLines(line)
        if line >= end:
            break
        if not any(rule(state, line, end, False) for rule in rules):
            raise RuntimeError("none of the block rules matched")
        state.tight = not empty_before
        line = state.line
        if line - 1 < end and state.isEmpty(line - 1):
            empty_before = True
        if line < end and state.isEmpty(line):
            empty_before = True
            line += 1
            state.line = line
        yield state.tokens
        state.tokens = []


def _children(
    md: MarkdownIt, env: dict, content: str, line: int, fast: bool
) -> Sequence[_mdfast.InlineToken]:
    """The inline tokens of `content`: made directly when it is simple text (`fast`: the
    parser state allows it), else parsed."""
    simple = _mdfast.children(content, env, _PLAIN_LINK) if fast else None
    if simple is not None:
        return simple
    return _inline(md, env, content, line).children or []


def _inline(md: MarkdownIt, env: dict, content: str, line: int) -> Token:
    """One inline token parsed by the core rules that follow the block stage (inline
    parsing, text joining), as markdown-it would have left it."""
    from markdown_it.rules_core.state_core import StateCore
    from markdown_it.token import Token

    token = Token("inline", "", 0, map=[line - 1, line], content=content, children=None)
    core = StateCore("", md, env, [token])
    for rule in _after_block(md):
        rule(core)
    return token


@lru_cache(maxsize=2)
def _after_block(md: MarkdownIt) -> tuple[Callable[..., None], ...]:
    names = md.core.ruler.get_active_rules()
    rules = md.core.ruler.getRules("")
    return tuple(rules[names.index("block") + 1 :])


def _line(token: Token) -> int:
    """The 1-based line a block token starts on."""
    return token.map[0] + 1 if token.map else 1


def _in_call_order(state: _State) -> tuple[Note, ...]:
    """The notes in the order they are called, as pandoc numbers them once inline notes
    (numbered where they stand) mix with defined ones; uncalled notes stay last."""
    first: dict[str, int] = {}
    for i, marker in enumerate(state.markers):
        first.setdefault(marker.label, i)
    return tuple(sorted(state.notes, key=lambda n: first.get(n.label, len(first))))


def _front_matter(content: str) -> tuple[str, dt.date | None]:
    """`content` with its YAML front matter (or pandoc title block) blanked, so line numbers
    stay, and the publication date it gives (`date:`, `published:` and the like)."""
    m = _YAML_BLOCK.match(content)
    if m is not None and not all(
        _YAML_LINE.match(line) for line in m.group("body").splitlines() if line.strip()
    ):
        m = None  # a rule, some text and another rule: Markdown, not metadata
    if m is None:
        title = _TITLE_BLOCK.match(content)
        return content, parse_date(title.group("date")) if title else None
    when = None
    for key in _DATE_KEYS.finditer(m.group("body")):
        when = parse_date(key.group("value").strip().strip("\"'"))
        if when is not None:
            break
    blank = "\n" * m.group(0).count("\n")
    return blank + content[m.end() :], when


@lru_cache(maxsize=2)
def _parser(shortcut: bool = True) -> MarkdownIt:
    """The footnote-aware parser (with the block `shortcut` of _mdfast unless told not)."""
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
    parser = _Parser("commonmark").use(footnote_plugin).disable("footnote_tail")
    return _mdfast.install(parser) if shortcut else parser


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
    # the footnote plugin's list: id -> {"label": …} or, for an inline note, {"tokens": …}
    inline_notes: dict = field(default_factory=dict)
    inlined: bool = False  # an inline note was read
    # (marker index, note index, footnote id) of each inline note, labelled at the end
    inlined_at: list[tuple[int, int, int]] = field(default_factory=list)

    def inline(
        self, children: Sequence[_mdfast.InlineToken], first_line: int, in_note: bool
    ) -> _Block:
        """Walk the tokens of one inline block starting on `first_line`: collect its text,
        markers and URLs."""
        line, autolink = first_line, False
        href: str | None = None
        out = TextBuilder()
        markers_before = len(self.markers)
        index = None if in_note else len(self.paragraphs)
        urls: list[tuple[str, int]] = []
        for child in children:
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                out.add(" ")
                line += 1
            elif kind == "footnote_ref" and "label" not in child.meta:
                self._inline_note(child.meta["id"], line, index, out.offset())
            elif kind == "footnote_ref":
                self._marker(child.meta["label"], line, index, out.offset())
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                if is_web_target(href):
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

    def _inline_note(self, note_id: int, line: int, index: int | None, offset: int) -> None:
        """A pandoc inline note `^[…]`: its marker here, its text as a note (labelled once
        the whole text is read, see `label_inline_notes`)."""
        marker_at = len(self.markers)
        self._marker(str(note_id + 1), line, index, offset)
        self.inlined = True
        entry = self.inline_notes.get(note_id, {})
        block = self.inline(entry.get("tokens", []), line, in_note=True)
        where = Location(self.source, line)
        self.notes.append(Note("", block.text, where, dedupe([u for u, _ in block.urls])))
        self.inlined_at.append((marker_at, len(self.notes) - 1, note_id))

    def label_inline_notes(self) -> None:
        """pandoc numbers all notes in the order they are called, so an inline note is the
        note_id+1-th; "^" sets it apart from a defined note called anywhere by that label."""
        named = {v.get("label") for v in self.inline_notes.values()}
        for marker_at, note_at, note_id in self.inlined_at:
            label = str(note_id + 1)
            label = label if label not in named else f"^{label}"
            self.markers[marker_at] = replace(self.markers[marker_at], label=label)
            self.notes[note_at] = replace(self.notes[note_at], label=label)

    def _text(
        self,
        text: str,
        line: int,
        index: int | None,
        out: TextBuilder,
        urls: _Urls,
        href: str | None,
    ) -> None:
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
    def _plain(text: str, line: int, out: TextBuilder, urls: _Urls, href: str | None) -> None:
        # A link whose visible text is its own href (or that href cut short where text search
        # stops, as at `<`) counts once: the href was taken.
        urls.extend(
            (u, line) for _, u in find_urls(text) if u != href and not (href and shortens(u, href))
        )
        out.add(text)

    def _marker(self, label: str, line: int, index: int | None, offset: int) -> None:
        where = Location(self.source, line)
        if index is None:
            self.markers.append(Marker(label, where))
        else:
            self.markers.append(Marker(label, where, index, offset))
