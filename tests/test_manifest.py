"""references.yaml: create, re-extract, hand edits surviving, atomic writes, bad input."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from citecheck import fsutil
from citecheck.errors import InputError
from citecheck.manifest import (
    ExtractSummary,
    document_from_manifest,
    is_manifest,
    load_manifest,
    set_fields,
    update_manifest,
)
from citecheck.models import Location, Note, NoteKind

AS_OF = dt.date(2015, 10, 1)


def note(label, text, line, urls=(), kind=NoteKind.CITATION):
    return Note(label, text, Location("report.txt", line), tuple(urls), kind)


NOTES = [
    note("1", "An explanatory note.", 100, kind=NoteKind.EXPLANATORY),
    note("37", "<http://www.dailydot.com>", 314, ["http://www.dailydot.com"]),
    note(
        "44",
        "IWF annual report <http://www.iwf.org.uk>\nFor user concern on this, see "
        "also <https://www.iwf.org.uk>",
        400,
        ["http://www.iwf.org.uk", "https://www.iwf.org.uk"],
    ),
    note("50", "Responses to the VGT questionnaire (unpublished)", 450, kind=NoteKind.UNPUBLISHED),
]
MARKERS = {"1": (90,), "37": (310,), "44": (395, 398), "50": (446,)}


@pytest.fixture
def manifest(tmp_path):
    path = tmp_path / "references.yaml"
    update_manifest(path, NOTES, MARKERS, "report.txt", AS_OF)
    return path


def entry_by_label(m, label):
    return [e for e in m.entries if e.label == label]


def test_create_writes_header_and_loads_back(manifest):
    text = manifest.read_text()
    assert text.startswith("# references.yaml")
    assert "made by `citecheck extract`" in text and "replace_url" in text.split("version")[0]
    m = load_manifest(manifest)
    assert (m.version, m.source_text, m.as_of) == (1, "report.txt", AS_OF)
    assert m.source == manifest.parent / "report.txt"
    assert [e.label for e in m.entries] == ["1", "37", "44", "50"]
    e44 = m.entries[2]
    assert e44.text == NOTES[2].text  # multi-line text round-trips
    assert (e44.kind, e44.line, e44.markers, e44.urls) == (
        "citation",
        400,
        (395, 398),
        ("http://www.iwf.org.uk", "https://www.iwf.org.uk"),
    )
    assert m.entries[0].kind == "explanatory" and not m.entries[0].removed
    assert '  - label: "37"\n' in text and "    markers: [395, 398]\n" in text


def test_reextract_unchanged_is_byte_identical(manifest):
    before = manifest.read_bytes()
    mtime = manifest.stat().st_mtime_ns
    summary = update_manifest(manifest, NOTES, MARKERS, "report.txt", AS_OF)
    assert summary == ExtractSummary(added=0, updated=0, unchanged=4, removed=0)
    assert manifest.read_bytes() == before
    assert manifest.stat().st_mtime_ns == mtime  # not even rewritten
    update_manifest(manifest, NOTES, MARKERS, "report.txt", None)  # None keeps as_of
    assert manifest.read_bytes() == before


HAND_EDITED_37 = """\
  - label: "37"
    # reviewed by the editor, June 2015
    accept: [homepage-only]
    reason: "public version strips paths"
    text: <http://www.dailydot.com>
    kind: citation
    reviewer: {name: Ann, when: 2015-06-02}   # a field citecheck does not know
    line: 314
    markers: [310]
    urls: [http://www.dailydot.com]
"""
EDIT_LINES = [
    "    # reviewed by the editor, June 2015",
    "    accept: [homepage-only]",
    '    reason: "public version strips paths"',
    "    reviewer: {name: Ann, when: 2015-06-02}   # a field citecheck does not know",
    "# a comment above note 44, kept with it",
    "# the end",
]


def hand_edit(path):
    text = path.read_text()
    start = text.index('  - label: "37"')
    end = text.index('  - label: "44"')
    text = (
        text[:start]
        + HAND_EDITED_37
        + "# a comment above note 44, kept with it\n"
        + text[end:]
        + "# the end\n"
    )
    path.write_text(text)
    return text


def test_hand_edits_survive_reextract_byte_for_byte(manifest):
    hand_edit(manifest)
    changed = note(
        "37", "Dailydot <http://www.dailydot.com/news>", 316, ["http://www.dailydot.com/news"]
    )
    new = note("45", "A new note <http://new.example>", 420, ["http://new.example"])
    notes = [NOTES[0], changed, NOTES[2], new]  # 50 vanished
    markers = dict(MARKERS, **{"37": (311,), "45": (419,)})
    summary = update_manifest(manifest, notes, markers, "report.txt", AS_OF)
    assert summary == ExtractSummary(added=1, updated=1, unchanged=2, removed=1)

    text = manifest.read_text()
    lines = text.splitlines()
    for line in EDIT_LINES:
        assert lines.count(line) == 1, line
    # key order of the hand-edited entry is kept, extracted values updated in place
    start = lines.index('  - label: "37"')
    assert [line.split(":")[0].strip() for line in lines[start + 1 : start + 10]] == [
        "# reviewed by the editor, June 2015",
        "accept",
        "reason",
        "text",
        "kind",
        "reviewer",
        "line",
        "markers",
        "urls",
    ]
    assert lines[start + 4] == "    text: Dailydot <http://www.dailydot.com/news>"
    assert lines[start + 7 : start + 10] == [
        "    line: 316",
        "    markers: [311]",
        '    urls: ["http://www.dailydot.com/news"]',
    ]
    # the comment above 44 is still right above 44; the trailing comment still ends the file
    assert lines[lines.index('  - label: "44"') - 1] == EDIT_LINES[4]
    assert text.endswith("# the end\n")

    m = load_manifest(manifest)
    assert [(e.label, e.removed) for e in m.entries] == [
        ("1", False),
        ("37", False),
        ("44", False),
        ("45", False),
        ("50", True),
    ]
    e37 = entry_by_label(m, "37")[0]
    assert e37.editorial.accept == ("homepage-only",)
    assert e37.editorial.reason == "public version strips paths"
    assert e37.text == changed.text and e37.urls == ("http://www.dailydot.com/news",)
    e45 = entry_by_label(m, "45")[0]
    assert (e45.line, e45.markers, e45.urls) == (420, (419,), ("http://new.example",))


def test_new_note_inserted_in_document_order_keeps_comment_with_next(manifest):
    text = manifest.read_text().replace('  - label: "44"', '  # about 44\n  - label: "44"')
    manifest.write_text(text)
    notes = [*NOTES[:2], note("40", "Inserted", 350), *NOTES[2:]]
    update_manifest(manifest, notes, MARKERS, "report.txt", AS_OF)
    lines = manifest.read_text().splitlines()
    labels = [line for line in lines if line.startswith("  - label")]
    assert labels == [f'  - label: "{n}"' for n in ("1", "37", "40", "44", "50")]
    assert lines[lines.index('  - label: "44"') - 1] == "  # about 44"


def test_vanished_then_back_drops_removed_and_keeps_editorial(manifest):
    text = manifest.read_text().replace(
        "    text: Responses", "    reason: private\n    text: Responses"
    )
    manifest.write_text(text)
    update_manifest(manifest, NOTES[:3], MARKERS, "report.txt", AS_OF)
    assert "    removed: true\n" in manifest.read_text()
    e50 = entry_by_label(load_manifest(manifest), "50")[0]
    assert e50.removed and e50.editorial.reason == "private"
    again = update_manifest(manifest, NOTES[:3], MARKERS, "report.txt", AS_OF)
    assert again.removed == 0  # already marked: not counted twice
    summary = update_manifest(manifest, NOTES, MARKERS, "report.txt", AS_OF)
    assert summary.updated == 1
    assert manifest.read_text() == text  # back exactly as it was


def test_duplicate_labels_match_by_occurrence(tmp_path):
    path = tmp_path / "references.yaml"
    first = note("64", "First 64", 504, ["http://one.example"])
    second = note("64", "Second 64", 512, ["http://two.example"])
    update_manifest(path, [first, second], {"64": (500,)}, "r.txt", None)
    text = path.read_text().replace(
        "    text: Second 64", "    reason: second one\n    text: Second 64"
    )
    path.write_text(text)
    update_manifest(
        path, [first, note("64", "Second 64, fixed", 513)], {"64": (500,)}, "r.txt", None
    )
    m = load_manifest(path)
    assert [(e.label, e.line, e.text, e.editorial.reason) for e in m.entries] == [
        ("64", 504, "First 64", None),
        ("64", 513, "Second 64, fixed", "second one"),
    ]
    assert m.as_of is None
    update_manifest(path, [first], {"64": (500,)}, "r.txt", None)
    assert [e.removed for e in load_manifest(path).entries] == [False, True]


def test_kind_none_is_omitted_and_removed_on_update(manifest):
    update_manifest(
        manifest,
        [note("1", "An explanatory note.", 100, kind=None), *NOTES[1:]],
        MARKERS,
        "report.txt",
        AS_OF,
    )
    text = manifest.read_text()
    assert text.count("    kind:") == 3
    assert entry_by_label(load_manifest(manifest), "1")[0].kind is None


@pytest.mark.parametrize("target", ["os.replace", "os.fsync"])
def test_failed_write_leaves_old_file_and_no_temp(manifest, monkeypatch, target):
    before = manifest.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil.os, target.split(".")[1], boom)
    with pytest.raises(OSError):
        update_manifest(manifest, NOTES[:2], MARKERS, "report.txt", AS_OF)
    monkeypatch.undo()
    assert manifest.read_bytes() == before
    assert sorted(p.name for p in manifest.parent.iterdir()) == ["references.yaml"]


def test_set_fields_writes_archive_fields_keeping_comments(manifest):
    hand_edit(manifest)
    when = dt.datetime(2015, 6, 1, 12, 30, tzinfo=dt.UTC)
    set_fields(
        manifest,
        [
            (1, {"archived_url": "https://web.archive.org/web/2015/x", "archived_at": when}),
            (3, {"reason": None}),
        ],
    )
    lines = manifest.read_text().splitlines()
    for line in EDIT_LINES:
        assert lines.count(line) == 1, line
    e37 = load_manifest(manifest).entries[1]
    assert e37.editorial.archived_url == "https://web.archive.org/web/2015/x"
    assert e37.editorial.archived_at == when
    # the new fields come after the entry's last line, before the comment above 44
    assert lines[lines.index('  - label: "44"') - 1] == EDIT_LINES[4]


def test_dates_accept_year_month_day_and_datetimes(tmp_path):
    path = tmp_path / "refs.yml"
    path.write_text(
        "version: 1\nas_of: 2015-10\nreferences:\n"
        "  - label: a\n    accessed: 2015\n    accept_until: 2016-02-03\n"
        "    archived_at: 2015-06-01T12:00:00Z\n"
        "  - label: b\n    accessed: '2014-07'\n    archived_at: 2015-06\n"
    )
    m = load_manifest(path)
    a, b = m.entries
    assert m.as_of == dt.date(2015, 10, 1)
    assert (a.editorial.accessed, a.editorial.accept_until) == (
        dt.date(2015, 1, 1),
        dt.date(2016, 2, 3),
    )
    assert a.editorial.archived_at.replace(tzinfo=None) == dt.datetime(2015, 6, 1, 12)
    assert (b.editorial.accessed, b.editorial.archived_at) == (
        dt.date(2014, 7, 1),
        dt.date(2015, 6, 1),
    )
    assert m.entries[0].text == "" and m.settings == {}


GOOD_HEAD = "version: 1\nsource: r.txt\nreferences:\n"
BAD = {
    "syntax": ("version: 1\nreferences:\n  - label: a\n     text: x\n  - label: b\n", 4),
    "syntax-quote": ('version: 1\nreferences:\n  - label: "1\n    text: x\n', 5),
    "duplicate-key": ("version: 1\nsource: a.txt\nsource: b.txt\n", 3),
    "not-mapping": ("- a\n- b\n", 1),
    "no-version": ("source: r.txt\nreferences: []\n", 1),
    "version-2": ("# made by a newer citecheck\nversion: 2\nreferences: []\n", 2),
    "refs-not-list": ("version: 1\nsource: r.txt\nreferences:\n  label: 1\n", 4),
    "no-label": (GOOD_HEAD + "  - label: a\n  - text: no label here\n", 5),
    "empty-label": (GOOD_HEAD + "  - label: a\n  - label: ''\n", 5),
    "item-not-mapping": (GOOD_HEAD + "  - label: a\n  - just text\n", 5),
    "bad-as_of": ("version: 1\nas_of: October 2015\nreferences: []\n", 2),
    "bad-accessed": (GOOD_HEAD + "  - label: a\n    text: x\n    accessed: 2015-13-01\n", 6),
    "bad-accept_until": (GOOD_HEAD + "  - label: a\n    accept_until: soon\n", 5),
    "accept-unknown": (GOOD_HEAD + "  - label: a\n    accept: [homepage-onyl]\n", 5),
    "accept-not-list": (GOOD_HEAD + "  - label: a\n    accept: {homepage-only: 1}\n", 5),
    "settings-not-mapping": ("version: 1\nsettings: [fail_on]\nreferences: []\n", 2),
    "settings-unknown": (
        "version: 1\nsettings:\n  per_host: 2\n  colour: red\nreferences: []\n",
        4,
    ),
    "bad-kind": (GOOD_HEAD + "  - label: a\n    kind: footnote\n", 5),
    "bad-line": (GOOD_HEAD + "  - label: a\n    line: twelve\n", 5),
    "empty": ("", 1),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_manifest_names_file_and_line(tmp_path, case):
    text, line = BAD[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_manifest(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert info.value.line == line and "\n" not in message


def test_bad_messages_say_what_to_do(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text(BAD["version-2"][0])
    with pytest.raises(InputError, match=r"version 2 found.*reads version 1"):
        load_manifest(path)
    path.write_text(BAD["accept-unknown"][0])
    with pytest.raises(InputError, match="did you mean 'homepage-only'"):
        load_manifest(path)
    path.write_text(BAD["syntax-quote"][0])
    with pytest.raises(InputError, match="quoted scalar started on line 3"):
        load_manifest(path)


def test_update_refuses_bad_manifest_and_leaves_it(tmp_path):
    path = tmp_path / "references.yaml"
    path.write_text(BAD["version-2"][0])
    with pytest.raises(InputError):
        update_manifest(path, NOTES, MARKERS, "report.txt", AS_OF)
    assert path.read_text() == BAD["version-2"][0]


def test_missing_and_directory_are_input_errors(tmp_path):
    for path in (tmp_path / "nope.yaml", tmp_path):
        with pytest.raises(InputError, match=str(path)):
            load_manifest(path)
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("version: 1\nreferences:\n  - label: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_manifest(latin)


def test_is_manifest(tmp_path):
    cases = {
        "a.yaml": "anything",
        "b.YML": "",
        "c.txt": "# notes\n\nversion: 1\n",
        "d": "references:\n  - label: x\n",
        "e.txt": "1 Introduction\nversion: 1\n",
        "f.md": "Some text[^1]\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    assert [n for n in cases if is_manifest(tmp_path / n)] == ["a.yaml", "b.YML", "c.txt", "d"]
    assert not is_manifest(tmp_path / "missing.txt")


def test_document_from_manifest(manifest):
    text = manifest.read_text().replace('  - label: "50"', '  - removed: true\n    label: "50"')
    manifest.write_text(text + '  - label: "hand"\n    text: added by a person\n')
    m = load_manifest(manifest)
    doc = document_from_manifest(m)
    src = str(manifest.parent / "report.txt")
    assert doc.source == src and doc.format == "manifest"
    assert [n.label for n in doc.notes] == ["1", "37", "44", "hand"]
    n44 = doc.notes[2]
    assert (n44.location, n44.kind, n44.urls) == (
        Location(src, 400),
        NoteKind.CITATION,
        NOTES[2].urls,
    )
    hand = doc.notes[3]
    assert hand.location == Location(str(manifest), m.entries[-1].yaml_line)
    assert hand.kind is None and hand.text == "added by a person"
    assert [(k.label, k.location.line) for k in doc.markers] == [
        ("1", 90),
        ("37", 310),
        ("44", 395),
        ("44", 398),
    ]


def test_awkward_texts_round_trip(tmp_path):
    texts = [
        "  leading spaces\nand two lines",
        "trailing space \nnext",
        "tab\there: #x",
        "'quoted' and \"double\"",
        "- looks like a list",
        "line\n\n\nwith blanks\n",
        "key: value, [flow] {map} & *star ! %",
        "http://x.org/a#frag",
        "yes",
        "123",
    ]
    notes = [
        note(str(i), t, i + 1, ["http://x.org/a#frag", "http://y.org/a, b"])
        for i, t in enumerate(texts)
    ]
    path = tmp_path / "references.yaml"
    update_manifest(path, notes, {}, "r.txt", None)
    m = load_manifest(path)
    assert [e.text for e in m.entries] == texts
    assert all(e.urls == ("http://x.org/a#frag", "http://y.org/a, b") for e in m.entries)
    assert update_manifest(path, notes, {}, "r.txt", None).unchanged == len(texts)


def test_comments_after_scalar_values_stay_between_the_right_entries(manifest):
    # ruamel keeps comment lines that follow a scalar on that scalar: entries added or keys
    # appended after it must carry them along.
    text = manifest.read_text()
    text = text.replace('  - label: "50"', '    reason: checked\n    # about 50\n  - label: "50"')
    last = "    text: Responses to the VGT questionnaire (unpublished)\n"
    text = text.replace(last + "    urls: []\n", "    urls: []\n" + last)  # text is last
    manifest.write_text(text + "# the end\n")
    n45 = note("45", "New", 420, ["http://new.example"])
    update_manifest(manifest, [*NOTES[:3], n45, *NOTES[3:]], MARKERS, "report.txt", AS_OF)
    text_a = manifest.read_text()
    lines = text_a.splitlines()
    at_45, at_50 = lines.index('  - label: "45"'), lines.index('  - label: "50"')
    assert lines[at_45 - 1] == "    reason: checked" and lines[at_50 - 1] == "    # about 50"
    assert text_a.endswith(
        "    text: Responses to the VGT questionnaire (unpublished)\n# the end\n"
    )

    update_manifest(manifest, [*NOTES[:3], n45], MARKERS, "report.txt", AS_OF)
    text_b = manifest.read_text()
    assert text_b.endswith("(unpublished)\n    removed: true\n# the end\n")
    assert text_b.count('    # about 50\n  - label: "50"') == 1

    update_manifest(manifest, [*NOTES[:3], n45, *NOTES[3:]], MARKERS, "report.txt", AS_OF)
    assert manifest.read_text() == text_a


def test_update_on_empty_file_creates_and_on_bad_paths_is_input_error(tmp_path):
    path = tmp_path / "references.yaml"
    path.write_text("\n")
    assert update_manifest(path, NOTES, MARKERS, "report.txt", AS_OF).added == 4
    assert len(load_manifest(path).entries) == 4
    with pytest.raises(InputError, match="is a directory"):
        update_manifest(tmp_path, NOTES, MARKERS, "report.txt", AS_OF)
    with pytest.raises(InputError, match="does not exist"):
        update_manifest(tmp_path / "no" / "r.yaml", NOTES, MARKERS, "report.txt", AS_OF)


def test_update_into_hand_started_manifest_with_empty_flow_list(tmp_path):
    path = tmp_path / "references.yaml"
    path.write_text("# started by hand\nversion: 1\nsettings: {fail_on: warning}\nreferences: []\n")
    update_manifest(path, NOTES[:2], MARKERS, "report.txt", None)
    text = path.read_text()
    assert text.startswith(
        "# started by hand\nversion: 1\nsource: report.txt\n"
        'settings: {fail_on: warning}\nreferences:\n  - label: "1"\n'
    )
    m = load_manifest(path)
    assert m.settings == {"fail_on": "warning"} and m.as_of is None
    assert [e.label for e in m.entries] == ["1", "37"]


def test_atomic_write_gives_new_files_the_usual_mode_and_keeps_an_old_mode(tmp_path):
    old_mask = os.umask(0o022)
    try:
        new = tmp_path / "new.yaml"
        fsutil.atomic_write_text(new, "version: 1\n")
        assert new.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
        kept = tmp_path / "kept.yaml"
        kept.write_text("old\n")
        kept.chmod(0o640)
        fsutil.atomic_write_text(kept, "new\n")
        assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text() == "new\n"
    finally:
        os.umask(old_mask)


def test_fast_reader_agrees_with_round_trip_reader_lines_included(manifest):
    from citecheck.manifest.read import _line, read_yaml, validate
    from citecheck.manifest.yamlfast import fast_load

    assert '["http://www.iwf.org.uk", "https://www.iwf.org.uk"]' in manifest.read_text()
    text = hand_edit(manifest).replace("[http://www.dailydot.com]", '["http://www.dailydot.com"]')
    manifest.write_text(text)
    fast = fast_load(text)
    assert fast is not None, "ruamel.yaml.clib is a dependency: the C parser must be there"
    _, slow, _ = read_yaml(manifest)
    assert validate(fast, manifest) == validate(slow, manifest)
    for f_node, s_node in zip(fast["references"], slow["references"], strict=False):
        for key in s_node:
            assert _line(f_node, key) == _line(s_node, key), key
            assert _line(f_node, key, value=True) == _line(s_node, key, value=True), key
    assert [_line(fast["references"], i) for i in range(4)] == [
        _line(slow["references"], i) for i in range(4)
    ]


def test_fast_reader_leaves_yaml_1_2_only_files_to_the_round_trip_reader(tmp_path):
    from citecheck.manifest.yamlfast import fast_load

    text = "version: 1\nreferences:\n  - label: a\n    urls: [http://a.example:8080/x]\n"
    assert fast_load(text) is None  # libyaml refuses a plain URL in a flow list
    path = tmp_path / "old.yaml"
    path.write_text(text)
    assert load_manifest(path).entries[0].urls == ("http://a.example:8080/x",)
    assert fast_load("version: 1\nas_of: 2015-13-01\n") is None  # an impossible date
