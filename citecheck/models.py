"""The document model and the facts gathered about it.

Readers build a `Document`; analysis classifies its notes; checkers and archives add
`LinkResult`s. Everything here is a frozen value: a failed link is data, not an exception.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """Where something is in the source: 1-based line (or paragraph/page, see `unit`)."""

    file: str
    line: int
    unit: str = "line"  # "line" for text formats, "paragraph" for DOCX, "page" for PDF


class CiteStyle(StrEnum):
    """How a reference-list entry is cited (citecheck.styles): by its number or author-date."""

    NUMBERED = "numbered"
    AUTHOR_DATE = "author-date"


@dataclass(frozen=True, slots=True)
class Marker:
    """A call-out of a note in the body (`³⁷`, `[^37]`, `[37]`, a Word footnote reference).

    `paragraph` indexes `Document.paragraphs` and `offset` is the character offset of the
    marker in that paragraph's text; both are None when the reader cannot tell.
    """

    label: str
    location: Location
    paragraph: int | None = None
    offset: int | None = None
    style: CiteStyle | None = None  # set for an in-text citation of a reference-list entry
    cited: str = ""  # that citation as written, normalised ("Smith et al. 2015a", "12")


@dataclass(frozen=True, slots=True)
class UrlRef:
    """One occurrence of a URL in the document."""

    url: str
    location: Location


class NoteKind(StrEnum):
    CITATION = "citation"
    EXPLANATORY = "explanatory"
    UNPUBLISHED = "unpublished"
    IBID = "ibid"


class Scheme(StrEnum):
    """Identifier families citecheck finds in notes (citecheck.identifiers)."""

    DOI = "doi"
    ISBN = "isbn"
    ISSN = "issn"
    ARXIV = "arxiv"
    PMID = "pmid"
    PMCID = "pmcid"
    HANDLE = "handle"


@dataclass(frozen=True, slots=True)
class Identifier:
    """One identifier as a note cites it. `value` is the normal form (DOIs lower-cased,
    ISBNs and ISSNs without hyphens); `problem` says why it is invalid (None: valid)."""

    scheme: Scheme
    value: str
    raw: str
    problem: str | None = None

    @property
    def valid(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


@dataclass(frozen=True, slots=True)
class Note:
    """One footnote/endnote definition as the reader found it (kind set by analysis)."""

    label: str
    text: str
    location: Location
    urls: tuple[str, ...] = ()
    kind: NoteKind | None = None
    ibid_of: str | None = None  # label of the note an "Ibid" resolves to
    identifiers: tuple[Identifier, ...] = ()  # DOIs, ISBNs... in its text (set by analysis)
    style: CiteStyle | None = None  # set for a reference-list entry (None: a foot/endnote)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph (notes excluded) with the line it starts on."""

    text: str
    location: Location


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered section heading or table-of-contents entry ("3.2.1", "Self-generated ...")."""

    number: str
    title: str
    location: Location


@dataclass(frozen=True, slots=True)
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


class LinkStatus(StrEnum):
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


class Rule(StrEnum):
    """Every finding's public name (DESIGN §3); `citecheck.findings.RULES` describes each.

    A StrEnum: members equal their names as strings, and `Rule("typo")` raises."""

    MARKER_WITHOUT_NOTE = "marker-without-note"
    DUPLICATE_NOTE = "duplicate-note"
    NOTE_WITHOUT_MARKER = "note-without-marker"
    OUT_OF_SEQUENCE = "out-of-sequence"
    UNRESOLVED_IBID = "unresolved-ibid"
    BROKEN_CROSS_REFERENCE = "broken-cross-reference"
    NO_LOCATOR = "no-locator"
    UNPUBLISHED_SOURCE = "unpublished-source"
    HOMEPAGE_ONLY = "homepage-only"
    UNVERIFIED_BY_REPORT = "unverified-by-report"
    MALFORMED_URL = "malformed-url"
    INSECURE_LINK = "insecure-link"
    DEAD_LINK = "dead-link"
    SOFT_404 = "soft-404"
    PARKED_DOMAIN = "parked-domain"
    REDIRECTED_TO_ROOT = "redirected-to-root"
    MOVED_PERMANENTLY = "moved-permanently"
    ACCESS_DENIED = "access-denied"
    UNREACHABLE = "unreachable"
    TLS_ERROR = "tls-error"
    NO_ARCHIVED_COPY = "no-archived-copy"
    ARCHIVED_ONLY_AFTER = "archived-only-after"
    CONTENT_DRIFT = "content-drift"
    ARCHIVE_UNAVAILABLE = "archive-unavailable"
    NETWORK_UNAVAILABLE = "network-unavailable"
    IDENTIFIER_INVALID = "identifier-invalid"
    DOI_UNRESOLVABLE = "doi-unresolvable"
    CITATION_MISMATCH = "citation-mismatch"
    RETRACTED_SOURCE = "retracted-source"
    EXPRESSION_OF_CONCERN = "expression-of-concern"
    ARCHIVED_COPY_MISSING = "archived-copy-missing"
    MISSING_FRAGMENT = "missing-fragment"
    TITLE_MISMATCH = "title-mismatch"
    CITATION_WITHOUT_REFERENCE = "citation-without-reference"
    REFERENCE_NEVER_CITED = "reference-never-cited"
    AMBIGUOUS_CITATION = "ambiguous-citation"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An archived copy (memento) of a URL."""

    archive: str
    url: str
    datetime: dt.datetime


@dataclass(frozen=True, slots=True)
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
    rules: tuple[Rule, ...] = ()
    suggestion: str | None = None
    https_works: bool | None = None
    title: str | None = None
    snapshot: Snapshot | None = None
    archive_rules: tuple[Rule, ...] = ()
    drift: float | None = None  # similarity 0..1 between live page and capture
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        # Rule names given as strings (cache entries, other modules) become Rules here, so a
        # misspelt name fails where it is made instead of dropping a finding later. (Most
        # results have none: a warm run makes 10,000 of them.)
        if self.rules:
            object.__setattr__(self, "rules", tuple(Rule(r) for r in self.rules))
        if self.archive_rules:
            object.__setattr__(self, "archive_rules", tuple(Rule(r) for r in self.archive_rules))
