"""The corpus of real documents (bench/corpus/): every restored document is read exactly.

Each document of bench/corpus/corpus.yaml is one test: citecheck's readers must give notes,
markers and (label, URL) pairs with F1 1.00 against the hand-checked truth. The documents are
third-party files restored by bench/corpus/restore.py (not committed); a document that is not
restored is skipped, one whose bytes differ from the manifest fails. Documents the readers do
not read exactly yet are strict xfails naming what is missed, so each fix flips one loudly.
The manifest and truth files are checked whether or not the documents are present.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_scorer", ROOT / "bench" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


scorer = _scorer()
ENTRIES = scorer.load_manifest()
BY_ID = {e.id: e for e in ENTRIES}

# What the readers miss today, per document (bench/corpus.py -v DOC shows the detail).
KNOWN: dict[str, str] = {
    # text from other extractors than pdftotext -layout / plain (issue 14)
    "mueller-vol-1-pdftext-raw": "1283/1283 notes, 1237/1283 markers",
    "mueller-vol-1-pdftext-pdfminer": "1087/1283 notes, 1072/1283 markers, 6/11 URLs",
    "mueller-vol-1-pdftext-pdfium": "1118/1283 notes, 1061/1283 markers, 9/11 URLs",
    "mueller-vol-2-pdftext-raw": "1092/1092 notes, 1091/1092 markers",
    "mueller-vol-2-pdftext-pdfminer": "1053/1092 notes, 1053/1092 markers, 1/3 URLs",
    "mueller-vol-2-pdftext-pdfium": "1052/1092 notes, 1041/1092 markers",
    "yellowpaper-pdftext-pdfium": "12/12 notes, 11/12 markers (marker 9 inside a formula)",
    "buchman-thesis-pdftext-pdfminer": "7/8 notes, 7/8 markers (note 1 of chapter 1)",
}


def _params() -> list[object]:
    params: list[object] = []
    for entry in ENTRIES:
        if not scorer.scored(entry):
            continue  # reference-list truth only (issue 17): checked below, not scored yet
        marks = []
        if entry.id in KNOWN:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[entry.id]))
        params.append(pytest.param(entry.id, marks=marks, id=entry.id))
    return params


@pytest.mark.parametrize("doc_id", _params())
def test_document_read_exactly(doc_id: str, tmp_path: Path) -> None:
    entry = BY_ID[doc_id]
    path = scorer.locate(entry, BY_ID, tmp_path)
    if path is None:
        pytest.skip(f"{entry.file or entry.id} not restored (python bench/corpus/restore.py)")
    problem = scorer.checked(entry, path) if entry.file else None
    assert problem is None, problem
    result = scorer.score(entry, path)
    detail = "; ".join(
        f"{name}: missed {s.missed[:8]} extra {s.extra[:8]}"
        for name, s in (("notes", result.notes), ("markers", result.markers), ("urls", result.urls))
        if s.f1 < 1.0
    )
    assert result.error is None, result.error
    assert result.perfect, f"{doc_id} read as {result.read_as}: {detail}"


# Reference lists (issue 17) read short of F1 1.00 today, per document.
KNOWN_REFS: dict[str, str] = {
    "ipfs-p2p-file-system-pdf": "2/27 citations (entries 16/16): not diagnosed yet",
    "barabasi99emergence-pdf": "12/20 entries, 3/28 citations (superscripts): not diagnosed",
    "ph-open-learning-communities-2016-pdf": (
        "0/30 entries: APA list in PDF text not cut into entries (not diagnosed)"
    ),
    "ph-text-mining-with-extracted-features-md": (
        "0/9 entries: given name first ('Boris Capitanu, ...'), '(Feb 2015)', undated entries"
    ),
    "turing52chemical-pdf": "OCR scan: the list's heading and entries are not read as one",
    "yellowpaper-refs": "PDF reader: the two-column References pages are lost",
}


def _reference_params() -> list[object]:
    params: list[object] = []
    for entry in ENTRIES:
        if not (scorer.TRUTH / entry.truth).is_file() or not scorer.load_truth(entry.truth).entries:
            continue
        marks = []
        if entry.id in KNOWN_REFS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_REFS[entry.id]))
        params.append(pytest.param(entry.id, marks=marks, id=entry.id))
    return params


@pytest.mark.parametrize("doc_id", _reference_params())
def test_reference_list_read_exactly(doc_id: str, tmp_path: Path) -> None:
    entry = BY_ID[doc_id]
    path = scorer.locate(entry, BY_ID, tmp_path)
    if path is None:
        pytest.skip(f"{entry.file or entry.id} not restored (python bench/corpus/restore.py)")
    listed, cited = scorer.score_references(entry, path)
    assert (listed.f1, cited.f1) == (1.0, 1.0), (
        f"entries missed {listed.missed[:8]} extra {listed.extra[:8]}; "
        f"citations missed {cited.missed[:8]} extra {cited.extra[:8]}"
    )


def test_known_failures_name_real_documents() -> None:
    assert set(KNOWN) <= set(BY_ID)
    assert set(KNOWN_REFS) <= set(BY_ID)


def test_manifest_and_truth_agree() -> None:
    """Every entry is complete and every truth file is well formed, documents or not."""
    ids = [e.id for e in ENTRIES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for entry in ENTRIES:
        raw = entry.raw
        assert raw["format"] in scorer.FORMATS, entry.id
        if entry.file:
            assert len(raw["sha256"]) == 64 and raw["bytes"] < 4 * 2**20, entry.id
            assert {"repository", "path", "commit"} <= set(raw["source"]), entry.id
            assert raw.get("licence"), entry.id
        else:
            assert raw["derived"]["from"] in BY_ID, entry.id
        # load_truth raises when counts and labels disagree or a citation names no entry
        truth = scorer.load_truth(entry.truth)
        assert truth.notes or truth.markers or truth.entries, entry.id
        if truth.entries:
            assert raw["style"] in ("numbered", "author-date", "endnotes"), entry.id
            cited = {k for _, keys in truth.citations for k in keys}
            assert cited, f"{entry.id}: reference truth without citations"
        data = YAML(typ="safe").load((scorer.TRUTH / entry.truth).read_text(encoding="utf-8"))
        assert data.get("checked"), f"{entry.truth}: say how the truth was checked"
        assert isinstance(data.get("judgement_calls"), list), entry.truth


def test_scorer_counts_misses_and_extras(tmp_path: Path) -> None:
    """The scorer itself: a document whose reading differs from its truth scores below 1."""
    doc = tmp_path / "r.md"
    doc.write_text(
        "A claim.[^a] Another.[^b]\n\n[^a]: See <https://example.org/a>.\n\n[^b]: No URL here.\n",
        encoding="utf-8",
    )
    truth = tmp_path / "t.yaml"
    truth.write_text(
        "notes:\n"
        "- {label: a, urls: ['https://example.org/a']}\n"
        "- {label: c, urls: ['https://example.org/c']}\n"
        "markers: {count: 2, labels: [a, b]}\n",
        encoding="utf-8",
    )
    entry = scorer.Entry("t", "markdown", "r.md", str(truth), None, None, {})
    result = scorer.score(entry, doc)  # an absolute truth path wins over TRUTH / name
    assert (result.notes.tp, result.notes.fp, result.notes.fn) == (1, 1, 1)
    assert result.notes.missed == ["c"] and result.notes.extra == ["b"]
    assert result.markers.f1 == 1.0
    assert (result.urls.tp, result.urls.fn) == (1, 1)
    assert not result.perfect
