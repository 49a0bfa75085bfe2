"""Every offline rule fires on a minimal document and stays quiet on a clean one."""

from __future__ import annotations

import pytest

from citecheck import rules
from citecheck.analysis import analyze
from citecheck.findings import RULES, Severity
from citecheck.readers.text import read
from citecheck.settings import DEFAULT_HEDGES

CLEAN = """1. Introduction

A first claim¹ and a second one².

2. Method

As shown in section 1, the third claim³ holds; see note 2 and references 1 and 2.

¹ Smith, J. (2019). *A Book*, P.12; <https://example.org/book.pdf>
² Ibid, P.66-67
³ Jones, A., Annual Report 2020; https://example.org/jones/2020
"""


def run(text: str, hedges=DEFAULT_HEDGES):
    analysis = analyze(read(text, "r.txt"), hedges)
    return analysis, rules.findings(analysis)


def fired(text: str, hedges=DEFAULT_HEDGES) -> list[tuple[str, str | None, int | None]]:
    _, found = run(text, hedges)
    return [(f.rule, f.label, f.location.line if f.location else None) for f in found]


def test_clean_document_has_no_finding():
    analysis, found = run(CLEAN)
    assert found == ()
    assert [(n.label, n.kind.value, n.ibid_of) for n in analysis.notes] == [
        ("1", "citation", None),
        ("2", "ibid", "1"),
        ("3", "citation", None),
    ]


def test_marker_without_note():
    assert fired("A claim¹ and another².\n\n¹ <https://example.org/a>\n") == [
        ("marker-without-note", "2", 1)
    ]


def test_duplicate_note_hints_the_label_it_should_have():
    text = (
        "One¹ two² three³.\n\n¹ <https://example.org/1>\n³ <https://example.org/2>\n"
        "³ <https://example.org/3>\n"
    )
    _, found = run(text)
    by_rule = {f.rule: f for f in found}
    assert sorted(by_rule) == ["duplicate-note", "marker-without-note"]
    dup = by_rule["duplicate-note"]
    assert (dup.label, dup.location.line) == ("3", 4)
    assert "lines 4 and 5" in dup.message and dup.suggestion == "relabel it 2"
    assert by_rule["marker-without-note"].suggestion == "relabel note 3 at line 4 as 2"


def test_note_without_marker():
    assert fired("A claim¹.\n\n¹ <https://example.org/a>\n² <https://example.org/b>\n") == [
        ("note-without-marker", "2", 4)
    ]


def test_out_of_sequence_markers_and_notes():
    text = (
        "One¹ three³ two².\n\n¹ <https://example.org/1>\n³ <https://example.org/3>\n"
        "² <https://example.org/2>\n"
    )
    assert fired(text) == [("out-of-sequence", "2", 1), ("out-of-sequence", "2", 5)]


def test_unresolved_ibid():
    found = run("A claim¹ and another².\n\n¹ Ibid.\n² <https://example.org/b>\n")[1]
    assert [(f.rule, f.label) for f in found] == [("unresolved-ibid", "1")]
    assert "'Ibid.'" in found[0].message


@pytest.mark.parametrize(
    "ibid", ["Ibid", "Ibid.", "ibid., p. 4", "Ibid, P.66-67", "Id.", "Id., at 12", "Ibidem"]
)
def test_ibid_forms_resolve_to_the_previous_citation_and_inherit_its_urls(ibid):
    text = (
        f"A¹ b² c³.\n\n¹ Smith, *A Book*; <https://example.org/book>\n"
        f"² A term explained here\n³ {ibid}\n"
    )
    analysis, found = run(text)
    note = analysis.notes[2]
    assert (note.kind.value, note.ibid_of, note.urls) == (
        "ibid",
        "1",
        ("https://example.org/book",),
    )
    assert found == ()


def test_op_cit_resolves_to_the_citation_naming_the_author():
    text = (
        "A¹ b² c³.\n\n¹ Smith, J. (2019), *A Book*; <https://example.org/smith>\n"
        "² Jones, A. (2020), *Another*; <https://example.org/jones>\n"
        "³ Smith, op. cit., p. 14\n"
    )
    note = run(text)[0].notes[2]
    assert (note.ibid_of, note.urls) == ("1", ("https://example.org/smith",))
    found = run(text.replace("Smith, op. cit.", "Brown, op. cit."))[1]
    assert [(f.rule, f.label) for f in found] == [("unresolved-ibid", "3")]
    assert "'op. cit.'" in found[0].message


def test_ibid_of_an_ibid_ends_at_the_citation():
    analysis, _ = run(
        "A¹ b² c³.\n\n¹ Smith, *A Book*; <https://example.org/b>\n² Ibid.\n³ Ibid, P.3\n"
    )
    assert [n.ibid_of for n in analysis.notes] == [None, "1", "1"]


@pytest.mark.parametrize(
    "text, target",
    [
        ("see note 12 for the method", "note 12"),
        ("as explained further in the references 22 and 23", "note 22"),
        ("details are in section 2.3.2", "section 2.3.2"),
    ],
)
def test_broken_cross_reference_in_a_note(text, target):
    doc = f"1. Intro\n\nA claim¹.\n\n¹ Smith, *A Book*; <https://example.org/b>. See {text}.\n"
    found = [f for f in run(doc)[1] if f.rule == "broken-cross-reference"]
    assert [(f.label, f.location.line) for f in found][:1] == [("1", 5)]
    assert target in found[0].message


def test_references_22_and_23_name_both_missing_notes():
    doc = "A claim¹.\n\n¹ Contribution as explained further in the references 22 and 23\n"
    found = [f.message for f in run(doc)[1] if f.rule == "broken-cross-reference"]
    assert len(found) == 2 and "note 22" in found[0] and "note 23" in found[1]


def test_cross_references_that_exist_and_ranges():
    doc = (
        "1. Intro\n\n1.1 Scope\n\nOne¹ two² three³, see notes 1-3 and section 1.1.\n\n"
        "¹ Smith, *A Book*; <https://example.org/b>\n² Ibid.\n³ Ibid.\n"
    )
    assert fired(doc) == []
    assert fired(doc.replace("notes 1-3", "notes 1-4")) == [("broken-cross-reference", None, 5)]


def test_section_references_are_not_checked_without_headings():
    assert fired("A claim¹ (section 9.9).\n\n¹ <https://example.org/a/b>\n") == []


def test_no_locator():
    assert fired(
        "A claim¹.\n\n¹ Crofts, T. and Lee, M. (2013), *Sexting*, Sydney Law Review\n"
    ) == [("no-locator", "1", 3)]
    for locator in (
        "doi:10.1000/xyz123",
        "ISBN 978-3-16-148410-0",
        "OJ 2006 L 105, p. 54",
        "<https://example.org/paper>",
    ):
        assert fired(f"A claim¹.\n\n¹ Crofts, T. (2013), *Sexting*, {locator}\n") == []


def test_explanatory_notes_need_no_locator():
    assert (
        fired(
            "A term¹.\n\n¹ Deep Web – World Wide Web content that is not part of the Surface Web\n"
        )
        == []
    )


@pytest.mark.parametrize(
    "source",
    [
        "Contribution from FP Twins team",
        "Responses provided by LE agencies in Australia",
        "Document circulated in the Darknet",
        "IWF contribution to the EFC report",
        "Personal communication with the author, 2015",
    ],
)
def test_unpublished_source(source):
    analysis, found = run(f"A claim¹.\n\n¹ {source}\n")
    assert analysis.notes[0].kind.value == "unpublished"
    assert [(f.rule, f.severity) for f in found] == [("unpublished-source", Severity.NOTE)]


def test_homepage_only():
    assert fired(
        "A claim¹ b².\n\n¹ <https://example.org>\n"
        "² <https://example.org/> and <https://www.example.net>\n"
    ) == [("homepage-only", "1", 3), ("homepage-only", "2", 4)]
    assert fired("A claim¹.\n\n¹ <https://example.org> and <https://example.org/a.pdf>\n") == []
    assert fired("A claim¹.\n\n¹ <https://example.org/?id=4>\n") == []


def test_unverified_by_report_attribution():
    """The hedge goes to the marker in its sentence, else to the nearest marker before it in
    the paragraph; earlier markers of the paragraph are not flagged."""
    text = (
        "A first source¹ says so. An article² claims more. It adds detail. The sources "
        "for this article cannot be verified.\n\nA new paragraph³ is fine. Nothing here "
        "is unconfirmed⁴ at all.\n\nAllegedly so, says nobody.\n\n"
        "¹ <https://example.org/1/a>\n² <https://example.org/2/a>\n"
        "³ <https://example.org/3/a>\n⁴ <https://example.org/4/a>\n"
    )
    assert fired(text) == [("unverified-by-report", "2", 1), ("unverified-by-report", "4", 3)]


def test_hedges_come_from_settings():
    text = "A source¹ is doubtful.\n\n¹ <https://example.org/1/a>\n"
    assert fired(text) == []
    assert fired(text, (*DEFAULT_HEDGES, "doubtful")) == [("unverified-by-report", "1", 1)]
    assert fired("A source¹ is unverified.\n\n¹ <https://example.org/1/a>\n", ()) == []


def test_insecure_link_for_notes_and_body():
    found = run(
        "1. Intro\n\nText (<http://example.org/body>) and a claim¹.\n\n"
        "¹ <http://example.org/a> and <https://example.org/b>\n"
    )[1]
    assert [(f.rule, f.label, f.url, f.location.line) for f in found] == [
        ("insecure-link", None, "http://example.org/body", 3),
        ("insecure-link", "1", "http://example.org/a", 5),
    ]
    assert all(f.severity is Severity.NOTE for f in found)


def test_findings_carry_default_severity_and_location():
    text = "A¹ b².\n\n¹ Ibid.\n"
    for f in run(text)[1]:
        assert f.severity is RULES[f.rule].severity
        assert f.location.file == "r.txt" and f.location.line >= 1


MALFORMED = """A claim¹, another² and a third³.

¹ Report, <https://example.org:99999/report.pdf>
² Report, <http://example.org:8o/x>
³ Report, <https://example.org/fine>
"""


def test_malformed_url_is_an_error_without_any_network():
    found = rules.findings(analyze(read(MALFORMED, "r.txt"), DEFAULT_HEDGES))
    bad = [(f.rule, f.label, f.location.line, f.severity) for f in found]
    assert bad == [
        ("malformed-url", "1", 3, Severity.ERROR),
        ("malformed-url", "2", 4, Severity.ERROR),
    ]  # no insecure-link for note 2
    assert "port '99999' is not a number from 0 to 65535" in found[0].message
    assert "port '8o'" in found[1].message


def test_labels_of_superscript_digits_do_not_break_numbering():
    # str.isdigit() is true for "²" but int("²") fails: numbering must not trip on it
    from citecheck.models import Document, Location, Marker, Note

    at = Location("r.txt", 1)
    doc = Document(
        "r.txt",
        "text",
        notes=(Note("1", "a", at), Note("²³", "b", at), Note("3", "c", at)),
        markers=(Marker("1", at), Marker("²³", at), Marker("3", at)),
    )
    found = rules.findings(analyze(doc, DEFAULT_HEDGES))
    assert all(f.rule != "out-of-sequence" or f.label != "²³" for f in found)


def test_an_html_paragraph_holding_only_a_marker_keeps_its_marker():
    from citecheck.readers import html

    doc = html.read(
        '<p>Text.</p><p><sup><a href="#fn1" id="r1">1</a></sup></p>'
        '<ol><li id="fn1">A note <a href="#r1">↩</a></li></ol>',
        "r.html",
    )
    assert [(m.label, m.paragraph) for m in doc.markers] == [("1", 1)]
    assert len(doc.paragraphs) == 2
    analyze(doc, DEFAULT_HEDGES)  # the marker's paragraph exists


def test_a_hedge_ending_a_markdown_paragraph_with_its_marker_is_attributed():
    from citecheck.readers import markdown

    doc = markdown.read(
        "The article cannot be verified [^1]\n\nNext.\n\n[^1]: Source, <https://a.example/x>.\n",
        "r.md",
    )
    assert doc.markers[0].offset == len(doc.paragraphs[0].text)  # not one past the end
    found = rules.findings(analyze(doc, DEFAULT_HEDGES))
    assert [(f.rule, f.label) for f in found] == [("unverified-by-report", "1")]
