"""The HTML reader on pandoc output, a Google Docs export and a Wikipedia-style page."""

from pathlib import Path

from citecheck.models import Heading, Location, UrlRef
from citecheck.readers import html, load_document

DATA = Path(__file__).parent / "data"
VGT = Path("/work/shared/reports/vgt-environmental-scan-2015.txt")


def read(name):
    return html.read((DATA / name).read_text(), name)


def summary(doc):
    return (
        [(n.label, n.location.line, n.text, n.urls) for n in doc.notes],
        [(m.label, m.location.line) for m in doc.markers],
    )


def test_pandoc_output():
    doc = read("pandoc-sample.html")
    notes, markers = summary(doc)
    assert notes == [
        ("1", 176, "Source, https://example.com/a.", ("https://example.com/a",)),
        ("2", 179, "Second https://example.net/b.", ("https://example.net/b",)),
        ("3", 181, "Source, https://example.com/a.", ("https://example.com/a",)),
    ]
    assert markers == [("1", 163), ("2", 164), ("3", 170)]
    second = doc.markers[1]
    para = doc.paragraphs[second.paragraph]
    assert para.text == "Claim one. Claim two: see https://example.org/x."
    assert para.location == Location("pandoc-sample.html", 163)
    assert para.text[: second.offset] == "Claim one. Claim two"
    assert [(h.number, h.title, h.location.line) for h in doc.headings] == [
        ("", "Sample", 160),
        ("1", "Introduction", 162),
        ("1.1", "Method", 168),
    ]
    # the link whose text is its href counts once; back-links (#fnref1) are no URLs
    assert doc.body_urls == (
        UrlRef("https://example.org/x", Location("pandoc-sample.html", 166)),
        UrlRef("https://tool.example/docs", Location("pandoc-sample.html", 169)),
    )


def test_google_docs_export():
    doc = read("gdocs.html")
    notes, markers = summary(doc)
    assert notes == [
        (
            "1",
            8,
            "Ministry data, https://data.example/t1, www.mirror.example/t1.",
            ("https://data.example/t1", "http://www.mirror.example/t1"),
        ),
        ("2", 10, "Interview, unpublished.", ()),
        ("3", 11, "Never cited https://orphan.example/.", ("https://orphan.example/",)),
    ]
    assert markers == [("1", 4), ("2", 4)]
    assert [(m.paragraph, m.offset) for m in doc.markers] == [(1, 19), (1, 30)]
    assert doc.paragraphs[1].text == "Sales rose sharply. Costs fell: see http://body.example/x."
    assert doc.headings == (Heading("2.1", "Findings", Location("gdocs.html", 3)),)
    assert [(u.url, u.location.line) for u in doc.body_urls] == [
        ("http://body.example/x", 4),
        ("https://same.example/", 6),
        ("https://other.example/", 6),
    ]
    assert not any("script.example" in u.url for u in doc.body_urls)


def test_wikipedia_references():
    doc = read("wiki.html")
    notes, markers = summary(doc)
    assert notes == [
        ("1", 9, "Smith, Book.", ("https://smith.example/book",)),
        ("2", 12, "Jones http://jones.example/p.", ("http://jones.example/p",)),
    ]
    # [9] points at no note: still a marker, so analysis can flag it
    assert markers == [("1", 4), ("2", 5), ("1", 6), ("9", 7)]
    assert doc.paragraphs[1].text == "Founded in 1901. Grew later. Again. Lost."
    assert doc.markers[2].offset == len("Founded in 1901. Grew later. Again.")
    assert doc.body_urls == ()


def test_sniff():
    assert html.sniff((DATA / "pandoc-sample.html").read_text())
    assert html.sniff((DATA / "gdocs.html").read_text())
    assert html.sniff("<!-- exported -->\n<!doctype html><p>x</p>")
    assert not html.sniff("Plain text that mentions <html> later.")
    assert not html.sniff((DATA / "footnotes.md").read_text())
    assert not html.sniff(VGT.read_text())


def test_registry_by_suffix_and_content(tmp_path):
    assert load_document(DATA / "wiki.html").format == "html"
    unknown = tmp_path / "export.page"  # no reader owns the suffix: content decides
    unknown.write_text((DATA / "gdocs.html").read_text())
    doc = load_document(unknown)
    assert doc.format == "html"
    assert [n.label for n in doc.notes] == ["1", "2", "3"]
