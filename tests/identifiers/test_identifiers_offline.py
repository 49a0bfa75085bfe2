"""Identifiers found in note text and checked offline (syntax, check digits)."""

from __future__ import annotations

import pytest

from citecheck import rules
from citecheck.analysis import analyze
from citecheck.identifiers import SCHEMES, Scheme, find
from citecheck.models import Rule
from citecheck.readers.markdown import read
from citecheck.settings import DEFAULT_HEDGES


def found(text: str) -> list[tuple[str, str, bool]]:
    return [(i.scheme.value, i.value, i.valid) for i in find(text)]


FOUND = [
    ("doi:10.1000/xyz123.", [("doi", "10.1000/xyz123", True)]),
    ("DOI: 10.1038/NATURE12373)", [("doi", "10.1038/nature12373", True)]),
    (
        "https://doi.org/10.1016/j.cell.2009.01.002,",
        [("doi", "10.1016/j.cell.2009.01.002", True)],
    ),
    (
        "http://dx.doi.org/10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
        [("doi", "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0", True)],
    ),
    ("(see 10.1371/journal.pone.0001234)", [("doi", "10.1371/journal.pone.0001234", True)]),
    ("doi: 1.2/x", [("doi", "1.2/x", False)]),
    ("ISBN 978-0-306-40615-7", [("isbn", "9780306406157", True)]),
    ("ISBN: 0-306-40615-2.", [("isbn", "0306406152", True)]),
    ("ISBN 0 306 40615 2", [("isbn", "0306406152", True)]),
    ("ISBN-13 978-0-306-40615-8", [("isbn", "9780306406158", False)]),
    ("ISSN 0378-5955", [("issn", "0378-5955", True)]),
    ("e-ISSN: 0378-5954", [("issn", "0378-5954", False)]),
    ("arXiv:2101.01234v2", [("arxiv", "2101.01234v2", True)]),
    ("arXiv:hep-th/9901001", [("arxiv", "hep-th/9901001", True)]),
    ("https://arxiv.org/abs/1706.03762", [("arxiv", "1706.03762", True)]),
    ("arXiv:2113.00001", [("arxiv", "2113.00001", False)]),
    (
        "PMID: 12345678; PMCID: PMC3531190",
        [("pmid", "12345678", True), ("pmcid", "PMC3531190", True)],
    ),
    ("hdl:2027/mdp.39015012345678", [("handle", "2027/mdp.39015012345678", True)]),
    ("https://hdl.handle.net/10.1000/182", [("doi", "10.1000/182", True)]),
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_identifiers_in_notes(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tel. 978-0-306-40615",  # too short for an ISBN, no cue
        "In 2015, 10.5 million people (p. 10.2/3)",  # not a DOI: registrant code too short
        "Version 10.12345 of the software",  # no slash, no DOI
        "Call 0378-5955 for tickets",  # an ISSN needs its cue
        "See PMC office hours",
        "section 2101.01234 of the code",  # an arXiv id needs its cue or link
    ],
)
def test_no_identifier_in_ordinary_text(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text", [t for t, _ in FOUND] + ["PMID 1 and ISSN 0378-5955 (ISBN x)"])
def test_each_scheme_cue_is_in_what_it_finds(text: str) -> None:
    """`find` looks for the schemes' cues first and skips texts with none: every identifier
    a scheme's own finder sees contains that scheme's cue, so skipping never hides one."""
    import importlib
    import re

    for name in SCHEMES.values():
        module = importlib.import_module(f"citecheck.identifiers.{name}")
        for ident in module.find(text):
            assert re.search(module.CUE, ident.raw, re.IGNORECASE), (name, ident.raw)
    assert find(text), text


def test_bare_isbn_only_when_hyphenated_and_valid() -> None:
    assert found("Printed as 978-0-306-40615-7 in Oslo") == [("isbn", "9780306406157", True)]
    assert found("Printed as 978-0-306-40615-8 in Oslo") == []


DOC = """\
Claims.[^1][^2][^3][^4]

[^1]: Gray, *A Book of Tests* (Oslo: Press, 2001), ISBN 978-0-306-40615-8.
[^2]: Gray, *A Book of Tests* (Oslo: Press, 2001), ISBN 978-0-306-40615-7.
[^3]: Kim, “Transformers for tests”, arXiv:2101.01234.
[^4]: Annual Report 2014 (Ministry of Tests, 2015).
"""


def test_identifiers_are_locators_and_bad_ones_are_findings() -> None:
    analysis = analyze(read(DOC, "r.md"), DEFAULT_HEDGES)
    notes = {n.label: n for n in analysis.notes}
    assert [i.scheme for i in notes["2"].identifiers] == [Scheme.ISBN]
    got = {(f.rule, f.label) for f in rules.findings(analysis)}
    assert (Rule.IDENTIFIER_INVALID, "1") in got
    assert (Rule.NO_LOCATOR, "4") in got  # the only note without any locator
    assert not {(r, label) for r, label in got if label in ("1", "2", "3") and r == Rule.NO_LOCATOR}
    assert not {(r, label) for r, label in got if r == Rule.IDENTIFIER_INVALID and label != "1"}
