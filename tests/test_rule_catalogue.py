"""The rule catalogue: every Rule is described once, in the README and in SARIF; a rule name
nobody declared fails where it is made; each error class of a fetch is judged."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from citecheck.analysis import Fact
from citecheck.checkers.facts import Fetch, FetchError
from citecheck.checkers.verdict import decide
from citecheck.findings import RULES, Finding, Report, Rule, Severity
from citecheck.models import Document, LinkResult, LinkStatus, Location, Note, Snapshot
from citecheck.reporters import renderer
from citecheck.rules import findings as rule_findings

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = {"document", "citation", "link", "archive"}


def readme_rules() -> dict[str, str]:
    """`| `rule` | severity | ... |` rows of the README's Rules table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Rules", 1)[1].split("\n#", 1)[0]
    return dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|note) \|", section, re.M))


def test_every_rule_is_described_once_in_declaration_order():
    assert list(RULES) == list(Rule)
    for rule, info in RULES.items():
        assert info.name is rule
        assert isinstance(info.severity, Severity)
        assert info.family in FAMILIES, rule
        assert info.summary.endswith(".") and info.help, rule


def test_readme_lists_every_rule_with_its_severity():
    assert readme_rules() == {str(r): RULES[r].severity.value for r in Rule}


def test_sarif_catalogue_has_every_rule():
    doc = Document("r.txt", "text")
    report = Report("r.txt", doc, (), ())
    sarif = json.loads(renderer("sarif")(report))
    ids = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert ids == [str(r) for r in Rule]


def test_names_compare_equal_to_the_design_strings():
    assert Rule.DEAD_LINK == "dead-link" and f"{Rule.DEAD_LINK}" == "dead-link"
    assert LinkStatus.SOFT_404 == "soft-404" and str(LinkStatus.SOFT_404) == "soft-404"
    assert RULES["dead-link"] is RULES[Rule.DEAD_LINK]
    assert json.dumps({"rule": Rule.TLS_ERROR}) == '{"rule": "tls-error"}'


@pytest.mark.parametrize(
    "make",
    [
        lambda: Finding("dead-lnk", Severity.ERROR, "m"),
        lambda: Fact("marker-without-nte", "m", None),
        lambda: LinkResult("http://x.test/", LinkStatus.DEAD, rules=("dead-lnk",)),
        lambda: LinkResult("http://x.test/", LinkStatus.ALIVE, archive_rules=("no-copy",)),
        lambda: Fetch("http://x.test/", error="time-out"),
    ],
    ids=["finding", "fact", "link-rules", "archive-rules", "fetch-error"],
)
def test_a_misspelt_name_fails_where_it_is_made(make):
    with pytest.raises(ValueError):
        make()


def test_names_given_as_strings_become_enum_members():
    result = LinkResult("http://x.test/", LinkStatus.DEAD, rules=("dead-link",))
    assert result.rules == (Rule.DEAD_LINK,) and type(result.rules[0]) is Rule
    assert Finding("dead-link", Severity.ERROR, "m").rule is Rule.DEAD_LINK
    assert Fetch("http://x.test/", error="timeout").error is FetchError.TIMEOUT


@pytest.mark.parametrize("error", list(FetchError))
def test_every_fetch_error_class_is_judged(error):
    result = decide("https://x.test/a", Fetch("https://x.test/a", error=error))
    assert (
        result.status in (LinkStatus.DEAD, LinkStatus.UNREACHABLE, LinkStatus.TLS_ERROR)
        or (error is FetchError.GUARD and result.status is LinkStatus.SKIPPED)
        or (  # this machine's limit is waited out and retried; if it persists, never a verdict
            error is FetchError.LOCAL_LIMIT and result.status is LinkStatus.UNCHECKED
        )
    )
    assert result.detail


def _analysis(url: str):
    from citecheck.analysis import analyze

    note = Note("1", f"Report, <{url}>", Location("r.txt", 3), (url,))
    return analyze(Document("r.txt", "text", notes=(note,)), ())


def test_insecure_link_is_decided_by_the_rules_only():
    url = "http://x.test/a"
    alive = decide(url, Fetch(url, status=200))
    assert Rule.INSECURE_LINK not in alive.rules  # the verdict states facts
    for result in (alive, decide(url, Fetch(url, status=404)), None):
        links = {url: result} if result else {}
        fired = [f.rule for f in rule_findings(_analysis(url), links)]
        assert fired.count(Rule.INSECURE_LINK) == 1, result


def test_a_cached_verdict_from_an_earlier_version_gives_one_insecure_link():
    from citecheck.checkers.stored import from_json, to_json

    url = "http://x.test/a"
    old = to_json(LinkResult(url, LinkStatus.ALIVE, http_status=200))
    old["rules"] = ["insecure-link"]  # what versions before the enums cached
    fired = [f.rule for f in rule_findings(_analysis(url), {url: from_json(url, old)})]
    assert fired.count(Rule.INSECURE_LINK) == 1


@pytest.mark.parametrize("drift,fired", [(0.49, True), (0.5, False), (None, False)])
def test_the_drift_threshold_is_applied_by_the_rules_and_shown_by_reporters(drift, fired):
    url = "https://x.test/a"
    when = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    snap = Snapshot("ia", f"https://web.archive.org/web/20150101000000/{url}", when)
    link = LinkResult(url, LinkStatus.ALIVE, http_status=200, snapshot=snap, drift=drift)
    analysis = _analysis(url)
    found = rule_findings(analysis, {url: link}, drift_threshold=0.5)
    assert (Rule.CONTENT_DRIFT in [f.rule for f in found]) is fired
    report = Report("r.txt", analysis.document, analysis.notes, found, links={url: link})
    assert (Rule.CONTENT_DRIFT in report.link_rules(url)) is fired
    appendix = renderer("markdown")(report)
    assert ("changed since cited" in appendix) is fired
    data = json.loads(renderer("json")(report))
    assert ("content-drift" in data["notes"][0]["links"][0]["rules"]) is fired


def test_settings_know_every_severity():
    from citecheck.settings import _FAIL_ON

    assert (*Severity, "never") == _FAIL_ON


def test_where_the_rules_suggest_the_capture_the_appendix_links_it():
    url = "https://x.test/a"
    when = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    snap = Snapshot("ia", f"https://web.archive.org/web/20150101000000/{url}", when)
    link = LinkResult(url, LinkStatus.TLS_ERROR, rules=("tls-error",), snapshot=snap)
    analysis = _analysis(url)
    found = rule_findings(analysis, {url: link})
    (tls,) = [f for f in found if f.rule is Rule.TLS_ERROR]
    assert snap.url in tls.suggestion
    report = Report("r.txt", analysis.document, analysis.notes, found, links={url: link})
    assert "tls-error" in renderer("json")(report)  # the rule stays; the appendix links the copy
    from citecheck.reporters import appendix_renderer

    assert f'href="{snap.url}"' in appendix_renderer("html")(report)
