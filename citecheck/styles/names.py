"""Surnames and years as citations and reference entries write them, compared loosely."""

from __future__ import annotations

import re
import unicodedata

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
# Particles written before a surname ("van der Berg", "de la Cruz", "al-Farabi").
PARTICLES = frozenset(
    """
    van von der den de del della degli di da du la le dos das do ten ter zu al el st st.
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# One capitalised word of a name: letters, inner hyphens and apostrophes ("O'Brien",
# "Lévi-Strauss", "McDonald", "OECD").
NAME_WORD = rf"(?:[{UPPER}][^\W\d_]*(?:['’-][{UPPER}]?[^\W\d_]+)*)"
PARTICLE = r"(?:(?:van|von|der|den|de|del|della|di|da|du|la|le|dos|das|ten|ter|zu)\s+)"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
# A work's date in a citation or an entry: 2015, 2015a, 2015/16, n.d., forthcoming, in press.
DATE = (
    rf"(?:{YEAR}(?:[/–-](?:\d\d){{1,2}})?[a-z]?(?![\w/–-])|n\.\s?d\.?|s\.\s?f\.|o\.\s?J\.|"
    r"forthcoming|in press|à paraître|im Druck|en prensa)"
)
_DATE_RE = re.compile(DATE, re.IGNORECASE)


def fold(word: str) -> str:
    """A name word compared without case and accents ("Müller" = "muller")."""
    plain = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return plain.casefold().replace("’", "'")


def significant(words: list[str]) -> list[str]:
    """The words of a name that identify it: particles and "et al." left out."""
    split = [fold(part) for w in words for part in w.split()]
    return [w for w in split if w not in PARTICLES and w not in ("et", "al")]


def date_key(raw: str) -> str:
    """A date as compared: "2015a", "2015", "n.d.", "forthcoming" (all unpublished forms)."""
    text = raw.strip().casefold()
    if re.match(r"\d", text):
        year = text[:4]
        suffix = text[-1] if text[-1].isalpha() else ""
        return year + suffix
    if text.replace(" ", "").rstrip(".") in ("n.d", "s.f", "o.j"):
        return "n.d."
    return "forthcoming"


def year_of(key: str) -> str:
    """The date without its suffix letter ("2015a" → "2015")."""
    return key[:4] if key[:1].isdigit() else key


def suffix_of(key: str) -> str:
    return key[4:] if key[:1].isdigit() else ""


def find_date(text: str) -> re.Match[str] | None:
    return _DATE_RE.search(text)
