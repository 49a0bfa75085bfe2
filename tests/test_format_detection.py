"""Choosing a reader by content as well as by suffix (readers.load_document)."""

import shutil
from pathlib import Path

import pytest

from citecheck.errors import InputError
from citecheck.readers import load_document, markdown

DATA = Path(__file__).parent / "data" / "formats"
VGT = Path("/work/shared/reports/vgt-environmental-scan-2015.txt")


def _copy(tmp_path: Path, name: str, as_name: str) -> Path:
    target = tmp_path / as_name
    shutil.copy(DATA / name, target)
    return target


@pytest.mark.parametrize(
    "name, as_name, fmt, notes",
    [
        ("small.md", "report.txt", "markdown", 5),
        ("small.layout.txt", "report.txt", "pdftext", 5),
        ("notes.tex", "report.txt", "latex", 3),
        ("small.pdf", "report", "pdf", 5),
        ("small.pdf", "report.txt", "pdf", 5),
        ("small.docx", "report.bin", "docx", 5),
        ("small.docx", "report.md", "docx", 5),
    ],
)
def test_format_from_content(tmp_path, name, as_name, fmt, notes):
    doc = load_document(_copy(tmp_path, name, as_name))
    assert (doc.format, len(doc.notes)) == (fmt, notes)


def test_txt_with_markdown_footnotes_reads_as_markdown(tmp_path):
    doc = load_document(_copy(tmp_path, "small.md", "report.txt"))
    want = markdown.read((DATA / "small.md").read_text(), doc.source)
    assert (doc.notes, doc.markers) == (want.notes, want.markers)
    assert doc.notes[0].urls == (
        "https://example.org/annual/2014/report-final-version-with-appendices.pdf",
    )


def test_plain_text_report_stays_text():
    assert load_document(VGT).format == "text"


def test_text_that_mentions_a_pdf_header_is_not_a_pdf(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("%PDF-1.7 is the version.¹\n\n¹ ISO 32000-1:2008.\n", encoding="utf-8")
    assert load_document(path).format == "text"


def test_docx_suffix_on_something_else_says_what_is_wrong(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04 this is no zip archive")
    with pytest.raises(InputError, match=r"report\.docx: not a valid \.docx"):
        load_document(path)
