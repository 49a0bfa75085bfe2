"""PDF and pdftotext -layout readers on tests/data/formats/pages.*: pages.md through pandoc,
docx_edit.py (a page-number footer), LibreOffice (PDF) and pdftotext -layout.

The document has: a grouped marker "2,3" (a raised comma between two references), years and
quantities in the text, raised digits that call no note ("10⁶", "m²"), a URL broken across
lines at "/" and another at "-", a printed domain and a printed "…"-shortened URL whose link
annotations hold the full addresses, a note that continues onto page 2, page numbers in the
footer, and pdftotext's way of spacing a marker out ("commitments. 5")."""

import re
import sys
from pathlib import Path

import pytest

from citecheck.errors import InputError
from citecheck.readers import docx, load_document, pdftext

pdf = pytest.importorskip("citecheck.readers.pdf")
DATA = Path(__file__).parent / "data" / "formats"
COMMISSION = "https://commission.example.org/final-report/2014/history-of-land-administration.pdf"
TABLES = (
    "https://data.example.org/land/registry/records/2015/district-reports/"
    "northern-province/final-summary-tables.xlsx"
)
DAILYDOT = "https://www.dailydot.com/layer8/land-registry-open-data-2015/"
SURVEY = "https://example.org/reports/2015/regional/registry-survey-final.pdf"
# label -> URLs, from the PDF (printed text and link annotations) and from the DOCX
URLS = {"1": (TABLES,), "2": (DAILYDOT,), "3": (SURVEY,), "4": (COMMISSION,), "5": (), "6": ()}
BEFORE_MARKER = [
    "had a public registry.",
    "Two studies agree on this,",
    "Two studies agree on this,",
    "the subject of a long note.",
    "the guidelines’ other commitments.",
    "will be published next year.",
]


@pytest.fixture(scope="module")
def from_pdf():
    return pdf.read((DATA / "pages.pdf").read_bytes(), "pages.pdf")


@pytest.fixture(scope="module")
def from_text():
    return pdftext.read((DATA / "pages.layout.txt").read_text(), "pages.layout.txt")


def _before(doc, marker) -> str:
    return doc.paragraphs[marker.paragraph].text[: marker.offset]


def _fold(text: str) -> str:
    return " ".join(text.split())


def test_pdf_notes_urls_from_text_and_link_annotations(from_pdf):
    assert {n.label: n.urls for n in from_pdf.notes} == URLS
    assert [n.label for n in from_pdf.notes] == list(URLS)
    # printed "www.dailydot.com" and "https://example.org/reports/2015/…": the annotation wins
    assert "www.dailydot.com (the public version" in from_pdf.notes[1].text
    assert "https://example.org/reports/2015/…," in from_pdf.notes[2].text


def test_pdf_markers_grouped_and_not_years_or_units(from_pdf):
    assert [(m.label, m.location.line, m.location.unit) for m in from_pdf.markers] == [
        ("1", 1, "page"),
        ("2", 1, "page"),
        ("3", 1, "page"),
        ("4", 1, "page"),
        ("5", 2, "page"),
        ("6", 2, "page"),
    ]
    for marker, want in zip(from_pdf.markers, BEFORE_MARKER, strict=True):
        assert _before(from_pdf, marker).endswith(want)
    body = from_pdf.paragraphs[1].text
    assert body.startswith("In 2015 the survey covered 31 districts and 2,400 parcels, and by 2016")
    # raised digits that call no note stay in the text
    assert "the 1999 baseline, the 42 units of 106 hectares and the 12 m2 plots carry" in body


def test_pdf_note_continued_on_next_page_and_page_numbers_dropped(from_pdf):
    long = from_pdf.notes[3]
    assert long.location.line == 1  # where it starts
    assert long.text.startswith("The provinces inherited different systems.")
    # the page break falls after "whose registries"; the footer's "1" is not note text
    assert "for the districts whose registries are already digitised, and" in long.text
    assert long.text.endswith(f"unfinished, at {COMMISSION}")
    assert [n.location.line for n in from_pdf.notes] == [1, 1, 1, 1, 2, 2]
    assert from_pdf.notes[5].text == "Ibid."
    assert all(p.text.strip() not in ("1", "2") for p in from_pdf.paragraphs)


def test_pdftext_same_notes_and_markers_as_pdf(from_pdf, from_text):
    assert [(n.label, _fold(n.text)) for n in from_text.notes] == [
        (n.label, _fold(n.text)) for n in from_pdf.notes
    ]
    assert [n.location.line for n in from_text.notes] == [13, 17, 19, 21, 87, 89]
    assert [(m.label, m.location.line) for m in from_text.markers] == [
        ("1", 3),
        ("2", 3),
        ("3", 3),
        ("4", 12),
        ("5", 74),
        ("6", 75),
    ]
    for marker, want in zip(from_text.markers, BEFORE_MARKER, strict=True):
        assert _before(from_text, marker).endswith(want)
    assert "of 106 hectares and the 12 m2 plots" in from_text.paragraphs[0].text


def test_pdftext_urls_are_what_is_printed(from_text):
    """Plain text has no link annotations: the shortened addresses are all there is."""
    assert {n.label: n.urls for n in from_text.notes} == {
        **URLS,
        "2": ("http://www.dailydot.com",),
        "3": ("https://example.org/reports/2015/…",),
    }


def test_docx_of_the_same_source_agrees(from_pdf):
    doc = docx.read((DATA / "pages.docx").read_bytes(), "pages.docx")
    assert [(n.label, _fold(n.text), n.urls) for n in doc.notes] == [
        (n.label, _fold(n.text), n.urls) for n in from_pdf.notes
    ]
    for marker, want in zip(
        doc.markers, BEFORE_MARKER, strict=True
    ):  # the raised "," is text in Word
        assert _before(doc, marker).rstrip(",").endswith(want.rstrip(","))


def test_pdf_body_urls_from_text_and_annotations():
    """small.md links "overview page" in the body: only the annotation has the address."""
    got = pdf.read((DATA / "small.pdf").read_bytes(), "small.pdf")
    want = docx.read((DATA / "small.docx").read_bytes(), "small.docx")
    assert [(u.url, u.location.line) for u in got.body_urls] == [
        ("https://example.org/reports/2015/overview-of-the-environmental-scan.html", 1)
    ]
    assert [u.url for u in got.body_urls] == [u.url for u in want.body_urls]


def test_pdftext_year_glued_to_punctuation_is_not_a_marker():
    page = (
        "Growth was 2.3 percent in 2015.4 Registries in 12 districts. 2016 was better, and\n"
        "in 2015, 31 districts reported.\n\n\n"
        "4 Land office, 2016.\n\f"
    )
    doc = pdftext.read(
        "Intro text.1 Then more.2 And 3.3 percent.\n\n\n1 First.\n2 Second.\n3 Third.\n\f" + page,
        "t.txt",
    )
    # the form feed starts line 7 of the file
    assert [(m.label, m.location.line) for m in doc.markers] == [("1", 1), ("2", 1), ("4", 7)]
    assert [(n.label, n.location.line) for n in doc.notes] == [
        ("1", 4),
        ("2", 5),
        ("3", 6),
        ("4", 11),
    ]
    assert "in 2015, 31 districts reported." in doc.paragraphs[-1].text


def test_missing_pdf_engine_is_one_line_and_exit_2(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    with pytest.raises(InputError) as err:
        pdf.read((DATA / "small.pdf").read_bytes(), "report.pdf")
    assert str(err.value) == (
        "report.pdf: reading PDF needs pypdfium2 (part of citecheck's install): "
        "pip install pypdfium2"
    )
    # the same through the CLI: one line, exit 2, no traceback
    from typer.testing import CliRunner

    from citecheck.cli import app

    report = tmp_path / "report.pdf"
    report.write_bytes((DATA / "small.pdf").read_bytes())
    result = CliRunner().invoke(app, ["extract", str(report), "-o", str(tmp_path / "r.yaml")])
    assert result.exit_code == 2
    assert re.fullmatch(
        r"citecheck: error: .*report\.pdf: reading PDF needs pypdfium2 .*\n", result.stderr
    )
    assert not (tmp_path / "r.yaml").exists()


def test_encrypted_pdf_is_one_line_and_exit_2(tmp_path):
    """encrypted.pdf: small.docx exported by LibreOffice with an open password."""
    from typer.testing import CliRunner

    from citecheck.cli import app

    result = CliRunner().invoke(
        app, ["extract", str(DATA / "encrypted.pdf"), "-o", str(tmp_path / "r.yaml")]
    )
    assert result.exit_code == 2
    assert re.fullmatch(
        r"citecheck: error: .*encrypted\.pdf: this PDF is encrypted with a password; .*\n",
        result.stderr,
    )


def test_damaged_pdf_is_an_input_error(tmp_path):
    data = (DATA / "small.pdf").read_bytes()
    damaged = tmp_path / "cut.pdf"
    damaged.write_bytes(data[: len(data) // 3])
    with pytest.raises(InputError, match=r"cut\.pdf: cannot read this PDF .*damaged"):
        load_document(damaged)


def test_numbering_restarting_on_a_later_page(tmp_path):
    """Per-chapter numbering: small.pdf twice (pdfunite) gives notes and markers 1-5 twice."""
    import shutil
    import subprocess

    if not shutil.which("pdfunite"):
        pytest.skip("poppler-utils is not installed")
    out = tmp_path / "twice.pdf"
    subprocess.run(
        ["pdfunite", str(DATA / "small.pdf"), str(DATA / "small.pdf"), str(out)],
        check=True,
        timeout=30,
    )
    doc = pdf.read(out.read_bytes(), "twice.pdf")
    want = [(str(n), page) for page in (1, 2) for n in range(1, 6)]
    assert [(m.label, m.location.line) for m in doc.markers] == want
    assert [(n.label, n.location.line) for n in doc.notes] == want


def test_marker_sequence_decisions():
    from citecheck.readers._markers import MarkerSequence

    seq = MarkerSequence()
    seq.page(["1", "2", "3"])
    assert seq.labels("1") == ["1"]
    assert seq.labels("2,3") == ["2", "3"]
    assert seq.labels("2") == []  # "m²" once note 2 has been called
    assert seq.labels("2015") == [] and seq.labels("6") == []
    assert seq.labels("4") == ["4"]  # next in sequence: a marker even without its note here
    seq.page(["5", "6", "7"])
    assert seq.labels("56") == ["5", "6"]  # run together
    assert seq.labels("7", strict=True) == ["7"]
    assert seq.labels("8", strict=True) == []  # spaced out: only with its note on the page
    seq.page(["1", "2"])
    assert seq.labels("1") == ["1"]  # numbering restarts


def _pages(*pages: str) -> str:
    return "\f".join(pages) + "\f"


def test_pdftext_page_that_cannot_be_matched_never_stops_later_pages():
    """Page 2's markers are lost (its notes continue the numbering: they are kept, to be
    reported as note-without-marker), and page 3's notes jump ahead (notes 5-8 are missing):
    its markers say so, and it is read."""
    page1 = (
        "Running title\n\nA claim.1 Another claim.2\n\n\n1 First source.\n2 Second source.\n\n7\n"
    )
    page2 = (
        "Running title\n\nBody text whose markers the extractor lost entirely here.\n\n\n"
        "3 Third source.\n4 Fourth source.\n\n8\n"
    )
    page3 = "Running title\n\nThe next claim.9 And one more.10\n\n\n9 Ninth.\n10 Tenth.\n\n9\n"
    doc = pdftext.read(_pages(page1, page2, page3), "t.txt")
    assert [n.label for n in doc.notes] == ["1", "2", "3", "4", "9", "10"]
    assert [m.label for m in doc.markers] == ["1", "2", "9", "10"]
    assert all("Running title" not in n.text and "8" not in n.text for n in doc.notes)
    assert all(p.text != "Running title" for p in doc.paragraphs)


def test_pdftext_glued_and_spaced_markers_with_the_pages_notes_in_view():
    body = (
        "Attacks on build systems1. Signing in the SDLC2. Model weights)3. The standard\n"
        "UL 46004 covers it, and Eth25 too. See the vector 6. In 2015. there were 31 cases\n"
        "and Figure 7. shows 120 units.\n\n\n"
    )
    notes = "".join(f"{n} Source number {n}.\n" for n in range(1, 7))
    doc = pdftext.read(_pages(body + notes), "t.txt")
    assert [m.label for m in doc.markers] == ["1", "2", "3", "4", "5", "6"]
    text = doc.paragraphs[0].text
    assert "UL 4600 covers it, and Eth2 too." in text
    assert "In 2015. there were 31 cases and Figure 7. shows 120 units." in text


def test_pdftext_two_urls_on_consecutive_lines_stay_two():
    page = (
        "Use an auditor.1\n\n\n"
        "1 See https://github.com/pypa/pip-audit/\n"
        "https://blog.example.org/posts/auditing-python-dependencies\n"
    )
    doc = pdftext.read(_pages(page), "t.txt")
    assert doc.notes[0].urls == (
        "https://github.com/pypa/pip-audit/",
        "https://blog.example.org/posts/auditing-python-dependencies",
    )


def test_pdftext_code_listing_line_numbers_are_not_notes():
    page = (
        "Consider the harness, built with clang1 as shown:\n\n"
        "  1 #include <stdint.h>\n  2 #include <stdlib.h>\n  3\n"
        "  4 int main(void) {\n  5     return 0;\n  6 }\n\n"
        "Then run it.\n\n\n1 The clang compiler.\n"
    )
    doc = pdftext.read(_pages(page), "t.txt")
    assert [(n.label, n.text) for n in doc.notes] == [("1", "The clang compiler.")]


def test_pdftext_redacted_notes_right_aligned_labels_and_markers_alone_on_a_line():
    """`pdftotext -layout` of a redacted page: labels printed alone, right-aligned (" 9",
    "10"), two notes blacked out (their labels alone) and their markers left alone on a body
    line ("11      12")."""
    body1 = "".join(f"Claim number {n}.{n}\n" for n in range(1, 9))
    notes1 = "".join(f"  {n}\n      Source {n}, at 1.\n" for n in range(1, 9))
    page2 = (
        "Running title\n\nThey said so.9 The President declined.10\n"
        "                   11               12\n\n    And the body goes on here.\n\n\n\n"
        "  9\n      Letter, at 2.\n 10\n      Letter, at 3.\n 11\n 12\n\n\n"
    )
    doc = pdftext.read(_pages("Running title\n\n" + body1 + "\n\n\n" + notes1, page2), "t.txt")
    want = [str(n) for n in range(1, 13)]
    assert [n.label for n in doc.notes] == want
    assert [m.label for m in doc.markers] == want
    assert [n.text for n in doc.notes[8:]] == ["Letter, at 2.", "Letter, at 3.", "", ""]


def test_pdftext_numbers_alone_on_lines_of_a_table_are_not_markers():
    page = (
        "The counts went up.1\n\n   Year     Cases\n   2\n   3 4\n   5 6\n\n\n"
        "1 Source one.\n2 Source two.\n3 Source three.\n"
    )
    doc = pdftext.read(_pages(page), "t.txt")
    assert [m.label for m in doc.markers] == ["1"]


def test_pdftext_plain_markers_of_blacked_out_lines_stacked():
    """Plain pdftotext keeps no columns: numbers alone on consecutive lines (the markers of
    blacked-out sentences) are markers when their notes are on the page."""
    page = (
        "The organization grew.1\n2\n3\nIts structure changed.4\n\n\n"
        "1 Source one.\n2\n3\n4 Source four.\n"
    )
    doc = pdftext.read(_pages(page), "t.txt")
    assert [m.label for m in doc.markers] == ["1", "2", "3", "4"]
    assert [n.label for n in doc.notes] == ["1", "2", "3", "4"]


def test_pdftext_plain_label_printed_after_the_last_note_is_put_back():
    """Plain pdftotext reads a raised label by its baseline: note 2's label comes out after
    the page's last note, its text run into note 1's. The labels are a shuffled run 1-3 at the
    page's foot: notes 1-3, note 2 with the text that followed note 1's first closed line."""
    page = (
        "Running title\n\nA claim.1 Another claim.2 A third one.3\n"
        "And the body runs on to the foot of the page here\n1\n\n"
        "First source, at 1.\nSecond source, at 2; see also the third\nsource, at 4.\n"
        "3\nThird source, https://example.org/three.\n2\n\n"
    )
    second = (
        "Running title\n\nMore claims.4 Yet more.5 The last.6\n4\n"
        "Fourth source.\nFifth source.\n6\nSixth source.\n5\n"
    )
    doc = pdftext.read(_pages(page + "\n17\n", second + "\n18\n"), "t")
    assert [n.label for n in doc.notes] == ["1", "2", "3", "4", "5", "6"]
    assert [n.text for n in doc.notes[:3]] == [
        "First source, at 1.",
        "Second source, at 2; see also the third source, at 4.",
        "Third source, https://example.org/three.",
    ]
    assert [n.text for n in doc.notes[3:]] == ["Fourth source.", "Fifth source.", "Sixth source."]
    assert doc.notes[2].urls == ("https://example.org/three",)
    assert [m.label for m in doc.markers] == ["1", "2", "3", "4", "5", "6"]


def test_pdftext_body_line_starting_with_a_number_is_no_shuffled_label():
    """ "3 of the winning entry" above note 2 is body text: only labels alone on their line
    are ever out of order."""
    page = (
        "A claim.1 Then per version\n3 of the winning entry, the body.2\n"
        "2Note that this is the second note.\n\n"
    )
    doc = pdftext.read(_pages("A first.1\n\n\n1 First note.\n", page), "t")
    assert [n.label for n in doc.notes] == ["1", "2"]
    assert doc.notes[1].text == "Note that this is the second note."


def test_pdftext_table_header_of_numbers_is_not_markers():
    page = "A claim.1\n\n>\nDocs\n1 2 3 4\nabandono\n3 0 3 0\n\n\n1 The source.\n2\n"
    doc = pdftext.read(_pages(page), "t")
    assert [m.label for m in doc.markers] == ["1"]


def test_pdftext_note_line_beginning_with_a_number_does_not_break_the_chain():
    """A note's second line "2017) (Statement ..." looks like a note start: the chain of
    labels goes on past it to the next label, and the note keeps the line."""
    page = (
        "A claim.1 Another.2 A third.3\n\n\n"
        " 1\n     Hearing before the Committee, 115th Cong. (June 8,\n"
        "2017) (Statement for the Record, at 5).\n"
        " 2\n     Comey 11/15/17 302, at 11; see also the\n"
        "18 U.S.C. § 1512(c)(2) discussion.\n 3\n     Rybicki 6/9/17 302, at 4.\n"
    )
    doc = pdftext.read(_pages(page), "t")
    assert [n.label for n in doc.notes] == ["1", "2", "3"]
    assert doc.notes[0].text.endswith("(June 8, 2017) (Statement for the Record, at 5).")
    assert doc.notes[1].text.endswith("18 U.S.C. § 1512(c)(2) discussion.")
    assert [m.label for m in doc.markers] == ["1", "2", "3"]


def test_pdftext_note_right_under_the_body_with_its_label_alone():
    """A page's one note set close under the body (no gap), its label alone on its line: the
    next label, called by the body, at the foot."""
    first = "A claim.1\n\n\n1 First source.\n"
    page = (
        "The body goes on and the Office accepted that.2 The President has broad\n"
        "discretion to direct criminal investigations, with the advice\n"
        "2\n       Section 1505 provides for criminal punishment of:\n"
        "         Whoever corruptly influences, obstructs, or impedes\n"
        "         the due and proper administration of the law\n"
        "         under which any pending proceeding is being had\n"
        "         before any department or agency of the United States,\n"
        "         or the due and proper exercise of the power of inquiry\n"
        "         by either House.\n"
    )
    doc = pdftext.read(_pages(first, page), "t")
    assert [n.label for n in doc.notes] == ["1", "2"]
    assert doc.notes[1].text.startswith("Section 1505 provides")
    assert [m.label for m in doc.markers] == ["1", "2"]
    # past note 999, called after a number's full stop ("at 469.1080")
    many = "".join(f"Claim {n}.{n}\n" for n in range(1, 1080))
    many_notes = "".join(f"{n} Source {n}.\n" for n in range(1, 1080))
    late = page.replace("accepted that.2", "accepted it at 469.1080").replace("\n2\n", "\n1080\n")
    doc = pdftext.read(_pages(many + "\n\n\n" + many_notes, late), "t")
    assert doc.notes[-1].label == "1080" and doc.markers[-1].label == "1080"
    # a number alone under the body that nothing calls stays body text
    doc = pdftext.read(_pages(first, page.replace(".2 The", ". The")), "t")
    assert [n.label for n in doc.notes] == ["1"]


def test_pdftext_shuffled_labels_past_a_note_line_beginning_with_a_year():
    page = (
        "Running title\n\nOne.1 Two.2 Three.3\nthe body runs to the foot\n1\n\n"
        "First source, Aug. 17,\n2018) (transcript).\nSecond source.\n3\nThird source.\n2\n\n"
    )
    doc = pdftext.read(_pages(page + "\n7\n", "Running title\n\nMore.\n\n8\n"), "t")
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "First source, Aug. 17, 2018) (transcript)."),
        ("2", "Second source."),
        ("3", "Third source."),
    ]


def test_pdftext_table_of_contents_entries_are_not_notes():
    toc = (
        "Contents\n\n"
        + "".join(
            f"   {n}.   Section title number {n} . . . . . . . . . . . . {n * 10}\n" for n in (1, 2)
        )
        + "   3.   Judicial Decisions Support a Broad Reading of Section 1512(c)(2)164\n"
        "   B. Constitutional Defenses . . . . . . . . . . . . . . . . . 171\n"
        "         1.     The Requirement of a Clear Statement to Apply Statutes to\n"
        "                Presidential Conduct Does Not Limit the Obstruction Statutes 172\n"
        "         2.     Separation-of-Powers Principles Support the Conclusion that\n"
        "                Out Through the President’s Official Powers . . . . . . . . . . 175\n"
    )
    body = "Given the role of the Office.1 The text.2\n\n\n 1\n     First.\n 2\n     Second.\n"
    doc = pdftext.read(_pages(toc, body), "t")
    assert [(n.label, n.text) for n in doc.notes] == [("1", "First."), ("2", "Second.")]
    assert [m.label for m in doc.markers] == ["1", "2"]


def test_pdftext_body_at_the_top_of_a_page_is_not_a_carried_over_note():
    """Notes set close under the body, the body apart from a heading above it: the body (it
    calls the notes below it) is not the end of the last page's note."""
    page1 = "A claim.1\n\n\n 1\n     First source.\n"
    page2 = (
        "1. DCLeaks\n\n\n\nThe GRU began.2 It paid.3\nAnd so on.\n"
        " 2\n     Second.\n 3\n     Third.\n"
    )
    doc = pdftext.read(_pages(page1, page2), "t")
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "First source."),
        ("2", "Second."),
        ("3", "Third."),
    ]
    assert [m.label for m in doc.markers] == ["1", "2", "3"]
    # the call a number alone on its line (its words blacked out)
    page2 = (
        "1. DCLeaks\n\n\n\nIt was sanctioned by the\n"
        + " " * 40
        + "2\nTreasury.\n 2\n     Second.\n"
    )
    doc = pdftext.read(_pages(page1, page2), "t")
    assert [(n.label, n.text) for n in doc.notes] == [("1", "First source."), ("2", "Second.")]
    assert [m.label for m in doc.markers] == ["1", "2"]


def test_pdftext_chapter_running_heads_and_a_marker_at_the_top_of_a_page():
    """A chapter's running head (the same line on three pages in a row, fewer than a quarter
    of the document's pages) is dropped; a number alone at the top of a page whose page
    number is at its foot is a marker (of a blacked-out line), not a page number."""
    pages, words = [], ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]
    for p in range(12):
        head = "Report title\n" + ("II. THE CHAPTER\n" if 4 <= p < 7 else "")
        a, b = 2 * p + 1, 2 * p + 2
        w = " ".join(words[: 1 + p % 7])
        first = f"{a}\nThe first line was blacked out.{b}\n" if p == 5 else f"Claim {w}.{a}\n"
        body = (
            first
            + "".join(f"Body line {k} of {w} here.\n" for k in range(p % 3 + 4))
            + (f"More {w}.{b}\n" if p != 5 else "")
            + f"\n\n{a} Source {w}.\n{b} Other {w}.\n\n{p + 3}\n"
        )
        pages.append(head + "\n" + body)
    doc = pdftext.read(_pages(*pages), "t")
    labels = [str(n) for n in range(1, 25)]
    assert [n.label for n in doc.notes] == labels
    assert [m.label for m in doc.markers] == labels
    assert all("CHAPTER" not in p.text for p in doc.paragraphs)


def test_pdftext_marker_after_a_wide_gap_at_the_end_of_a_line():
    """`-layout` keeps the room of blacked-out words: a number at a line's end after a wide
    gap is a marker when its note is on the page; a table's figure is not."""
    page = (
        "He should serve a complete sentence.”1                               2       3\n\n"
        "   Cases filed                 42\n   Cases closed                 3\n\n\n"
        " 1\n     First source.\n 2\n 3\n"
    )
    doc = pdftext.read(_pages(page), "t")
    assert [m.label for m in doc.markers] == ["1", "2", "3"]
    assert [n.label for n in doc.notes] == ["1", "2", "3"]


def test_pdftext_line_that_goes_on_with_the_sentence_is_no_heading():
    """ "2016.375 According to ..." after "again in spring" is the sentence going on (and
    its marker), not a section heading numbered 2016.375."""
    page = (
        "Cohen discussed the subject twice: once in late 2015; and again in spring\n"
        "2016.1 According to Cohen, Trump indicated a willingness to travel\n\n"
        "2 Results\n\nThe results follow.2\n\n\n1 Cohen 302, at 2.\n2 Ibid.\n"
    )
    doc = pdftext.read(_pages(page), "t")
    assert [m.label for m in doc.markers] == ["1", "2"]
    assert [(h.number, h.title) for h in doc.headings] == [("2", "Results")]


def test_pdftext_marker_after_a_comma_of_a_blacked_out_word_or_a_year():
    page = (
        "Among his contacts was\n           ,1 a one-time employee. Hicks denied any\n"
        "knowledge of the meeting before 2017,2 and more. In 2015,3 people and 12,345 others\n"
        "came, 1,000 of them.\n\n\n 1\n     First.\n 2\n     Second.\n 3\n     Third.\n"
    )
    doc = pdftext.read(_pages(page), "t")
    assert [m.label for m in doc.markers] == ["1", "2", "3"]
    assert "12,345 others came, 1,000 of them." in doc.paragraphs[0].text


def test_pdftext_shuffled_labels_with_a_blacked_out_label_printed_twice():
    page = (
        "Running title\n\nOne.1 Two.2 Three.3 Four.4\nthe body runs to the foot\n1\n\n"
        "First.\nSecond.\n3\n3\n4\nFourth.\n2\n\n"
    )
    doc = pdftext.read(_pages(page + "\n7\n", "Running title\n\nMore.\n\n8\n"), "t")
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "First."),
        ("2", "Second."),
        ("3", ""),
        ("4", "Fourth."),
    ]


def test_pdftext_chart_axis_above_a_note_is_not_a_shuffled_run():
    """Plain pdftotext of a chart: its axis numbers alone on their lines ("4", "5", "7", "6")
    above the page's note "3In a discussion ...": the note is 3, the axis stays text."""
    girls = "\n\n".join(["1", "2", "3", "4", "5", "7", "6"])  # as pdftotext orders them
    friends = "\n\n".join(["1", "2", "3", "4", "5", "6", "7"])
    page2 = (
        f"{girls}\n\na) The mean is 2.7.\n\n350\n\n300\n\n{friends}"
        "\n\nb) The mean is 3.4\n\nFIG. 3. Distribution of friends.\n\n"
        "then 74% of the individuals would find themselves to be relatively\ndeprived.3\n"
        "3In a discussion of this phenomenon, Owen noted that the median is below the mean.\n"
    )
    page1 = "A claim.1 Another.2\n\n\n1 First.\n2 Second.\n"
    doc = pdftext.read(_pages(page1, page2), "t")
    assert [n.label for n in doc.notes] == ["1", "2", "3"]
    assert doc.notes[2].text.startswith("In a discussion")


def test_pdftext_plain_label_glued_to_the_end_of_the_last_note():
    """Plain pdftotext may set a moved label at the end of the page's last line
    ("specifica2"): it fills the gap between labels 1 and 3, and its note is the text that
    ran on from note 1."""
    page = (
        "Running title\n\nOne.1 Two.2 Three.3\nthe body runs to the foot\n1\n\n"
        "First source, at 1.\nSecond source, at 2.\n3\n"
        "Third source, about development specifica2\n\n"
    )
    doc = pdftext.read(_pages(page + "\n7\n", "Running title\n\nMore.\n\n8\n"), "t")
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "First source, at 1."),
        ("2", "Second source, at 2."),
        ("3", "Third source, about development specifica"),
    ]
    assert [m.label for m in doc.markers] == ["1", "2", "3"]


def test_pdftext_note_quoting_with_an_ellipsis_is_still_a_note():
    page = (
        "A claim.1\n\n\n"
        "1 Hearing, at 4 (“the omnibus clause aims at obstruction . . . . The clause is "
        "broad”).\n"
    )
    doc = pdftext.read(_pages(page), "t")
    assert [n.label for n in doc.notes] == ["1"]


def test_pdftext_plain_labels_moved_after_notes_labelled_above_their_text():
    """Plain pdftotext set the page's first two labels after its last note ("1", "2" below
    note 5's text): the text above them hangs under label 5, so it is note 5's, and they
    are labels moved out of place, not labels printed after their text."""
    page = (
        "Running title\n\nOne.1 Two.2 Three.3 Four.4\nAnd five.5 The body goes on here\n"
        "First source, at 1.\nSecond source, at 2.\n3\nThird.\n4\nFourth.\n5\nFifth.\n"
        "1\n\n2\n\n"
    )
    doc = pdftext.read(_pages(page + "\n7\n", "Running title\n\nMore.\n\n8\n"), "t")
    assert [n.label for n in doc.notes] == ["1", "2", "3", "4", "5"]
    assert doc.notes[4].text == "Fifth."
    assert [m.label for m in doc.markers] == ["1", "2", "3", "4", "5"]
