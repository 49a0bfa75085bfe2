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


def _facts(doc):
    from citecheck.analysis import numbering

    return [(f.rule, f.label) for f in numbering.check(doc)]


def test_a_comment_eats_its_newline_so_the_next_line_footnote_keeps_its_marker():
    doc = latex.read(
        "\\begin{document}\nA claim.%\n\\footnote{First.}\nAnother % 109\nclaim.%\n"
        "   \\footnote{Second.} % 110\n\nNew paragraph.\\footnote{Third.}\n\\end{document}\n",
        "c.tex",
    )
    assert [(n.label, n.text, n.location.line) for n in doc.notes] == [
        ("1", "First.", 3),
        ("2", "Second.", 6),
        ("3", "Third.", 8),
    ]
    assert [(m.label, m.paragraph, m.location.line) for m in doc.markers] == [
        ("1", 0, 3),
        ("2", 0, 6),
        ("3", 1, 8),
    ]
    assert doc.paragraphs[0].text == "A claim. Another claim."
    assert doc.paragraphs[0].text[: doc.markers[1].offset] == "A claim. Another claim."
    assert _facts(doc) == []


def test_footnotemark_and_footnotetext_paired_as_latex_numbers_them():
    doc = latex.read(
        "\\begin{document}\nOne\\footnote{n1} two\\footnotemark{} and three\\footnotemark{}.\n"
        "\\addtocounter{footnote}{-1}\\footnotetext{n2}\n"
        "\\stepcounter{footnote}\\footnotetext{n3}\n"
        "Table\\footnotemark[7] here.\\footnotetext[7]{n7}\n"
        "Four\\footnote{n4}. \\setcounter{footnote}{9}Ten\\footnote{n10}.\n\\end{document}\n",
        "m.tex",
    )
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "n1"),
        ("2", "n2"),
        ("3", "n3"),
        ("7", "n7"),
        ("4", "n4"),
        ("10", "n10"),
    ]
    assert [m.label for m in doc.markers] == ["1", "2", "3", "7", "4", "10"]
    assert [r for r, _ in _facts(doc) if r != "out-of-sequence"] == []


def test_url_and_href_arguments_are_verbatim():
    doc = latex.read(
        "\\begin{document}\nText.\\footnote{See \\url{https://example.org/~user/a_b%20c#frag} "
        "and \\href{https://example.org/q?x=1\\&y=2\\#top}{the page}.}\n\\end{document}\n",
        "u.tex",
    )
    assert doc.notes[0].urls == (
        "https://example.org/~user/a_b%20c#frag",
        "https://example.org/q?x=1&y=2#top",
    )
    assert doc.notes[0].text == "See https://example.org/~user/a_b%20c#frag and the page."


def test_verbatim_iffalse_and_comment_environments_hold_no_notes():
    doc = latex.read(
        "\\begin{document}\nUse \\verb|\\footnote{x}| like this.\\footnote{Real.}\n"
        "\\begin{verbatim}\nA\\footnote{not a note} 50% done\n\\end{verbatim}\n"
        "\\iffalse\nOld\\footnote{gone} \\ifx a b \\fi still gone\n\\fi\n"
        "\\begin{comment}\nDraft\\footnote{gone too}\n\\end{comment}\nEnd.\n\\end{document}\n",
        "v.tex",
    )
    assert [n.text for n in doc.notes] == ["Real."]
    body = " ".join(p.text for p in doc.paragraphs)
    assert "\\footnote{x}" in body and "50% done" in body and "gone" not in body


def test_input_and_include_followed_relative_to_the_main_file(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "one.tex").write_text(
        "Chapter text.%\n\\footnote{From one, \\url{https://example.org/one}.}\n"
        "\\input{chapters/two}\n"
    )
    (tmp_path / "chapters" / "two.tex").write_text(
        "Two.\\footnote{From two.}\n\\input{main}\n"  # a loop back to the main file
    )
    main = tmp_path / "main.tex"
    main.write_text(
        "\\documentclass{article}\n\\begin{document}\nIntro.\\footnote{Main.}\n"
        "\\include{chapters/one}\n% \\input{chapters/two}\n\\input{missing}\n\\end{document}\n"
    )
    doc = latex.read(main.read_text(), str(main))
    assert [(n.label, n.text, Path(n.location.file).name, n.location.line) for n in doc.notes] == [
        ("1", "Main.", "main.tex", 3),
        ("2", "From one, https://example.org/one.", "one.tex", 2),
        ("3", "From two.", "two.tex", 1),
    ]
    assert [m.label for m in doc.markers] == ["1", "2", "3"]
    assert _facts(doc) == []


def test_book_classes_number_footnotes_per_chapter_without_false_duplicates():
    doc = latex.read(
        "\\documentclass{report}\n\\begin{document}\n\\chapter{One}\nA\\footnote{a}. "
        "B\\footnote{b}.\n\\chapter{Two}\nC\\footnote{c}.\n\\section{Sub}\nSee section 2.1.\n"
        "\\end{document}\n",
        "b.tex",
    )
    assert [n.label for n in doc.notes] == ["1", "2", "1"]
    assert [(h.number, h.title) for h in doc.headings] == [
        ("1", "One"),
        ("2", "Two"),
        ("2.1", "Sub"),
    ]
    assert _facts(doc) == []
    article = latex.read(
        "\\documentclass{article}\\begin{document}\\chapter{X}A\\footnote{a}"
        "\\chapter{Y}B\\footnote{b}\\end{document}",
        "a.tex",
    )
    assert [n.label for n in article.notes] == ["1", "2"]


def test_a_book_part_read_alone_numbers_footnotes_per_chapter():
    # a chapter file \input by a book's main file: only chapter classes define \chapter, and
    # they all restart footnotes in each chapter; a starred chapter does not restart them
    part = latex.read(
        "\\part{Logic}\n\\chapter{Blocks}\nA claim.\\footnote{First.}\n"
        "\\chapter*{Aside}\nMore.\\footnote{Second.}\n"
        "\\chapter{Identity}\nAnother.\\footnote{Third.}\n",
        "part.tex",
    )
    assert [n.label for n in part.notes] == ["1", "2", "1"]
    assert [m.label for m in part.markers] == ["1", "2", "1"]
    assert _facts(part) == []
    told = latex.read(
        "\\counterwithout{footnote}{chapter}\n\\chapter{A}X\\footnote{a}\\chapter{B}Y\\footnote{b}",
        "told.tex",
    )
    assert [n.label for n in told.notes] == ["1", "2"]


def test_a_real_duplicate_is_still_found():
    doc = latex.read(
        "\\begin{document}A\\footnote[1]{a} B\\footnote[2]{b} C\\footnote[3]{c} "
        "D\\footnote[1]{d} E\\footnote[5]{e}\\end{document}",
        "d.tex",
    )
    assert ("duplicate-note", "1") in _facts(doc)


@pytest.mark.parametrize(
    ("date", "want"),
    [
        ("\\date{12 March 2019}", "2019-03-12"),
        ("\\date{October 2015}", "2015-10-01"),
        ("\\date{2020-02-29}", "2020-02-29"),
        ("\\date{\\today}", None),
        ("\\date{Spring 2015}", None),
        ("\\date{}", None),
    ],
)
def test_date_read_only_when_it_is_a_date(date, want):
    doc = latex.read(
        f"\\documentclass{{article}}\n{date}\n\\begin{{document}}x\\end{{document}}", "d.tex"
    )
    assert (doc.published.isoformat() if doc.published else None) == want
