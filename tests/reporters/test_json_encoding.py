"""The JSON reporter's fast encoder writes what the standard library would."""

from __future__ import annotations

import json

from citecheck.reporters import json as json_reporter


def test_dumps_writes_what_json_dumps_writes():
    awkward = {
        "text": 'Zoë « quoted "x" » \\ back\tslash\n\x01\x1f\x7f \u2028 \U0001f600 ñ',
        "numbers": [0, -3, 1.5, 0.1, 0.875, 2**63 - 1, 0.30000000000000004],
        "flags": [True, False, None],
        "empty": {"list": [], "dict": {}},
        "nested": [{"a": [1, {"b": "c"}]}, []],
    }
    assert json_reporter.dumps(awkward) == json.dumps(awkward, indent=2, ensure_ascii=False)


def test_tiny_floats_differ_only_in_spelling():
    # orjson writes 1e-7 where json writes 1e-07: the same number to any parser.
    assert json.loads(json_reporter.dumps({"x": 1e-07})) == {"x": 1e-07}


def test_render_output_parses_back(report):
    data = json.loads(json_reporter.render(report))
    assert data["schema"] == "citecheck/1"
    assert data["summary"]["notes"] == len(report.notes)
