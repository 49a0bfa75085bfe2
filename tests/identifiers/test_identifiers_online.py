"""DOIs online against local stand-ins of the handle API, Crossref and DataCite (services.py
cites their documented shapes): existence, retractions, expressions of concern, mismatched
titles and years, DataCite fall-back, doi.org links judged by the handle system, the cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck.findings import Severity
from citecheck.models import LinkStatus, Rule
from citecheck.pipeline import Source, build_settings, load_source, run
from tests.identifiers.services import IdentifierServices, notice, work

REPORT = """\
# A report

Sleep helps.[^1] A claim.[^2] Retracted work.[^3] Another.[^4] Books.[^5][^6] Preprint.[^7]
Concern.[^8] Data.[^9] Known retraction.[^10]

[^1]: Smith, J., “Sleep and memory consolidation in adults” (2015). doi:10.5555/good
[^2]: Jones, “A study that was never registered” (2019). doi:10.5555/missing
[^3]: Brown, “Vaccines and everything” (2012). https://doi.org/10.5555/retracted
[^4]: Lee, “Effects of sea level rise on coastal cities” (2015). https://doi.org/10.5555/other
[^5]: Gray, *A Book of Tests*, ISBN 978-0-306-40615-8.
[^6]: Gray, *A Book of Tests*, ISBN 978-0-306-40615-7.
[^7]: Kim, “Transformers for tests” (2021). arXiv:2101.01234
[^8]: Park, “Questioned results in mice” (2018). doi:10.5555/concern
[^9]: Data set, “Sea level records 1900-2000” (2016). doi:10.5556/dataset
[^10]: Brown, “Vaccines and everything” (2012), retracted in 2014. doi:10.5555/retracted
"""

CROSSREF = {
    "10.5555/good": work("Sleep and memory consolidation in adults", 2015),
    "10.5555/retracted": work(
        "Vaccines and everything", 2012, [notice("retraction", "10.5555/notice1", (2014, 2, 1))]
    ),
    "10.5555/other": work("Protein folding in yeast under heat stress", 2011),
    "10.5555/concern": work(
        "Questioned results in mice",
        2018,
        [notice("expression_of_concern", "10.5555/notice2", (2020, 5, 4))],
    ),
}
DATACITE = {
    "10.5556/dataset": {
        "titles": [{"title": "Sea level records 1900-2000"}],
        "publicationYear": 2016,
    }
}


@pytest.fixture
def services() -> Iterator[IdentifierServices]:
    registered = set(CROSSREF) | set(DATACITE)
    server = IdentifierServices(registered, CROSSREF, DATACITE)
    try:
        yield server
    finally:
        server.close()


def check(tmp_path: Path, services: IdentifierServices, **flags: object):
    report = tmp_path / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    source: Source = load_source(report)
    settings = build_settings(
        source,
        {
            "doi_api": f"{services.base}/api/handles",
            "crossref_api": services.base,
            "datacite_api": services.base,
            "contact_email": "editor@example.org",
            "allow_private": True,
            "no_archive": True,
            "cache_dir": tmp_path / "cache",
            "timeout": 5.0,
            **flags,
        },
    )
    return run(source, settings, today=dt.date(2026, 12, 1)).report


def by_rule(report, families: set[Rule]) -> dict[tuple[str, str | None], Severity]:
    return {(f.rule, f.label): f.severity for f in report.findings if f.rule in families}


IDENTIFIER_RULES = {
    Rule.IDENTIFIER_INVALID,
    Rule.DOI_UNRESOLVABLE,
    Rule.CITATION_MISMATCH,
    Rule.RETRACTED_SOURCE,
    Rule.EXPRESSION_OF_CONCERN,
    Rule.NO_LOCATOR,
}


def test_exactly_the_expected_findings(tmp_path: Path, services: IdentifierServices) -> None:
    report = check(tmp_path, services)
    assert by_rule(report, IDENTIFIER_RULES) == {
        (Rule.DOI_UNRESOLVABLE, "2"): Severity.ERROR,
        (Rule.RETRACTED_SOURCE, "3"): Severity.ERROR,
        (Rule.CITATION_MISMATCH, "4"): Severity.WARNING,
        (Rule.IDENTIFIER_INVALID, "5"): Severity.ERROR,
        (Rule.EXPRESSION_OF_CONCERN, "8"): Severity.WARNING,
        (Rule.RETRACTED_SOURCE, "10"): Severity.NOTE,  # the note says it was retracted
    }
    messages = {f.label: f.message for f in report.findings if f.rule in IDENTIFIER_RULES}
    assert "retraction on 2014-02-01 (notice 10.5555/notice1)" in messages["3"]
    assert "'Effects of sea level rise on coastal cities'" in messages["4"]
    assert "the note gives 2015; the DOI is registered for 2011" in messages["4"]
    assert "check digit" in messages["5"]


def test_doi_links_are_judged_by_the_handle_system(
    tmp_path: Path, services: IdentifierServices
) -> None:
    report = check(tmp_path, services)
    link = report.links["https://doi.org/10.5555/other"]
    assert link.status is LinkStatus.ALIVE
    assert link.final_url == "https://publisher.example/10.5555/other"
    assert "landing page https://publisher.example/10.5555/other" in (link.detail or "")
    # DataCite answered for the DOI Crossref does not hold; each service asked once per DOI
    assert services.requests["datacite"] == 1
    assert services.requests["handle"] == 6  # six distinct DOIs (10.5555/retracted twice)
    assert all("mailto:editor@example.org" in agent for agent in services.agents)


def test_second_run_is_served_from_the_cache(tmp_path: Path, services: IdentifierServices) -> None:
    first = by_rule(check(tmp_path, services), IDENTIFIER_RULES)
    asked = sum(services.requests.values())
    second = by_rule(check(tmp_path, services), IDENTIFIER_RULES)
    # found DOIs come from the cache (30 days); "not found" is cached for a day
    assert second == first and sum(services.requests.values()) == asked


def test_offline_keeps_the_offline_checks(tmp_path: Path, services: IdentifierServices) -> None:
    report = check(tmp_path, services, offline=True, no_cache=True)
    assert by_rule(report, IDENTIFIER_RULES) == {(Rule.IDENTIFIER_INVALID, "5"): Severity.ERROR}
    assert sum(services.requests.values()) == 0


def test_no_identifiers_turns_the_online_part_off(
    tmp_path: Path, services: IdentifierServices
) -> None:
    report = check(tmp_path, services, no_identifiers=True, offline=True)
    assert by_rule(report, IDENTIFIER_RULES) == {(Rule.IDENTIFIER_INVALID, "5"): Severity.ERROR}
    assert sum(services.requests.values()) == 0
