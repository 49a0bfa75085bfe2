"""Issue 2 acceptance on the VGT report (reports/vgt-environmental-scan-2015.txt).

The expected values were read off the report itself (line numbers are the report's own), not
copied from citecheck's output: see the comment at each table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citecheck.cli import app
from citecheck.readers import load_document
from tests.json_schema import loads as schema_loads

REPORT = Path(__file__).resolve().parent.parent / "reports" / "vgt-environmental-scan-2015.txt"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

# label -> line of every footnote in the report. Superscript-numbered, except the plain-digit
# ones at lines 210-218 (26-30), 372-376 (47-49) and 568-572 (72-74); "64" twice (504, 512);
# no 63.
NOTE_LINES = [
    ("1", 51),
    ("2", 57),
    ("3", 73),
    ("4", 75),
    ("5", 77),
    ("6", 79),
    ("7", 81),
    ("8", 83),
    ("9", 97),
    ("10", 127),
    ("11", 129),
    ("12", 131),
    ("13", 143),
    ("14", 145),
    ("15", 147),
    ("16", 149),
    ("17", 151),
    ("18", 153),
    ("19", 155),
    ("20", 157),
    ("21", 159),
    ("22", 175),
    ("23", 177),
    ("24", 194),
    ("25", 196),
    ("26", 210),
    ("27", 212),
    ("28", 214),
    ("29", 216),
    ("30", 218),
    ("31", 240),
    ("32", 256),
    ("33", 258),
    ("34", 260),
    ("35", 274),
    ("36", 312),
    ("37", 314),
    ("38", 326),
    ("39", 328),
    ("40", 338),
    ("41", 340),
    ("42", 342),
    ("43", 344),
    ("44", 354),
    ("45", 358),
    ("46", 360),
    ("47", 372),
    ("48", 374),
    ("49", 376),
    ("50", 412),
    ("51", 422),
    ("52", 424),
    ("53", 438),
    ("54", 440),
    ("55", 464),
    ("56", 466),
    ("57", 468),
    ("58", 470),
    ("59", 486),
    ("60", 488),
    ("61", 500),
    ("62", 502),
    ("64", 504),
    ("64", 512),
    ("65", 530),
    ("66", 544),
    ("67", 546),
    ("68", 548),
    ("69", 550),
    ("70", 552),
    ("71", 554),
    ("72", 568),
    ("73", 570),
    ("74", 572),
    ("75", 586),
    ("76", 588),
    ("77", 590),
]
# Notes with no URL at all (definitions, contributions, responses, legal acts, 33's article).
NO_URL = {
    "1",
    "4",
    "8",
    "9",
    "12",
    "14",
    "18",
    "19",
    "20",
    "21",
    "25",
    "26",
    "30",
    "32",
    "33",
    "34",
    "41",
    "42",
    "45",
    "47",
    "48",
    "49",
    "50",
    "54",
    "65",
    "72",
}
# Questionnaire responses (4, 9), contributions (21, 30, 31, 41, 49, 50: 21 and 31 are
# contributions *to* the EFC report, not the published report), a document circulated in the
# Darknet (54).
UNPUBLISHED = {"4", "9", "21", "30", "31", "41", "49", "50", "54"}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    run = CliRunner().invoke(
        app, ["check", str(REPORT), "--offline", "--format", "json", "--cache-dir", str(cache)]
    )
    assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
    return run


@pytest.fixture(scope="module")
def data(result):
    return schema_loads(result.stdout)


@pytest.fixture(scope="module")
def document():
    return load_document(REPORT)


def findings(data, rule):
    return [f for f in data["findings"] if f["rule"] == rule]


def labels(data, rule):
    return Counter(f["label"] for f in findings(data, rule))


def note(data, label, line=None):
    return next(n for n in data["notes"] if n["label"] == label and line in (None, n["line"]))


def test_summary_counts(data):
    summary = data["summary"]
    assert (summary["notes"], summary["markers"], summary["urls"], summary["unique_urls"]) == (
        77,
        77,
        56,
        30,
    )
    assert summary["links"]["unchecked"] == 30
    assert data["source"].endswith("reports/vgt-environmental-scan-2015.txt")


def test_url_counts_agree_with_the_raw_text():
    """56 `<http...>` occurrences and 30 distinct ones; the cover's bare
    www.virtualglobaltaskforce.com (line 14) is the report's own address, not a citation."""
    text = REPORT.read_text(encoding="utf-8")
    angled = re.findall(r"<(https?://[^>]+)>", text)
    assert (len(angled), len(set(angled))) == (56, 30)
    bare = [
        i for i, line in enumerate(text.splitlines(), 1) if re.search(r"(?<!<)(?<!//)\bwww\.", line)
    ]
    assert bare == [14]


def test_exit_code_is_1_for_its_two_errors(result, data):
    assert result.exit_code == 1
    assert data["summary"]["findings"]["error"] == 2
    assert {f["rule"] for f in data["findings"] if f["severity"] == "error"} == {
        "marker-without-note",
        "duplicate-note",
    }


def test_notes_are_exactly_the_footnotes(document, data):
    assert [(n.label, n.location.line) for n in document.notes] == NOTE_LINES
    assert [(n["label"], n["line"]) for n in data["notes"]] == NOTE_LINES


def test_markers_agree_with_an_independent_scan(document):
    """Every superscript run outside a note line is a marker, and there are no others."""
    expected = []
    for number, line in enumerate(REPORT.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip()[:1] in tuple(SUPERSCRIPTS):
            continue
        expected += [
            (m.group().translate(str.maketrans(SUPERSCRIPTS, "0123456789")), number)
            for m in re.finditer(f"[{SUPERSCRIPTS}]+", line)
        ]
    got = [(m.label, m.location.line) for m in document.markers]
    assert got == expected
    assert sorted(int(label) for label, _ in got) == list(range(1, 78))
    # Spot checks read off the report: "(LDCA)¹", "Dailydot³⁷", "of 2007⁴⁷", "context⁶³".
    assert {("1", 44), ("37", 306), ("47", 366), ("63", 494), ("64", 508)} <= set(got)


def test_headings_and_toc_lines_are_not_notes(document):
    toc = range(18, 37)  # "1. Executive summary\t2" ... "6. Acronyms and abbreviations\t39"
    headings = {
        38,
        59,
        89,
        101,
        163,
        165,
        248,
        282,
        296,
        298,
        362,
        430,
        448,
        452,
        480,
        514,
        524,
        600,
        610,
    }
    note_lines = {n.location.line for n in document.notes}
    assert not note_lines & (set(toc) | headings)
    numbers = {h.number for h in document.headings}
    assert {"3.2.2", "3.3.1", "4.3", "6"} <= numbers and "2.3.2" not in numbers
    assert {h.location.line for h in document.headings} >= headings


def test_plain_digit_notes_are_found(document):
    by_label = {n.label: n for n in document.notes}
    for label in ("26", "27", "28", "29", "30", "47", "48", "49", "72", "73", "74"):
        line = by_label[label].location.line
        assert REPORT.read_text(encoding="utf-8").splitlines()[line - 1].startswith(label + " ")
    assert by_label["26"].text.startswith("Under the Guidelines")
    assert by_label["49"].text == "Contribution from Missing Children Europe and eNACSO"
    assert by_label["74"].urls == ("http://ec.europa.eu",)


def test_note_44_keeps_its_continuation_line(document):
    by_label = {n.label: n for n in document.notes}
    assert by_label["44"].text == (
        "IWF Annual Report 2014, P. 17; <https://www.iwf.org.uk> "
        "For user concern on this, see also <https://www.iwf.org.uk>"
    )
    assert by_label["44"].urls == ("https://www.iwf.org.uk", "https://www.iwf.org.uk")
    assert by_label["45"].text.startswith("The International Centre for Missing")
    assert not any(
        "For user concern on this, see also <https" in p.text for p in document.paragraphs
    )


def test_publication_date(document, data):
    assert document.published == dt.date(2015, 10, 1)  # "Public version / October 2015"
    assert data["as_of"] == "2015-10-01"


def test_marker_without_note_only_for_63(data):
    found = findings(data, "marker-without-note")
    assert [(f["label"], f["line"]) for f in found] == [("63", 494)]


def test_duplicate_note_64_names_both_lines_and_suggests_63(data):
    [found] = findings(data, "duplicate-note")
    assert (found["label"], found["line"]) == ("64", 504)
    assert "lines 504 and 512" in found["message"]
    assert "the first" in found["message"] and "63" in found["message"]
    assert found["suggestion"] == "relabel it 63"


def test_ibid_notes_resolve_and_inherit_urls(data):
    for ibid, cited, url in (
        ("56", "55", "https://www.enisa.europa.eu"),
        ("62", "61", "http://www.newsweek.com"),
    ):
        n = note(data, ibid)
        assert (n["kind"], n["ibid_of"]) == ("ibid", cited)
        assert [link["url"] for link in n["links"]] == [url]
        assert [link["url"] for link in note(data, cited)["links"]] == [url]
    assert not findings(data, "unresolved-ibid")
    assert [n["label"] for n in data["notes"] if n["kind"] == "ibid"] == ["56", "62"]


def test_unverified_by_report_only_for_37(data):
    """Line 306: "An article in Dailydot³⁷ speculates ... The sources for this article cannot
    be verified". Line 302's "impossible to confirm" has no marker in its paragraph."""
    found = findings(data, "unverified-by-report")
    assert [(f["label"], f["line"]) for f in found] == [("37", 306)]


def test_broken_cross_reference_only_for_34(data):
    """Note 34 points to "section 2.3.2" (the section is 3.2.2); note 21's "references 22 and
    23" exist."""
    found = findings(data, "broken-cross-reference")
    assert [(f["label"], f["line"]) for f in found] == [("34", 260)]
    assert "section 2.3.2" in found[0]["message"]


def test_unpublished_source_exactly_the_unpublished_notes(data):
    assert labels(data, "unpublished-source") == Counter(UNPUBLISHED)
    assert {n["label"] for n in data["notes"] if n["kind"] == "unpublished"} == UNPUBLISHED
    for label in ("30", "41", "49", "50", "54"):
        assert note(data, label)["kind"] == "unpublished"


def test_every_cited_url_is_a_site_root():
    for url in re.findall(r"<(https?://[^>]+)>", REPORT.read_text(encoding="utf-8")):
        assert re.fullmatch(r"https?://[\w.-]+/?", url), url


def test_homepage_only_for_every_note_with_urls(data):
    """Every URL in the report is a site root, so every note with a URL (Ibid notes through the
    note they repeat) cites a home page only; both notes labelled 64 are flagged."""
    expected = Counter(label for label, _ in NOTE_LINES if label not in NO_URL)
    assert labels(data, "homepage-only") == expected
    assert sum(expected.values()) == 51
    assert {f["line"] for f in findings(data, "homepage-only") if f["label"] == "64"} == {504, 512}


def test_no_locator_only_for_the_published_works_without_one(data):
    """32 (Directive 2011/93/EU, no OJ reference) and 33 (Crofts and Lee, Sidney Law Review);
    65 gives "OJ 2006 L 105, p. 54"; explanatory notes are never flagged."""
    assert labels(data, "no-locator") == Counter({"32": 1, "33": 1})
    for label in ("1", "12", "14"):
        assert note(data, label)["kind"] == "explanatory"
    assert note(data, "11")["kind"] == "citation"  # it names a paper and links it
    assert note(data, "65")["kind"] == "citation"


def test_no_numbering_noise(data):
    assert not findings(data, "note-without-marker")
    assert not findings(data, "out-of-sequence")


def test_insecure_link_per_http_url_of_each_note(data):
    expected = Counter()
    for n in data["notes"]:
        for url in {link["url"] for link in n["links"]}:
            expected[(n["label"], url)] += url.startswith("http://")
    got = Counter((f["label"], f["url"]) for f in findings(data, "insecure-link"))
    got.pop((None, "http://www.interpol.int"))  # the body's "(<http://www.interpol.int>)"
    assert got == +expected
