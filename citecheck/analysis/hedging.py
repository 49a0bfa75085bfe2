"""Sources the report itself calls unverified: a hedging sentence is attributed to the marker
in the same sentence, else to the nearest marker before it in the same paragraph.

A hedge is found by a small grammar rather than a list of phrases: a negation, then up to three
auxiliaries, modals and adverbs ("could not be independently verified", "has not yet been
fully confirmed", "n'a pas pu être vérifié", "konnte nicht unabhängig bestätigt werden"), then
a verb of verification; "unable to verify"; the un- adjectives ("unverified", "unconfirmed");
the distancing adverbs ("allegedly", "reportedly"); speculation; and a source that could not be
found ("we could not locate the source"). What is verified is no hedge: "verified", "confirmed
by", "independently verified by X", "not only confirmed", "was not confirmed until 2019".
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from typing import Any

from citecheck.analysis import Fact
from citecheck.analysis.memo import Memo, sentence_key
from citecheck.models import Document, Marker, Rule

# A sentence ends at . ! ? followed by space and a capital, quote or bracket; not after
# common abbreviations ("P.17", "e.g. The", "Dr. Who"). The mark comes first and the
# abbreviations are looked behind it: looked for before it, they were tried at every
# character of the text (twelve times slower).
_END = "[.!?]"
_SENTENCE_END = re.compile(
    rf"{_END}(?<!\b[A-Z]{_END})(?<!\be\.g{_END})(?<!\bi\.e{_END})(?<!\bDr{_END})"
    rf"(?<!\bMr{_END})(?<!\bMs{_END})(?<!\bvs{_END})(?<!\bNo{_END})(?<!\bSt{_END})"
    r"[)\"'’”]*\s+(?=[A-Z\"'‘“(])"
)


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# ---- English -------------------------------------------------------------------------------
_NEG = _words(
    r"can\s?not",
    r"can['’]t",
    r"could(?:\s+not|n['’]t)",
    r"(?:has|have|had|is|are|was|were|does|did|will|would|should|may|might|must)"
    r"(?:\s+not|n['’]t)",
    r"not",
    r"never",
    r"nor",
)
# what may stand between the negation and the verb
_SLOT = _words(
    r"be",
    r"been",
    r"being",
    r"yet",
    r"as\s+yet",
    r"so\s+far",
    r"ever",
    r"independently",
    r"fully",
    r"properly",
    r"directly",
    r"reliably",
    r"conclusively",
    r"definitively",
    r"adequately",
    r"further",
    r"externally",
    r"publicly",
    r"officially",
    r"otherwise",
    r"actually",
    r"clearly",
    r"able\s+to",
    r"possible\s+to",
)
_VERIFY = _words(
    r"verif(?:y|ied|iable)",
    r"confirm(?:ed)?",
    r"corroborat(?:e|ed)",
    r"substantiat(?:e|ed)",
    r"authenticat(?:e|ed)",
    r"validat(?:e|ed)",
    r"cross-?check(?:ed)?",
    r"fact-?check(?:ed)?",
)
_NEGATED = (
    rf"\b{_NEG}(?!\s+only\b)(?:\s+{_SLOT}){{0,3}}\s+{_VERIFY}\b"
    # "was not confirmed until 2019" tells when it was confirmed
    r"(?!\s+(?:until|till|before)\b)"
)
_UNABLE = (
    r"\b(?:unable|not\s+able|impossible|no\s+way|not\s+possible)\s+to\s+"
    r"(?:(?:independently|fully|reliably)\s+)?" + _VERIFY
)
_YET_TO = (
    r"\byet\s+to\s+be\s+(?:independently\s+|fully\s+)?"
    + _VERIFY
    + r"|\b(?:no|without)\s+(?:independent|external|official)\s+(?:confirmation|corroboration|"
    r"verification)\b"
)
_UNWORDS = (
    r"\b(?:unverified|unverifiable|unconfirmed|uncorroborated|unsubstantiated|"
    r"unauthenticated|unsourced|not\s+independently\s+(?:verified|confirmed))\b"
)
_DISTANT = r"\b(?:allegedly|reportedly|purportedly|supposedly|speculates|speculated|speculative)\b"
# the word itself in quotes ("allegedly", 'reportedly') is mentioned, not used
_DISTANCE = rf"(?<![\"“‘']){_DISTANT}|{_DISTANT}(?![\"”’'])"
_SOURCE = _words(
    r"source",
    r"original",
    r"document",
    r"report",
    r"page",
    r"article",
    r"copy",
    r"study",
    r"publication",
    r"website",
    r"data",
    r"quotation",
    r"quote",
    r"reference",
)
_LOST = (
    r"\b(?:unable|not\s+able)\s+to\s+(?:locate|find|trace|identify)\s+(?:(?:the|a|an|any)\s+)?"
    r"(?:original\s+|primary\s+)?" + _SOURCE + r"|"
    r"\b(?:we|i|the\s+authors?|the\s+editors?|the\s+researchers?|this\s+report)\s+"
    r"(?:could\s+not|couldn['’]t|cannot|can['’]t|were\s+unable\s+to|was\s+unable\s+to|"
    r"have\s+not\s+been\s+able\s+to|did\s+not|failed\s+to)\s+"
    r"(?:reach|locate|find|trace|access|obtain|retrieve|identify)\s+"
    r"(?:(?:the|a|an|any|this|that|its|their)\s+)?(?:original\s+|primary\s+)?"
    + _SOURCE
    + r"|\b"
    + _SOURCE
    + r"s?\s+(?:could\s+not|cannot|can\s?not|has\s+not|have\s+not)\s+"
    r"(?:yet\s+)?(?:been\s+|be\s+)(?:located|found|traced|identified|retrieved)\b"
)

# ---- French, Spanish, German ---------------------------------------------------------------
_FR = (
    r"\bn(?:e\s+|['’])(?:\w+\s+){0,2}?(?:pas|jamais|guère)\s+"
    r"(?:(?:pu|été|être|encore|indépendamment|pleinement|formellement|de\s+manière\s+"
    r"indépendante)\s+){0,3}(?:vérifi|confirm|corrobor|authentifi|étay|recoup)\w*"
    r"|\bnon\s+(?:vérifié|confirmé|corroboré|étayé|authentifié|sourcé)e?s?\b"
    r"|\binvérifiables?\b"
    r"|\b(?:impossible|incapables?)\s+(?:de|d['’]|à)\s*(?:vérifier|confirmer|corroborer)"
    r"|\b(?:prétendument|supposément)\b"
)
_ES = (
    r"\bno\s+(?:(?:se|ha|han|he|hemos|pudo|pudieron|puede|pueden|podido|sido|ser|fue|fueron|es|"
    r"son|está|están|estaba|pudimos|podemos|haber|aún|todavía|independientemente|de\s+forma"
    r"\s+independiente)\s+){0,4}(?:verific|confirm|corrobor|comprob|contrast|sustanci|"
    r"autentific)\w*"
    r"|\bsin\s+(?:verificar|confirmar|corroborar|comprobar|contrastar)\b"
    r"|\binverificables?\b"
    r"|\bimposible\s+(?:de\s+)?(?:verificar|confirmar|comprobar|corroborar)"
    r"|\b(?:supuestamente|presuntamente)\b"
)
_DE_SLOT = (
    r"(?:(?:unabhängig|eindeutig|abschließend|zweifelsfrei|näher|mehr|sicher|vollständig)\s+){0,2}"
)
_DE = (
    r"\bnicht\s+(?!nur\b)" + _DE_SLOT + r"(?:überprüf|verifizier|belegt|belegbar|nachgewiesen"
    r"|nachprüf)\w*"
    # "bestätigt" alone is as often "approved" (ein Konto, die AGB): only when it could not be
    r"|\b(?:konnte|konnten|kann|können|ließ|lässt)\s+(?:sich\s+)?nicht\s+"
    + _DE_SLOT
    + r"bestätig\w*"
    r"|\b(?:unbestätigt|unbelegt|unüberprüf|unverifiziert)\w*"
    r"|\bangeblich\w*"
)

# No look-behind here may be wider than one character: a sentence's search is remembered by
# the sentence and the character before it (memo.sentence_key).
_GRAMMAR = "|".join(
    f"(?:{p})" for p in (_NEGATED, _UNABLE, _YET_TO, _UNWORDS, _DISTANCE, _LOST, _FR, _ES, _DE)
)


@lru_cache(maxsize=1)
def grammar() -> re.Pattern[str]:
    """The grammar, compiled when first needed (20 ms: a report whose sentences are all
    known from its last version never needs it)."""
    return re.compile(_GRAMMAR, re.IGNORECASE)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@lru_cache(maxsize=8)
def cue(hedges: tuple[str, ...]) -> re.Pattern[str] | None:
    """What finds a hedge: the grammar while the default phrases are kept (the settings'
    `hedges`), plus any phrase a report adds (`extra_hedges`) taken literally; only the
    phrases when a report replaced the defaults; None when it set none."""
    from citecheck.settings import DEFAULT_HEDGES

    kept = set(DEFAULT_HEDGES) <= set(hedges)
    extra = [h for h in hedges if h not in DEFAULT_HEDGES or not kept]
    if kept and not extra:
        return grammar()  # the same pattern, not compiled again
    parts = [_GRAMMAR] if kept else []
    if extra:
        parts.append(r"\b(?:" + "|".join(re.escape(h) for h in extra) + r")\b")
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE) if parts else None


def is_hedge(sentence: str) -> bool:
    """Whether `sentence` hedges what it says by the default grammar."""
    return grammar().search(sentence) is not None


def check(doc: Document, hedges: tuple[str, ...], memo: Memo | None = None) -> list[Fact]:
    """An `unverified-by-report` fact for each cited source the report hedges (the hedging
    sentences of a paragraph as `memo`, kept for these `hedges`, recorded them for the same
    text, or found)."""
    memo = memo if memo is not None else Memo()
    if not hedges:
        return []  # no cue; else one is made when a sentence is not in `memo` (20 ms)
    by_paragraph: dict[int, list[Marker]] = {}
    for marker in doc.markers:
        if marker.paragraph is not None and marker.offset is not None:
            by_paragraph.setdefault(marker.paragraph, []).append(marker)
    facts: list[Fact] = []
    flagged: set[tuple[str, int]] = set()
    for index, markers in by_paragraph.items():
        text = doc.paragraphs[index].text
        hedged = memo.get("text", text, "hedges", partial(_hedged, hedges, text, memo))
        for start, end, hit in hedged["hits"]:
            called = _attributed(markers, start, end)
            if called is None or (called.label, index) in flagged:
                continue
            marker = called
            flagged.add((marker.label, index))
            sentence = text[start:end].strip()
            facts.append(
                Fact(
                    Rule.UNVERIFIED_BY_REPORT,
                    f"the report says of source {marker.label}: "
                    f"\u201c{_clip(sentence)}\u201d ({' '.join(hit.split())!r})",
                    marker.location,
                    marker.label,
                )
            )
    return facts


def _hedged(hedges: tuple[str, ...], text: str, memo: Memo) -> dict[str, Any]:
    """The sentences of `text` that hedge ("hits": start, end and the words that hedge) and
    what the search of each sentence found ("sentences", by `sentence_key`: a paragraph
    edited since is searched again only in the sentences the last version did not have)."""
    known = memo.previous("text", "hedges", "sentences", _sentences_known)
    hits, searched = [], {}
    for start, end in sentences(text):
        key = sentence_key(text, start, end)
        hit = known[key] if key in known else _hedge(hedges, text, start, end)
        searched[key] = hit
        if hit is not None:
            hits.append((start, end, hit))
    return {"hits": hits, "sentences": searched}


def _sentences_known(values: list[dict[str, Any]]) -> dict[str, str | None]:
    """What every sentence of the last version's paragraphs was found to hedge."""
    known: dict[str, str | None] = {}
    for value in values:
        known.update(value["sentences"])
    return known


def _hedge(hedges: tuple[str, ...], text: str, start: int, end: int) -> str | None:
    found = cue(hedges)
    hit = found.search(text, start, end) if found is not None else None
    return hit.group(0) if hit else None


def _attributed(markers: list[Marker], start: int, end: int) -> Marker | None:
    inside = [m for m in markers if m.offset is not None and start <= m.offset <= end]
    if inside:
        return inside[0]
    before = [m for m in markers if m.offset is not None and m.offset < start]
    return max(before, key=lambda m: m.offset or 0) if before else None


def _clip(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
