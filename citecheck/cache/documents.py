"""Parsed reports kept in the cache, so a warm run on an unchanged report skips its reader.

Reading is the slow part of a warm run on a big report (a 300-page PDF: about 17 s; 10,000
Markdown footnotes: about 1.7 s); a scheduled CI check reads the same bytes every night.
The key covers everything the result depends on: the file's bytes, the name it is shown
under, the format asked for, and the reader code itself (a hash of the sources of the readers
and the model), so a new citecheck never serves an old parse. Entries are JSON (never
pickle: a CI cache restored from elsewhere must not be able to run code).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from functools import lru_cache
from pathlib import Path

from citecheck.models import Document, Heading, Location, Marker, Note, NoteKind, Paragraph, UrlRef

KIND = "document"
MEMO = "document-memo"  # a reader's notes on a report's last version, one per report name
TTL = 7 * 24 * 3600.0  # seconds; each edit of a report makes a new entry: let old ones go
_FORMAT = 1  # of the encoded value; bump when `encode` changes


def key(data: bytes, source: str, fmt: str | None) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"\0{source}\0{fmt or ''}\0{_code_hash()}\0{_FORMAT}".encode())
    return digest.hexdigest()


def memo_key(source: str, fmt: str | None) -> str:
    """The key of the memo of the report named `source`: one entry per report (each version
    replaces the last), stale with any change to the reader code."""
    text = f"memo\0{source}\0{fmt or ''}\0{_code_hash()}\0{_FORMAT}"
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """A hash of the code that turns bytes into a Document."""
    root = Path(__file__).resolve().parent.parent
    files = [*sorted((root / "readers").glob("*.py")), root / "models.py", root / "urls.py"]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def encode(doc: Document) -> dict:
    """`doc` as JSON-ready data (compact: lists, not objects)."""
    return {
        "format": _FORMAT,
        "source": doc.source,
        "reader": doc.format,
        "published": doc.published.isoformat() if doc.published else None,
        "notes": [
            [
                n.label,
                n.text,
                _loc(n.location),
                list(n.urls),
                n.kind.value if n.kind else None,
                n.ibid_of,
            ]
            for n in doc.notes
        ],
        "markers": [[m.label, _loc(m.location), m.paragraph, m.offset] for m in doc.markers],
        "paragraphs": [[p.text, _loc(p.location)] for p in doc.paragraphs],
        "headings": [[h.number, h.title, _loc(h.location)] for h in doc.headings],
        "body_urls": [[u.url, _loc(u.location)] for u in doc.body_urls],
    }


def decode(value: object) -> Document | None:
    """The Document `encode` wrote, or None if `value` is not one (another format)."""
    if not isinstance(value, dict) or value.get("format") != _FORMAT:
        return None
    at = _Locations()
    intern = sys.intern  # a note's label and its markers' labels: one string
    try:
        return Document(
            source=value["source"],
            format=value["reader"],
            notes=tuple(
                Note(
                    intern(label),
                    text,
                    at(loc),
                    tuple(urls),
                    NoteKind(kind) if kind else None,
                    ibid_of,
                )
                for label, text, loc, urls, kind, ibid_of in value["notes"]
            ),
            markers=tuple(
                Marker(intern(label), at(loc), paragraph, offset)
                for label, loc, paragraph, offset in value["markers"]
            ),
            paragraphs=tuple(Paragraph(text, at(loc)) for text, loc in value["paragraphs"]),
            headings=tuple(
                Heading(number, title, at(loc)) for number, title, loc in value["headings"]
            ),
            body_urls=tuple(UrlRef(url, at(loc)) for url, loc in value["body_urls"]),
            published=dt.date.fromisoformat(value["published"]) if value["published"] else None,
        )
    except (KeyError, TypeError, ValueError):
        return None  # damaged: read the report again


class _Locations(dict):
    """Location from its encoded list, one object per distinct place (markers and
    paragraphs share lines), and one string per file name and unit (JSON gives each
    occurrence a string of its own: 20,000 copies of the report's name at 10,000 notes)."""

    def __call__(self, data: list) -> Location:
        file, line, unit = data
        place = (file, line, unit)
        found = self.get(place)
        if found is None:
            found = self[place] = Location(sys.intern(file), line, sys.intern(unit))
        return found


def _loc(location: Location) -> list:
    return [location.file, location.line, location.unit]
