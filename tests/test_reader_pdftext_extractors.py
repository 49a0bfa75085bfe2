"""Text of a PDF from other extractors than `pdftotext -layout`: `pdftotext -raw`, PDFium
(pypdfium2) and pdfminer.six. They keep no layout spacing, order a page's foot area their own
way, put a raised number on its own line or at the next line's start, and mark pages, hyphens
and unknown glyphs in their own manner; the PDF-text reader must read them as it reads the
layout text.

The PDFs are tests/data/formats/*.pdf (made by make.sh with LibreOffice); the corpus
(tests/test_corpus.py, formats pdftext-raw, -pdfium, -pdfminer) holds the real documents.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from citecheck.readers import load_document, pdftext

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "formats"


def _extractors() -> dict[str, Callable[[Path], str]]:
    spec = importlib.util.spec_from_file_location(
        "extract_text", ROOT / "bench" / "corpus" / "extract_text.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    engines: dict[str, Callable[[Path], str]] = dict(module.ENGINES)

    def raw(pdf: Path) -> str:
        done = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, check=True)
        return done.stdout.decode("utf-8")

    engines["raw"] = raw
    return engines


EXTRACTORS = _extractors()


def _shape(doc: pdftext.Document) -> tuple[list[tuple[str, tuple[str, ...]]], list[str]]:
    return [(n.label, n.urls) for n in doc.notes], [m.label for m in doc.markers]


def _params() -> list[object]:
    params: list[object] = []
    for name in ("small", "long", "flow", "footer", "pages"):
        for engine in ("raw", "pdfium", "pdfminer"):
            marks = []
            if name == "small" and engine == "pdfium":
                # one page, so no form feed: sniffed as plain text, whose reader finds none
                # of the notes
                marks.append(pytest.mark.xfail(strict=True, reason="one page: read as text"))
            if name == "pages":
                # a note's end carried to the next page is printed there between the body
                # and the next notes, with no blank line to set it apart: its URL is read
                # as the body's
                marks.append(pytest.mark.xfail(strict=True, reason="carried note end, note 4"))
            params.append(pytest.param(name, engine, marks=marks, id=f"{name}-{engine}"))
    return params


@pytest.mark.parametrize(("name", "engine"), _params())
def test_other_extractors_read_as_the_layout_text(name: str, engine: str, tmp_path: Path) -> None:
    if engine == "raw" and shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    if engine == "pdfminer":
        pytest.importorskip("pdfminer")
    want = _shape(pdftext.read((DATA / f"{name}.layout.txt").read_text(), "layout"))
    text = tmp_path / f"{name}.{engine}.txt"
    text.write_text(EXTRACTORS[engine](DATA / f"{name}.pdf"), encoding="utf-8")
    doc = load_document(text)
    assert doc.format == "pdftext"
    assert want[0], "the layout text has notes"
    assert _shape(doc) == want


def test_pdfium_hyphen_mark_is_the_hyphen_of_a_url_broken_at_it(tmp_path: Path) -> None:
    # PDFium joins the two lines and marks the hyphen with U+0002 (a control character that
    # is otherwise stripped from the text)
    body = "A claim about the registry.1\n"
    foot = "1 See https://example.org/land-\x02administration/report.pdf for it.\n"
    path = tmp_path / "r.txt"
    path.write_text(f"Page one.\n\f{body}{foot}\f", encoding="utf-8")
    doc = load_document(path)
    assert [n.urls for n in doc.notes] == [("https://example.org/land--administration/report.pdf",)]


def test_markers_between_words_at_the_next_line_start_and_before_a_sentence() -> None:
    text = (
        "The office wrote to counsel in May and again in June, on a fee3that was paid.\n"
        "1 The answers came in late November 2018.2In December we wrote again.\n"
        "The President declined to be interviewed.\n"
        "1 5/16/18 Letter, Special Counsel to the President's Personal Counsel.\n"
        "2 12/3/18 Letter, Special Counsel's Office to the President's Personal Counsel.\n"
        "3 The fee.\n"
        "\f"
    )
    doc = pdftext.read(text, "t.txt")
    assert [n.label for n in doc.notes] == ["1", "2", "3"]
    assert [m.label for m in doc.markers] == ["3", "1", "2"]
    assert not doc.headings  # "1 The answers ..." opens with a marker, not a heading's number


def test_label_glued_to_a_date_opening_the_note() -> None:
    text = (
        "We received the written responses.1 We asked again.2\n"
        "15/16/18 Letter, Special Counsel to the President's Personal Counsel.\n"
        "212/3/18 Letter, Special Counsel's Office to the President's Personal Counsel.\n"
        "\f"
    )
    doc = pdftext.read(text, "t.txt")
    assert [(n.label, n.text[:8]) for n in doc.notes] == [("1", "5/16/18 "), ("2", "12/3/18 ")]


def test_pdfminer_cid_glyphs_are_no_markers() -> None:
    # "(cid:12)" is pdfminer.six's glyph without a character: its digits call nothing
    text = (
        "A signi(cid:12)cant claim.1 More (cid:12)ndings follow here.\n"
        "\n"
        "1 A note.\n"
        "\f"
        "Another signi(cid:12)cant page.\n"
        "\f"
    )
    doc = pdftext.read(text, "t.txt")
    assert [m.label for m in doc.markers] == ["1"]
    assert [n.label for n in doc.notes] == ["1"]


def test_contents_entries_are_no_notes() -> None:
    text = (
        "Table of Contents\n"
        "1. Meeting at the Tower . . . . . . . . . . . . . 23\n"
        "2. Hacking and Social Media . . . . . . . . . . 25\n"
        "3. The Moscow Project . . . . . . . . . . . . . 27\n"
        "\f"
        "The report opens here.1\n"
        "\n"
        "1 The first note.\n"
        "\f"
    )
    doc = pdftext.read(text, "t.txt")
    assert [n.label for n in doc.notes] == ["1"]
    assert doc.notes[0].text == "The first note."
