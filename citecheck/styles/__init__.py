"""Citation styles: reference lists and the citations that call them, in every input format.

`apply` works on what any reader gives (DESIGN §11): it finds each reference list or endnote
section by its heading among the Document's paragraphs, makes each entry a Note (label = its
number, or its author-date key "Smith and Jones 2015a") with its URLs, and each in-text
citation a Marker, so every note rule applies to them; `citecheck.analysis.references` then
judges the citations. Footnotes stay footnotes: their author-date citations are matched too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citecheck.models import Document


def apply(document: Document) -> Document:
    """`document` with its reference lists and endnote sections read as notes and markers
    (unchanged when it has none)."""
    from citecheck.styles import build, sections

    found = sections.find(document)
    return build.Builder(document, found).document() if found else document
