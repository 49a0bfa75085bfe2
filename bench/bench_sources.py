"""Source verification on the notes of real documents (bench/corpus/, restored): legal
citations (how many notes look legal and load eyecite, what eyecite finds, `no-locator`
with and without legal citations as locators, short forms resolved or not) and the notes
`title-mismatch` could judge (a quoted title before one deep link). Times in the same run.

    python bench/bench_sources.py [CORPUS_FILES_DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from citecheck.analysis import analyze
from citecheck.analysis import kinds as kinds_module
from citecheck.analysis.legal import NONE, legal_citations, looks_legal
from citecheck.identifiers.compare import cited_titles
from citecheck.models import NoteKind, Rule
from citecheck.readers import load_document
from citecheck.settings import DEFAULT_HEDGES
from citecheck.urls import is_homepage, normalize

DEFAULT_DIRS = [
    Path(__file__).resolve().parent / "corpus" / "files",
    Path("/work/shared/corpus"),
    Path("/work/wt/h14c/bench/corpus/files"),
]


def _files(argv: list[str]) -> list[Path]:
    dirs = [Path(a) for a in argv] or DEFAULT_DIRS
    found = next((d for d in dirs if d.is_dir() and any(d.iterdir())), None)
    if found is None:
        sys.exit("no restored corpus: python bench/corpus/restore.py, or give its directory")
    return sorted(p for p in found.iterdir() if p.is_file())


def _rules(document, legal: bool) -> dict[Rule, int]:
    patch = (
        mock.patch.object(kinds_module, "legal_citations", lambda text: NONE)
        if not legal
        else mock.patch.object(kinds_module, "legal_citations", legal_citations)
    )
    with patch:
        legal_citations.cache_clear()
        facts = analyze(document, DEFAULT_HEDGES).facts
    out: dict[Rule, int] = {}
    for fact in facts:
        out[fact.rule] = out.get(fact.rule, 0) + 1
    return out


def main(argv: list[str]) -> None:
    totals = dict.fromkeys(("notes", "legal", "full", "short", "titled", "docs"), 0)
    rows = []
    spent = {"plain": 0.0, "legal": 0.0}
    for path in _files(argv):
        try:
            document = load_document(path)
        except Exception as exc:
            print(f"{path.name}: not read ({type(exc).__name__})")
            continue
        notes = document.notes
        legal = [n for n in notes if looks_legal(n.text)]
        start = time.perf_counter()
        without = _rules(document, legal=False)
        spent["plain"] += time.perf_counter() - start
        start = time.perf_counter()
        with_legal = _rules(document, legal=True)
        spent["legal"] += time.perf_counter() - start
        full = sum(bool(legal_citations(n.text).full) for n in legal)
        short = sum(legal_citations(n.text).only_short_forms for n in legal)
        titled = sum(
            1
            for n in notes
            if cited_titles(n.text)
            and len({normalize(u) for u in n.urls}) == 1
            and not is_homepage(normalize(n.urls[0]))
        )
        totals["docs"] += 1
        for key, value in (
            ("notes", len(notes)),
            ("legal", len(legal)),
            ("full", full),
            ("short", short),
            ("titled", titled),
        ):
            totals[key] += value
        rows.append(
            (
                path.name,
                len(notes),
                len(legal),
                full,
                short,
                without.get(Rule.NO_LOCATOR, 0),
                with_legal.get(Rule.NO_LOCATOR, 0),
                without.get(Rule.UNRESOLVED_IBID, 0),
                with_legal.get(Rule.UNRESOLVED_IBID, 0),
                titled,
            )
        )
    head = ("document", "notes", "legal?", "full", "short", "no-loc", "->", "unres", "->", "titled")
    widths = (44, 6, 6, 5, 5, 6, 4, 5, 4, 6)
    print(
        " ".join(
            f"{h:<{w}}" if i == 0 else f"{h:>{w}}"
            for i, (h, w) in enumerate(zip(head, widths, strict=True))
        )
    )
    for row in rows:
        if row[1]:
            print(
                " ".join(
                    f"{v:<{w}}" if i == 0 else f"{v:>{w}}"
                    for i, (v, w) in enumerate(zip(row, widths, strict=True))
                )
            )
    print(
        f"\n{totals['docs']} documents, {totals['notes']} notes; {totals['legal']} look legal "
        f"({100 * totals['legal'] / max(totals['notes'], 1):.1f} %, eyecite asked for those only): "
        f"{totals['full']} with a full case/statute citation, {totals['short']} only short forms"
    )
    print(
        f"analysis time: {spent['plain']:.2f} s without legal citations, {spent['legal']:.2f} s "
        f"with (ratio {spent['legal'] / max(spent['plain'], 1e-9):.2f}, eyecite import included)"
    )
    print(f"notes title-mismatch could judge (quoted title, one deep link): {totals['titled']}")
    kinds = {k.value for k in NoteKind}
    assert kinds  # the bench reads the same kinds the tool reports


if __name__ == "__main__":
    main(sys.argv[1:])
