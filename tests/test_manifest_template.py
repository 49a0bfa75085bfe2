"""A new references.yaml is written from a template: every value loads back unchanged with the
round-trip loader (and with the fast reader), the data equal what the round-trip writer
makes, and later updates through the round-trip writer keep working."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from citecheck.manifest import load_manifest, update_manifest
from citecheck.manifest.template import quote, scalar
from citecheck.manifest.yamlfast import fast_load
from citecheck.manifest.yamlrt import make_yaml
from citecheck.models import Location, Note, NoteKind

AS_OF = dt.date(2015, 10, 1)
AWKWARD = [
    "yes",
    "No",
    "ON",
    "y",
    "null",
    "~",
    "",
    "1.0",
    "0x1F",
    "1e3",
    ".inf",
    "2015-10-01",
    "12:30",
    "+1",
    "-1",
    "=",
    "<<",
    "a: b",
    "ends with a colon:",
    "x #not a comment",
    "#hash",
    "- dash",
    "? question",
    ": colon",
    "[list]",
    "{map}",
    "a, [b], {c}",
    "&anchor",
    "*alias",
    "!tag",
    "| pipe",
    "> fold",
    "'single quoted'",
    '"double quoted"',
    'Author, "Title": a: b #c',
    "%directive",
    "@at",
    "`tick`",
    "trailing space ",
    " leading space",
    "tab\there",
    "line\nbreak",
    "two\n\nparagraphs\n",
    "carriage\rreturn",
    "nul\x00byte",
    "bell\x07",
    "del\x7f",
    "next line\x85",
    "C1 control\x9b",
    "line\u2028separator\u2029paragraph",
    "byte order\ufeffmark",
    "non-character\ufffe",
    "back\\slash \\n not an escape",
    "émoji 😀 and 漢字",
    "<http://www.europarl.europa.eu>",
    "http://a.example/x?y=1&z=#frag",
    "Responses to the VGT questionnaire (unpublished)",
    "---",
    "...",
]


def note(i: int, text: str, urls: tuple[str, ...] = ()) -> Note:
    return Note(str(i + 1), text, Location("report.txt", 10 + i), urls, NoteKind.CITATION)


NOTES = [
    note(i, t, (f'http://e.example/{i}?q="{t[:3]}"',) if i % 3 else ())
    for i, t in enumerate(AWKWARD)
]
MARKERS = {str(i + 1): (i + 1, i + 2) for i in range(len(AWKWARD))}


def round_trip_load(text: str):
    return make_yaml().load(io.StringIO(text))


@pytest.mark.parametrize("text", AWKWARD)
def test_every_scalar_loads_back_unchanged_with_both_loaders(text):
    for written in (quote(text), scalar(text)):
        doc = f"text: {written}\n"
        assert round_trip_load(doc)["text"] == text, written
        fast = fast_load(doc)
        if fast is not None:  # libyaml (YAML 1.1) agrees
            assert fast["text"] == text, written


def test_plain_only_where_nothing_else_could_be_read():
    assert scalar("Responses to the VGT questionnaire (unpublished)") == (
        "Responses to the VGT questionnaire (unpublished)"
    )
    for text in ("yes", "1.0", "a: b", "x #y", "- dash", "", "trailing "):
        assert scalar(text).startswith('"')


def _references(path):
    data = round_trip_load(path.read_text(encoding="utf-8"))
    return [dict(e) for e in data["references"]], {k: data[k] for k in data if k != "references"}


def test_template_file_equals_what_the_round_trip_writer_makes(tmp_path):
    new, merged = tmp_path / "new.yaml", tmp_path / "merged.yaml"
    update_manifest(new, NOTES, MARKERS, "reports/the report: 2015.md", AS_OF)
    merged.write_text("version: 1\nreferences: []\n")  # exists: the round-trip writer adds all
    update_manifest(merged, NOTES, MARKERS, "reports/the report: 2015.md", AS_OF)
    (ours, top), (theirs, their_top) = _references(new), _references(merged)
    assert top == their_top and len(ours) == len(theirs) == len(AWKWARD)
    # The round-trip writer cannot write U+0085 (it reads back as a space); elsewhere the
    # two files hold the same data.
    differ = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    assert [AWKWARD[i] for i in differ] == ["next line\x85"]
    assert theirs[differ[0]]["text"] == "next line "
    entries = load_manifest(new).entries
    assert [e.text for e in entries] == AWKWARD
    assert [e.markers for e in entries] == [MARKERS[n.label] for n in NOTES]
    assert [e.urls for e in entries] == [n.urls for n in NOTES]
    assert load_manifest(new).source_text == "reports/the report: 2015.md"


def test_later_updates_go_through_the_round_trip_writer_and_keep_edits(tmp_path):
    path = tmp_path / "references.yaml"
    update_manifest(path, NOTES, MARKERS, "report.txt", AS_OF)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('  - label: "2"\n', '  - label: "2"\n    reason: checked by hand  # kept\n'),
        encoding="utf-8",
    )
    changed = [note(0, "a new text: with colon"), *NOTES[1:], note(len(NOTES), "no")]
    summary = update_manifest(path, changed, MARKERS, "report.txt", AS_OF)
    assert (summary.added, summary.updated) == (1, 1)
    after = path.read_text(encoding="utf-8")
    assert "    reason: checked by hand  # kept\n" in after
    entries = load_manifest(path).entries
    assert [e.text for e in entries] == ["a new text: with colon", *AWKWARD[1:], "no"]
    assert entries[1].editorial.reason == "checked by hand"
    # Unchanged entries keep the template's bytes.
    assert after.count('    text: "No"\n') == 1


def test_no_notes_writes_an_empty_list(tmp_path):
    path = tmp_path / "references.yaml"
    update_manifest(path, [], {}, "report.txt", None)
    data = round_trip_load(path.read_text())
    assert data["references"] == [] and "as_of" not in data
