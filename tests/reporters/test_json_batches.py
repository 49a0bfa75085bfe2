"""`--format json` encodes its long arrays a batch at a time: the text is still exactly the
one indented document `json.dumps(..., indent=2)` writes."""

from __future__ import annotations

import json

import pytest

from citecheck.reporters.json import _BATCH, _document


@pytest.mark.parametrize("count", [0, 1, _BATCH, _BATCH + 1, 2 * _BATCH + 7])
def test_batched_arrays_read_as_one_document(count: int) -> None:
    records = [
        {"label": str(i), "text": f"line\n{i} «é»", "links": [{"u": i}], "e": []}
        for i in range(count)
    ]
    fields = {"schema": "x", "summary": {"n": count}, "notes": records, "none": None}
    lazy = {**fields, "notes": iter(records), "empty": iter([])}
    expected = json.dumps({**fields, "empty": []}, indent=2, ensure_ascii=False) + "\n"
    assert _document(lazy, end="\n") == expected


def test_chunks_joined_are_the_rendered_document(report) -> None:
    from citecheck.reporters.json import render, render_chunks

    pieces = list(render_chunks(report))
    assert len(pieces) > 1 and "".join(pieces) == render(report)


def test_a_long_array_comes_a_batch_per_piece() -> None:
    from citecheck.reporters.json import _pieces

    records = [{"n": i, "text": "x" * 50} for i in range(3 * _BATCH)]
    pieces = list(_pieces({"notes": iter(records)}, end="\n"))
    assert max(len(p) for p in pieces) < len("".join(pieces)) / 2  # never the whole array
    assert json.loads("".join(pieces)) == {"notes": records}
