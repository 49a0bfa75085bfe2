"""Findings of the notes whose links are all cached are made while the last run's failures
are fetched again; a result that changes after (a new object) is decided again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from pathlib import Path

from citecheck import pipeline, rules
from citecheck.analysis import analyze
from citecheck.models import LinkResult, LinkStatus, Rule
from citecheck.readers.text import read
from citecheck.settings import DEFAULT_HEDGES

TEXT = """A claim¹, another² and a third³.

¹ Smith (2019), <http://example.org/a>.
² Jones (2020), <https://example.org/b> and <https://example.org/c>.
³ A term used loosely here.
"""


def _links() -> dict[str, LinkResult]:
    return {
        "http://example.org/a": LinkResult("http://example.org/a", LinkStatus.ALIVE),
        "https://example.org/b": LinkResult("https://example.org/b", LinkStatus.ALIVE),
        "https://example.org/c": LinkResult("https://example.org/c", LinkStatus.ALIVE),
    }


def test_ahead_keeps_only_notes_whose_every_link_is_known():
    analysis = analyze(read(TEXT, "r.txt"), DEFAULT_HEDGES)
    known = _links()
    del known["https://example.org/c"]  # still being fetched
    ahead = rules.findings_ahead(analysis.notes, known)
    assert sorted(ahead.notes) == [0, 2]  # note 2 waits for its second link
    assert [f.rule for f in ahead.notes[0][2]] == [Rule.INSECURE_LINK]


def test_findings_with_ahead_are_those_without_and_changed_results_are_decided_again():
    analysis = analyze(read(TEXT, "r.txt"), DEFAULT_HEDGES)
    known = _links()
    ahead = rules.findings_ahead(analysis.notes, known)
    assert sorted(ahead.notes) == [0, 1, 2]
    final = dict(known)  # a later stage made a new result for one URL: it is dead now
    final["http://example.org/a"] = dataclasses.replace(
        known["http://example.org/a"],
        status=LinkStatus.DEAD,
        http_status=404,
        rules=(Rule.DEAD_LINK,),
    )
    found = rules.findings(analysis, final, ahead=ahead)
    assert found == rules.findings(analysis, final)
    assert {f.rule for f in found if f.label == "1"} == {Rule.DEAD_LINK, Rule.INSECURE_LINK}
    # made with other identifier records or another drift threshold: not used at all
    other = rules.findings(analysis, known, drift_threshold=0.9, ahead=ahead)
    assert other == rules.findings(analysis, known, drift_threshold=0.9)


def test_ahead_findings_are_reused_where_nothing_changed(monkeypatch):
    analysis = analyze(read(TEXT, "r.txt"), DEFAULT_HEDGES)
    known = _links()
    ahead = rules.findings_ahead(analysis.notes, known)
    expected = rules.findings(analysis, known)
    calls: list[str] = []
    decide = rules._note_findings

    def counted(note, *args):
        calls.append(note.label)
        return decide(note, *args)

    monkeypatch.setattr(rules, "_note_findings", counted)
    assert rules.findings(analysis, known, ahead=ahead) == expected
    assert calls == []
    stale = dict(known)
    stale["https://example.org/b"] = dataclasses.replace(known["https://example.org/b"])
    assert rules.findings(analysis, stale, ahead=ahead) == expected
    assert calls == ["2"]  # an equal but new result: decided again, to be safe


def test_a_warm_check_decides_cached_notes_while_the_failures_are_fetched(
    local_web, tmp_path, monkeypatch
):
    """Second run: the notes with cached links are decided ahead, the note whose link failed
    after its fetch; the report is the one of a run that decides everything at the end."""
    ok = [local_web.url("127.0.0.2", f"/ok?ahead={i}") for i in range(3)]
    gone = local_web.url("127.0.0.2", "/missing/ahead")
    lines = [f"Claim {i}.[^{i}]" for i in range(1, 5)] + [""]
    lines += [f"[^{i}]: Source {i}, <{url}>." for i, url in enumerate([*ok, gone], start=1)]
    report = Path(tmp_path, "r.md")
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    flags = {
        "cache_dir": tmp_path / "cache",
        "no_archive": True,
        "canaries": [],
        "allow_networks": ["127.0.0.0/8"],
        "retries": 0,
        "timeout": 2.0,
    }

    def check() -> pipeline.Outcome:
        source = pipeline.load_source(report, flags)
        settings = pipeline.build_settings(source, flags)
        return pipeline.run(source, settings, today=dt.date(2026, 1, 1))

    check()
    made: list[rules.Ahead] = []
    original = rules.findings_ahead
    monkeypatch.setattr(rules, "findings_ahead", lambda *a: made.append(original(*a)) or made[-1])
    warm = check().report
    assert [sorted(a.notes) for a in made] == [[0, 1, 2]]  # the 4th waited for its fetch
    assert warm.links[gone].status is LinkStatus.DEAD and not warm.links[gone].from_cache
    assert all(warm.links[u].from_cache for u in ok)
    monkeypatch.setattr(rules, "findings_ahead", lambda *a: rules.Ahead({}, 0.5, None, None))
    assert check().report.findings == warm.findings
    assert {(f.rule, f.label) for f in warm.findings if f.rule is Rule.DEAD_LINK} == {
        (Rule.DEAD_LINK, "4")
    }


def test_identifiers_are_looked_up_while_the_links_are_fetched(local_web, tmp_path, monkeypatch):
    """A run asks the identifier services while the links are fetched (the last run's
    failures, in a warm run; each on its own transport); the findings are those of a run that
    decides them all at the end."""
    from tests.identifiers.services import IdentifierServices, work

    services = IdentifierServices(
        {"10.5555/good"}, {"10.5555/good": work("Sleep and memory in adults", 2015)}, {}
    )
    ok = local_web.url("127.0.0.2", "/ok?doi=1")
    gone = local_web.url("127.0.0.2", "/missing/doi")
    report = Path(tmp_path, "r.md")
    report.write_text(
        "Sleep.[^1] Live.[^2] Gone.[^3]\n\n"
        "[^1]: Smith, “Sleep and memory in adults” (2015), https://doi.org/10.5555/good\n"
        f"[^2]: Page, <{ok}>.\n[^3]: Page, <{gone}>.\n",
        encoding="utf-8",
    )
    flags = {
        "doi_api": f"{services.base}/api/handles",
        "crossref_api": services.base,
        "datacite_api": services.base,
        "allow_private": True,
        "no_archive": True,
        "canaries": [],
        "retries": 0,
        "cache_dir": tmp_path / "cache",
        "timeout": 5.0,
    }
    asked_while: list[bool] = []
    original = pipeline.check_identifiers

    def spy(*args: object, **kwargs: object) -> object:
        asked_while.append(any(t.name == "links" for t in threading.enumerate()))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    def check() -> pipeline.Outcome:
        source = pipeline.load_source(report, flags)
        settings = pipeline.build_settings(source, flags)
        return pipeline.run(source, settings, today=dt.date(2026, 1, 1))

    monkeypatch.setattr(pipeline, "check_identifiers", spy)
    try:
        cold = check().report  # fills the cache: the live page, the DOI record
        assert not cold.links[ok].from_cache
        warm = check().report
        assert asked_while == [True, True]  # cold and warm: while the links were fetched
        assert warm.links["https://doi.org/10.5555/good"].status is LinkStatus.ALIVE
        assert warm.links[gone].status is LinkStatus.DEAD and warm.links[ok].from_cache
        monkeypatch.setattr(rules, "findings_ahead", lambda *a: rules.Ahead({}, 0.5, None, None))
        assert check().report.findings == warm.findings
    finally:
        services.close()


def test_a_transport_shared_with_the_link_checker_is_used_before_the_links(monkeypatch):
    from citecheck.settings import Settings

    calls: list[int] = []
    monkeypatch.setattr(pipeline, "check_identifiers", lambda *a, **k: calls.append(1) or ({}, {}))
    shared, other = object(), object()
    pipeline._Lookups((), Settings(), None, shared, shared)  # type: ignore[arg-type]
    assert calls == [1]  # asked at once: the link checker's thread will use it next
    later = pipeline._Lookups((), Settings(), None, other, shared)  # type: ignore[arg-type]
    assert calls == [1]
    assert later.result() == ({}, {}) and calls == [1, 1]
    assert later.result() == ({}, {}) and calls == [1, 1]  # once
