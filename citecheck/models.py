"""The document model and the facts gathered about it.

Readers build a `Document`; analysis classifies its notes; checkers and archives add
`LinkResult`s. Everything here is a frozen value: a failed link is data, not an exception.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True, order=True)
class Location:
    """Where something is in the source: 1-based line (or paragraph/page, see `unit`)."""

    file: str
    line: int
    unit: str = "line"  # "line" for text formats, "paragraph" for DOCX, "page" for PDF


@dataclass(frozen=True)
class Marker:
    """A call-out of a note in the body (`³⁷`, `[^37]`, `[37]`, a Word footnote reference).

    `paragraph` indexes `Document.paragraphs` and `offset` is the character offset of the
    marker in that paragraph's text; both are None when the reader cannot tell.
    """

    label: str
    location: Location
    paragraph: int | None = None
    offset: int | None = None


@dataclass(frozen=True)
class UrlRef:
    """One occurrence of a URL in the document."""

    url: str
    location: Location


class NoteKind(str, Enum):
    CITATION = "citation"
    EXPLANATORY = "explanatory"
    UNPUBLISHED = "unpublished"
    IBID = "ibid"


@dataclass(frozen=True)
class Note:
    """One footnote/endnote definition as the reader found it (kind set by analysis)."""

    label: str
    text: str
    location: Location
    urls: tuple[str, ...] = ()
    kind: NoteKind | None = None
    ibid_of: str | None = None  # label of the note an "Ibid" resolves to


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph (notes excluded) with the line it starts on."""

    text: str
    location: Location


@dataclass(frozen=True)
class Heading:
    """A numbered section heading or table-of-contents entry ("3.2.1", "Self-generated ...")."""

    number: str
    title: str
    location: Location


@dataclass(frozen=True)
class Document:
    """What a reader extracted from one report."""

    source: str
    format: str
    notes: tuple[Note, ...] = ()
    markers: tuple[Marker, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    headings: tuple[Heading, ...] = ()
    body_urls: tuple[UrlRef, ...] = ()
    published: dt.date | None = None  # publication date detected on the first page


class LinkStatus(str, Enum):
    """The verdict on one URL (DESIGN §5)."""

    ALIVE = "alive"
    REDIRECTED = "redirected"
    DEAD = "dead"
    SOFT_404 = "soft-404"
    PARKED = "parked"
    DENIED = "denied"
    UNREACHABLE = "unreachable"
    TLS_ERROR = "tls-error"
    SKIPPED = "skipped"
    UNCHECKED = "unchecked"


@dataclass(frozen=True)
class Snapshot:
    """An archived copy (memento) of a URL."""

    archive: str
    url: str
    datetime: dt.datetime


@dataclass(frozen=True)
class LinkResult:
    """Everything known about one normalised URL after checking it.

    `rules` holds the link rule names (e.g. "dead-link", "redirected-to-root") that the
    verdict module decided; `detail` a short human reason ("HTTP 404", "refused: private
    address 10.0.0.1"); `suggestion` a better URL where one is known.
    """

    url: str
    status: LinkStatus
    http_status: int | None = None
    final_url: str | None = None
    redirects: tuple[tuple[int, str], ...] = ()
    from_cache: bool = False
    detail: str | None = None
    rules: tuple[str, ...] = ()
    suggestion: str | None = None
    https_works: bool | None = None
    title: str | None = None
    snapshot: Snapshot | None = None
    archive_rules: tuple[str, ...] = ()
    drift: float | None = None  # similarity 0..1 between live page and capture
    extra: dict = field(default_factory=dict, compare=False, hash=False)
