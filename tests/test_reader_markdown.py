"""The Markdown reader on a fixture that holds every footnote case."""

from pathlib import Path

import pytest

from citecheck.models import Heading, Location, UrlRef
from citecheck.readers import load_document, markdown

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "footnotes.md"
VGT = Path("/work/shared/reports/vgt-environmental-scan-2015.txt")
SRC = "footnotes.md"


@pytest.fixture(scope="module")
def doc():
    return markdown.read(FIXTURE.read_text(), SRC)


def loc(line):
    return Location(SRC, line)


def test_notes_labels_lines_text_and_urls(doc):
    got = [(n.label, n.location.line, n.urls) for n in doc.notes]
    assert got == [
        ("12", 6, ("https://one.example/r.pdf", "https://two.example/")),
        ("clang-19.1.0", 23, ("https://releases.llvm.org/19.1.0/",)),
        ("dup", 24, ()),
        ("dup", 25, ("http://dup.example/",)),
        ("orphan", 26, ()),
    ]
    assert doc.notes[0].text == (
        "Annual report, https://one.example/r.pdf, p. 4. Continued line "
        "with a link. Second paragraph of note 12."
    )
    assert doc.notes[4].text == "Never referenced."
    assert doc.format == "markdown"


def test_markers_include_undefined_and_skip_code(doc):
    got = [(m.label, m.location.line) for m in doc.markers]
    assert got == [("12", 3), ("clang-19.1.0", 3), ("99", 19), ("dup", 19)]


def test_marker_offset_points_into_its_paragraph(doc):
    first = doc.markers[0]
    para = doc.paragraphs[first.paragraph]
    assert para.location == loc(3)
    assert para.text[: first.offset] == "Revenue grew."
    assert para.text.startswith("Revenue grew. See the plan: it is long. Also http://auto")
    named = doc.markers[1]
    assert para.text[: named.offset].endswith("See the plan")
    missing = doc.markers[2]
    assert doc.paragraphs[missing.paragraph].text == "Missing note here and a duplicate call."
    assert missing.offset == len("Missing note here")


def test_paragraphs_exclude_notes_and_code(doc):
    texts = [p.text for p in doc.paragraphs]
    assert not any("definition" in t or "Annual report" in t for t in texts)
    assert not any("in a fence" in t or "indented code" in t for t in texts)
    assert "Inline code [^3] is not a marker, nor is this:" in texts


def test_headings(doc):
    assert doc.headings == (
        Heading("3.2.1", "Self-generated revenue", loc(1)),
        Heading("", "Summary", loc(21)),
    )


def test_body_urls(doc):
    assert doc.body_urls == (
        UrlRef("http://auto.example/a", loc(4)),
        UrlRef("https://docs.example/x", loc(4)),
        UrlRef("http://www.bare.example/y", loc(4)),
    )


def test_sniff():
    assert markdown.sniff(FIXTURE.read_text())
    assert not markdown.sniff("```\n[^1]: only in code\n```\n")
    assert not markdown.sniff("A call[^1] with no definition.\n")
    assert not markdown.sniff(VGT.read_text())


def test_registry_by_suffix_and_content(tmp_path):
    assert load_document(FIXTURE).format == "markdown"
    unknown = tmp_path / "report.notes"  # no reader owns the suffix: content decides
    unknown.write_text(FIXTURE.read_text())
    assert load_document(unknown).format == "markdown"
    as_txt = tmp_path / "report.txt"
    as_txt.write_text(FIXTURE.read_text())
    pytest.importorskip("citecheck.readers.text")  # the .txt suffix's own reader is tried first
    doc = load_document(as_txt)
    assert doc.format == "markdown"
    assert [n.label for n in doc.notes][:2] == ["12", "clang-19.1.0"]


def test_plain_link_shortcut_gives_what_markdown_it_gives():
    from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText

    from citecheck.readers.markdown import _PLAIN_LINK, _parser

    md = _parser()
    urls = [
        "https://example.org/a/b?q=1&r=2#frag",
        "http://Example.COM:8080/A_b-c~d;e,f",
        "https://www.vgt.org/",
        "http://xn--bcher-kva.de/x",
        "https://a.b/%41",
        "https://a.b/ü",
        "https://a.b/x y",
        "HTTP://A.B/",
        "https://a.b/(x)*!'$+=@:",
    ]
    plain = [u for u in urls if _PLAIN_LINK.fullmatch(u)]
    assert "http://xn--bcher-kva.de/x" not in plain and "https://a.b/%41" not in plain
    assert len(plain) == 4
    for url in urls:
        assert md.normalizeLink(url) == normalizeLink(url)
        assert md.normalizeLinkText(url) == normalizeLinkText(url)


def test_an_autolink_counts_once_whatever_markdown_it_does_to_its_spelling():
    text = (
        "A claim[^1].\n\n[^1]: <http://例え.jp/> <http://a.example/%7Ea> "
        "<https://plain.example/x> [other](https://b.example/) https://bare.example/y\n"
    )
    note = markdown.read(text, "r.md").notes[0]
    assert note.urls == (
        "http://xn--r8jz45g.jp/",
        "http://a.example/%7Ea",
        "https://plain.example/x",
        "https://b.example/",
        "https://bare.example/y",
    )


def test_inline_notes_numbered_in_call_order_with_the_others():
    from citecheck.analysis import numbering

    doc = markdown.read(
        "First[^1] then an inline one^[See <https://example.org/a> and [b](https://example.org/b).]\n"
        "and another^[*Plain* text.].\n\n[^1]: Named note.\n",
        "i.md",
    )
    assert [(n.label, n.text, n.urls, n.location.line) for n in doc.notes] == [
        ("1", "Named note.", (), 4),
        (
            "2",
            "See https://example.org/a and b.",
            ("https://example.org/a", "https://example.org/b"),
            1,
        ),
        ("3", "Plain text.", (), 2),
    ]
    assert [(m.label, m.location.line) for m in doc.markers] == [("1", 1), ("2", 1), ("3", 2)]
    para = doc.paragraphs[0].text
    assert para[: doc.markers[1].offset] == "First then an inline one"
    assert numbering.check(doc) == []
    assert markdown.sniff("Only inline^[a note] here.")


@pytest.mark.parametrize(
    ("head", "want"),
    [
        ("---\ntitle: 'A: report'\ndate: 2019-03-12\n---\n", "2019-03-12"),
        ('---\ndate: "March 12, 2019"\nlastmod: 2024-01-01\n---\n', "2019-03-12"),
        ("---\npublished: 2020-05-01T10:00:00+02:00\n---\n", "2020-05-01"),
        ("% Title\n% Author\n% October 2015\n", "2015-10-01"),
        ("# Report\n\n*Published 3 May 2021*\n", "2021-05-03"),
        ("# Report\n\nDate: 12 mars 2019\n", "2019-03-12"),
        ("---\ndate: Spring 2019\n---\n", None),
        ("# Report\n\nPublished by the Agency in 2015.\n", None),
        ("---\n\nSome text, not metadata.\n\n---\n", None),
    ],
)
def test_report_date_from_front_matter_or_published_line(head, want):
    doc = markdown.read(head + "\nBody[^1].\n\n[^1]: Note.\n", "d.md")
    assert (doc.published.isoformat() if doc.published else None) == want
    assert doc.notes[0].location.line == head.count("\n") + 4


def test_front_matter_is_not_read_as_body():
    doc = markdown.read("---\ntitle: Setext trap\n---\n\nBody[^1].\n\n[^1]: Note.\n", "f.md")
    assert doc.headings == () and [p.text for p in doc.paragraphs] == ["Body."]


def test_read_block_by_block_keeps_whole_document_references():
    # The reader parses one top-level block at a time: a note called before its definition,
    # a link reference defined at the end, a call-out in code and nested inline notes keep
    # their whole-document meaning (the same as one parse of the whole text).
    text = (
        "Called early.[^late] See [the page][ref].\n\n"
        "```\n[^late]\n```\n\n"
        "An inline one.^[Outer ^[inner https://in.example/] note.] And [^1].\n\n"
        "[^late]: Defined late, https://late.example/\n\n"
        "[ref]: https://ref.example/\n"
    )
    doc = markdown.read(text, SRC)
    assert [(m.label, m.location.line) for m in doc.markers] == [
        ("late", 1),
        ("2", 7),
        ("3", 7),
        ("1", 7),  # no definition: a marker without a note
    ]
    assert [(n.label, n.location.line, n.urls) for n in doc.notes] == [
        ("late", 9, ("https://late.example/",)),
        ("2", 7, ()),
        ("3", 7, ("https://in.example/",)),
    ]
    assert doc.body_urls == (UrlRef("https://ref.example/", loc(1)),)


def test_r_markdown_and_quarto_files_are_markdown_by_their_suffix(tmp_path):
    # a chapter with no notes yet has nothing for content sniffing to recognise
    text = (
        "```{r setup}\nlibrary(knitr)\n```\n\n# Methods\n\nSee [the data](https://example.org/d).\n"
    )
    for name in ("chapter.Rmd", "paper.qmd"):
        path = tmp_path / name
        path.write_text(text)
        doc = load_document(path)
        assert doc.format == "markdown"
        assert [h.title for h in doc.headings] == ["Methods"]
        assert [u.url for u in doc.body_urls] == ["https://example.org/d"]
