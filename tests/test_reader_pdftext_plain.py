"""Plain `pdftotext` (no -layout) of LibreOffice PDFs: each note's label is printed on a line of
its own after the note's text, and the page's first note is glued to the body above it.

The texts are tests/data/formats/*.plain.txt, made by make.sh (pandoc -> DOCX -> LibreOffice ->
PDF -> pdftotext); the excerpts below keep the shapes seen in real LibreOffice exports.
"""

import re
from pathlib import Path

from citecheck.readers import pdftext

DATA = Path(__file__).parent / "data" / "formats"


def _read(name: str) -> pdftext.Document:
    return pdftext.read((DATA / name).read_text(), name)


def test_55_notes_with_their_labels_after_them_agree_with_the_markdown_source() -> None:
    # plain pdftotext joins a word broken at a hyphen at the end of a line, and so the URLs
    # broken after "section-" (the -layout text keeps the hyphen): nothing in the text is left
    # to mend them from
    src = re.sub(r"section-(\d+)", r"section\1", (DATA / "long.md").read_text())
    want = [
        (m.group(1), m.group(2), (m.group(3),))
        for m in re.finditer(r"^\[\^n(\d+)\]: (.*?(https://\S+))$", src, re.M)
    ]
    text = (DATA / "long.plain.txt").read_text()
    # the shape this reader must undo: text, then the label alone, then a blank line
    assert "full-report-section1.html\n1\n\n" in text
    doc = pdftext.read(text, "long.plain.txt")
    assert [(n.label, " ".join(n.text.split()), n.urls) for n in doc.notes] == want
    assert [m.label for m in doc.markers] == [label for label, _, _ in want]
    for m in doc.markers:
        assert m.paragraph is not None
        before = doc.paragraphs[m.paragraph].text[: m.offset]
        assert before.endswith(f"finding number {m.label} of the scan in some detail.")


def test_labels_after_and_before_their_text_on_one_page() -> None:
    """A one-line note's label comes first (a blank line between); longer notes' after."""
    doc = _read("small.plain.txt")
    assert [(n.label, n.text.split(",")[0]) for n in doc.notes] == [
        ("1", "Ministry of Agriculture"),
        ("2", "Smith"),
        ("3", "Ibid."),
        ("4", "Personal communication"),
        ("5", "FAO"),
    ]
    assert doc.notes[0].urls == (
        "https://example.org/annual/2014/report-final-version-with-appendices.pdf",
    )
    assert doc.notes[1].urls == (
        "https://journals.example.net/land/article/view/123456?lang=en&format=pdf",
    )
    assert [m.label for m in doc.markers] == ["1", "2", "3", "4", "5"]


def test_page_numbers_in_the_footer_are_not_labels() -> None:
    """pages.md has a page-number footer: "1" after a blank line on page 1, "2" glued to the
    last note's text on page 2 (it does not continue the labels 5, 6 above it). Note 4 goes
    on on page 2."""
    doc = _read("pages.plain.txt")
    assert [n.label for n in doc.notes] == ["1", "2", "3", "4", "5", "6"]
    assert doc.notes[5].text == "Ibid."
    assert doc.notes[3].text.startswith("The provinces inherited different systems.")
    assert doc.notes[0].text.startswith("Registry office, Annual Registry Statistics 2015")
    assert doc.paragraphs[0].text.endswith("long note.")  # the body is not taken into note 1
    # note 4 runs on to page 2, above note 5's label: its end (and URL) is no body text; plain
    # pdftotext dropped the hyphen where the URL broke at "land-"
    assert doc.notes[3].urls == (
        "https://commission.example.org/final-report/2014/history-of-landadministration.pdf",
    )
    assert doc.body_urls == ()


def _page(body: str, foot: str) -> str:
    return body + foot + "\n\n\f"


BODY_ON = (
    "Games draw on a variety of historical pasts as this provides them with recognizable\n"
    "themes, settings or narrative frameworks.”1 However, games do not always represent\n"
    "the past in an accurate way. The lesson ends with sample Twine assignments and\n"
)
NOTE_1 = (
    "Krijn H.J. Boom, et al. “Teaching through Play: Using Video Games as a\n"
    "Platform to Teach about the Past.” Paper presented at Communicating the\n"
    "Past in the Digital Age, (2020). https://example.org/boom-2020\n1\n"
)


def test_first_note_of_a_page_whose_body_goes_on_starts_after_a_line_that_runs_on() -> None:
    """The body goes on on the next page (it starts in lower case): it ends with a line
    that ends no sentence, and the note starts with the first capital line after it."""
    text = _page(BODY_ON, NOTE_1) + "additional resources for teachers.\n\f"
    doc = pdftext.read(text, "t.txt")
    assert [(n.label, n.urls) for n in doc.notes] == [("1", ("https://example.org/boom-2020",))]
    assert doc.notes[0].text.startswith("Krijn H.J. Boom")
    assert doc.paragraphs[0].text.endswith("sample Twine assignments and")
    assert [m.label for m in doc.markers] == ["1"]


def test_first_note_of_a_page_whose_body_ends_starts_after_the_last_stop() -> None:
    """The body ends on the page (the next starts with a heading): it ends with a stop."""
    body = (
        "It is important to scaffold game creation in order to create as even a playing\n"
        "field as possible for students with different experiences of games.5 Playing a\n"
        "game together is a good way to scaffold game creation.\n"
    )
    notes = (
        "For more information about the origins of interactive fiction, see, Aaron A.\n"
        "Reed, “1981: His Majesty’s Ship,” 50 Years of Text Games (Iowa:\n"
        "Kendal Hunt, 2015).\n5\n"
    )
    doc = pdftext.read(_page(body, notes) + "Myth Busting\nText.\n\f", "t.txt")
    assert [n.label for n in doc.notes] == ["5"]
    assert doc.notes[0].text.startswith("For more information")
    assert doc.paragraphs[0].text.endswith("a good way to scaffold game creation.")


def test_numbers_that_count_the_pages_are_no_labels() -> None:
    """A page number glued to the last line of each page (3, 4, 5 on the 3rd to 5th)."""
    pages = [
        f"Paragraph {p} tells of finding {p} in some detail, and so on.\nMore text.\n{p + 1}\n\f"
        for p in range(6)
    ]
    doc = pdftext.read("".join(pages), "t.txt")
    assert doc.notes == ()
    assert all("More text." in p.text for p in doc.paragraphs)


def test_rows_of_figures_are_no_notes() -> None:
    """Program output ("1 0 0 0") at a page's foot is a table, not notes 1 and 2."""
    text = (
        "The first entries of the output:\n\nabandonado\n4 0 4 0\nabandonar\n1 0 0 0\n"
        "abandonara\n2 0 0 0\nabandono\n3 0 3 0\n\f"
    )
    assert pdftext.read(text, "t.txt").notes == ()


# Shapes from a LaTeX thesis (report class: footnote numbers restart in each chapter), as
# `pdftotext -layout` and plain `pdftotext` print them.
CHAPTER_1 = (
    "    The author made various contributions to the Ethereum Project1 , an alternative\n"
    "to Bitcoin [71] and its derivatives [105, 4, 55], over the following years.\n\n"
    "  1\n      Most notably tests and bug-fixes, see https://github.com/example/go-client\n\n"
    "                                            2\n\f"
)
CHAPTER_2 = (
    "2.1\n\nReplicated State Machine\n\n"
    "A set of processes that hold the same state and apply the same inputs. The proof\n"
    "shows that deterministic asynchronous1 processes cannot agree if one can crash.\n\n"
    "  1\n      Prior to FLP, the distinction between sync/async was not as prominent\n\n"
    "                                            6\n\f"
)
CHAPTER_3 = (
    "A set of pre-votes for a single block at a given round is known as a polka 1 . A set\n"
    "of pre-commits for a single block is a commit.\n\n"
    "  1\n   The original term used was PoL, or PoLC, for Proof-of-Lock.\n\n"
    "                                            23\n\f"
)


def test_footnote_numbers_restarting_per_chapter_are_new_sequences() -> None:
    """Each chapter's note 1 is read, called by a raised number glued to its word or set apart
    before the stop ("polka 1 ."); a bracketed citation ("[71]") and a section number alone on
    its line ("2.1") are no markers though note 1 is on their page."""
    doc = pdftext.read(CHAPTER_1 + CHAPTER_2 + CHAPTER_3, "thesis.txt")
    assert [(n.label, n.text.split()[0]) for n in doc.notes] == [
        ("1", "Most"),
        ("1", "Prior"),
        ("1", "The"),
    ]
    assert doc.notes[0].urls == ("https://github.com/example/go-client",)
    assert [(m.label, m.location.line) for m in doc.markers] == [("1", 1), ("1", 13), ("1", 19)]
    assert "Bitcoin [71]" in doc.paragraphs[0].text


def test_an_algorithm_at_a_page_foot_is_no_notes() -> None:
    """Plain pdftotext of a typeset algorithm: subscripts ("vr2") and lone numbers ("2", "3")
    at the foot continue the numbering after note 1, but lines of code are no notes."""
    algorithm = (
        "Validators move onto precommit after the prevotes.\n\n"
        "P Cir,p,v := precommiti !(p) | (c)( nj=1 precommitj ?(w).c!(w)\n(c))\ni\n"
        "2\n(c) := if maxb (| w vr2 : w.block = b |) > N then\nP C1r,p,v\ni\n3\ndi !(b)\n"
        "2\nelse if |vr2 | > N then\n3\nr+1,v\nP Ri\nelse\nc?(pc, vote). if vote.round < r then\n\f"
    )
    doc = pdftext.read(CHAPTER_3 + algorithm, "thesis.txt")
    assert [n.label for n in doc.notes] == ["1"]
    assert [m.label for m in doc.markers] == ["1"]


def test_fifty_notes_over_pages_whose_body_goes_on_or_ends_read_as_written() -> None:
    """flow.md (40 paragraphs, 50 notes: long, short, with URLs) -> LibreOffice -> PDF: plain
    and -layout pdftotext give every note with its text and URLs, and every marker. In the
    plain text each page's first note is glued to the body, its start found at the page
    break (the body running on to the next page, or ending with a marked sentence)."""
    src = (DATA / "flow.md").read_text()
    want = [
        (m.group(1), m.group(2).replace("*", ""), tuple(re.findall(r"https://\S+", m.group(2))))
        for m in re.finditer(r"^\[\^(\d+)\]: (.*)$", src, re.M)
    ]
    assert len(want) == 50
    for name in ("flow.plain.txt", "flow.layout.txt"):
        doc = _read(name)
        assert [(n.label, " ".join(n.text.split()), n.urls) for n in doc.notes] == want, name
        assert [m.label for m in doc.markers] == [label for label, _, _ in want], name


def test_fifty_notes_with_headings_wrapped_urls_and_a_page_number_footer() -> None:
    """footer.md (a page-number footer, section headings, 50 notes: URLs that wrap): the page
    numbers are no labels, every note keeps its text and URL, every marker is found."""
    src = (DATA / "footer.md").read_text()
    want = [
        (
            m.group(1),
            re.sub(r"[*<>]", "", m.group(2)),
            tuple(re.findall(r"https://[^>]+", m.group(2))),
        )
        for m in re.finditer(r"^\[\^(\d+)\]: (.*)$", src, re.M)
    ]
    assert len(want) == 50
    for name in ("footer.plain.txt", "footer.layout.txt"):
        doc = _read(name)
        got = [(n.label, " ".join(n.text.split()), n.urls) for n in doc.notes]
        if name == "footer.plain.txt":
            # plain pdftotext drops the hyphen where it broke "annual-review" over two lines
            got = [
                (
                    lb,
                    t.replace("annualreview", "annual-review"),
                    tuple(u.replace("annualreview", "annual-review") for u in us),
                )
                for lb, t, us in got
            ]
        assert got == want, name
        assert [m.label for m in doc.markers] == [label for label, _, _ in want], name
