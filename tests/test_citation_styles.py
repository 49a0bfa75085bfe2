"""Reference lists, numbered and author-date citations (citecheck.styles, issue 17).

The acceptance: a numbered-reference report and an author-date report (tests/data/styles/,
made by make.sh in five formats), each with an injected citation without an entry, an entry
nobody cites and an ambiguous citation, give exactly those findings; their clean originals
give none. Then the citation forms one by one, the forms that are not citations, mixed
documents (footnotes and a bibliography), endnote sections and the year disagreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.analysis import analyze
from citecheck.models import CiteStyle, Document, Location, Note, Paragraph, Rule
from citecheck.readers import load_document
from citecheck.rules import findings
from citecheck.styles import apply
from citecheck.styles.citations import author_date, numbered
from citecheck.styles.entries import parse

DATA = Path(__file__).parent / "data" / "styles"
FORMATS = ("md", "html", "docx", "txt", "pdf")
CITATION_RULES = {
    Rule.CITATION_WITHOUT_REFERENCE,
    Rule.REFERENCE_NEVER_CITED,
    Rule.AMBIGUOUS_CITATION,
}
INJECTED = {
    "numbered": {
        (Rule.CITATION_WITHOUT_REFERENCE, "14"),
        (Rule.REFERENCE_NEVER_CITED, "15"),
        (Rule.AMBIGUOUS_CITATION, "9"),
    },
    "authordate": {
        (Rule.CITATION_WITHOUT_REFERENCE, "Grimmond 2007"),
        (Rule.REFERENCE_NEVER_CITED, "Jenerette 2011"),
        (Rule.AMBIGUOUS_CITATION, "Akbari 2002"),
    },
}
ENTRIES = {"numbered": 13, "authordate": 12}
CITATIONS = {"numbered": 15, "authordate": 13}


def offline_findings(doc: Document) -> set[tuple[Rule, str | None]]:
    return {(f.rule, f.label) for f in findings(analyze(doc, ()))}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("report", sorted(INJECTED))
def test_clean_report_gives_no_finding(report: str, fmt: str) -> None:
    doc = load_document(DATA / f"{report}.{fmt}")
    assert offline_findings(doc) == set()
    assert len([n for n in doc.notes if n.style]) == ENTRIES[report]
    assert len([m for m in doc.markers if m.style]) == CITATIONS[report]
    assert all(n.urls for n in doc.notes), "each entry keeps its URL"
    assert not doc.body_urls, "an entry's URLs are the entry's, not the body's"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("report", sorted(INJECTED))
def test_injected_report_gives_exactly_the_injected_findings(report: str, fmt: str) -> None:
    doc = load_document(DATA / f"{report}-injected.{fmt}")
    assert offline_findings(doc) == INJECTED[report]


def test_findings_say_where_and_what() -> None:
    doc = load_document(DATA / "authordate-injected.md")
    by_rule = {f.rule: f for f in findings(analyze(doc, ()))}
    missing = by_rule[Rule.CITATION_WITHOUT_REFERENCE]
    assert missing.message == "citation Grimmond 2007 has no entry in the reference list"
    assert missing.location == Location(str(DATA / "authordate-injected.md"), 15)
    ambiguous = by_rule[Rule.AMBIGUOUS_CITATION].message
    assert ambiguous.startswith("citation Akbari 2002 matches 2 entries: Akbari 2002 (line")
    assert by_rule[Rule.REFERENCE_NEVER_CITED].location.line > 20


# ---- the reference list in a Document -------------------------------------------------------


def document(*texts: str, notes: tuple[Note, ...] = (), fmt: str = "markdown") -> Document:
    paras = tuple(Paragraph(t, Location("r.md", i * 2 + 1)) for i, t in enumerate(texts))
    return Document("r.md", fmt, notes=notes, paragraphs=paras)


def rules_of(doc: Document) -> list[tuple[str, str | None, str]]:
    return sorted(
        (str(f.rule), f.label, f.message)
        for f in findings(analyze(apply(doc), ()))
        if f.rule in CITATION_RULES
    )


def test_year_disagreement_is_said() -> None:
    doc = document(
        "Cities warm faster than their hinterland (Smith 2015; Lee 2019), most at night "
        "(Oke 1982; Arnfield 2003) and least near parks (Bowler et al. 2010).",
        "References",
        "Arnfield, A. J. (2003). Two decades of urban climate research. https://doi.org/10.1/d",
        "Bowler, D., Buyung-Ali, L., & Knight, T. (2010). Urban greening. https://doi.org/10.1/e",
        "Lee, K. (2019). Heat. https://doi.org/10.1000/b",
        "Oke, T. R. (1982). The energetic basis. https://doi.org/10.1000/c",
        "Smith, J. (2016). Urban warming. https://doi.org/10.1000/a",
    )
    assert (
        "citation-without-reference",
        "Smith 2015",
        "Smith 2015 is cited; the list has Smith 2016",
    ) in rules_of(doc)


def test_ambiguous_without_suffix_and_resolved_by_suffix() -> None:
    doc = document(
        "One (Smith 2015a). Two (Smith 2015b). Both (Smith 2015). Also (Lee 2019).",
        "Bibliography",
        "Smith, J. (2015a). One. https://doi.org/10.1000/a",
        "Smith, J. (2015b). Two. https://doi.org/10.1000/b",
        "Lee, K. (2019). Heat. https://doi.org/10.1000/c",
    )
    found = rules_of(doc)
    assert [r[:2] for r in found] == [("ambiguous-citation", "Smith 2015")]


def test_author_count_tells_entries_apart() -> None:
    doc = document(
        "Alone (Smith 2015), together (Smith and Jones 2015), many (Smith et al. 2015).",
        "References",
        "Smith, J. (2015). Alone. https://example.org/1",
        "Smith, J., & Jones, A. (2015). Together. https://example.org/2",
        "Smith, J., Brown, B., & White, C. (2015). Many. https://example.org/3",
    )
    assert rules_of(doc) == []
    labels = [m.label for m in apply(doc).markers]
    assert labels == ["Smith 2015", "Smith and Jones 2015", "Smith et al. 2015"]


def test_mixed_document_footnotes_stay_and_their_citations_are_matched() -> None:
    notes = (
        Note("1", "Smith 2015, p. 4; see also (Lee 2019).", Location("r.md", 40)),
        Note("2", "Oke (1982) is the classic account.", Location("r.md", 41)),
        Note("3", "Measured at night (Arnfield 2003).", Location("r.md", 42)),
    )
    doc = document(
        "Heat islands are well studied.",
        "References",
        "Smith, J. (2015). Urban warming. https://doi.org/10.1000/a",
        "Lee, K. (2019). Heat. https://doi.org/10.1000/b",
        "Oke, T. R. (1982). Energetic basis. https://doi.org/10.1000/c",
        "Arnfield, A. J. (2003). Two decades. https://doi.org/10.1000/e",
        "Never, N. (2001). Nobody cites this. https://doi.org/10.1000/d",
        notes=notes,
    )
    read = apply(doc)
    assert [n.label for n in read.notes if n.style is None] == ["1", "2", "3"]
    cited = sorted(m.label for m in read.markers if m.style is CiteStyle.AUTHOR_DATE)
    # "Smith 2015, p. 4" has no parenthesis: not a citation form, but footnote 1 names Smith
    assert cited == ["Arnfield 2003", "Lee 2019", "Oke 1982"]
    assert [r[:2] for r in rules_of(doc)] == [("reference-never-cited", "Never 2001")]


def test_bibliography_nothing_cites_by_author_and_year_is_left_as_text() -> None:
    doc = document(
        "A report whose sources are in a further-reading list.",
        "Bibliography",
        "Smith, J. (2015). Urban warming. https://doi.org/10.1000/a",
        "Lee, K. (2019). Heat. https://doi.org/10.1000/b",
    )
    assert apply(doc) == doc


def test_endnotes_section_becomes_notes_and_markers() -> None:
    doc = document(
        "Land registries were digitised [1] in most districts [2].",
        "Later [4].",
        "Notes",
        "1. Ministry of Lands, annual report 2014. https://lands.example.org/2014",
        "2. Survey of districts. https://survey.example.org/d",
        "3. An explanatory note nobody calls.",
    )
    read = apply(doc)
    assert [(n.label, n.style) for n in read.notes] == [("1", None), ("2", None), ("3", None)]
    got = {(str(f.rule), f.label) for f in findings(analyze(read, ()))}
    assert {("marker-without-note", "4"), ("note-without-marker", "3")} <= got
    assert not got & {(str(r), lbl) for r in CITATION_RULES for lbl in ("3", "4")}


def test_chapter_lists_take_their_own_chapter_citations() -> None:
    doc = document(
        "Chapter one says [1] and [2].",
        "References",
        "[1] A. One. https://example.org/a",
        "[2] B. Two. https://example.org/b",
        "Chapter two says [1] and [3].",
        "References",
        "[1] C. Three. https://example.org/c",
        "[2] D. Four. https://example.org/d",
    )
    found = [r[:2] for r in rules_of(doc)]
    assert found == [("citation-without-reference", "3"), ("reference-never-cited", "2")]


# ---- citation forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("as shown [12].", ["12"]),
        ("surveys [3, 5-7] agree", ["3", "5", "6", "7"]),
        ("surveys [3–5] agree", ["3", "4", "5"]),
        ("a Merkle Tree [7][2][5]", ["7", "2", "5"]),
        ("see [4, p. 12]", ["4"]),
        ("the following property [19]:", ["19"]),
        ("forests¹² and rivers³⁻⁵", ["12", "3", "4", "5"]),
    ],
)
def test_numbered_forms(text: str, cited: list[str]) -> None:
    assert [c.number for c in numbered(text)] == cited


@pytest.mark.parametrize(
    "text",
    ["an error [sic] here", "the year [2015]", "array a[1] in code", "10⁶ cells", "[1-200]"],
)
def test_not_numbered_citations(text: str) -> None:
    assert numbered(text) == []


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("(Smith 2015)", ["Smith 2015"]),
        ("(Smith, 2015)", ["Smith 2015"]),
        ("Smith (2015) shows", ["Smith 2015"]),
        ("Smith's (2015) claim", ["Smith 2015"]),
        ("(Smith and Jones 2015)", ["Smith and Jones 2015"]),
        ("(Smith & Jones, 2015)", ["Smith and Jones 2015"]),
        ("Smith et al. (2015a, p. 4)", ["Smith et al. 2015a"]),
        ("(Smith 2015a, b)", ["Smith 2015a", "Smith 2015b"]),
        ("(Smith 2015, 2016)", ["Smith 2015", "Smith 2016"]),
        ("(see Smith 2015; Lee 2019, pp. 3-5)", ["Smith 2015", "Lee 2019"]),
        ("(Doe n.d.; Roe forthcoming)", ["Doe n.d.", "Roe forthcoming"]),
        ("(World Bank 2019)", ["World Bank 2019"]),
        ("the World Health Organization (2018)", ["World Health Organization 2018"]),
        ("(van der Berg 2010)", ["van der Berg 2010"]),
        ("(Lévi-Strauss 1962: 45)", ["Lévi-Strauss 1962"]),
        ("Buterin [2013]", ["Buterin 2013"]),
        ("Müller und Schmidt (2014)", ["Müller and Schmidt 2014"]),
    ],
)
def test_author_date_forms(text: str, cited: list[str]) -> None:
    assert [c.shown for c in author_date(text)] == cited


@pytest.mark.parametrize(
    "text",
    [
        "in (2015) alone",
        "(see section 3)",
        "rates rose in 2015 and 2016",
        "in June (2015)",
        "(Table 2015)",
        "(London: Routledge, 2015)",
        "(Cambridge University Press, 2015)",
        "(In 2015 the rate rose)",
        "(Figure 1, 2015)",
        "iPhone (2015)",
    ],
)
def test_not_author_date_citations(text: str) -> None:
    assert author_date(text) == []


@pytest.mark.parametrize(
    ("text", "label", "authors"),
    [
        ("Smith, J., & Jones, A. B. (2015a). Forests. Nature.", "Smith and Jones 2015a", 2),
        ("Smith, John, and Alan Jones. 2015. Trees. Chicago.", "Smith and Jones 2015", 2),
        ("Smith J, Jones A, Brown C (2016) Title", "Smith et al. 2016", 3),
        ("World Bank. 2019. World Development Report 2019.", "World Bank 2019", 1),
        ("van der Berg, J. (n.d.). Soil.", "van der Berg n.d.", 1),
        ("García Márquez, G. (forthcoming). Shade.", "García Márquez forthcoming", 1),
    ],
)
def test_entry_keys(text: str, label: str, authors: int) -> None:
    entry = parse(text)
    assert (entry.label, entry.authors) == (label, authors)


@pytest.mark.parametrize(
    "text",
    [
        "Arnold, Taylor. ‘Basic Text Processing in R’, Programming Historian 5 (2016).",
        "Damasio, Antonio R. El error de Descartes: La razón (Barcelona, 1996).",
    ],
)
def test_notes_bibliography_entries_have_no_author_date_key(text: str) -> None:
    assert parse(text).authors == 0


def test_repeated_authors_rule_takes_the_previous_authors() -> None:
    doc = document(
        "Class sizes mislead (Feld and Grofman 1977; Feld and Grofman 1980; Hemenway 1982).",
        "References",
        "Feld, S. L., and B. Grofman. 1977. Variations in class size. https://example.org/1",
        "———. 1980. Conflict of interest. https://example.org/2",
        "Hemenway, D. 1982. Why your classes are larger. https://example.org/3",
    )
    assert [n.label for n in apply(doc).notes] == [
        "Feld and Grofman 1977",
        "Feld and Grofman 1980",
        "Hemenway 1982",
    ]
    assert rules_of(doc) == []


def test_appendix_keeps_numbers_and_shows_author_date_entries_as_listed() -> None:
    from citecheck.findings import Report
    from citecheck.reporters import appendix_renderer

    for name, first in (("numbered", "**1\\.** Regional"), ("authordate", "Akbari, H. (2002)")):
        doc = load_document(DATA / f"{name}.md")
        analysis = analyze(doc, ())
        report = Report(doc.source, doc, analysis.notes, findings(analysis))
        text = appendix_renderer("markdown")(report)
        entries = [p for p in text.split("\n\n")[2:] if not p.startswith("- ")]
        assert entries[0].startswith(first)
        assert len(entries) == ENTRIES[name]


def test_a_list_mostly_uncited_or_mostly_missing_is_not_reported_entry_by_entry() -> None:
    # what a PDF whose text lost a column looks like: most entries seem uncited, or most
    # numbers cited seem to have no entry; the list or the text was not read whole
    uncited = document(
        "Only one source is cited [1].",
        "References",
        *(f"[{n}] Author {n}. Title. https://example.org/{n}" for n in range(1, 7)),
    )
    missing = document(
        "Sources [1], [2], [9], [10], [11], [12].",
        "References",
        *(f"[{n}] Author {n}. Title. https://example.org/{n}" for n in range(1, 3)),
    )
    assert rules_of(uncited) == [] and rules_of(missing) == []


def test_html_superscripts_call_an_ordered_list() -> None:
    from citecheck.readers import load_bytes

    html = (
        "<html><body><h1>Report</h1><p>Forests cover a third of land.<sup>1</sup> Surveys "
        "agree.<sup>2,3</sup> Soils too.<sup>4</sup> Later work.<sup>6</sup> In 30 m<sup>2</sup>"
        " plots.</p><h2>References</h2><ol>"
        + "".join(
            f"<li>Author{n} J. Title. 2015. https://example.org/{n}</li>" for n in range(1, 6)
        )
        + "</ol></body></html>"
    ).encode()
    doc = load_bytes(html, "r.html")
    assert [m.label for m in doc.markers if m.style] == ["1", "2", "3", "4", "6", "2"]
    got = {(f.rule, f.label) for f in findings(analyze(doc, ()))}
    assert got == {(Rule.CITATION_WITHOUT_REFERENCE, "6"), (Rule.REFERENCE_NEVER_CITED, "5")}
