r"""LaTeX reader: `\footnote{…}`, `\footnotemark`/`\footnotetext`, `\url`, `\href`, sections."""

from __future__ import annotations

import re

from citecheck.errors import InputError
from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.urls import find_urls

# A comment starts at a % after an even number of backslashes ("\\%" is a line break and a
# comment, "\%" a percent sign). In a \url{} or an \href{}'s address % is a literal character.
_COMMENT = re.compile(r"(\\(?:url|href)\s*\{[^{}\n]*\})|(?<!\\)((?:\\\\)*)%.*")
_URL_ESCAPE = re.compile(r"\\([%#&_~$])")
_NOTE_CMD = re.compile(r"\\(footnote|footnotetext|footnotemark)\b\s*(?:\[(\d+)\])?")
_SECTION = re.compile(r"\\(section|subsection|subsubsection)(\*?)\s*\{")
_URL = re.compile(r"\\url\s*\{([^{}]*)\}")
_HREF = re.compile(r"\\href\s*\{([^{}]*)\}")
_MARKERS = ("\\documentclass", "\\begin{document}", "\\footnote", "\\section")


def sniff(content: str) -> bool:
    """A LaTeX source: a document class, a document environment or footnote commands."""
    return sum(content.count(m) for m in _MARKERS[:2]) > 0 or content.count("\\footnote{") >= 2


def read(content: str, source: str) -> Document:
    """Notes, markers, paragraphs, headings and URLs of a LaTeX source."""
    text = _COMMENT.sub(_blank_comment, content)
    begin = text.find("\\begin{document}")
    start = begin + len("\\begin{document}") if begin >= 0 else 0
    return _Scanner(text, source).scan(start)


def _blank_comment(m: re.Match) -> str:
    """A comment replaced by spaces (offsets, hence line numbers, stay valid)."""
    if m.group(1):
        return m.group(1)
    return m.group(2) + " " * (len(m.group(0)) - len(m.group(2)))


class _Scanner:
    def __init__(self, text: str, source: str):
        self.text, self.source = text, source
        self.body: list[tuple[int, str]] = []  # (source offset, body chunk)
        self.notes: list[Note] = []
        self.calls: list[tuple[str, int]] = []  # (label, source offset)
        self.headings: list[Heading] = []
        self.counter = 0
        self.section = [0, 0, 0]

    def _loc(self, offset: int) -> Location:
        return Location(self.source, self.text.count("\n", 0, offset) + 1, "line")

    def scan(self, pos: int) -> Document:
        end = self.text.find("\\end{document}", pos)
        end = len(self.text) if end < 0 else end
        while pos < end:
            m = _NOTE_CMD.search(self.text, pos, end)
            if not m:
                break
            self.body.append((pos, self.text[pos : m.start()]))
            pos = self._note(m)
        self.body.append((pos, self.text[pos:end]))
        return self._document()

    def _note(self, m: re.Match) -> int:
        kind, explicit = m.group(1), m.group(2)
        if kind != "footnotetext":
            self.counter = int(explicit) if explicit else self.counter + 1
            self.calls.append((str(self.counter), m.start()))
        label = explicit or str(self.counter)
        if kind == "footnotemark":
            return m.end()
        inner, after = _group(self.text, m.end(), self.source, self._loc(m.start()).line)
        text, urls = _plain(inner)
        self.notes.append(Note(label, text, self._loc(m.start()), urls))
        return after

    def _document(self) -> Document:
        body = "".join(chunk for _, chunk in self.body)
        starts = [_body_offset(self.body, off) for _, off in self.calls]
        paragraphs, markers, urls = [], [], []
        for para_start, chunk in _split_paragraphs(body):
            loc = self._loc(_source_offset(self.body, para_start))
            for m in _SECTION.finditer(chunk):
                self._heading(chunk, m, loc)
            plain, found = _plain(chunk)
            index = len(paragraphs)
            paragraphs.append(Paragraph(plain, loc))
            urls += [UrlRef(u, loc) for u in found]
            for (label, src), b in zip(self.calls, starts, strict=False):
                if para_start <= b <= para_start + len(chunk):
                    prefix, _ = _plain(chunk[: b - para_start])
                    markers.append(Marker(label, self._loc(src), index, len(prefix)))
        return Document(
            self.source,
            "latex",
            tuple(self.notes),
            tuple(markers),
            tuple(paragraphs),
            tuple(self.headings),
            tuple(urls),
        )

    def _heading(self, chunk: str, m: re.Match, loc: Location) -> None:
        if m.group(2):
            return
        title, _ = _group(chunk, m.end() - 1, self.source, loc.line)
        level = ("section", "subsection", "subsubsection").index(m.group(1))
        self.section[level] += 1
        self.section[level + 1 :] = [0] * (2 - level)
        number = ".".join(str(n) for n in self.section[: level + 1])
        self.headings.append(Heading(number, _plain(title)[0], loc))


def _group(text: str, pos: int, source: str, line: int) -> tuple[str, int]:
    """The balanced `{…}` group starting at or after `pos`: (inside, offset after it)."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text) or text[pos] != "{":
        raise InputError("a \\footnote or \\section without a {…} argument", source, line)
    depth, i = 0, pos
    while i < len(text):
        c = text[i]
        if c == "\\":  # an escaped character (\{, \}, \\) is no brace
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[pos + 1 : i], i + 1
        i += 1
    raise InputError("unbalanced braces: a { is never closed", source, line)


def _plain(tex: str) -> tuple[str, tuple[str, ...]]:
    """Readable text of a LaTeX fragment, and the URLs it links to."""
    urls = [_address(m) for m in _URL.finditer(tex)] + [_address(m) for m in _HREF.finditer(tex)]
    out = _URL.sub(_address, tex)
    out = _HREF.sub("", out)
    out = re.sub(r"\\(section|subsection|subsubsection)\*?\s*", "", out)
    out = out.replace("\\\\", " ")  # a line break
    out = re.sub(r"\\([%&_#$])", r"\1", out)
    out = re.sub(r"\\[a-zA-Z]+\*?\s*(\[[^\]]*\])?", "", out)
    out = out.replace("\\{", "\0").replace("\\}", "\1")  # escaped braces are text
    out = re.sub(r"~", " ", out.replace("{", "").replace("}", ""))
    out = out.replace("\0", "{").replace("\1", "}")
    out = re.sub(r"\s+", " ", out).strip()
    urls += [u for _, u in find_urls(out) if u not in urls]
    return out, tuple(u for u in dict.fromkeys(urls) if u.lower().startswith(("http:", "https:")))


def _address(m: re.Match) -> str:
    """The address in a \\url{} or \\href{}: "\\%" and the like stand for the bare character."""
    return _URL_ESCAPE.sub(r"\1", m.group(1).strip())


def _split_paragraphs(body: str):
    pos = 0
    for m in re.finditer(r"\n\s*\n", body + "\n\n"):
        chunk = body[pos : m.start()]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            yield pos + lead, chunk[lead:]
        pos = m.end()


def _body_offset(pieces: list[tuple[int, str]], src: int) -> int:
    """Offset in the joined body of the note command at source offset `src`."""
    total = 0
    for start, chunk in pieces:
        if src <= start + len(chunk):
            return total + max(0, src - start)
        total += len(chunk)
    return total


def _source_offset(pieces: list[tuple[int, str]], body: int) -> int:
    total = 0
    for start, chunk in pieces:
        if body < total + len(chunk):
            return start + body - total
        total += len(chunk)
    return pieces[-1][0] if pieces else 0
