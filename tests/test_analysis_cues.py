"""Patterns searched only where one of their words is find what the patterns find."""

from __future__ import annotations

import random

import pytest

from citecheck.analysis import crossrefs, kinds
from citecheck.analysis.cues import Cued

CUED = {
    "op-cit": kinds._OP_CIT,
    "unpublished": kinds._UNPUBLISHED,
    "section-ref": crossrefs._SECTION_REF,
    "note-ref": crossrefs._NOTE_REF,
}
# What each alternative of the patterns matches, and near misses around them.
PHRASES = (
    "Smith, op. cit.", "loc cit", "Op.Cit.", "contribution from", "Norway's contribution",
    "members' contribution", "UNEP contribution", "responses provided", "response to",
    "questionnaire responses", "document circulated", "circulated among", "Personal communication",
    "personal correspondence", "personal contribution", "private correspondence",
    "interview with", "INTERVIEW BY", "internal memo", "Internal Report", "unpublished",
    "on file with", "section 2.3", "Sections 4 and 5", "chapter 3", "chapters 1-3", "§ 12",
    "§§ 3, 4", "see note 12", "footnotes 3 to 5", "endnote 7", "references 22 and 23",
    "Refs. 4", "ref 5", "cite", "cititation", "notation 4", "preference 3", "sectional 2",
    "on filed", "interviews", "contributions", "respond", "intern", "publish", "letter",
)  # fmt: skip
FILLER = ("a", "the", "2015", ",", ".", "(", ")", "and", "to", "with", "p.", "12", "3.4", "-")


def texts():
    rnd = random.Random(3)
    yield from PHRASES
    for _ in range(3000):
        words = [rnd.choice(PHRASES if rnd.random() < 0.3 else FILLER) for _ in range(8)]
        text = " ".join(words)
        yield rnd.choice((text, text.upper(), text.title(), text.lower()))


def spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@pytest.mark.parametrize("name", CUED)
def test_cued_patterns_find_what_the_patterns_find(name):
    cued: Cued = CUED[name]
    found = 0
    for text in texts():
        expected = cued.pattern.search(text)
        got = cued.search(text)
        assert (got and got.span()) == (expected and expected.span()), text
        assert spans(cued.finditer(text)) == spans(cued.pattern.finditer(text)), text
        found += expected is not None
    assert found > 100  # the texts exercise the pattern


def test_text_beyond_ascii_is_searched_by_the_pattern():
    # Unicode case folding: "ſ" (long s) is an "s", "K" (Kelvin) a "k"; lowering keeps them
    cued = Cued(r"\bsection\b", ("section",))
    assert cued.search("ſection 2") is not None
    assert cued.pattern.search("ſection 2") is not None
    assert cued.search("see section 2") is not None
    assert cued.search("see the annex") is None
