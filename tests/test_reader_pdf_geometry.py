"""PDF reader on hand-built PDFs (tests/pdfbuild.py) that reproduce, glyph for glyph, layouts
seen in real reports: a pilcrow whose font box reaches into the lines around it, a redacted
note whose number is printed again at full size, 6 pt note numbers over 7 pt note text, math
exponents stacked over subscripts, underscores in URLs drawn as rules, and a blacked-out
sentence of which only the stop, the markers and a closing bracket show."""

import pytest

from tests.pdfbuild import ADVANCE, Link, Rule, Text, build

pdf = pytest.importorskip("citecheck.readers.pdf")

SEPARATOR = Rule(72, 250, 140)


def _claim(y: float, words: str, label: str = "", size: float = 12) -> list[Text]:
    """A body line ending in a raised marker `label` (if any)."""
    line = Text(72, y, size, words)
    return [line, Text(line.x1, y + 0.4 * size, 0.6 * size, label)] if label else [line]


def _note(
    y: float,
    label: str,
    text: str,
    size: float = 10,
    label_size: float = 7,
    gap: float = 1,
    rise: float = 0.4,
) -> list[Text]:
    """A footnote line: its number raised by `rise` ems, then its text."""
    number = Text(72, y + rise * size, label_size, label)
    return [number, Text(number.x1 + gap, y, size, text)]


def _read(items: list, per_glyph: bool = False, size: float = 12):
    """The page read, under an opening line as wide as the text block (the separator is a
    third of that width)."""
    opening = Text(72, 730, size, "The findings below are set out in the order they were made.")
    return pdf.read(build([[opening, *items]], per_glyph=per_glyph), "made.pdf")


@pytest.mark.parametrize("per_glyph", [False, True], ids=["text-objects", "glyph-objects"])
def test_glyph_box_taller_than_its_line_keeps_note_lines_apart(per_glyph):
    """Three one-line notes each with a pilcrow whose declared box spans the lines above and
    below: three notes, not one '123' note holding all three lines."""
    items = [
        *_claim(700, "The indictment says so.", "1"),
        *_claim(686, "It says so twice.", "2"),
        *_claim(672, "And a third time.", "3"),
        SEPARATOR,
    ]
    for i, (label, para) in enumerate((("1", "25."), ("2", "24(c)."), ("3", "24(b)."))):
        y = 125 - 12 * i
        label_and_text = _note(y, label, "Netyksho Indictment ")
        pilcrow = Text(label_and_text[1].x1, y, 10, "\u00b6", font="F3")
        items += [*label_and_text, pilcrow, Text(pilcrow.x1 + 6, y, 10, para)]
    doc = _read(items, per_glyph)
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "Netyksho Indictment ¶ 25."),
        ("2", "Netyksho Indictment ¶ 24(c)."),
        ("3", "Netyksho Indictment ¶ 24(b)."),
    ]
    assert [m.label for m in doc.markers] == ["1", "2", "3"]


def test_note_number_as_long_as_its_note_text_is_still_its_label():
    """A redacted note shows only its number, printed again at full size ('²2'): as many
    characters in the 7 pt label as in the 10 pt text; the line is 10 pt text with a label."""
    items = [
        *_claim(700, "An email was sent.", "1"),
        *_claim(686, "Two more were found.", "2"),
        *_claim(672, "The last is withheld.", "3"),
        SEPARATOR,
        *_note(125, "1", "Email, Smith to Smith."),
        *_note(113, "2", "2", gap=0),
        *_note(101, "3", "3", gap=0),
    ]
    doc = _read(items)
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "Email, Smith to Smith."),
        ("2", "2"),
        ("3", "3"),
    ]


def test_note_numbers_barely_smaller_than_note_text_but_raised():
    """7 pt notes numbered in 6 pt (pdfTeX's \\footnotesize in a 9 pt paper): raised well
    above the baseline, so labels, though only 14% smaller."""
    items = [
        *_claim(700, "A claim with a note.", "1", size=9),
        *_claim(689, "A second one here.", "2", size=9),
        SEPARATOR,
        *_note(125, "1", "1024 validators sign each.", size=7, label_size=6, gap=0, rise=0.3),
        *_note(116, "2", "2048 = 2 to the 11 (11 bits).", size=7, label_size=6, gap=0, rise=0.3),
    ]
    doc = _read(items, size=9)
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "1024 validators sign each."),
        ("2", "2048 = 2 to the 11 (11 bits)."),
    ]
    # the same size drawn on the baseline is text, not a label
    flat = [*_claim(700, "A claim with a note.", "1", size=9), SEPARATOR]
    page = _note(125, "1", "First source, page", size=7, label_size=6)
    flat += [*page, Text(page[1].x1 + 2, 125, 6, "2"), Text(page[1].x1 + 8, 125, 7, "of 9.")]
    doc = _read(flat, size=9)
    assert [(n.label, n.text) for n in doc.notes] == [("1", "First source, page 2 of 9.")]


def test_exponents_are_no_markers_unless_their_note_is_on_the_page():
    """v with 2 over r (an exponent stacked over a subscript) and x² (a power of a variable
    set on its own) call note 2 only where note 2 sits at the page's foot; on a page with
    note 1 only they are text, though 2 is the next number of the sequence."""

    def page(last_note: str) -> list:
        claim = _claim(700, "Votes are counted in rounds.", "1")
        words = Text(72, 680, 12, "We denote by ")
        v = Text(words.x1, 680, 12, "v")
        stacked = [Text(v.x1, 685, 8, "2"), Text(v.x1, 677, 8, "r")]
        rest = Text(v.x1 + 8, 680, 12, "the set, and by ")
        x = Text(rest.x1, 680, 12, "x")
        power = Text(x.x1, 685, 8, "2")
        end = Text(x.x1 + 5, 680, 12, "its square.")
        items = [*claim, words, v, *stacked, rest, x, power, end, SEPARATOR]
        items += _note(125, "1", "Round-based consensus.")
        if last_note == "2":
            items += _note(113, "2", "The prevotes of round r.")
        return items

    doc = _read(page("1"))
    assert [m.label for m in doc.markers] == ["1"]
    text = " ".join(p.text for p in doc.paragraphs)
    assert "We denote by v" in text and "the set, and by x2" in text  # digits kept as text
    doc = _read(page("2"))
    assert [m.label for m in doc.markers] == ["1", "2"]  # the first 2: its note is here


@pytest.mark.parametrize("per_glyph", [False, True], ids=["text-objects", "glyph-objects"])
def test_underscore_drawn_as_a_rule_inside_a_printed_url(per_glyph):
    """XeTeX-style URLs whose '_' is a short rule on the baseline, the text holding a space
    there: the URL is read whole, on one line and across two of them."""
    items = [
        *_claim(700, "His biography is online.", "1"),
        SEPARATOR,
        *_note(125, "1", "Biography, available at"),
    ]
    x, y, step = 72.0, 113.0, ADVANCE * 10
    for word in ("https://rdif.example/Eng", "person", "dmitriev", "kirill/."):
        part = Text(x, y, 10, word + " ")
        items.append(part)
        x = part.x1 - step  # the space's room holds the rule
        items.append(Rule(x + 0.5, x + step - 0.5, y - 1.2, 0.5))
        x += step
    items.pop()  # no underscore after the last word
    items += [
        Text(72, 101, 10, "See https://rdif.example/Eng "),
        Rule(72 + 28 * step, 72 + 29 * step - 0.5, 99.8),
    ]
    items.append(Text(72 + 29 * step, 101, 10, "About/."))
    doc = _read(items, per_glyph)
    (note,) = doc.notes
    assert note.urls == (
        "https://rdif.example/Eng_person_dmitriev_kirill/",
        "https://rdif.example/Eng_About/",
    )


def test_blacked_out_sentence_leaves_stop_markers_and_bracket():
    """A redacted line of which only '.', the raised markers and ')' print: they are markers
    (their notes are on the page), the bracket no part of them."""
    items = [
        *_claim(700, "The first claim is public.", "1"),
        Text(300, 672, 12, "."),
        Text(300 + ADVANCE * 12, 677, 8, "2,3"),
        Text(300 + ADVANCE * 12 + 3 * ADVANCE * 8, 672, 12, ")"),
        SEPARATOR,
        *_note(125, "1", "Public source."),
        *_note(113, "2", "Withheld source."),
        *_note(101, "3", "Another withheld source."),
    ]
    doc = _read(items)
    assert [m.label for m in doc.markers] == ["1", "2", "3"]
    assert [n.label for n in doc.notes] == ["1", "2", "3"]


def test_link_annotation_and_printed_url_agree():
    """A control: a link annotation over a printed URL gives that URL once."""
    url = "https://example.org/report_2015/"
    items = [*_claim(700, "The report.", "1"), SEPARATOR, *_note(125, "1", "See " + url)]
    text = items[-1]
    items.append(Link(text.x, 122, text.x1, 134, url))
    doc = _read(items)
    assert doc.notes[0].urls == (url,)
