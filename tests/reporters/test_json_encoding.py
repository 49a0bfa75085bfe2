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


def test_every_checked_link_not_in_a_note_has_a_record(report):
    import dataclasses

    from citecheck.models import LinkResult, LinkStatus, Location, UrlRef
    from citecheck.reporters import json as json_reporter
    from tests.json_schema import loads

    body = (
        UrlRef("https://body.example/page", Location(report.source, 20)),
        UrlRef("https://body.example/page", Location(report.source, 30)),
        UrlRef("http://www.inhope.org", Location(report.source, 40)),  # also in note 2
    )
    document = dataclasses.replace(report.document, body_urls=body)
    links = {
        **report.links,
        "https://body.example/page": LinkResult(
            "https://body.example/page", LinkStatus.DEAD, http_status=404
        ),
    }
    data = loads(json_reporter.render(dataclasses.replace(report, document=document, links=links)))
    assert [(x["url"], x["status"], x["line"], x["lines"]) for x in data["links"]] == [
        ("https://body.example/page", "dead", 20, [20, 30])
    ]


def test_the_schema_is_published_and_rejects_what_it_should(report):
    import jsonschema
    import pytest

    from citecheck.reporters import json as json_reporter
    from tests.json_schema import loads

    data = loads(json_reporter.render(report))
    data["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        from tests.json_schema import validate

        validate(data)


def test_citecheck_schema_prints_the_packaged_schema():
    import json
    import subprocess
    import sys
    from importlib.resources import files
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "citecheck", "schema"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    packaged = (files("citecheck") / "schemas" / "citecheck-1.json").read_text("utf-8")
    assert json.loads(done.stdout) == json.loads(packaged)
    assert json.loads(done.stdout)["properties"]["schema"]["const"] == "citecheck/1"
