"""The analysis of an edited report reusing its last version's per-text results (a `Memo`)
equals the analysis from scratch: random documents with random edits, real reports read
again after edits of their lines, and through the cache of a `check` run. A memo keyed by
too little (a note's text without its URLs) is caught by the same comparison."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest

from citecheck.analysis import classified, crossrefs, document_facts, identifiers, kinds
from citecheck.analysis import memo as memo_module
from citecheck.analysis.memo import Memo
from citecheck.cache import analysis as saved
from citecheck.cache.store import Cache
from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph
from citecheck.readers import load_document
from citecheck.settings import DEFAULT_HEDGES

ROOT = Path(__file__).resolve().parents[1]
REAL = [
    ROOT / "reports" / "vgt-environmental-scan-2015.txt",
    ROOT / "tests" / "data" / "footnotes.md",
    ROOT / "tests" / "data" / "pandoc-sample.md",
]

NOTE_TEXTS = [
    "Ibid.",
    "Ibid., p. 4.",
    "Id. at 12.",
    "Smith, op. cit., p. 3.",
    "Smith, *Emissions Review* (2014).",
    "Jones and Lee (2011), pp. 4-5.",
    "A term used loosely here.",
    "Personal communication with the ministry.",
    "Questionnaire responses from member states.",
    "See note 3.",
    "See notes 4-6 and section 2.1.",
    "As chapter 9 explains.",
    "doi:10.1000/xyz123",
    "Smith, ISBN 978-0-306-40615-7.",
    "Smith, ISBN 978-0-306-40615-8.",
    "arXiv:1501.00001 and PMID 12345678.",
    "Annual Report 2013, Vol. 2.",
    "Could not be verified.",
]
URLS = [
    "https://example.org/",
    "https://example.org/report/a.pdf",
    "http://example.net:99999/x",
    "https://doi.org/10.1000/abc",
    "http://[::1/x",
]
SENTENCES = [
    "Prices rose.",
    "This could not be independently verified.",
    "Reportedly, trade grew.",
    "The word 'reportedly' is mentioned.",
    "It was not confirmed until 2019.",
    "As shown in section 3.2, demand doubled.",
    "See note 99 for more.",
    "We were unable to locate the original source.",
    "E.g. The figure is allegedly wrong.",
    "Dr. Who confirmed it.",
]
HEADINGS = ["1", "2", "2.1", "3.2", "4"]


def _note(rng: random.Random, label: str, line: int) -> Note:
    text = " ".join(rng.sample(NOTE_TEXTS, rng.choice((1, 1, 2))))
    urls = tuple(rng.sample(URLS, rng.choice((0, 0, 1, 2))))
    return Note(label, text, Location("r.md", line), urls)


def _paragraph(rng: random.Random, line: int) -> Paragraph:
    return Paragraph(" ".join(rng.choices(SENTENCES, k=rng.randint(1, 6))), Location("r.md", line))


def _markers(rng: random.Random, doc: Document) -> tuple[Marker, ...]:
    """Call-outs of most notes (and of one missing), at random places of the paragraphs."""
    labels = [n.label for n in doc.notes if rng.random() < 0.85] + ["77"] * (rng.random() < 0.2)
    out = []
    for label in labels:
        index = rng.randrange(len(doc.paragraphs))
        paragraph = doc.paragraphs[index]
        offset = rng.randint(0, len(paragraph.text))
        out.append(Marker(label, paragraph.location, index, offset))
    return tuple(out)


def random_document(rng: random.Random) -> Document:
    labels = [str(i) for i in range(1, rng.randint(2, 25))]
    if rng.random() < 0.3:
        labels[rng.randrange(len(labels))] = rng.choice(labels)  # a duplicate
    if rng.random() < 0.2:
        labels.insert(rng.randrange(len(labels)), "1")  # a new run, or a stray 1
    paragraphs = tuple(_paragraph(rng, 3 + 2 * i) for i in range(rng.randint(1, 6)))
    first = 100
    notes = tuple(_note(rng, label, first + i) for i, label in enumerate(labels))
    headings = tuple(
        Heading(h, f"Section {h}", Location("r.md", 1)) for h in rng.sample(HEADINGS, 2)
    )
    doc = Document("r.md", rng.choice(("markdown", "text")), notes, (), paragraphs, headings)
    return dataclasses.replace(doc, markers=_markers(rng, doc))


def _shifted(notes: list[Note], start: int, by: int) -> list[Note]:
    """The notes from `start` on moved `by` lines."""
    return notes[:start] + [
        dataclasses.replace(n, location=Location(n.location.file, n.location.line + by))
        for n in notes[start:]
    ]


def edited(rng: random.Random, doc: Document) -> Document:
    """`doc` after one to three random edits: notes' words, URLs, labels or places changed,
    notes added or removed (later ones moving), paragraphs rewritten, markers moved."""
    for _ in range(rng.randint(1, 3)):
        notes = list(doc.notes)
        what = rng.choice(("text", "urls", "label", "insert", "delete", "paragraph", "markers"))
        i = rng.randrange(len(notes))
        if what == "text":
            notes[i] = dataclasses.replace(notes[i], text=rng.choice(NOTE_TEXTS))
        elif what == "urls":
            notes[i] = dataclasses.replace(notes[i], urls=tuple(rng.sample(URLS, 1)))
        elif what == "label":
            notes[i] = dataclasses.replace(notes[i], label=rng.choice(("1", "3", "12", "a")))
        elif what == "insert":
            notes = _shifted(notes, i, 1)
            notes.insert(i, _note(rng, str(i + 1), notes[i].location.line - 1))
        elif what == "delete" and len(notes) > 1:
            notes = _shifted(notes[:i] + notes[i + 1 :], i, -1)
        elif what == "paragraph":
            paragraphs = list(doc.paragraphs)
            j = rng.randrange(len(paragraphs))
            paragraphs[j] = _paragraph(rng, paragraphs[j].location.line)
            doc = dataclasses.replace(doc, paragraphs=tuple(paragraphs))
        doc = dataclasses.replace(doc, notes=tuple(notes))
        if what in ("paragraph", "markers", "insert"):
            doc = dataclasses.replace(doc, markers=_markers(rng, doc))
    return doc


def analysed(doc: Document, memo: Memo | None = None) -> tuple[tuple, tuple]:
    notes = classified(doc, memo)
    return notes, document_facts(doc, notes, DEFAULT_HEDGES, memo)


def recorded(doc: Document) -> dict:
    """The per-text results of analysing `doc`, as the cache gives them back (JSON)."""
    memo = Memo()
    analysed(doc, memo)
    return json.loads(json.dumps(memo.tables))


def first_difference(seeds: range) -> int | None:
    """The first seed whose edited document is analysed differently with the memo of its
    previous version than from scratch (None: all equal)."""
    for seed in seeds:
        rng = random.Random(seed)
        before = random_document(rng)
        after = edited(rng, before)
        memo = Memo(recorded(before))
        if analysed(after, memo) != analysed(after):
            return seed
    return None


def test_random_edits_of_random_documents_analyse_as_from_scratch():
    assert first_difference(range(400)) is None


def test_the_comparison_sees_something():
    """The random documents make facts of every offline kind the memo touches, and the
    edited versions reuse most per-note results (else the comparison proves little)."""
    rules, reused = set(), 0
    for seed in range(60):
        rng = random.Random(seed)
        before = random_document(rng)
        after = edited(rng, before)
        _, facts = analysed(after)
        rules |= {f.rule for f in facts}
        old = recorded(before)["note"]
        reused += sum(memo_module.note_key(n.text, n.urls) in old for n in after.notes)
    assert {
        "unverified-by-report",
        "broken-cross-reference",
        "no-locator",
        "unpublished-source",
        "homepage-only",
        "identifier-invalid",
        "duplicate-note",
        "marker-without-note",
        "unresolved-ibid",
    } <= rules
    assert reused > 60 * 5


def test_a_memo_keyed_too_little_is_caught(monkeypatch):
    """The deliberate bug: a note's results keyed by its text alone (its URLs ignored)."""

    def text_only(text: str, urls: tuple[str, ...]) -> str:
        return json.dumps(text)

    for module in (kinds, identifiers, crossrefs):
        monkeypatch.setattr(module, "note_key", text_only)
    assert first_difference(range(400)) is not None


def test_numbering_kept_without_its_places_is_caught(monkeypatch):
    """The other deliberate bug: the numbering facts remembered by the labels alone (a note
    inserted above moves the others: their lines are in the messages)."""
    from citecheck.analysis import numbering

    def labels_only(doc: Document) -> bytes:
        return json.dumps([[n.label for n in doc.notes], [m.label for m in doc.markers]]).encode()

    monkeypatch.setattr(numbering, "_shape", labels_only)
    assert first_difference(range(400)) is not None


def test_chains_of_versions_stay_exact_and_keep_only_the_last():
    """Each version analysed with the memo of the one before: equal to scratch, and the memo
    then holds exactly what a fresh analysis of that version records (bounded)."""
    rng = random.Random(7)
    doc = random_document(rng)
    tables = recorded(doc)
    for _ in range(30):
        doc = edited(rng, doc)
        memo = Memo(tables)
        assert analysed(doc, memo) == analysed(doc)
        fresh = recorded(doc)
        assert {t: set(r) for t, r in memo.tables.items()} == {t: set(r) for t, r in fresh.items()}
        tables = json.loads(json.dumps(memo.tables))


def _edit_lines(rng: random.Random, text: str) -> str:
    """A few lines of a real report changed: words replaced, a line added or removed."""
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        what = rng.choice(("words", "insert", "delete"))
        if what == "words" and lines[i].strip():
            words = lines[i].split(" ")
            words[rng.randrange(len(words))] = rng.choice(("could not be verified", "Ibid.", "x"))
            lines[i] = " ".join(words)
        elif what == "insert":
            lines.insert(i, rng.choice(("", "Reportedly so.", "See note 2.")))
        elif what == "delete":
            del lines[i]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_reports_read_again_after_edits_analyse_as_from_scratch(path, tmp_path):
    rng = random.Random(path.name)
    report = tmp_path / path.name
    text = path.read_text(encoding="utf-8")
    tables = None
    for _ in range(6):
        report.write_text(text, encoding="utf-8")
        doc = load_document(report)
        if tables is not None:
            memo = Memo(tables)
            assert analysed(doc, memo) == analysed(doc)
        tables = recorded(doc)
        text = _edit_lines(rng, text)


def test_through_the_cache_one_entry_per_report(tmp_path):
    """The memo a run keeps is found by the next version of the same report (and its code
    and hedges): one entry, replaced each time."""
    cache = Cache(tmp_path / "c")
    rng = random.Random(3)
    doc = random_document(rng)
    for _ in range(5):
        memo = saved.memo(cache, doc, DEFAULT_HEDGES)
        assert analysed(doc, memo) == analysed(doc)
        saved.store_memo(cache, doc, DEFAULT_HEDGES, memo)
        doc = edited(rng, doc)
    assert saved.memo(cache, doc, DEFAULT_HEDGES).tables == {}  # nothing asked yet
    assert saved.memo(cache, doc, DEFAULT_HEDGES)._previous  # but the last version's there
    assert not saved.memo(cache, doc, ("reportedly",))._previous  # other hedges: another
    rows = cache._db.execute("SELECT count(*) FROM entries WHERE kind=?", (saved.PARTS,))
    assert rows.fetchone()[0] == 1
    stamp = saved._stamp(DEFAULT_HEDGES)
    cache.put(saved.PARTS, saved._slot(doc), {"stamp": stamp, "tables": "[3]"}, 60)
    assert not saved.memo(cache, doc, DEFAULT_HEDGES)._previous  # damaged: from scratch
    cache.put(saved.PARTS, saved._slot(doc), {"stamp": stamp, "tables": "{"}, 60)
    assert not saved.memo(cache, doc, DEFAULT_HEDGES)._previous


def test_a_report_of_more_notes_than_the_cap_keeps_no_memo(tmp_path, monkeypatch):
    """Memory first: past MEMO_MAX_NOTES an edited report is analysed whole (same result)."""
    cache = Cache(tmp_path / "c")
    doc = random_document(random.Random(5))
    assert len(doc.notes) > 1
    monkeypatch.setattr(saved, "MEMO_MAX_NOTES", len(doc.notes) - 1)
    memo = saved.memo(cache, doc, DEFAULT_HEDGES)
    assert analysed(doc, memo) == analysed(doc)
    saved.store_memo(cache, doc, DEFAULT_HEDGES, memo)
    rows = cache._db.execute("SELECT count(*) FROM entries WHERE kind=?", (saved.PARTS,))
    assert rows.fetchone()[0] == 0
    monkeypatch.setattr(saved, "MEMO_MAX_NOTES", len(doc.notes))
    saved.store_memo(cache, doc, DEFAULT_HEDGES, memo)
    assert saved.memo(cache, doc, DEFAULT_HEDGES)._previous  # at the cap: kept


def test_an_ibid_chain_back_to_itself_ends():
    """Found by the random documents: note 5 twice, the second an "Ibid." with a URL, then
    another "Ibid.": the chain from the second 5 led to itself for ever."""
    at = [Location("r.md", line) for line in range(1, 4)]
    notes = (
        Note("5", "Smith, *A Review* (2014).", at[0]),
        Note("5", "Ibid.", at[1], ("https://example.org/a",)),
        Note("6", "Ibid.", at[2]),
    )
    out = kinds.classify(notes)
    assert [n.ibid_of for n in out] == [None, "5", "5"]
    assert out[2].urls == ("https://example.org/a",)


def test_check_runs_on_an_edited_report_report_as_from_scratch(tmp_path):
    """`check --offline` on a report edited between runs: the JSON report of each run equals
    that of a run without the cache, and the cache holds one analysis of each kind."""
    import datetime as dt

    from citecheck import pipeline
    from citecheck.reporters import renderer

    report = tmp_path / "report.md"
    text = REAL[1].read_text(encoding="utf-8")
    rng = random.Random(11)

    def check(**flags: object) -> str:
        flags = {"offline": True, "cache_dir": tmp_path / "cache", **flags}
        source = pipeline.load_source(report, flags)
        settings = pipeline.build_settings(source, flags)
        outcome = pipeline.run(source, settings, today=dt.date(2026, 1, 1))
        return renderer("json")(outcome.report)

    for _ in range(5):
        report.write_text(text, encoding="utf-8")
        assert check() == check(no_cache=True)
        text = _edit_lines(rng, text)
    cache = Cache(tmp_path / "cache")
    for kind in (saved.KIND, saved.PARTS):
        rows = cache._db.execute("SELECT count(*) FROM entries WHERE kind=?", (kind,))
        assert rows.fetchone()[0] == 1, kind
