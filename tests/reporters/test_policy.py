"""Policy: severity overrides, waivers with expiry, baseline of a previous JSON result."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from reporters_sample import FINDINGS, build_report, finding

from citecheck.findings import Finding, Report, Severity
from citecheck.policy import (
    BASELINE_REASON,
    PolicyError,
    Waiver,
    apply_policy,
    baseline_findings,
    fingerprint,
    lapsed_waivers,
    parse_severities,
    waiver_from_entry,
)

TODAY = dt.date(2026, 11, 28)
DEAD = finding(
    "dead-link", 512, "64", "The link is dead (HTTP 404).", "http://terredeshommesnl.org"
)
HOME = finding(
    "homepage-only", 464, "55", "The only locator is the home page.", "https://www.enisa.europa.eu"
)


def _as_json(f: Finding) -> dict:
    """A finding as `--format json` writes it (DESIGN §5)."""
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "label": f.label,
        "url": f.url,
        "file": f.location.file,
        "line": f.location.line,
        "message": f.message,
        "suggestion": f.suggestion,
        "accepted": f.accepted,
    }


def _fails(findings, fail_on=Severity.ERROR) -> list[str]:
    report = dataclasses.replace(build_report(), findings=tuple(findings), fail_on=fail_on)
    return [f.rule for f in report.failing()]


def test_severity_override():
    out = apply_policy(
        [DEAD, HOME], severities={"dead-link": "warning", "homepage-only": "error"}, today=TODAY
    )
    assert [f.severity for f in out] == [Severity.WARNING, Severity.ERROR]
    assert _fails(out) == ["homepage-only"]


def test_parse_severities_and_errors():
    assert parse_severities(["homepage-only=note", " dead-link = warning "]) == {
        "homepage-only": "note",
        "dead-link": "warning",
    }
    with pytest.raises(PolicyError, match="RULE=LEVEL"):
        parse_severities(["homepage-only"])
    with pytest.raises(PolicyError, match="unknown rule 'dead-links'"):
        parse_severities(["dead-links=note"])
    with pytest.raises(PolicyError, match="error, warning or note"):
        parse_severities(["dead-link=fatal"])


def test_waiver_accepts_until_its_date_then_lapses():
    waivers = {"64": Waiver(("dead-link",), "site gone, archive cited", dt.date(2026, 12, 31))}
    held = apply_policy([DEAD, HOME], waivers=waivers, today=dt.date(2026, 12, 31))
    assert [f.accepted for f in held] == [True, False]
    assert _fails(held) == []
    lapsed = apply_policy([DEAD, HOME], waivers=waivers, today=dt.date(2027, 1, 1))
    assert [f.accepted for f in lapsed] == [False, False]
    assert _fails(lapsed) == ["dead-link"]
    assert lapsed_waivers(waivers, dt.date(2027, 1, 1)) == [("64", dt.date(2026, 12, 31))]
    assert lapsed_waivers(waivers, dt.date(2026, 12, 31)) == []


def test_waiver_covers_only_its_rules_and_label():
    waivers = {"55": Waiver(("dead-link",)), "64": Waiver(("homepage-only",))}
    out = apply_policy([DEAD, HOME], waivers=waivers, today=TODAY)
    assert [f.accepted for f in out] == [False, False]
    out = apply_policy([DEAD, HOME], waivers={"55": Waiver(("*",))}, today=TODAY)
    assert [f.accepted for f in out] == [False, True]


HAS_REASON = any(f.name == "reason" for f in dataclasses.fields(Finding))
needs_reason = pytest.mark.skipif(
    not HAS_REASON, reason="Finding.reason is not in the data contract yet"
)


@needs_reason
def test_accepted_findings_carry_the_reason():
    (out,) = apply_policy([DEAD], waivers={"64": Waiver(("dead-link",), "why")}, today=TODAY)
    assert out.accepted and out.reason == "why"
    (out,) = apply_policy([DEAD], baseline=[_as_json(DEAD)], today=TODAY)
    assert out.accepted and out.reason == BASELINE_REASON


def test_waiver_from_manifest_entry():
    w = waiver_from_entry(
        {
            "label": "37",
            "accept": ["homepage-only"],
            "reason": "strips paths",
            "accept_until": "2026-01",
        }
    )
    assert w == Waiver(("homepage-only",), "strips paths", dt.date(2026, 1, 1))
    assert waiver_from_entry({"label": "1"}) is None
    assert waiver_from_entry({"label": "1", "accept": "all"}).rules == ("*",)
    with pytest.raises(PolicyError, match="note 1: unknown rule 'homepage'"):
        waiver_from_entry({"label": "1", "accept": "homepage"})
    with pytest.raises(PolicyError, match="accept_until"):
        waiver_from_entry({"label": "1", "accept": "dead-link", "accept_until": "soon"})


def test_baseline_old_finding_passes_new_one_fails():
    baseline = [_as_json(DEAD)]
    new_dead = finding(
        "dead-link", 57, "2", "The link is dead (HTTP 404).", "http://www.inhope.org"
    )
    # the old finding moved 30 lines down (text added above); still recognised
    moved = dataclasses.replace(DEAD, location=dataclasses.replace(DEAD.location, line=542))
    out = apply_policy([moved, new_dead], baseline=baseline, today=TODAY)
    assert [f.accepted for f in out] == [True, False]
    assert _fails(out) == ["dead-link"] and out[1].label == "2"


def test_baseline_is_a_multiset():
    twice = [DEAD, DEAD]
    out = apply_policy(twice, baseline=[_as_json(DEAD)], today=TODAY)
    assert [f.accepted for f in out] == [True, False]


def test_baseline_from_a_json_result_and_bad_files():
    data = {"schema": "citecheck/1", "findings": [_as_json(f) for f in FINDINGS]}
    base = baseline_findings(data)
    out = apply_policy(FINDINGS, baseline=base, today=TODAY)
    assert all(f.accepted for f in out)
    with pytest.raises(PolicyError, match=r"old\.json: not a citecheck JSON result"):
        baseline_findings({"schema": "other"}, "old.json")
    with pytest.raises(PolicyError, match="must be a list"):
        baseline_findings({"schema": "citecheck/1", "findings": {}})


def test_fingerprint_recipe():
    base = fingerprint("dead-link", "64", "http://Terredeshommesnl.org", "Dead  (HTTP 404).")
    assert base == fingerprint(
        "dead-link", "64", "http://terredeshommesnl.org/", "dead (http 410)."
    )  # URL normalised, digits masked
    assert base != fingerprint("dead-link", "63", "http://terredeshommesnl.org", "dead")
    assert base != fingerprint("soft-404", "64", "http://terredeshommesnl.org", "Dead (HTTP 404).")
    assert base != fingerprint("dead-link", "64", "http://other.org", "Dead (HTTP 404).")


def test_overrides_apply_before_baseline_and_report_counts():
    out = apply_policy(
        [HOME], severities={"homepage-only": "error"}, baseline=[_as_json(HOME)], today=TODAY
    )
    report = Report("x", build_report().document, (), out)
    assert report.counts() == {"error": 0, "warning": 0, "note": 0}
    assert out[0].severity == Severity.ERROR and out[0].accepted
