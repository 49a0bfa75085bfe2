"""PDF reader on hand-built PDFs (tests/pdfbuild.py) that reproduce, glyph for glyph, layouts
seen in real reports: a pilcrow whose font box reaches into the lines around it, a redacted
note whose number is printed again at full size, 6 pt note numbers over 7 pt note text, math
exponents stacked over subscripts, underscores in URLs drawn as rules, a blacked-out
sentence of which only the stop, the markers and a closing bracket show, and short notes set
side by side on one line."""

import pytest

from citecheck.models import Document
from tests.pdfbuild import ADVANCE, Item, Link, Rule, Text, build

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


def _read(items: list[Item], per_glyph: bool = False, size: float = 12) -> Document:
    """The page read, under an opening line as wide as the text block (the separator is a
    third of that width)."""
    opening = Text(72, 730, size, "The findings below are set out in the order they were made.")
    return pdf.read(build([[opening, *items]], per_glyph=per_glyph), "made.pdf")


@pytest.mark.parametrize("per_glyph", [False, True], ids=["text-objects", "glyph-objects"])
def test_glyph_box_taller_than_its_line_keeps_note_lines_apart(per_glyph: bool) -> None:
    """Three one-line notes each with a pilcrow whose declared box spans the lines above and
    below: three notes, not one '123' note holding all three lines."""
    items: list[Item] = [
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


def test_note_number_as_long_as_its_note_text_is_still_its_label() -> None:
    """A redacted note shows only its number, printed again at full size ('²2'): as many
    characters in the 7 pt label as in the 10 pt text; the line is 10 pt text with a label."""
    items: list[Item] = [
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


def test_note_numbers_barely_smaller_than_note_text_but_raised() -> None:
    """7 pt notes numbered in 6 pt (pdfTeX's \\footnotesize in a 9 pt paper): raised well
    above the baseline, so labels, though only 14% smaller."""
    items: list[Item] = [
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
    flat: list[Item] = [*_claim(700, "A claim with a note.", "1", size=9), SEPARATOR]
    page = _note(125, "1", "First source, page", size=7, label_size=6)
    flat += [*page, Text(page[1].x1 + 2, 125, 6, "2"), Text(page[1].x1 + 8, 125, 7, "of 9.")]
    doc = _read(flat, size=9)
    assert [(n.label, n.text) for n in doc.notes] == [("1", "First source, page 2 of 9.")]


def test_exponents_are_no_markers_unless_their_note_is_on_the_page() -> None:
    """v with 2 over r (an exponent stacked over a subscript) and x² (a power of a variable
    set on its own) call note 2 only where note 2 sits at the page's foot; on a page with
    note 1 only they are text, though 2 is the next number of the sequence."""

    def page(last_note: str) -> list[Item]:
        claim = _claim(700, "Votes are counted in rounds.", "1")
        words = Text(72, 680, 12, "We denote by ")
        v = Text(words.x1, 680, 12, "v")
        stacked = [Text(v.x1, 685, 8, "2"), Text(v.x1, 677, 8, "r")]
        rest = Text(v.x1 + 8, 680, 12, "the set, and by ")
        x = Text(rest.x1, 680, 12, "x")
        power = Text(x.x1, 685, 8, "2")
        end = Text(x.x1 + 5, 680, 12, "its square.")
        items: list[Item] = [*claim, words, v, *stacked, rest, x, power, end, SEPARATOR]
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
def test_underscore_drawn_as_a_rule_inside_a_printed_url(per_glyph: bool) -> None:
    """XeTeX-style URLs whose '_' is a short rule on the baseline, the text holding a space
    there: the URL is read whole, on one line and across two of them."""
    items: list[Item] = [
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


def test_blacked_out_sentence_leaves_stop_markers_and_bracket() -> None:
    """A redacted line of which only '.', the raised markers and ')' print: they are markers
    (their notes are on the page), the bracket no part of them."""
    items: list[Item] = [
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


def test_link_annotation_and_printed_url_agree() -> None:
    """A control: a link annotation over a printed URL gives that URL once."""
    url = "https://example.org/report_2015/"
    items: list[Item] = [
        *_claim(700, "The report.", "1"),
        SEPARATOR,
        *_note(125, "1", "See " + url),
    ]
    text = Text(72, 125, 10, "See " + url)
    items.append(Link(text.x, 122, text.x1, 134, url))
    doc = _read(items)
    assert doc.notes[0].urls == (url,)


def test_markers_after_a_one_letter_span_still_call_endnotes() -> None:
    """A word's last letter in a span of its own ("test" "s") and a one-letter word: their
    raised numbers still call the notes of an endnotes section two pages on."""
    opening = Text(72, 730, 12, "The findings below are set out in the order they were made.")
    words = Text(72, 700, 12, "Two studies ran the same test")
    last = Text(words.x1, 700, 12, "s")
    variable = Text(72, 686, 12, "and one used the letter x")
    body = [opening, words, last, Text(last.x1, 705, 7, "1")]
    body += [variable, Text(variable.x1, 691, 7, "2")]
    notes = [Text(72, 730, 14, "Notes"), Text(72, 710, 12, "1 Smith, Testing, 2015.")]
    notes.append(Text(72, 696, 12, "2 Jones, Letters, 2016."))
    doc = pdf.read(build([body, [opening], notes]), "endnotes.pdf")
    assert [(m.label, m.location.line) for m in doc.markers] == [("1", 1), ("2", 1)]
    assert [(n.label, n.location.line) for n in doc.notes] == [("1", 3), ("2", 3)]


def test_short_notes_set_side_by_side_on_one_line() -> None:
    """Notes run on in one paragraph (footmisc's para style): each raised next number after
    a space starts a note, on the first line and on a wrapped one; a link annotation goes to
    the note it lies over; a raised power inside a note ("10⁶": after a digit) stays text."""
    url = "https://example.org/a"
    items: list = [SEPARATOR]
    for i in range(5):
        items += _claim(700 - 14 * i, f"Claim number {i + 1} is here.", str(i + 1))
    x, y, parts = 72.0, 125.0, {}
    for label, text in (("1", "Ibid."), ("2", "Ibid., at 45."), ("3", f"See {url}"), ("4", "A")):
        number = Text(x, y + 4, 7, label)
        parts[label] = Text(number.x1 + 1, y, 10, text)
        items += [number, parts[label]]
        x = parts[label].x1 + 8
    printed = parts["3"]
    items.append(Link(printed.x + 4 * ADVANCE * 10, y - 2, printed.x1, y + 9, url))
    wrapped = Text(72, 113, 10, "longer note, 10")
    items += [wrapped, Text(wrapped.x1, 117, 7, "6"), Text(wrapped.x1 + 6, 113, 10, "cases.")]
    items += [Text(wrapped.x1 + 50, 117, 7, "5"), Text(wrapped.x1 + 55, 113, 10, "Id.")]
    doc = _read(items)
    assert [(n.label, n.text, n.urls) for n in doc.notes] == [
        ("1", "Ibid.", ()),
        ("2", "Ibid., at 45.", ()),
        ("3", f"See {url}", (url,)),
        ("4", "A longer note, 106 cases.", ()),
        ("5", "Id.", ()),
    ]
    assert [m.label for m in doc.markers] == ["1", "2", "3", "4", "5"]


def test_plain_number_glued_to_a_word_on_a_wrapped_line_is_no_new_note() -> None:
    """Notes numbered in plain figures, as LibreOffice sets them: a wrapped line that starts
    "1D) against ..." (figure 1D) continues note 2; it is no restart of the numbering."""
    items: list[Item] = [
        *_claim(700, "The first claim is here.", "1"),
        *_claim(686, "The second claim is here.", "2"),
        SEPARATOR,
        Text(90, 125, 10, "1 Smith and Jones, 2015."),
        Text(90, 113, 10, "2 We would perform an inferiority test (see figure"),
        Text(72, 101, 10, "1D) against the bound."),
    ]
    doc = _read(items)
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "Smith and Jones, 2015."),
        ("2", "We would perform an inferiority test (see figure 1D) against the bound."),
    ]


def _page(*items: Item) -> list[Item]:
    opening = Text(72, 730, 12, "The findings below are set out in the order they were made.")
    return [opening, *items]


def test_next_number_far_from_its_footnote_is_no_marker() -> None:
    """An author's affiliation number on page 1 ("Isager¹") is no marker of footnote 1 on
    page 3; a marker whose footnote did not fit and went to the next page still is."""
    author = Text(200, 760, 12, "Peder Isager")
    title = [author, Text(author.x1, 765, 7, "1")]
    middle = _page(*_claim(700, "Nothing is cited on this page."))
    third = _page(*_claim(700, "The power approach is similar.", "1"), SEPARATOR)
    third += _note(125, "1", "Lenth, 2007.")
    fourth = _page(*_claim(700, "The last claim of the page.", "2"))
    fifth = _page(*_claim(700, "A page of text.", ""), SEPARATOR, *_note(125, "2", "Moved on."))
    doc = pdf.read(build([_page(*title), middle, third, fourth, fifth]), "paper.pdf")
    assert [(m.label, m.location.line) for m in doc.markers] == [("1", 3), ("2", 4)]
    assert [(n.label, n.location.line) for n in doc.notes] == [("1", 3), ("2", 5)]


def test_note_links_in_reading_order_and_only_web_targets() -> None:
    """Link annotations stored last to first give the note's URLs in the order printed; a
    relative link and a mailto: link are no web citations."""
    targets = ["https://a.example/one", "https://b.example/two", "https://c.example/three"]
    items: list[Item] = [*_claim(700, "Three books and a lesson.", "1"), SEPARATOR]
    items += _note(125, "1", "See One, Two and Three; the lesson; write to us.")
    text = Text(72, 125, 10, "See One, Two and Three; the lesson; write to us.")
    step = ADVANCE * 10
    spans = [(4, 7), (9, 12), (17, 22), (24, 34), (36, 47)]
    uris = [*targets, "../../en/lessons/jupyter-notebooks", "mailto:editor@example.org"]
    for (a, b), uri in reversed(list(zip(spans, uris, strict=True))):
        items.append(Link(text.x + a * step, 122, text.x + b * step, 134, uri))
    doc = _read(items)
    assert doc.notes[0].urls == tuple(targets)


def test_marker_sequence_with_notes_on_the_pages_around() -> None:
    """Footnote documents: the next label may call a note on the page before or after; a
    power after a digit ("10⁶", strict) only a note on this page; further away, nothing."""
    from citecheck.readers._markers import MarkerSequence

    seq = MarkerSequence(on_page_only=True)
    seq.page(["1"], near=["2"])
    assert seq.labels("1") == ["1"]
    assert seq.labels("2", strict=True) == []
    assert seq.labels("2") == ["2"]
    seq.page([], near=[])
    assert seq.labels("3") == []
    seq.page(["4"], near=["3"])
    assert seq.labels("34") == ["3", "4"]


def test_notes_of_a_printed_html_page() -> None:
    """A web page printed to PDF: endnotes ending in a "↩" back to their marker, a URL that
    wraps inside quotes, and a two-digit marker whose digits are two raised pieces."""
    cran = "https://cran.r-project.org/web/packages/topicmodels/index.html"
    body: list[Item] = []
    for i in range(1, 10):
        body += _claim(700 - 14 * i, f"Claim {i} is here.", str(i))
    words = Text(72, 550, 12, "using packages such as topicmodels.")
    one = Text(words.x1, 555, 8, "1")
    body += [words, one, Text(one.x1 + 1, 555, 8, "0")]
    notes: list[Item] = [Text(72, 730, 24, "Endnotes")]
    for i in range(1, 10):
        notes.append(Text(72, 700 - 14 * i, 12, f"{i}. Source number {i}."))
    notes.append(Text(72, 550, 12, "10. Grun and Hornik, “https://cran.r-"))
    tail = Text(72, 536, 12, "project.org/web/packages/topicmodels/index.html”.")
    notes += [tail, Text(tail.x1, 536, 12, "\u21a9", font="F3")]
    doc = pdf.read(build([_page(*body), notes]), "page.pdf")
    assert [m.label for m in doc.markers] == [str(n) for n in range(1, 11)]
    assert [n.label for n in doc.notes] == [str(n) for n in range(1, 11)]
    last = doc.notes[-1]
    assert last.urls == (cran,)
    assert last.text == f"Grun and Hornik, “{cran}”."
