"""Which paragraphs head a reference list or a section of endnotes, in six languages."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class ListKind(StrEnum):
    REFERENCES = "references"  # entries cited by number or author-date
    ENDNOTES = "endnotes"  # notes gathered at the end, called by number


_REFERENCES = {
    # English
    "references", "reference list", "list of references", "bibliography", "select bibliography",
    "works cited", "works consulted", "sources", "sources cited", "literature",
    "literature cited", "cited literature", "references cited", "cited references",
    "notes and references", "references and notes", "bibliography and references",
    # French
    "références", "références bibliographiques", "bibliographie", "ouvrages cités",
    "liste des références", "sources et bibliographie",
    # Spanish
    "referencias", "referencias bibliográficas", "bibliografía", "obras citadas", "fuentes",
    "fuentes citadas", "lista de referencias",
    # German
    "literatur", "literaturverzeichnis", "quellen", "quellenverzeichnis", "literaturangaben",
    "quellen und literatur", "literatur und quellen", "bibliografie",
    # Portuguese
    "referências", "referências bibliográficas", "bibliografia", "fontes",
    # Italian
    "riferimenti", "riferimenti bibliografici", "fonti", "opere citate",
    # Dutch
    "referenties", "literatuurlijst", "literatuurverwijzingen", "bronnen", "bronvermelding",
    "bronnenlijst", "geraadpleegde literatuur",
}  # fmt: skip
_ENDNOTES = {
    "notes", "endnotes", "end notes", "footnotes",  # English
    "notes de fin", "notas", "notas finales", "anmerkungen", "endnoten", "fußnoten",
    "note", "note di chiusura", "noten", "eindnoten", "notes et références",
}  # fmt: skip
# "7.", "7", "A.", "Chapter 7", "Appendix:" before the words; a colon or dots after them.
_NUMBER = re.compile(
    r"^(?:(?:chapter|chapitre|kapitel|capítulo|capitolo|hoofdstuk)\s+)?"
    r"(?:\d{1,2}(?:\.\d{1,2})*|[A-Z]|[IVX]{1,5})?[.):]?\s+",
    re.IGNORECASE,
)
MAX_HEADING = 60  # characters: a longer paragraph is text, whatever words it starts with


def kind(text: str) -> ListKind | None:
    """What list the paragraph `text` heads, if it is such a heading and nothing else."""
    if len(text) > MAX_HEADING:
        return None
    words = _words(text)
    if words in _REFERENCES:
        return ListKind.REFERENCES
    if words in _ENDNOTES:
        return ListKind.ENDNOTES
    return None


def _words(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().strip("#*_ ").strip()
    text = _NUMBER.sub("", text, count=1) if _NUMBER.match(text + " ") else text
    text = text.strip().rstrip(":.").strip().casefold()
    return " ".join(text.split())
