"""DOCX, pdftotext -layout and LaTeX readers against documents built by tests/data/formats/make.sh
(pandoc -> DOCX, LibreOffice -> PDF, pdftotext -layout -> text)."""

import os
from dataclasses import replace
from pathlib import Path

from citecheck.readers import docx, latex, pdftext

DATA = Path(__file__).parent / "data" / "formats"
VGT = Path("/work/shared/reports/vgt-environmental-scan-2015.txt")
NOTE_URLS = {
    "1": ("https://example.org/annual/2014/report-final-version-with-appendices.pdf",),
    "2": ("https://journals.example.net/land/article/view/123456?lang=en&format=pdf",),
    "3": (),
    "4": (),
}


def test_docx_labels_are_printed_numbers_not_word_ids():
    doc = docx.read((DATA / "small.docx").read_bytes(), "small.docx")
    assert [n.label for n in doc.notes] == ["1", "2", "3", "4", "5"]
    assert [m.label for m in doc.markers] == ["1", "2", "3", "4", "5"]
    assert {n.label: n.urls for n in doc.notes if n.label in NOTE_URLS} == NOTE_URLS
    # link only in the relationships part (the printed text is "Voluntary Guidelines")
    assert doc.notes[4].urls == ("https://www.fao.org/nr/tenure/voluntary-guidelines/en/",)
    assert doc.notes[0].location.unit == "paragraph"
    assert [(h.number, h.title) for h in doc.headings] == [
        ("1", "Introduction"),
        ("1.1", "Scope"),
        ("2", "Findings"),
    ]
    assert [u.url for u in doc.body_urls] == [
        "https://example.org/reports/2015/overview-of-the-environmental-scan.html"
    ]
    m = doc.markers[0]
    assert doc.paragraphs[m.paragraph].text[: m.offset].endswith("open registries.")


def test_pdftext_markers_notes_and_year_not_marker():
    text = (DATA / "small.layout.txt").read_text()
    doc = pdftext.read(text, "small.layout.txt")
    assert [n.label for n in doc.notes] == ["1", "2", "3", "4", "5"]
    assert [m.label for m in doc.markers] == ["1", "2", "3", "4", "5"]  # "twice.23" = 2, 3
    assert {n.label: n.urls for n in doc.notes if n.label in NOTE_URLS} == NOTE_URLS
    assert [(h.number, h.title) for h in doc.headings] == [
        ("1", "Introduction"),
        ("1.1", "Scope"),
        ("2", "Findings"),
    ]
    assert "1999" in doc.paragraphs[0].text and "42 units" in doc.paragraphs[0].text
    assert pdftext.sniff(text)


def test_pdftext_does_not_claim_the_vgt_plain_text():
    assert not pdftext.sniff(VGT.read_text(encoding="utf-8"))


def test_latex_nested_braces_comments_href_url():
    doc = latex.read((DATA / "notes.tex").read_text(), "notes.tex")
    assert [(n.label, n.urls) for n in doc.notes] == [
        ("1", ("https://stats.example.org/land/2016/review.pdf",)),
        ("2", ("https://www.fao.org/tenure/guidelines/en/",)),
        ("3", ("https://example.net/a_b/c",)),
    ]
    assert doc.notes[0].text.startswith("Statistics office, Annual Review of Land, 2016")
    assert "hidden" not in doc.notes[1].text and "5%" in doc.paragraphs[0].text
    assert [(m.label, m.location.line) for m in doc.markers] == [("1", 6), ("2", 8), ("3", 13)]
    assert [(h.number, h.title) for h in doc.headings] == [("1", "Introduction"), ("1.1", "Scope")]
    assert [u.url for u in doc.body_urls] == ["https://body.example.com/page"]


def test_pdf_agrees_with_docx_and_layout_text():
    from citecheck.readers import pdf

    got = pdf.read((DATA / "small.pdf").read_bytes(), "small.pdf")
    want = docx.read((DATA / "small.docx").read_bytes(), "small.docx")
    assert [(n.label, n.urls) for n in got.notes] == [(n.label, n.urls) for n in want.notes]
    assert [m.label for m in got.markers] == ["1", "2", "3", "4", "5"]
    assert {n.location for n in got.notes} == {got.notes[0].location}
    assert got.notes[0].location.unit == "page" and got.notes[0].location.line == 1
    # the FAO note prints only "Voluntary Guidelines": its URL comes from the link annotation
    assert got.notes[4].urls == ("https://www.fao.org/nr/tenure/voluntary-guidelines/en/",)


def test_acceptance_55_notes_docx_pdf_and_layout_text_agree_with_markdown_source():
    """long.md (55 footnotes) -> pandoc -> DOCX -> LibreOffice -> PDF -> pdftotext: the three
    readers give the notes (label, text, URLs) and markers (label, place in the text) that
    the Markdown source says, hence the same from all three."""
    import re

    from citecheck.readers import pdf

    src = (DATA / "long.md").read_text()
    want = [
        (m.group(1), m.group(2), (m.group(3),))
        for m in re.finditer(r"^\[\^n(\d+)\]: (.*?(https://\S+))$", src, re.M)
    ]
    assert len(want) == 55
    docs = [
        docx.read((DATA / "long.docx").read_bytes(), "long.docx"),
        pdf.read((DATA / "long.pdf").read_bytes(), "long.pdf"),
        pdftext.read((DATA / "long.layout.txt").read_text(), "long.layout.txt"),
    ]
    for doc in docs:
        assert [(n.label, " ".join(n.text.split()), n.urls) for n in doc.notes] == want
        assert [m.label for m in doc.markers] == [label for label, _, _ in want]
        for m in doc.markers:
            before = doc.paragraphs[m.paragraph].text[: m.offset]
            assert before.endswith(f"finding number {m.label} of the scan in some detail.")
    # the broken URLs were mended, not merely found: the layout text has them split
    assert "full-report-section-\n1.html" in (DATA / "long.layout.txt").read_text()


def test_regenerated_documents_read_the_same(tmp_path):
    """Rebuilds small.md, word.md and pages.md with the real tools and reads the new files as
    the committed ones (skipped where pandoc, LibreOffice or poppler-utils are missing)."""
    import shutil
    import subprocess
    import sys

    import pytest

    from citecheck.readers import pdf

    if not all(shutil.which(t) for t in ("pandoc", "soffice", "pdftotext")):
        pytest.skip("pandoc, LibreOffice and poppler-utils are not installed")
    names = ["small", "word", "pages", "flow", "footer"]
    for name in [f"{n}.md" for n in names] + ["make.sh", "docx_edit.py"]:
        shutil.copy(DATA / name, tmp_path)
    env = {**os.environ, "PYTHON": sys.executable, "TMPDIR": str(tmp_path)}
    subprocess.run(
        ["sh", str(tmp_path / "make.sh"), *[f"{n}.md" for n in names]],
        check=True,
        timeout=120,
        env=env,
    )
    for base in names:
        for suffix, reader, mode in (
            (".docx", docx, "b"),
            (".pdf", pdf, "b"),
            (".layout.txt", pdftext, "t"),
            (".plain.txt", pdftext, "t"),
        ):
            name = base + suffix
            fresh, kept = tmp_path / name, DATA / name
            load = Path.read_bytes if mode == "b" else Path.read_text
            # the date a file was saved (DOCX core properties) is the one thing that differs
            got, want = reader.read(load(fresh), name), reader.read(load(kept), name)
            assert replace(got, published=None) == replace(want, published=None), name
