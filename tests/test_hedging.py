"""The hedge grammar (citecheck.analysis.hedging): the report's own hedges, in English, French,
Spanish and German, found without a fixed phrase list; what is verified stays unflagged."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from citecheck.analysis import hedging
from citecheck.readers import markdown
from citecheck.settings import DEFAULT_HEDGES

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "sentence",
    [
        "The claims in that source could not be independently verified.",
        "These figures have not yet been fully confirmed.",
        "The account cannot be corroborated.",
        "It was not independently substantiated by the ministry.",
        "We were unable to verify the quotation.",
        "Its authenticity has yet to be confirmed.",
        "The figures are unverified.",
        "An unconfirmed report put the number at 300.",
        "The minister allegedly signed the order.",
        "The company reportedly lost $3 million.",
        "Smith speculates that the trend will continue.",
        "We could not locate the original source.",
        "The original document could not be found.",
        "Unable to locate primary source.",
        "There is no independent confirmation of the figure.",
        "Cette information n'a pas pu être vérifiée de manière indépendante.",
        "Les chiffres, non confirmés, circulent depuis mars.",
        "La cifra no ha podido ser verificada de forma independiente.",
        "El dato no se pudo confirmar.",
        "Die Angaben konnten nicht unabhängig überprüft werden.",
        "Die Zahl konnte nicht bestätigt werden.",
        "Der Minister soll angeblich zugestimmt haben.",
    ],
)
def test_hedges_are_found(sentence):
    assert hedging.is_hedge(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The figure was verified.",
        "The result was confirmed by the statistics office.",
        "The claims were independently verified by two auditors.",
        "The study not only confirmed the effect but also measured it.",
        "The diagnosis was not confirmed until 2019.",
        "The spokesman could not be reached for comment.",
        "Readers can verify the calculation themselves.",
        'Words such as "allegedly" and "reportedly" weaken a claim.',
        "Les résultats ont été vérifiés par deux équipes.",
        "Die Ergebnisse wurden nicht nur bestätigt, sondern erweitert.",
        "Ihr Konto ist noch nicht bestätigt.",
    ],
)
def test_what_is_verified_is_no_hedge(sentence):
    assert not hedging.is_hedge(sentence), sentence


REPORT = (
    "Land prices rose by 40% in two years.[^1] The claims in that source could not be "
    "independently verified.\n\nTitles were registered in 2014.[^2] The registry confirmed "
    "this, as verified by the court.\n\n[^1]: A blog, https://example.org/a\n\n"
    "[^2]: Registry report, https://example.org/b\n"
)


def test_an_injected_hedge_after_a_cited_sentence_is_attributed_to_its_marker():
    doc = markdown.read(REPORT, "r.md")
    facts = hedging.check(doc, DEFAULT_HEDGES)
    assert [(f.rule, f.label) for f in facts] == [("unverified-by-report", "1")]
    assert "could not be independently verified" in facts[0].message


def test_extra_phrases_add_to_the_grammar_and_replacing_the_defaults_drops_it():
    doc = markdown.read(REPORT.replace("registry confirmed", "registry, per rumour, said"), "r.md")
    labels = {f.label for f in hedging.check(doc, (*DEFAULT_HEDGES, "per rumour"))}
    assert labels == {"1", "2"}
    assert {f.label for f in hedging.check(doc, ("per rumour",))} == {"2"}
    assert hedging.check(doc, ()) == []


def test_precision_and_recall_on_the_labelled_real_sentences():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bench_hedges
    finally:
        sys.path.remove(str(ROOT / "bench"))
    real = [r for r in bench_hedges.load() if r[2] != "constructed"]
    precision, recall, _ = bench_hedges.score(real)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    precision, recall, _ = bench_hedges.score(bench_hedges.load(bench_hedges.HELDOUT))
    assert precision >= 0.7 and recall >= 0.9, (precision, recall)


# The sentence end as first written: the abbreviations looked for before the mark.
_FIRST_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\be\.g)(?<!\bi\.e)(?<!\bDr)(?<!\bMr)(?<!\bMs)"
    r"(?<!\bvs)(?<!\bNo)(?<!\bSt)[.!?][)\"'’”]*\s+(?=[A-Z\"'‘“(])"
)
_SENTENCE_PIECES = (
    "A", "word", "e.g", "i.e", "Dr", "Mr", "Ms", "vs", "No", "St", "P", "x", ".", "!", "?", ")",
    '"', "'", "’", "”", " ", "  ", "\n", "(", "‘", "“", "The", "17", "ee.g", "ADr", ". A",
    "? The", ".) The", '!" (', ". ‘", "Dr. ", "e.g. ", " No. 5. ",
)  # fmt: skip


def test_sentences_end_where_the_first_pattern_ended_them():
    rnd = random.Random(9)
    for _ in range(5000):
        text = "".join(rnd.choice(_SENTENCE_PIECES) for _ in range(rnd.randint(1, 30)))
        first = [m.span() for m in _FIRST_SENTENCE_END.finditer(text)]
        assert [m.span() for m in hedging._SENTENCE_END.finditer(text)] == first, text
