r"""LaTeX reader: `\footnote{…}`, `\footnotemark`/`\footnotetext`, `\url`, `\href`, sections.

The source is read as TeX reads it (see `_texsource`: comments, verbatim, `\input`); notes
are numbered as LaTeX's footnote counter numbers them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from citecheck.errors import InputError
from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers import _texsource
from citecheck.readers._common import clamp_offsets
from citecheck.readers.common import parse_date
from citecheck.urls import find_urls

# What the scanner acts on in the body; everything between is paragraph text.
_TOKEN = re.compile(
    r"(?P<verb>\\verb\*?(?P<d>[^a-zA-Z\s*]).*?(?P=d))"
    r"|(?P<venv>\\begin\{(?P<env>verbatim\*?|Verbatim\*?|BVerbatim|LVerbatim|lstlisting|minted)\}"
    r".*?\\end\{(?P=env)\})"
    r"|(?P<note>\\(?P<kind>footnote|footnotetext|footnotemark)(?![a-zA-Z@])\*?\s*"
    r"(?:\[\s*(?P<num>[^\]]*?)\s*\])?)"
    r"|(?P<counter>\\(?P<op>setcounter|addtocounter)\s*\{footnote\}\s*\{\s*(?P<val>[-+]?\d+)\s*\})"
    r"|(?P<step>\\(?:ref)?stepcounter\s*\{footnote\})"
    r"|(?P<chapter>\\chapter(?![a-zA-Z@]))"
    r"|(?P<par>\n[ \t]*\n\s*|\\par(?![a-zA-Z@]))"
    r"|(?P<esc>\\[^a-zA-Z@])",
    re.S,
)
_SECTION = re.compile(r"\\(chapter|section|subsection|subsubsection)(\*?)\s*(?:\[[^\]]*\])?\s*\{")
_BOOKISH = re.compile(
    r"\\documentclass\s*(?:\[[^\]]*\])?\s*\{\s*(?:book|report|memoir|scrbook|scrreprt|"
    r"amsbook|[a-z]*thesis|[a-z]*diss)\s*\}"
)
_CONTINUOUS = re.compile(
    r"\\counterwithout\*?\s*\{footnote\}|\\(?:remove|un)?counterfromreset|\\counterwithin"
)
_LEVELS = ("chapter", "section", "subsection", "subsubsection")
_URL = re.compile(r"\\(?:url|nolinkurl)\s*\{([^{}]*)\}")
_HREF = re.compile(r"\\href\s*\{([^{}]*)\}")
_VERBATIM = re.compile(
    r"\\verb\*?([^a-zA-Z\s*])(?P<vtext>.*?)\1"
    r"|\\begin\{(?P<env>verbatim\*?|Verbatim\*?|BVerbatim|LVerbatim|lstlisting|minted)\}"
    r"(?:\[[^\]\n]*\])?(?:\{[^{}\n]*\})?(?P<etext>.*?)\\end\{(?P=env)\}",
    re.S,
)
_CONTROL = re.compile(r"\\(?:[a-zA-Z@]+|.)", re.S)
_URL_ESCAPE = re.compile(r"\\([%#&_~$])")
# commands whose arguments are names, not text the reader sees
_NO_TEXT = re.compile(
    r"\\(?:label|ref|eqref|autoref|cref|Cref|pageref|cite[a-z]*|nocite|input|include|subfile|"
    r"includegraphics|bibliography|bibliographystyle|usepackage|begin|end|vspace|hspace|"
    r"addcontentsline|index|glossary|setlength|addtolength)\*?\s*(?:\[[^\]]*\]\s*)*"
    r"(?:\{[^{}]*\}\s*)+"
)
_DATE = re.compile(r"\\date\s*\{([^{}]*)\}")
_MARKERS = ("\\documentclass", "\\begin{document}", "\\footnote", "\\section")
_HOLD = "\ue000{}\ue001"  # stands for a URL while the text around it is cleaned


def sniff(content: str) -> bool:
    """A LaTeX source: a document class, a document environment or footnote commands."""
    return sum(content.count(m) for m in _MARKERS[:2]) > 0 or content.count("\\footnote{") >= 2


def read(content: str, source: str) -> Document:
    """Notes, markers, paragraphs, headings, URLs and `\\date` of a LaTeX source."""
    tex = _texsource.load(content, source)
    text = tex.text
    begin = text.find("\\begin{document}")
    start = begin + len("\\begin{document}") if begin >= 0 else 0
    end = text.find("\\end{document}", start)
    scanner = _Scanner(tex, source)
    scanner.scan(start, len(text) if end < 0 else end)
    return scanner.document(_date(text))


def _date(text: str) -> dt.date | None:
    r"""The date `\date{…}` gives, when it is one ("\today" and free text are none)."""
    m = _DATE.search(text)
    return parse_date(_plain(m.group(1))[0]) if m else None


@dataclass
class _Para:
    raw: list[str] = field(default_factory=list)
    length: int = 0
    calls: list[tuple[str, int, int]] = field(default_factory=list)  # label, raw offset, source
    start: int | None = None  # source offset of its first text

    def add(self, text: str, at: int) -> None:
        if self.start is None and text.strip():
            self.start = at + len(text) - len(text.lstrip())
        self.raw.append(text)
        self.length += len(text)


@dataclass
class _Scanner:
    tex: _texsource.TexSource
    source: str
    notes: list[Note] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    urls: list[UrlRef] = field(default_factory=list)
    counter: int = 0
    section: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    para: _Para = field(default_factory=_Para)

    def scan(self, pos: int, end: int) -> None:
        text = self.tex.text
        self.chapters = re.search(r"\\chapter\*?\s*[\[{]", text[pos:end]) is not None
        # book-like classes number footnotes afresh in each chapter (unless told otherwise);
        # a part of a book (\chapter, no \documentclass) is read as its class numbers it
        bookish = _BOOKISH.search(text[:pos]) is not None
        part = self.chapters and re.search(r"\\documentclass(?![a-zA-Z@])", text) is None
        self.per_chapter = (bookish or part) and not _CONTINUOUS.search(text)
        while pos < end:
            m = _TOKEN.search(text, pos, end)
            if m is None:
                break
            self.para.add(text[pos : m.start()], pos)
            pos = self._token(m, end)
        self.para.add(text[pos:end], pos)
        self._flush()

    def _token(self, m: re.Match, end: int) -> int:
        if m.group("note") is not None:
            return self._note(m, end)
        if m.group("par") is not None:
            self._flush()
        elif m.group("counter") is not None:
            value = int(m.group("val"))
            self.counter = value if m.group("op") == "setcounter" else self.counter + value
        elif m.group("step") is not None:
            self.counter += 1
        elif m.group("chapter") is not None:
            starred = self.tex.text.startswith("*", m.end())  # \chapter* steps no counter
            self.counter = 0 if self.per_chapter and not starred else self.counter
            self.para.add(m.group(0), m.start())
        else:  # verbatim or an escape: text as it is
            self.para.add(m.group(0), m.start())
        return m.end()

    def _note(self, m: re.Match, end: int) -> int:
        kind, explicit = m.group("kind"), m.group("num")
        if explicit is not None and not explicit.isdecimal():
            explicit = None  # \footnote[\value{x}]: not a number we can read
        if kind != "footnotetext" and explicit is None:
            self.counter += 1
        label = explicit or str(self.counter)
        if kind != "footnotetext":
            self.para.calls.append((label, self.para.length, m.start()))
        if kind == "footnotemark":
            return m.end()
        where = self.tex.location(m.start())
        inner, after = _group(self.tex.text, m.end(), end, where)
        note_text, urls = _plain(inner)
        self.notes.append(Note(label, note_text, where, urls))
        return after

    def _flush(self) -> None:
        para, self.para = self.para, _Para()
        raw = "".join(para.raw)
        if para.start is None and not para.calls:
            return
        where = self.tex.location(para.start if para.start is not None else para.calls[0][2])
        for m in _SECTION.finditer(raw):
            self._heading(raw, m, where)
        plain, found = _plain(raw)
        index = len(self.paragraphs)
        self.paragraphs.append(Paragraph(plain, where))
        self.urls += [UrlRef(u, where) for u in found]
        first = len(self.markers)
        for label, offset, src in para.calls:
            prefix = _plain(raw[:offset], urls=False)[0]
            gap = 1 if prefix and raw[offset - 1 : offset].isspace() else 0
            self.markers.append(Marker(label, self.tex.location(src), index, len(prefix) + gap))
        clamp_offsets(self.markers, first, len(plain))

    def _heading(self, raw: str, m: re.Match, where: Location) -> None:
        try:
            title, _ = _group(raw, m.end() - 1, len(raw), where)
        except InputError:
            return  # a heading cut short: no heading, the notes still count
        if m.group(2):
            return
        level = _LEVELS.index(m.group(1)) - (0 if self.chapters else 1)
        if level < 0:
            return
        self.section[level] += 1
        self.section[level + 1 :] = [0] * (len(self.section) - level - 1)
        number = ".".join(str(n) for n in self.section[: level + 1])
        self.headings.append(Heading(number, _plain(title)[0], where))

    def document(self, published: dt.date | None) -> Document:
        return Document(
            self.source,
            "latex",
            tuple(self.notes),
            tuple(self.markers),
            tuple(self.paragraphs),
            tuple(self.headings),
            tuple(self.urls),
            published,
        )


def _group(text: str, pos: int, end: int, where: Location) -> tuple[str, int]:
    """The balanced `{…}` group starting at or after `pos`: (inside, offset after it)."""
    while pos < end and text[pos].isspace():
        pos += 1
    if pos >= end:
        raise InputError("a \\footnote or \\section without an argument", where.file, where.line)
    if text[pos] != "{":  # TeX takes one token as the argument: "\\footnote x", "\\footnote\\foo"
        token = _CONTROL.match(text, pos)
        stop = token.end() if token else pos + 1
        return text[pos:stop], stop
    depth, i = 0, pos
    while i < end:
        c = text[i]
        if c == "\\":  # an escaped character (\{, \}, \\) is no brace; \verb|{| neither
            verb = _TOKEN.match(text, i) if text.startswith("\\verb", i) else None
            i = verb.end() if verb and verb.group("verb") else i + 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[pos + 1 : i], i + 1
        i += 1
    raise InputError(
        "unbalanced braces: a { is never closed; close it or escape it as \\{",
        where.file,
        where.line,
    )


def _plain(tex: str, urls: bool = True) -> tuple[str, tuple[str, ...]]:
    """Readable text of a LaTeX fragment, and the URLs it links to (`\\url` and `\\href`
    addresses taken as they are written: `~`, `%`, `#`, `_` are part of them)."""
    held: list[str] = []

    def hold(text: str, shown: bool = True) -> str:
        held.append(text)
        return _HOLD.format(len(held) - 1) if shown else ""

    # code is shown as it is, but its addresses are not citations
    out = _VERBATIM.sub(
        lambda m: hold(" ".join((m.group("vtext") or m.group("etext") or "").split())), tex
    )
    linked = len(held)
    out = _URL.sub(lambda m: hold(_address(m)), out)
    out = _HREF.sub(lambda m: hold(_address(m), False), out)
    out = re.sub(r"\\(chapter|section|subsection|subsubsection)\*?\s*(\[[^\]]*\])?", "", out)
    out = _NO_TEXT.sub("", out)
    out = out.replace("\\\\", " ")  # a line break
    out = re.sub(r"\\([%&_#$])", r"\1", out)
    out = re.sub(r"\\[a-zA-Z@]+\*?\s*(\[[^\]]*\])?", "", out)
    out = out.replace("\\{", "\0").replace("\\}", "\1")  # escaped braces are text
    out = re.sub(r"~", " ", out.replace("{", "").replace("}", ""))
    out = out.replace("\0", "{").replace("\1", "}")
    out = re.sub(r"\s+", " ", out).strip()
    if not urls:
        return re.sub("\ue000(\\d+)\ue001", lambda m: held[int(m.group(1))], out), ()
    found = held[linked:]
    found += [u for _, u in find_urls(re.sub("\ue000\\d+\ue001", " ", out))]
    out = re.sub("\ue000(\\d+)\ue001", lambda m: held[int(m.group(1))], out)
    web = [u for u in dict.fromkeys(found) if u.lower().startswith(("http:", "https:"))]
    return out, tuple(web)


def _address(m: re.Match) -> str:
    """The address in a \\url{} or \\href{}: "\\%" and the like stand for the bare character."""
    return _URL_ESCAPE.sub(r"\1", m.group(1).strip())
