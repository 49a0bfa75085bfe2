"""Input formats. Adding one is one module (with `read`, optionally `sniff`) and one line here.

A reader module defines `read(content, source) -> Document`, where `content` is `str` for text
formats and `bytes` for binary ones (`BINARY = True`), and may define `sniff(content) -> bool`
to claim a file by content when its suffix is ambiguous (binary readers get the bytes).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from citecheck.controls import has_controls, strip_escapes
from citecheck.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable

    from citecheck.cache.store import Cache
    from citecheck.models import Document

# name: (module, suffixes). Content sniffing tries the readers in this order.
READERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "markdown": ("citecheck.readers.markdown", (".md", ".markdown", ".mdown", ".rmd", ".qmd")),
    "html": ("citecheck.readers.html", (".html", ".htm", ".xhtml")),
    "docx": ("citecheck.readers.docx", (".docx",)),
    "pdf": ("citecheck.readers.pdf", (".pdf",)),
    "latex": ("citecheck.readers.latex", (".tex", ".latex")),
    "pdftext": ("citecheck.readers.pdftext", ()),
    "text": ("citecheck.readers.text", (".txt", ".text")),
}
FALLBACK = "text"


@runtime_checkable
class Reader(Protocol):
    """What a reader module provides: `read(content, source) -> Document`, where `content` is
    the decoded text, or the bytes when the module sets `BINARY = True`. Optional: `BINARY`,
    and `sniff(content) -> bool` to claim a file by its content."""

    def read(self, content: Any, source: str, /) -> Document: ...


def reader(name: str) -> Reader:
    """The reader module registered as `name` (imported now: readers load their parsers)."""
    module = importlib.import_module(READERS[name][0])
    if not isinstance(module, Reader):
        raise TypeError(f"{module.__name__} has no read(content, source) -> Document")
    return module


def suffixes() -> tuple[str, ...]:
    """The main suffix of each reader that has one, the fallback's first (for messages)."""
    names = [FALLBACK, *(n for n in READERS if n != FALLBACK)]
    return tuple(READERS[n][1][0].lstrip(".") for n in names if READERS[n][1])


STDIN = "-"  # the path that means standard input
STDIN_NAME = "<stdin>"
MAX_BYTES = 512 * 1024 * 1024  # larger is not a report: say so rather than run out of memory
MAX_TEXT = 32 * 1024 * 1024  # text formats: reading time and memory grow with the text


def is_stream(path: Path) -> bool:
    """Whether `path` is standard input, a pipe or a device (`/dev/stdin`): something that can
    be read once only, so it is read whole, once."""
    if str(path) == STDIN:
        return True
    try:
        return path.exists() and not path.is_file() and not path.is_dir()
    except OSError:
        return False


def read_stream(path: Path) -> tuple[bytes, str]:
    """(all the bytes, the name to show) of standard input or a pipe."""
    import sys

    name = STDIN_NAME if str(path) == STDIN else str(path)
    try:
        if str(path) == STDIN:
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", name) from None
    _check_size(len(data), name)
    if not data.strip():
        raise InputError("nothing on standard input; pipe a report into `citecheck … -`", name)
    return data, name


def _check_size(size: int, source: str) -> None:
    if size > MAX_BYTES:
        raise InputError(
            f"over {MAX_BYTES // 2**20} MiB: too large to be a report; check that this is the "
            "report you meant",
            source,
        )


def load_document(
    path: Path, source: str | None = None, fmt: str | None = None, cache: Cache | None = None
) -> Document:
    """Read the report at `path` with the reader its suffix or content calls for (or take
    the Document from `cache` when these very bytes were read before). `-` is standard
    input, read whole, its format told by its content."""
    if is_stream(path):
        data, shown = read_stream(path)
        return load_bytes(data, source or shown, fmt, cache, Path(""))
    source = source or str(path)
    return load_bytes(_read_bytes(path, source), source, fmt, cache, path)


def load_bytes(
    data: bytes,
    source: str,
    fmt: str | None = None,
    cache: Cache | None = None,
    path: Path | None = None,
) -> Document:
    """The Document in `data` (named `source`); `path`'s suffix says the format, else the
    content does."""
    from citecheck.cache import documents as doccache

    key = doccache.key(data, source, fmt) if cache is not None else None
    if cache is not None and key is not None:
        value = cache.get(doccache.KIND, key)
        cached = doccache.decode(value) if value is not None else None
        if cached is not None:
            return with_reference_lists(cached)
    if len(data) > MAX_TEXT and not _binary_format(data):
        raise InputError(
            f"{len(data) // 2**20} MiB of text: over the {MAX_TEXT // 2**20} MiB a report's "
            "text runs to (a 1,000-page report is about 3 MiB); is this the report?",
            source,
        )
    name = fmt or _choose(path or Path(source), data)
    module = reader(name)
    if getattr(module, "BINARY", False):
        document = without_controls(module.read(data, source))
    else:
        # before the reader: a URL hidden in an OSC 8 escape is not a citation (a reader's
        # `prepare` first reads the controls that carry text, such as PDFium's hyphen)
        text = decode(data, source)
        prepare = getattr(module, "prepare", None)
        content = strip_escapes(prepare(text) if prepare else text)
        again = getattr(module, "read_again", None)
        if again is not None and cache is not None:
            document = _read_again(again, content, source, fmt, cache)
        else:
            document = module.read(content, source)
    if cache is not None and key is not None:
        cache.put(doccache.KIND, key, doccache.encode(document), doccache.TTL)
    return with_reference_lists(document)


def _read_again(
    again: Callable[[str, str, object], tuple[Document, dict | None]],
    content: str,
    source: str,
    fmt: str | None,
    cache: Cache,
) -> Document:
    """The Document of a reader that can read a new version of a report from its memo of
    the last (`read_again(content, source, memo) -> (Document, memo)`), the memo kept in
    `cache` under the report's name."""
    from citecheck.cache import documents as doccache

    key = doccache.memo_key(source, fmt)
    document, memo = again(content, source, cache.get(doccache.MEMO, key))
    if memo is not None:
        cache.put(doccache.MEMO, key, memo, doccache.TTL)
    return document


def with_reference_lists(document: Document) -> Document:
    """`document` with its reference lists read as notes and its citations as markers
    (citecheck.styles, shared by every format; applied after the cache, so the cached parse
    is the reader's own)."""
    from citecheck import styles

    return styles.apply(document)


def without_controls(document: Document) -> Document:
    """`document` with terminal control characters removed from note texts (and URLs
    holding them dropped): DOCX and PDF text can carry them too."""
    if not any(has_controls(n.text) or any(map(has_controls, n.urls)) for n in document.notes):
        return document
    from dataclasses import replace

    notes = tuple(
        replace(
            n,
            text=strip_escapes(n.text),
            urls=tuple(u for u in n.urls if not has_controls(u)),
        )
        for n in document.notes
    )
    return replace(document, notes=notes)


def _binary_format(data: bytes) -> bool:
    """Whether a binary reader (PDF, DOCX) claims `data`."""
    for name in READERS:
        module = reader(name)
        sniff = getattr(module, "sniff", None)
        if getattr(module, "BINARY", False) and sniff is not None and sniff(data):
            return True
    return False


def _read_bytes(path: Path, source: str) -> bytes:
    if not path.exists():
        raise InputError("no such file; give the path of a report or references.yaml", source)
    if path.is_dir():
        raise InputError("is a directory; give the path of a report file", source)
    try:
        _check_size(path.stat().st_size, source)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source) from None
    except MemoryError:
        raise InputError("too large to read into memory", source) from None
    if not data.strip():
        raise InputError("the file is empty; nothing to check", source)
    return data


def _choose(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    by_suffix = [n for n, (_, sfx) in READERS.items() if suffix in sfx]
    binary = [n for n in READERS if getattr(reader(n), "BINARY", False)]
    # A PDF or Word file is known by its bytes whatever its name ("report", "report.txt")
    for name in sorted(binary, key=lambda n: n not in by_suffix):
        sniff = getattr(reader(name), "sniff", None)
        if sniff and sniff(data):
            return name
    if by_suffix and by_suffix[0] in binary:
        return by_suffix[0]  # not what the suffix says: its reader says what is wrong
    if _looks_binary(data):
        raise InputError(
            "looks like a binary file of a format citecheck does not read "
            f"(readers: {', '.join(READERS)})",
            str(path),
        )
    if by_suffix and by_suffix[0] != FALLBACK:
        return by_suffix[0]  # .md, .html, .tex say what they hold (sniffing costs a parse)
    text = decode(data, str(path))
    # A .txt may hold Markdown, HTML or pdftotext output: let content decide among the
    # readers that can sniff.
    for name in [n for n in READERS if n not in binary]:
        sniff = getattr(reader(name), "sniff", None)
        if sniff and sniff(text):
            return name
    return by_suffix[0] if by_suffix else FALLBACK


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode(data: bytes, source: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), else the detected encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("cannot tell the text encoding; save the file as UTF-8", source)
    # On short text several 8-bit encodings tie; of them cp1252 keeps the superscript
    # digits ¹²³ that mark footnotes (cp1250 and ISO 8859-16 read them as letters).
    tied = [m for m in matches if m.encoding == "cp1252" and m.chaos <= best.chaos]
    return str(tied[0] if tied else best)
