"""The offline analysis in the cache: exact round trip, keys that change with what matters,
and a second `check` of an unchanged report that does not analyse it again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest

from citecheck import pipeline
from citecheck.analysis import classified, document_facts, kinds
from citecheck.cache import analysis as saved
from citecheck.cache.store import Cache
from citecheck.readers import load_document
from citecheck.settings import DEFAULT_HEDGES

VGT = Path(__file__).resolve().parents[1] / "reports" / "vgt-environmental-scan-2015.txt"
DATA = Path(__file__).resolve().parent / "data"

# Kinds, an Ibid, identifiers (a bad ISBN too), a hedge, a numbering gap, a missing marker.
MIXED = """# Findings

Emissions fell by a third, it is believed.[^1] Prices rose.[^2] Trade grew.[^3]
As shown in section 9.9, demand doubled.[^5]

[^1]: Smith, *Emissions Review* (2014), doi:10.1000/xyz123, <https://example.org/a>.
[^2]: Ibid., p. 4.
[^3]: A term used loosely here.
[^5]: Jones, ISBN 978-0-306-40615-8, personal communication.
[^6]: Never called out, <http://example.net/b>.
"""


def _analysis(path: Path) -> tuple[tuple, tuple]:
    document = load_document(path)
    notes = classified(document)
    return notes, document_facts(document, notes, DEFAULT_HEDGES)


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.md"
    path.write_text(MIXED, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["vgt", "footnotes", "mixed"])
def test_round_trip_through_the_cache_is_exact(name, mixed, tmp_path):
    path = {"vgt": VGT, "footnotes": DATA / "footnotes.md", "mixed": mixed}[name]
    document = load_document(path)
    notes, facts = _analysis(path)
    assert facts and any(n.kind for n in notes)
    entry = saved.key(document, DEFAULT_HEDGES)
    saved.store(Cache(tmp_path / "c"), entry, notes, facts)
    assert saved.load(Cache(tmp_path / "c"), entry, document) == (notes, facts)


def test_the_mixed_report_has_what_the_round_trip_must_keep(mixed):
    notes, facts = _analysis(mixed)
    assert notes[1].ibid_of == "1" and notes[1].urls == notes[0].urls
    assert any(i.problem for i in notes[3].identifiers)
    assert {f.rule.value for f in facts} >= {"identifier-invalid", "note-without-marker"}


def test_key_changes_with_the_document_and_the_hedges(mixed):
    document = load_document(mixed)
    base = saved.key(document, DEFAULT_HEDGES)
    assert base == saved.key(load_document(mixed), DEFAULT_HEDGES)
    edited = dataclasses.replace(
        document, notes=(dataclasses.replace(document.notes[0], text="Ibid."), *document.notes[1:])
    )
    assert len({base, saved.key(edited, DEFAULT_HEDGES), saved.key(document, ("reportedly",))}) == 3


def test_an_entry_for_other_notes_is_ignored(mixed, tmp_path):
    document = load_document(mixed)
    notes, facts = _analysis(mixed)
    cache = Cache(tmp_path)
    saved.store(cache, "k", notes[:-1], facts)
    assert saved.load(cache, "k", document) is None
    cache.put(saved.KIND, "k", {"format": 0}, saved.TTL)
    assert saved.load(cache, "k", document) is None


def test_a_second_check_of_an_unchanged_report_does_not_analyse_it(mixed, tmp_path, monkeypatch):
    flags = {"offline": True, "cache_dir": tmp_path / "cache"}

    def check() -> str:
        from citecheck.reporters import renderer

        source = pipeline.load_source(mixed, flags)
        settings = pipeline.build_settings(source, flags)
        outcome = pipeline.run(source, settings, today=dt.date(2026, 1, 1))
        return renderer("json")(outcome.report)

    first = check()

    def refuse(*args: object) -> None:
        raise AssertionError("analysed again")

    monkeypatch.setattr("citecheck.analysis.classified", refuse)
    monkeypatch.setattr("citecheck.analysis.document_facts", refuse)
    assert check() == first
    with pytest.raises(AssertionError, match="analysed again"):  # --no-cache analyses
        flags["no_cache"] = True
        check()


def test_notes_are_rebuilt_alike_when_the_model_has_other_fields(mixed, tmp_path, monkeypatch):
    """The fast path builds Notes field by field; a Note with other fields takes replace()."""
    document = load_document(mixed)
    notes, facts = _analysis(mixed)
    saved.store(Cache(tmp_path), "k", notes, facts)
    monkeypatch.setattr(kinds, "_PLAIN", False)
    assert saved.load(Cache(tmp_path), "k", document) == (notes, facts)
    assert _analysis(mixed) == (notes, facts)  # and classify builds them alike


def test_code_stamp_changes_with_any_source_file(tmp_path):
    (tmp_path / "sub").mkdir()
    first, second = tmp_path / "a.py", tmp_path / "sub" / "b.py"
    first.write_text("A = 1\n")
    second.write_text("B = 2\n")
    for path in (first, second):
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    stamp = saved.code_stamp(tmp_path)
    assert saved.code_stamp(tmp_path) == stamp  # nothing changed: the same key
    second.write_text("B = 3\n")  # an edit of the same size: its modification time tells
    assert saved.code_stamp(tmp_path) != stamp
    os.utime(second, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    second.write_text("B = 22\n")
    os.utime(second, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    assert saved.code_stamp(tmp_path) != stamp  # another size
    second.write_text("B = 2\n")
    os.utime(second, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    assert saved.code_stamp(tmp_path) == stamp
    (tmp_path / "sub" / "c.py").write_text("")
    assert saved.code_stamp(tmp_path) != stamp  # a module added
    (tmp_path / "sub" / "c.py").unlink()
    first.unlink()
    assert saved.code_stamp(tmp_path) != stamp  # a module removed
