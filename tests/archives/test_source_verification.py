"""Issue 16's acceptance: one report citing a valid DOI with the right title, a DOI that does
not exist, a retracted DOI, a DOI registered for another title, an ISBN with a bad check
digit, a valid ISBN, an arXiv id, a Wayback-style URL with a capture and one without, missing
fragments (an HTML anchor, a PDF page), a page whose title changed, and a case citation
followed by `Id.` gets exactly the expected findings, and the offline part of them with
--offline.

Real services on loopback: the live web and the pywb archive of conftest.py (WARCs written
with warcio), and the identifier stand-ins of tests/identifiers/services.py (the handle API,
Crossref and DataCite as they document their answers).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.identifiers.services import IdentifierServices, notice, work
from tests.json_schema import loads as schema_loads

ROOT = Path(__file__).resolve().parents[2]
CROSSREF = {
    "10.5555/good": work("Sleep and memory consolidation in adults", 2015),
    "10.5555/retracted": work(
        "Vaccines and everything", 2012, [notice("retraction", "10.5555/notice1", (2014, 2, 1))]
    ),
    "10.5555/other": work("Protein folding in yeast under heat stress", 2011),
}


@pytest.fixture
def services() -> Iterator[IdentifierServices]:
    server = IdentifierServices(set(CROSSREF), CROSSREF)
    try:
        yield server
    finally:
        server.close()


def _report(tmp_path: Path, pywb, live_web, services: IdentifierServices) -> Path:
    alpha = f"{pywb.base}/alpha"
    live = live_web.url
    (tmp_path / "report.md").write_text(
        "# Sources\n\n" + " ".join(f"Claim {i}.[^{i}]" for i in range(1, 16)) + "\n\n"
        "[^1]: Smith, J., “Sleep and memory consolidation in adults” (2015). doi:10.5555/good\n"
        "[^2]: Jones, “A study that was never registered” (2019). doi:10.5555/missing\n"
        "[^3]: Brown, “Vaccines and everything” (2012). doi:10.5555/retracted\n"
        "[^4]: Lee, “Effects of sea level rise on coastal cities” (2011). doi:10.5555/other\n"
        "[^5]: Gray, *A Book of Tests*, ISBN 978-0-306-40615-8.\n"
        "[^6]: Gray, *A Book of Tests*, ISBN 978-0-306-40615-7.\n"
        "[^7]: Kim, “Transformers for tests” (2021). arXiv:2101.01234\n"
        f"[^8]: Virtual goods, archived: <{alpha}/20150901120000/{live('/article')}>\n"
        f"[^9]: A page never archived: <{alpha}/20150901/{live('/fresh')}>\n"
        f"[^10]: Field guide, methods: <{live('/guide#methods')}>\n"
        f"[^11]: Field guide, conclusions: <{live('/guide#conclusions')}>\n"
        f"[^12]: Survey report, p. 9: <{live('/doc.pdf#page=9')}>\n"
        f"[^13]: Acme Ltd, “Annual report on virtual goods markets”, <{live('/retitled')}>\n"
        "[^14]: Brown v. Board of Education, 347 U.S. 483 (1954).\n"
        "[^15]: Id. at 495.\n",
        encoding="utf-8",
    )
    path = tmp_path / "references.yaml"
    path.write_text(
        "version: 1\nsource: report.md\nas_of: 2015-10-01\nsettings:\n"
        "  allow_private: true\n  retries: 0\n  timeout: 10\n"
        f"  canaries: ['{live('/article')}']\n"
        f"  doi_api: '{services.base}/api/handles'\n"
        f"  crossref_api: '{services.base}'\n  datacite_api: '{services.base}'\n"
        "  contact_email: editor@example.org\n  archives:\n"
        f"    alpha: {{timegate: '{alpha}/', cdx: '{alpha}/cdx', cdx_dialect: pywb, "
        "per_minute: null}\nreferences: []\n",
        encoding="utf-8",
    )
    return path


def _check(tmp_path: Path, manifest: Path, *extra: str) -> dict:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "citecheck",
            "check",
            str(manifest),
            "--format",
            "json",
            *extra,
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode in (0, 1), run.stderr
    return schema_loads(run.stdout)


def _found(data: dict) -> list[tuple[str, str, str]]:
    """(label, rule, severity) of every finding; insecure-link notes left out (every
    loopback server speaks http://)."""
    return sorted(
        (f["label"], f["rule"], f["severity"])
        for f in data["findings"]
        if f["rule"] != "insecure-link"
    )


EXPECTED = [
    ("11", "missing-fragment", "warning"),
    ("12", "missing-fragment", "warning"),
    ("13", "title-mismatch", "note"),
    ("2", "doi-unresolvable", "error"),
    ("3", "retracted-source", "error"),
    ("4", "citation-mismatch", "warning"),
    ("5", "identifier-invalid", "error"),
    ("9", "archived-copy-missing", "error"),
    ("9", "no-archived-copy", "warning"),  # the original, looked up: no archive holds it
]


def test_exactly_the_expected_findings(tmp_path, pywb, live_web, services):
    manifest = _report(tmp_path, pywb, live_web, services)
    data = _check(tmp_path, manifest)
    assert _found(data) == EXPECTED
    notes = {n["label"]: n for n in data["notes"]}
    assert notes["15"]["ibid_of"] == "14"
    title = next(f for f in data["findings"] if f["rule"] == "title-mismatch")
    assert "Buy cheap virtual data rooms" in title["message"]
    assert "2015-09-01" in title["message"] and title["suggestion"].startswith("cite the archived")
    pdf = next(
        f for f in data["findings"] if f["rule"] == "missing-fragment" and f["label"] == "12"
    )
    assert "3 pages" in pdf["message"]


def test_offline_keeps_the_offline_checks(tmp_path, pywb, live_web, services):
    manifest = _report(tmp_path, pywb, live_web, services)
    data = _check(tmp_path, manifest, "--offline", "--no-cache")
    assert _found(data) == [("5", "identifier-invalid", "error")]
    assert {n["label"]: n["ibid_of"] for n in data["notes"]}["15"] == "14"
    # offline after an online run: the cached facts give the same findings
    _check(tmp_path, manifest)
    assert _found(_check(tmp_path, manifest, "--offline")) == EXPECTED
