"""LaTeX reader corner cases on tests/data/formats/edge.tex (notes.tex, the common cases, is
read in test_readers_formats.py)."""

from pathlib import Path

import pytest

from citecheck.errors import InputError
from citecheck.readers import latex

DATA = Path(__file__).parent / "data" / "formats"


@pytest.fixture(scope="module")
def doc():
    return latex.read((DATA / "edge.tex").read_text(), "edge.tex")


def test_notes_explicit_numbers_escapes_nested_braces_and_comments(doc):
    assert [(n.label, n.location.line, n.text, n.urls) for n in doc.notes] == [
        (
            "1",
            6,
            "Encoded path, https://example.org/a%20b/c#part.",
            ("https://example.org/a%20b/c#part",),
        ),
        ("7", 7, "Seventh, see the nested text and {braces}.", ("https://example.org/x?a=1&b=2",)),
        ("9", 10, "Ninth, https://example.org/nine continues here.", ("https://example.org/nine",)),
    ]


def test_markers_at_footnote_and_footnotemark_positions(doc):
    assert [(m.label, m.location.line) for m in doc.markers] == [("1", 6), ("7", 7), ("9", 9)]
    m = doc.markers[2]
    assert doc.paragraphs[m.paragraph].text[: m.offset].endswith("Then a mark")


def test_comment_after_line_break_and_percent_in_body_url(doc):
    body = " ".join(p.text for p in doc.paragraphs)
    assert "A line break then a comment Escapes in an address." in body
    assert "commented out" not in body
    assert [u.url for u in doc.body_urls] == ["https://example.org/p%20q"]


def test_unbalanced_braces_name_the_line():
    with pytest.raises(InputError, match=r"^r\.tex:3: unbalanced braces"):
        latex.read("\\begin{document}\nText.\n\\footnote{never closed\n\\end{document}\n", "r.tex")
