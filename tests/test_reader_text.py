"""The text reader (PDF-extracted text) on small documents, one case each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from citecheck.readers import load_document
from citecheck.readers.text import read


def doc(text: str):
    return read(text, "r.txt")


def notes(d):
    return [(n.label, n.location.line, n.text, n.urls) for n in d.notes]


def markers(d):
    return [(m.label, m.location.line) for m in d.markers]


def test_bracketed_markers_and_notes():
    d = doc(
        "A claim [1] and another[2].\n"
        "\n"
        "[1] Smith, J. (2020). A report. <https://example.org/a>\n"
        "[2] https://example.org/b\n"
    )
    assert markers(d) == [("1", 1), ("2", 1)]
    assert notes(d) == [
        ("1", 3, "Smith, J. (2020). A report. <https://example.org/a>", ("https://example.org/a",)),
        ("2", 4, "https://example.org/b", ("https://example.org/b",)),
    ]
    assert d.paragraphs[0].text == "A claim  and another."


def test_caret_markers_and_notes():
    d = doc(
        "A claim^1 here,\nand ^2 there.\n\n^1 Smith (2020), https://example.org/a\n"
        "^2 Jones, <https://example.org/b>\n"
    )
    assert markers(d) == [("1", 1), ("2", 2)]
    assert [(n.label, n.location.line, n.urls) for n in d.notes] == [
        ("1", 4, ("https://example.org/a",)),
        ("2", 5, ("https://example.org/b",)),
    ]


def test_superscripts_glued_to_words_and_years():
    d = doc(
        "An article in Dailydot³⁷ speculates. The Convention of 2007⁴⁷ introduced it.\n"
        "\n"
        "³⁷ <http://www.dailydot.com>\n"
        "\n"
        "⁴⁷ To date, it has been signed by all 47 member states\n"
    )
    assert markers(d) == [("37", 1), ("47", 1)]
    assert [(n.label, n.location.line) for n in d.notes] == [("37", 3), ("47", 5)]
    text = d.paragraphs[0].text
    assert "Dailydot speculates" in text and "of 2007 introduced" in text
    m37, m47 = d.markers
    assert text[m37.offset - len("Dailydot") : m37.offset] == "Dailydot"
    assert text[m47.offset - 4 : m47.offset] == "2007"


def test_plain_digit_notes_continue_the_sequence():
    d = doc(
        "First¹ and second² and third³.\n\n¹ One.\n\n2 Under the Guidelines, two.\n\n"
        "3 Three, <https://example.org/3>\n"
    )
    assert [(n.label, n.location.line, n.text) for n in d.notes] == [
        ("1", 3, "One."),
        ("2", 5, "Under the Guidelines, two."),
        ("3", 7, "Three, <https://example.org/3>"),
    ]


def test_years_and_quantities_are_not_markers_or_notes():
    d = doc(
        "1. Introduction\n\n"
        "In 2014 there were 5582 cases in 40 services; an area of 30 km² and 5 m³ was "
        "searched [2015] in ^2016 terms¹.\n\n"
        "40 services were closed in 2013.\n\n"
        "¹ A note.\n"
    )
    assert markers(d) == [("1", 3)]
    assert [n.label for n in d.notes] == ["1"]
    assert "30 km² and 5 m³" in d.paragraphs[1].text and "[2015]" in d.paragraphs[1].text
    assert d.paragraphs[2].text == "40 services were closed in 2013."


def test_urls_angle_bare_several_per_note_and_in_body():
    d = doc(
        "1. Introduction\n\n"
        "Victims were traced (<http://www.interpol.int>), see also www.example.org/x.\n\n"
        "¹ For user concern see <http://www.ibtimes.com>, <http://www.cmu.edu> as well as "
        "https://www.wired.com/story/tor.\n"
    )
    assert d.notes[0].urls == (
        "http://www.ibtimes.com",
        "http://www.cmu.edu",
        "https://www.wired.com/story/tor",
    )
    assert [(r.url, r.location.line) for r in d.body_urls] == [
        ("http://www.interpol.int", 3),
        ("http://www.example.org/x", 3),
    ]


def test_cover_address_before_the_first_heading_is_not_a_citation():
    d = doc(
        "Report title\n\nwww.example.org\n\n1. Introduction\n\nBody <https://example.org/b>"
        "¹.\n\n¹ A note.\n"
    )
    assert [r.url for r in d.body_urls] == ["https://example.org/b"]


def test_body_urls_count_when_the_report_has_no_headings():
    d = doc("Body text <https://example.org/b>¹ with a link.\n\n¹ A note.\n")
    assert [(r.url, r.location.line) for r in d.body_urls] == [("https://example.org/b", 1)]


def test_wrapped_body_line_keeps_marker_line_and_offset():
    d = doc("A first line\nthen a marked word¹ on line two.\n\n¹ Note.\n")
    [m] = d.markers
    assert (m.location.line, m.paragraph) == (2, 0)
    assert d.paragraphs[0].text[: m.offset].endswith("marked word")


def test_paragraph_between_two_notes_continues_the_first():
    d = doc(
        "Body¹ and more².\n\n¹ IWF Annual Report, <https://www.iwf.org.uk>\n\n"
        "For user concern on this, see also <https://example.org/c>\n\n"
        "² The second note\n"
    )
    assert d.notes[0].text.endswith("see also <https://example.org/c>")
    assert d.notes[0].urls == ("https://www.iwf.org.uk", "https://example.org/c")
    assert [p.text for p in d.paragraphs] == ["Body and more."]


def test_paragraph_between_two_notes_with_a_marker_is_body_text():
    d = doc("Body¹.\n\n¹ First note.\n\nThe text goes on² here.\n\n² Second note.\n")
    assert [n.text for n in d.notes] == ["First note.", "Second note."]
    assert [p.text for p in d.paragraphs] == ["Body.", "The text goes on here."]
    assert markers(d) == [("1", 1), ("2", 5)]


def test_headings_and_toc_lines_are_headings_not_notes():
    d = doc(
        "Table of contents\n\n1. Executive summary\t2\n2. Introduction.....\t4\n"
        "3.2.1 Self-generated material\t9\n\n4.3 Law enforcement concerns\n\n"
        "Body text¹.\n\n¹ Note one.\n"
    )
    assert [(h.number, h.title) for h in d.headings] == [
        ("1", "Executive summary"),
        ("2", "Introduction"),
        ("3.2.1", "Self-generated material"),
        ("4.3", "Law enforcement concerns"),
    ]
    assert [n.label for n in d.notes] == ["1"]


def test_publication_date_from_the_first_page():
    assert doc("A report\n\nPublic version\nOctober 2015\n\nText¹.\n\n¹ N.\n").published == dt.date(
        2015, 10, 1
    )
    assert doc("Text¹.\n\n¹ N.\n").published is None


def test_windows_line_endings_and_form_feeds():
    d = doc("Body¹.\r\n\r\n¹ <https://example.org/a>\r\n\fMore² text.\r\n\r\n² Two.\r\n")
    assert [(n.label, n.location.line) for n in d.notes] == [("1", 3), ("2", 6)]
    assert markers(d) == [("1", 1), ("2", 4)]


def test_legacy_encoding_is_detected(tmp_path: Path):
    text = (
        "The café owner’s résumé¹ was naïve – “quoted” – and the study² found that the "
        "rôle of the committee was essential. The façade was renovated in 2014³.\n\n"
        "¹ Résumé of the study, <http://example.org/a>\n² Smith, “The Study”, 2015\n"
        "³ Ibid.\n"
    )
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    d = load_document(path)
    assert [n.text for n in d.notes] == [
        "Résumé of the study, <http://example.org/a>",
        "Smith, “The Study”, 2015",
        "Ibid.",
    ]
    assert markers(d) == [("1", 1), ("2", 1), ("3", 1)]


def test_short_legacy_text_keeps_its_superscript_markers(tmp_path: Path):
    # Short cp1252 text ties with ISO 8859-16 / cp1250, which read ¹ and ² as letters.
    path = tmp_path / "short.txt"
    path.write_bytes(
        "Le café¹ et la crème².\n\n¹ Résumé <http://example.org/a>\n² Ibid.\n".encode("cp1252")
    )
    d = load_document(path)
    assert [n.label for n in d.notes] == ["1", "2"]
    assert markers(d) == [("1", 1), ("2", 1)]
