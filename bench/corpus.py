"""Score citecheck's readers on the corpus of real documents against hand-checked truth.

    python bench/corpus.py [--format F] [-v] [--json] [DOC...]

For every document of bench/corpus/corpus.yaml that is present (see bench/corpus/README.md:
the documents themselves are restored, not committed), reads it as a user would
(`load_document`, format chosen by suffix and content) and prints per document and per format
(macro and micro averages):

- notes F1: the labels of the notes read against the truth's (as multisets);
- markers found/true (labels in body order, as multisets) and their F1;
- (label, URL) F1: every URL of every note, paired with the note's label.

Text-from-PDF documents (`derived.tool`) are made from their PDF at run time with poppler's
`pdftotext` (`-layout`, plain, `-raw`) or another extractor (bench/corpus/extract_text.py:
pdfminer.six, PDFium), so the text is what a user of this machine would feed citecheck.
`-v` lists what was missed and what was extra. Exit status 0 always (it measures; the suite
test in tests/test_corpus.py decides).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"
MANIFEST = CORPUS / "corpus.yaml"
TRUTH = CORPUS / "truth"
FORMATS = (
    "pdf",
    "pdftext-layout",
    "pdftext-plain",
    "pdftext-raw",
    "pdftext-pdfminer",
    "pdftext-pdfium",
    "latex",
    "docx",
    "html",
    "markdown",
)
MISSING_ENGINE = 3  # bench/corpus/extract_text.py: the extractor is not installed


def doc_dirs() -> list[Path]:
    """Where restored documents are looked for, first match wins."""
    dirs = [Path(p) for p in os.environ.get("CITECHECK_CORPUS_DIR", "").split(os.pathsep) if p]
    dirs.append(CORPUS / "files")
    # CI gets a copy of the steering repo's shared/ beside its clone; sessions see /work/shared.
    dirs += [ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")]
    return dirs


@dataclass(frozen=True)
class Entry:
    """One document of the manifest."""

    id: str
    format: str
    file: str | None
    truth: str
    sha256: str | None
    derived: dict[str, Any] | None
    raw: dict[str, Any]


@dataclass(frozen=True)
class Truth:
    """Notes and markers; for reference-list styles (issue 17) entries and citations too."""

    notes: tuple[tuple[str, tuple[str, ...]], ...] | None  # (label, urls) in document order
    markers: tuple[str, ...] | None
    entries: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (key, urls) in list order
    citations: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (text, entry keys), body order


@dataclass
class Score:
    """Counts of one comparison (true positives, extras, misses) with the items."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[Any] = field(default_factory=list)
    extra: list[Any] = field(default_factory=list)

    @property
    def f1(self) -> float:
        denom = 2 * self.tp + self.fp + self.fn
        return 1.0 if denom == 0 else 2 * self.tp / denom

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Result:
    entry: Entry
    notes: Score
    markers: Score
    urls: Score
    read_as: str
    error: str | None = None

    @property
    def perfect(self) -> bool:
        return self.error is None and all(
            s.f1 == 1.0 for s in (self.notes, self.markers, self.urls)
        )


def load_manifest() -> list[Entry]:
    data = YAML(typ="safe").load(MANIFEST.read_text(encoding="utf-8"))
    return [
        Entry(
            id=d["id"],
            format=d["format"],
            file=d.get("file"),
            truth=d["truth"],
            sha256=d.get("sha256"),
            derived=d.get("derived"),
            raw=d,
        )
        for d in data["documents"]
    ]


def load_truth(name: str) -> Truth:
    data = YAML(typ="safe").load((TRUTH / name).read_text(encoding="utf-8"))
    notes = labels = None
    if "notes" in data:
        notes = tuple((str(n["label"]), tuple(n.get("urls") or ())) for n in data["notes"])
        labels = tuple(str(x) for x in data["markers"]["labels"])
        if len(labels) != data["markers"]["count"]:
            raise ValueError(f"{name}: markers.count disagrees with the labels listed")
    entries = tuple((str(e["key"]), tuple(e.get("urls") or ())) for e in data.get("entries", ()))
    citations = tuple(
        (str(c["text"]), tuple(str(k) for k in c["entries"])) for c in data.get("citations", ())
    )
    keys = {k for k, _ in entries}
    unknown = [c for c in citations if not set(c[1]) <= keys]
    if unknown:
        raise ValueError(f"{name}: citations of no entry: {unknown[:3]}")
    if notes is None and not entries:
        raise ValueError(f"{name}: neither notes nor reference entries")
    return Truth(notes, labels, entries, citations)


def scored(entry: Entry) -> bool:
    """Whether the readers are scored on it: its truth has notes (reference-list truth waits
    for readers of reference lists, issue 17)."""
    return load_truth(entry.truth).notes is not None


def reference_lines(entries: Sequence[Entry], work: Path) -> list[str]:
    """Entries F1 and citation-link F1 (the entry each citation goes to) of every document
    with reference-list truth (issue 17), or the truth's size when it is not restored."""
    by_id = {e.id: e for e in load_manifest()}
    lines = []
    for e in entries:
        if not (TRUTH / e.truth).is_file() or not load_truth(e.truth).entries:
            continue
        t = load_truth(e.truth)
        style = e.raw.get("style", "?")
        path = locate(e, by_id, work)
        if path is None:
            lines.append(f"{e.id:<44} {style:<12} {len(t.entries):>4} entries (not restored)")
            continue
        listed, cited = score_references(e, path)
        lines.append(
            f"{e.id:<44} {style:<12} entries {listed.f1:.3f} ({listed.tp}/{listed.tp + listed.fn})"
            f"  citations {cited.f1:.3f} ({cited.tp}/{cited.tp + cited.fn})"
        )
    return lines


def ref_key(key: str) -> str:
    """An entry key as compared: "Smith & Jones 2015" is "Smith and Jones 2015"."""
    return " ".join(key.replace(" & ", " and ").split())


def score_references(entry: Entry, path: Path) -> tuple[Score, Score]:
    """(entries, citation links) of a document against its reference-list truth: entry keys
    as multisets, and the entry key of each citation."""
    from citecheck.readers import load_document

    truth = load_truth(entry.truth)
    doc = load_document(path)
    listed = compare(
        [ref_key(k) for k, _ in truth.entries],
        [ref_key(n.label) for n in doc.notes if n.style is not None],
    )
    cited = compare(
        [ref_key(k) for _, keys in truth.citations for k in keys],
        [ref_key(m.label) for m in doc.markers if m.style is not None],
    )
    return listed, cited


def find_file(name: str) -> Path | None:
    for d in doc_dirs():
        if (d / name).is_file():
            return d / name
    return None


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def locate(entry: Entry, by_id: dict[str, Entry], work: Path) -> Path | None:
    """The document's file: restored, or made from its PDF with pdftotext at run time."""
    if entry.file:
        return find_file(entry.file)
    assert entry.derived is not None
    parent = by_id[entry.derived["from"]]
    pdf = locate(parent, by_id, work)
    if pdf is None:
        return None
    out = work / f"{entry.id}.txt"
    if not out.exists():
        args = tool_command(entry.derived["tool"])
        if args is None:
            return None
        done = subprocess.run([*args, str(pdf), str(out)], capture_output=True)
        if done.returncode == MISSING_ENGINE and args[0] == sys.executable:
            return None  # the extractor is not installed here: skipped like an absent file
        done.check_returncode()
    return out


def tool_command(tool: str) -> list[str] | None:
    """The command of a derived document's tool: a program on PATH (None when it is not
    installed), or a script of this repository run with this Python."""
    args = tool.split()
    if args[0].endswith(".py"):
        return [sys.executable, str(ROOT / args[0]), *args[1:]]
    return args if shutil.which(args[0]) else None


def checked(entry: Entry, path: Path) -> str | None:
    """Why the file cannot be scored (wrong bytes), or None."""
    if entry.sha256 and sha256(path) != entry.sha256:
        return f"{path}: sha256 differs from the manifest (restore it: bench/corpus/restore.py)"
    return None


def norm_url(url: str) -> str:
    # A ligature or full-width form printed in a PDF is the same address (issue 14).
    return unicodedata.normalize("NFKC", url).strip()


def compare(truth: Iterable[Any], found: Iterable[Any]) -> Score:
    t, f = Counter(truth), Counter(found)
    both = t & f
    missed, extra = t - both, f - both
    return Score(
        tp=sum(both.values()),
        fp=sum(extra.values()),
        fn=sum(missed.values()),
        missed=sorted(missed.elements(), key=str),
        extra=sorted(extra.elements(), key=str),
    )


def url_pairs(notes: Iterable[tuple[str, Iterable[str]]]) -> list[tuple[str, str]]:
    """(label, URL) for each distinct URL of each note (a note's repeated URL counts once)."""
    pairs: list[tuple[str, str]] = []
    for label, urls in notes:
        pairs += [(label, u) for u in dict.fromkeys(norm_url(u) for u in urls)]
    return pairs


def score(entry: Entry, path: Path) -> Result:
    from citecheck.readers import load_document

    truth = load_truth(entry.truth)
    assert truth.notes is not None and truth.markers is not None
    try:
        doc = load_document(path)
    except Exception as exc:  # a reader failure is a result to report, not a crash
        empty = Score(fn=len(truth.notes))
        return Result(entry, empty, Score(fn=len(truth.markers)), Score(), "-", repr(exc))
    # footnotes and endnotes; a reference list's entries and citations are scored apart
    own = [n for n in doc.notes if n.style is None]
    notes = compare([n[0] for n in truth.notes], [n.label for n in own])
    markers = compare(truth.markers, [m.label for m in doc.markers if m.style is None])
    urls = compare(url_pairs(truth.notes), url_pairs((n.label, n.urls) for n in own))
    return Result(entry, notes, markers, urls, doc.format)


def run(entries: Sequence[Entry], work: Path) -> tuple[list[Result], list[str]]:
    """Scores of the documents present, and a line for each one that is not."""
    by_id = {e.id: e for e in load_manifest()}
    results: list[Result] = []
    absent: list[str] = []
    for entry in entries:
        if not (TRUTH / entry.truth).is_file():
            absent.append(f"{entry.id}: no truth file {entry.truth} yet")
            continue
        if not scored(entry):
            continue
        path = locate(entry, by_id, work)
        if path is None:
            absent.append(f"{entry.id}: not restored (bench/corpus/restore.py)")
            continue
        problem = checked(entry, path) if entry.file else None
        if problem:
            absent.append(f"{entry.id}: {problem}")
            continue
        results.append(score(entry, path))
    return results, absent


def fmt_row(name: str, notes: float, found: int, true: int, markers: float, urls: float) -> str:
    return f"{name:<44} {notes:6.3f} {found:>6}/{true:<6} {markers:6.3f} {urls:6.3f}"


def report(results: Sequence[Result], verbose: bool) -> str:
    lines = [
        f"{'document':<44} {'notesF1':>6} {'markers':>13} {'mrkF1':>6} {'urlF1':>6}",
    ]
    for r in results:
        flag = "" if r.perfect else "  <"
        found, true = r.markers.tp, r.markers.tp + r.markers.fn
        row = fmt_row(r.entry.id, r.notes.f1, found, true, r.markers.f1, r.urls.f1)
        lines.append(row + f"  [{r.read_as}]{flag}")
        if r.error:
            lines.append(f"    reader error: {r.error}")
        if verbose and not r.perfect:
            for what, s in (("notes", r.notes), ("markers", r.markers), ("urls", r.urls)):
                if s.missed:
                    lines.append(f"    missed {what} ({len(s.missed)}): {s.missed[:40]}")
                if s.extra:
                    lines.append(f"    extra {what} ({len(s.extra)}): {s.extra[:40]}")
    lines.append("")
    lines.append(f"{'format (macro | micro)':<30} docs  notesF1        markers found/true  urlF1")
    for fmt in FORMATS:
        group = [r for r in results if r.entry.format == fmt]
        if not group:
            continue
        total = {k: Score() for k in ("notes", "markers", "urls")}
        for r in group:
            total["notes"].add(r.notes)
            total["markers"].add(r.markers)
            total["urls"].add(r.urls)
        macro = [sum(getattr(r, k).f1 for r in group) / len(group) for k in total]
        m = total["markers"]
        lines.append(
            f"{fmt:<30} {len(group):>4}  {macro[0]:.3f} | {total['notes'].f1:.3f}  "
            f"{m.tp:>6}/{m.tp + m.fn:<6} ({macro[1]:.3f} | {m.f1:.3f})  "
            f"{macro[2]:.3f} | {total['urls'].f1:.3f}"
        )
    perfect = sum(r.perfect for r in results)
    lines.append(f"\n{perfect} of {len(results)} documents read exactly (F1 1.00 on all three)")
    return "\n".join(lines)


def as_json(results: Sequence[Result]) -> str:
    return json.dumps(
        [
            {
                "id": r.entry.id,
                "format": r.entry.format,
                "read_as": r.read_as,
                "error": r.error,
                **{
                    k: {
                        "f1": s.f1,
                        "tp": s.tp,
                        "fp": s.fp,
                        "fn": s.fn,
                        "missed": s.missed,
                        "extra": s.extra,
                    }
                    for k, s in (("notes", r.notes), ("markers", r.markers), ("urls", r.urls))
                },
            }
            for r in results
        ],
        indent=1,
        default=list,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="*", help="document ids (default: all)")
    parser.add_argument("--format", choices=FORMATS, action="append")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    entries = [
        e
        for e in load_manifest()
        if (not args.docs or e.id in args.docs) and (not args.format or e.format in args.format)
    ]
    with tempfile.TemporaryDirectory(prefix="citecheck-corpus-") as tmp:
        results, absent = run(entries, Path(tmp))
        print(as_json(results) if args.json else report(results, args.verbose))
        refs = reference_lines(entries, Path(tmp)) if not args.json else []
    if refs:
        print("\nReference lists (issue 17): entries F1, citation-link F1")
        print("\n".join(refs))
    for line in absent:
        print(f"skipped {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
