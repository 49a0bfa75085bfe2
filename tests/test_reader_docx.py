"""DOCX reader on tests/data/formats/word.docx: pandoc's DOCX of word.md with the Word features
pandoc cannot write added by docx_edit.py (endnotes, a custom mark, HYPERLINK field codes);
word.layout.txt is LibreOffice's rendering of it (via PDF and pdftotext -layout)."""

import re
import zipfile
from pathlib import Path

import pytest

from citecheck.errors import InputError
from citecheck.readers import docx

DATA = Path(__file__).parent / "data" / "formats"
WORD = DATA / "word.docx"

NOTES = [
    (
        "1",
        "Land Agency, Registry Atlas 2014, https://atlas.example.org/2014/districts.html",
        ("https://atlas.example.org/2014/districts.html",),
    ),
    ("*", "Aside by the editors, not a citation.", ()),
    (
        "2",
        "Survey office, survey results, link text only.",
        ("https://survey.example.org/2015/results?id=7&lang=en",),
    ),
    ("3", "Appendix tables, appendix.", ("https://survey.example.org/2015/appendix.pdf",)),
    (
        "i",
        "Archive of the survey, archived copy.",
        ("https://archive.example.org/web/2015/survey.example.org/2015/results",),
    ),
    ("4", "Statistics office, data portal, 2015.", ()),
    (
        "ii",
        "Ministry circular 12/2015, https://ministry.example.gov/circulars/2015-12.pdf",
        ("https://ministry.example.gov/circulars/2015-12.pdf",),
    ),
    ("5", "Final footnote, see www.example.com for details.", ("http://www.example.com",)),
]
# (label, paragraph number, the body text just before the marker)
MARKERS = [
    ("1", 2, "across 31 districts."),
    ("*", 2, "with a custom mark."),
    ("2", 2, "The second survey"),
    ("3", 2, "and its appendix"),
    ("i", 2, "named in an endnote."),
    ("4", 4, "through a field code."),
    ("ii", 4, "closes the section."),
    ("5", 6, "Footnotes resume here."),
]


@pytest.fixture(scope="module")
def doc():
    return docx.read(WORD.read_bytes(), "word.docx")


@pytest.fixture(scope="module")
def parts():
    with zipfile.ZipFile(WORD) as z:
        return {
            name: z.read(name).decode() for name in z.namelist() if name.endswith(("rels", ".xml"))
        }


def test_notes_footnotes_and_endnotes_with_printed_labels(doc):
    assert [(n.label, n.text, n.urls) for n in doc.notes] == NOTES
    assert {n.location.unit for n in doc.notes} == {"paragraph"}


def test_markers_labels_and_paragraph_locations(doc):
    got = [
        (m.label, m.location.line, doc.paragraphs[m.paragraph].text[: m.offset])
        for m in doc.markers
    ]
    assert [g[:2] for g in got] == [m[:2] for m in MARKERS]
    for (_, _, before), (_, _, want) in zip(got, MARKERS, strict=False):
        assert before.endswith(want)
    assert {m.location.unit for m in doc.markers} == {"paragraph"}
    assert doc.paragraphs[MARKERS[0][1] - 1].text.startswith("Land registries were mapped")


def test_the_document_really_has_the_word_features(parts):
    """What the assertions above rest on, read from the XML itself."""
    foot, end = parts["word/footnotes.xml"], parts["word/endnotes.xml"]
    ids = re.findall(r'<w:footnote w:id="(\d+)"', foot)  # the real notes (no w:type)
    assert len(ids) == 6 and ids != [str(n) for n in range(1, 7)]  # ids are not the numbers
    assert re.findall(r'w:type="(\w+)"', end) == ["separator", "continuationSeparator"]
    assert len(re.findall(r"<w:endnote ", end)) == 4
    assert re.search(r'w:customMarkFollows="1"[^>]*/><w:t>\*</w:t>', parts["word/document.xml"])
    # the field-code URLs are in no relationship part: only the field codes hold them
    rels = "".join(v for k, v in parts.items() if k.endswith(".rels"))
    for url in (
        "https://survey.example.org/2015/appendix.pdf",
        "https://stats.example.gov/portal/land?year=2015&amp;view=table",
        "https://archive.example.org/web/2015/survey.example.org/2015/results",
    ):
        assert url not in rels
    assert 'w:instr=" HYPERLINK &quot;https://survey.example.org/2015/appendix.pdf' in foot
    assert len(re.findall(r"<w:instrText", end)) == 2  # one code split over two runs
    # note 2's address is only in the relationships: the note prints "survey results"
    assert "results?id=7" not in foot and "results?id=7" in parts["word/_rels/footnotes.xml.rels"]


def test_body_urls_from_relationship_and_complex_field(doc):
    assert [(u.url, u.location.line) for u in doc.body_urls] == [
        ("https://ministry.example.gov/land/registry-policy.html", 4),
        ("https://stats.example.gov/portal/land?year=2015&view=table", 4),
    ]
    assert [(h.number, h.title, h.location.line) for h in doc.headings] == [
        ("1", "Word features", 1),
        ("1.1", "Field codes", 3),
        ("2", "After the endnotes", 5),
    ]


def test_labels_are_what_libreoffice_prints(doc):
    """Each marker's label follows its text in LibreOffice's rendering of the same file:
    numbers for footnotes, i, ii for endnotes (Word's default), the custom mark as is."""
    printed = re.sub(r"\s+", "", (DATA / "word.layout.txt").read_text())
    for m in doc.markers:
        before = re.sub(r"\s+", "", doc.paragraphs[m.paragraph].text[: m.offset])[-12:]
        assert before + m.label in printed, (m.label, before)


@pytest.mark.parametrize(
    "code, url",
    [
        (' HYPERLINK "https://a.example/x" \\o "tip" ', "https://a.example/x"),
        (" HYPERLINK https://a.example/y ", "https://a.example/y"),
        (' HYPERLINK \\l "_Toc1" ', ""),
        (' HYPERLINK \\l "_Toc1" "https://a.example/z"', "https://a.example/z"),
        (" PAGE ", ""),
    ],
)
def test_hyperlink_field_code_forms(code, url):
    assert docx._hyperlink_field(code) == url


def test_not_a_docx_is_an_input_error():
    with pytest.raises(InputError, match=r"^r\.docx: not a valid \.docx"):
        docx.read(b"PK\x03\x04 but not really a zip", "r.docx")


def _rezip(path: Path, changes: dict[str, bytes]) -> bytes:
    """The .docx at `path` with the parts in `changes` replaced or added."""
    from io import BytesIO

    out = BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename not in changes:
                dst.writestr(item, src.read(item.filename))
        for name, data in changes.items():
            dst.writestr(name, data)
    return out.getvalue()


def _core(modified: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
        'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dcterms="http://purl.org'
        '/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dcterms:created xsi:'
        'type="dcterms:W3CDTF">2009-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type='
        f'"dcterms:W3CDTF">{modified}</dcterms:modified></cp:coreProperties>'
    ).encode()


def test_report_date_is_when_the_file_was_last_saved_not_created():
    data = _rezip(DATA / "small.docx", {"docProps/core.xml": _core("2015-10-01T09:30:00Z")})
    assert docx.read(data, "d.docx").published.isoformat() == "2015-10-01"


def test_cover_page_publish_date_wins_over_core_properties():
    cover = (
        b'<?xml version="1.0"?><CoverPageProperties xmlns="http://schemas.microsoft.com/office/'
        b'2006/coverPageProps"><PublishDate>2014-06-30</PublishDate><Abstract/>'
        b"</CoverPageProperties>"
    )
    data = _rezip(
        DATA / "small.docx",
        {"docProps/core.xml": _core("2020-01-01T00:00:00Z"), "customXml/item1.xml": cover},
    )
    assert docx.read(data, "d.docx").published.isoformat() == "2014-06-30"


def test_no_usable_date_gives_none():
    data = _rezip(DATA / "small.docx", {"docProps/core.xml": _core("")})
    assert docx.read(data, "d.docx").published is None
