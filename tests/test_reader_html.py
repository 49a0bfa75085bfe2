"""The HTML reader on pandoc output, a Google Docs export and a Wikipedia-style page."""

from pathlib import Path

import pytest

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


@pytest.mark.parametrize(
    ("head", "want"),
    [
        (
            '<head><meta property="article:published_time" content="2019-03-12T08:00:00Z">'
            '<meta name="date" content="2001-01-01"></head>',
            "2019-03-12",
        ),
        ('<head><meta name="date" content="2015-10-01"></head>', "2015-10-01"),
        ('<head><meta name="citation_publication_date" content="2018/06/30"></head>', "2018-06-30"),
        ('<head><meta name="DC.date" content="October 2015"></head>', "2015-10-01"),
        (
            '<head><script type="application/ld+json">{"@type": "Report", '
            '"datePublished": "2020-02-02"}</script></head>',
            "2020-02-02",
        ),
        ('<body><header><h1>T</h1><time datetime="2017-05-04">4 May</time></header>', "2017-05-04"),
        ('<body><p>By X. <time pubdate datetime="2016-01-02">Jan 2</time></p>', "2016-01-02"),
        ("<body><p>Published 3 May 2021</p>", "2021-05-03"),
        ('<body><p>The meeting is on <time datetime="2030-01-01">1 Jan</time>.</p>', None),
        ('<head><meta name="date" content="soon"></head>', None),
    ],
)
def test_report_date_from_meta_time_or_published_line(head, want):
    doc = html.read(
        f"<!doctype html><html>{head}<p>Claim<sup><a href='#fn1'>1</a></sup></p>"
        "<section class='footnotes'><ol><li id='fn1'>Note.</li></ol></section></html>",
        "d.html",
    )
    assert (doc.published.isoformat() if doc.published else None) == want
    assert [n.label for n in doc.notes] == ["1"]


def test_paragraphs_and_items_left_open_are_closed_as_a_browser_closes_them():
    body = "".join(f"<p>Paragraph {i}." for i in range(1500))
    items = "".join(f"<li>Item {i}" for i in range(1500))
    doc = html.read(
        f"<html><body>{body}<ul>{items}</ul><p>Claim<sup><a href='#fn1'>1</a></sup>"
        "<ol class='references'><li id='fn1'>Note, https://example.org/n</ol></body></html>",
        "open.html",
    )
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["Paragraph 0.", "Paragraph 1."] and "Item 1499" in texts
    assert len(texts) == 3001
    assert [(n.label, n.urls) for n in doc.notes] == [("1", ("https://example.org/n",))]
    assert [m.label for m in doc.markers] == ["1"]


def test_thousands_of_unclosed_inline_tags_are_one_line_not_a_hang():
    from citecheck.errors import InputError

    with pytest.raises(InputError, match=r"^deep\.html: elements nest over 1000 deep"):
        html.read("<html><body><p>x" + "<b>" * 50_000, "deep.html")


def test_tex4ht_notes_whose_back_links_also_wrap_a_sup():
    # make4ht writes the marker and the note's link back alike: <a><sup>1</sup></a>, each
    # targeting the other; the later one (in the notes) is the link back, not a marker
    doc = html.read(
        '<html><body><p>A claim.<span class="footnote-mark"><a href="#fn1x2" id="fn1x2-bk">'
        '<sup class="textsuperscript">1</sup></a></span> More text.</p>\n'
        '<div class="footnotes"><p class="indent"><span class="footnote-mark">'
        '<a href="#fn1x2-bk" id="fn1x2"><sup class="textsuperscript">1</sup></a></span>'
        "Report, https://example.org/r</p></div></body></html>",
        "t4ht.html",
    )
    assert [(n.label, n.urls) for n in doc.notes] == [("1", ("https://example.org/r",))]
    assert [(m.label, m.paragraph) for m in doc.markers] == [("1", 0)]
    assert doc.paragraphs[0].text.startswith("A claim.")


def test_texinfo_notes_whose_link_back_has_no_id_and_a_call_out_beside_a_block():
    # texi2any (SICP's XHTML): the marker targets the note's <div>; the link back inside it
    # has no id, so it is told apart by pointing at the marker the div is the target of.
    # An <li> holding text, a call-out and a <pre> keeps its own text and call-out.
    doc = html.read(
        '<html><body><p>Evaluation.<a class="footnote_link" id="DOCF7" href="#FOOT7">'
        "<sup>7</sup></a></p>\n<ul><li> Quotations have the form <code>(quote x)</code>:"
        '<a class="footnote_link" id="DOCF8" href="#FOOT8"><sup>8</sup></a>\n'
        "<div class='lisp'><pre>(define (quoted? exp) ...)</pre></div>\n</li></ul>\n"
        '<div class="footnote"><h4>Footnotes</h4>\n'
        '<div id="FOOT7"><p><a class="footnote_backlink" href="#DOCF7"><sup>7</sup></a>\n'
        "See <a href='Chapter-5.xhtml#Chapter-5'>Chapter 5</a>.</p></div>\n"
        '<div id="FOOT8"><p><a class="footnote_backlink" href="#DOCF8"><sup>8</sup></a>\n'
        "Quote, https://example.org/q</p></div></div></body></html>",
        "texi.xhtml",
    )
    assert [(n.label, n.urls) for n in doc.notes] == [
        ("7", ()),
        ("8", ("https://example.org/q",)),
    ]
    assert [(m.label, m.paragraph) for m in doc.markers] == [("7", 0), ("8", 1)]
    assert doc.paragraphs[1].text.startswith("Quotations have the form")
    assert "(define (quoted? exp)" in doc.paragraphs[2].text


def test_distill_inline_notes_are_numbered_in_order_where_they_are_called():
    # Distill writes a note where it is called: <d-footnote> (its first template: <dt-fn>);
    # a custom element's name is not an HTML tag it begins with (<dt-fn> opens no <dt>)
    doc = html.read(
        "<html><body><dt-article><p>First claim. <dt-fn> Counterexamples exist, see "
        '<a href="https://example.org/c">this</a>.</dt-fn> And more.</p>\n'
        "<p>Second claim.<d-footnote>Derived in https://example.org/d.</d-footnote></p>"
        "</dt-article></body></html>",
        "distill.html",
    )
    assert [(n.label, n.urls) for n in doc.notes] == [
        ("1", ("https://example.org/c",)),
        ("2", ("https://example.org/d",)),
    ]
    assert [(m.label, m.paragraph) for m in doc.markers] == [("1", 0), ("2", 1)]
    assert doc.paragraphs[0].text.startswith("First claim.")
    assert "Counterexamples" not in doc.paragraphs[0].text and "And more." in doc.paragraphs[0].text


def test_libreoffice_notes_anchored_by_name_with_several_paragraphs():
    # LibreOffice "Save as HTML": call-out and note point at each other's <a name>; the note
    # is the whole <div> (its second paragraph's URL is the note's too)
    doc = html.read(
        '<html><body><p>Bounds are set.<a class="sdfootnoteanc" name="sdfootnote1anc" '
        'href="#sdfootnote1sym"><sup>1</sup></a> Then tested.<a class="sdfootnoteanc" '
        'name="sdfootnote2anc" href="#sdfootnote2sym"><sup>2</sup></a></p>\n'
        '<div id="sdfootnote1"><p><a class="sdfootnotesym" name="sdfootnote1sym" '
        'href="#sdfootnote1anc">1</a> First paragraph.</p>\n<p>Second, https://example.org/b</p>'
        '</div>\n<div id="sdfootnote2"><p><a class="sdfootnotesym" name="sdfootnote2sym" '
        'href="#sdfootnote2anc">2</a> See <a href="https://example.org/c">this</a>.</p></div>'
        "</body></html>",
        "lo.html",
    )
    assert [(n.label, n.text, n.urls) for n in doc.notes] == [
        ("1", "First paragraph. Second, https://example.org/b", ("https://example.org/b",)),
        ("2", "See this.", ("https://example.org/c",)),
    ]
    assert [(m.label, m.paragraph) for m in doc.markers] == [("1", 0), ("2", 0)]


def test_word_html_call_outs_without_sup_and_a_contents_list_that_links_back():
    # Word's HTML: no <sup>, the call-out and note link to each other's name. A contents
    # entry and its heading also link to each other: not a note, even when numbered.
    doc = html.read(
        '<html><body><p><a href="#_Toc1" name="_TocRef1">Introduction to the topic</a></p>\n'
        '<h1><a name="_Toc1" href="#_TocRef1">Introduction to the topic</a></h1>\n'
        '<p><a href="#_Toc2" name="_TocRef2">2</a></p><h2><a name="_Toc2" href="#_TocRef2">2</a>'
        " Methods</h2>\n"
        '<p>A claim.<a style="mso-footnote-id:ftn1" href="#_ftn1" name="_ftnref1" title="">'
        '<span class="MsoFootnoteReference">[1]</span></a></p>\n'
        '<div style="mso-element:footnote-list"><div style="mso-element:footnote" id="ftn1">'
        '<p class="MsoFootnoteText"><a style="mso-footnote-id:ftn1" href="#_ftnref1" '
        'name="_ftn1" title=""><span class="MsoFootnoteReference">[1]</span></a> Source, '
        "https://example.org/w</p></div></div></body></html>",
        "word.htm",
    )
    assert [(n.label, n.urls) for n in doc.notes] == [("1", ("https://example.org/w",))]
    assert [(m.label, m.paragraph) for m in doc.markers] == [("1", 4)]
    assert doc.paragraphs[1].text == "Introduction to the topic"


def test_a_link_nested_in_a_notes_own_number_is_dropped_with_it():
    # an unclosed <a> nests the next link in it: dropping the outer one drops both
    doc = html.read(
        '<html><body><p>Claim.<sup><a href="#fn1" id="r1">1</a></sup></p><ol>'
        '<li id="fn1"><a href="#r1">1<a href="#r1"></a></a> Source, https://example.org/s</li>'
        "</ol></body></html>",
        "nested.html",
    )
    assert [(n.label, n.urls) for n in doc.notes] == [("1", ("https://example.org/s",))]
