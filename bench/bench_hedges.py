"""Precision and recall of the hedge grammar (citecheck.analysis.hedging) on hand-labelled
real sentences: the development set (bench/hedges/sentences.tsv) and a held-out set labelled
before it was scored (heldout.tsv), per language; misses and false alarms listed.

    python bench/bench_hedges.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from citecheck.analysis.hedging import is_hedge

SET = Path(__file__).resolve().parent / "hedges" / "sentences.tsv"  # the grammar was built on it
HELDOUT = SET.with_name("heldout.tsv")  # labelled first, then scored once


def load(path: Path = SET) -> list[tuple[bool, str, str, str]]:
    """(is a hedge, language, source, sentence) for each labelled line."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        label, lang, source, sentence = line.split("\t", 3)
        rows.append((label == "1", lang, source, sentence))
    return rows


def score(rows: list[tuple[bool, str, str, str]]) -> tuple[float, float, Counter[str]]:
    """(precision, recall, counts of tp/fp/fn/tn)."""
    counts: Counter[str] = Counter()
    for truth, _, _, sentence in rows:
        said = is_hedge(sentence)
        counts[("t" if said == truth else "f") + ("p" if said else "n")] += 1
    precision = counts["tp"] / ((counts["tp"] + counts["fp"]) or 1)
    recall = counts["tp"] / ((counts["tp"] + counts["fn"]) or 1)
    return precision, recall, counts


def main() -> None:
    rows = load()
    heldout = load(HELDOUT)
    real = [r for r in rows if r[2] != "constructed"]
    groups = {
        "development, real": real,
        "development + built": rows,
        "held out": heldout,
    }
    for lang in sorted({r[1] for r in heldout}):
        groups[f"held out, {lang}"] = [r for r in heldout if r[1] == lang]
    for lang in sorted({r[1] for r in rows}):
        groups[f"development, {lang}"] = [r for r in real if r[1] == lang]
    print(f"{'set':<26} {'n':>4} {'hedges':>6} {'precision':>9} {'recall':>7}")
    for name, group in groups.items():
        p, r, _ = score(group)
        print(f"{name:<26} {len(group):>4} {sum(g[0] for g in group):>6} {p:>9.3f} {r:>7.3f}")
    for truth, lang, source, sentence in rows + heldout:
        if is_hedge(sentence) != truth:
            what = "missed" if truth else "false alarm"
            print(f"  {what} [{lang} {source}] {sentence}")


if __name__ == "__main__":
    main()
