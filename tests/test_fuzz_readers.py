"""Random documents made of the pieces reports are made of: every reader, the analysis and
every reporter take them without an exception, and what the readers build holds together."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from citecheck import rules
from citecheck.analysis import analyze
from citecheck.errors import InputError
from citecheck.findings import Report
from citecheck.readers import reader
from citecheck.reporters import REPORTERS, renderer
from citecheck.settings import DEFAULT_HEDGES

PIECES = [
    "1",
    "12",
    "¹",
    "²³",
    "[3]",
    "^4",
    "[^5]",
    "[^5]:",
    "\n",
    "\n\n",
    "\f",
    " ",
    "Ibid",
    "Ibid.",
    "op. cit.",
    "section 3.2",
    "see note 7",
    "http://a.example/x",
    "<https://b.example:99999/>",
    "www.c.example",
    "http://[::1",
    "(unpublished)",
    "cannot be verified",
    "# ",
    "1. Intro",
    "\\footnote{",
    "}",
    "{",
    "\\url{http://x.example/}",
    "<sup>1</sup>",
    "<a href='#fn1'>",
    "<li id='fn1'>",
    "</li>",
    "<p>",
    "&amp;",
    "*",
    "_",
    "`",
    "```\n",
    "\t",
    "ä",
    "\u00a0",
    "\u2028",
    "\x00",
    "—",
    "2015",
    "p. 12",
    "P.17",
    "٣",
    "３",
]
TEXT_READERS = ("text", "pdftext", "markdown", "html", "latex")


def documents(seed: int, count: int):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 60)))


@pytest.mark.parametrize("name", TEXT_READERS)
def test_random_documents_read_analyse_and_render(name):
    for text in documents(seed=20261128, count=150):
        try:
            doc = reader(name).read(text, "f")
        except InputError:
            continue  # a one-line error is a fine answer to nonsense
        for m in doc.markers:
            assert m.paragraph is None or 0 <= m.paragraph < len(doc.paragraphs), (name, text)
            if m.paragraph is not None and m.offset is not None:
                assert 0 <= m.offset <= len(doc.paragraphs[m.paragraph].text), (name, text)
        analysis = analyze(doc, DEFAULT_HEDGES)
        found = rules.findings(analysis)
        assert all(f.location is not None for f in found), (name, text)
        report = Report("f", doc, analysis.notes, found, dt.date(2020, 1, 1))
        for fmt in REPORTERS:
            assert renderer(fmt)(report)
