"""Identifiers in the outputs: `identifiers` per note in the JSON output (validated against the
published schema) and the extracted `identifiers:` field of references.yaml, written by
`extract` from the template and by the round-trip update, only for notes that cite any."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from citecheck.cli import app
from citecheck.manifest.yamlrt import make_yaml
from tests.json_schema import loads

REPORT = (
    "A claim¹ and another² and a third³.\n\n"
    "¹ Smith, J. (2019), *A Book*, ISBN 978-0-306-40615-7; doi:10.1000/xyz123\n"
    "² Jones, K. (2020), *Another Book*, ISBN 978-0-306-40615-8\n"
    "³ A page, <https://example.org/page>\n"
)


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*argv: str) -> str:
        if argv[0] == "check":
            argv = (*argv, "--offline", "--cache-dir", str(tmp_path / "cache"))
        result = CliRunner().invoke(app, list(argv))
        assert result.exception is None or isinstance(result.exception, SystemExit)
        return result.stdout

    return invoke


def _entries(path: Path) -> list[dict]:
    return [dict(e) for e in make_yaml().load(path.read_text(encoding="utf-8"))["references"]]


def test_json_lists_each_notes_identifiers(run, tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    data = loads(run("check", "r.txt", "--format", "json"))
    by_label = {n["label"]: n["identifiers"] for n in data["notes"]}
    assert by_label["1"] == [
        {"scheme": "doi", "value": "10.1000/xyz123", "raw": "doi:10.1000/xyz123", "valid": True,
         "problem": None},
        {"scheme": "isbn", "value": "9780306406157", "raw": "ISBN 978-0-306-40615-7", "valid": True,
         "problem": None},
    ]  # fmt: skip
    [bad] = by_label["2"]
    assert (bad["scheme"], bad["valid"]) == ("isbn", False) and "check digit" in bad["problem"]
    assert by_label["3"] == []


def test_extract_writes_identifiers_only_where_a_note_has_some(run, tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    run("extract", "r.txt", "-o", "references.yaml")
    text = (tmp_path / "references.yaml").read_text(encoding="utf-8")
    assert text.count("identifiers:") == 2
    entries = _entries(tmp_path / "references.yaml")
    assert entries[0]["identifiers"] == ["doi:10.1000/xyz123", "isbn:9780306406157"]
    assert entries[1]["identifiers"] == ["isbn:9780306406158"]
    assert "identifiers" not in entries[2]
    # the template writes what the round-trip writer writes
    fresh = tmp_path / "rt.yaml"
    fresh.write_text("version: 1\nreferences: []\n", encoding="utf-8")
    run("extract", "r.txt", "-o", "rt.yaml")
    assert [e.get("identifiers") for e in _entries(fresh)] == [
        e.get("identifiers") for e in entries
    ]


def test_update_adds_and_drops_identifiers_and_keeps_edits(run, tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    run("extract", "r.txt", "-o", "references.yaml")
    manifest = tmp_path / "references.yaml"
    edited = manifest.read_text(encoding="utf-8").replace(
        '  - label: "3"\n', '  - label: "3"\n    reason: checked by hand  # kept\n'
    )
    manifest.write_text(edited, encoding="utf-8")
    report.write_text(
        REPORT.replace("; doi:10.1000/xyz123", "").replace(
            "<https://example.org/page>", "arXiv:2101.01234v2"
        ),
        encoding="utf-8",
    )
    run("extract", "r.txt", "-o", "references.yaml")
    after = manifest.read_text(encoding="utf-8")
    assert "    reason: checked by hand  # kept\n" in after
    entries = _entries(manifest)
    assert entries[0]["identifiers"] == ["isbn:9780306406157"]
    assert entries[2]["identifiers"] == ["arxiv:2101.01234v2"]
    # unchanged again: no rewrite, no churn
    run("extract", "r.txt", "-o", "references.yaml")
    assert manifest.read_text(encoding="utf-8") == after


def test_manifest_without_identifiers_does_not_change(run, tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("A claim¹.\n\n¹ A page, <https://example.org/p>\n")
    run("extract", "r.txt", "-o", "references.yaml")
    before = (tmp_path / "references.yaml").read_text(encoding="utf-8")
    assert "identifiers" not in before.split("\n", 6)[-1]  # only the header mentions them
    run("extract", "r.txt", "-o", "references.yaml")
    assert (tmp_path / "references.yaml").read_text(encoding="utf-8") == before
