"""The JSON records of the notes decided ahead are encoded while the last links are fetched;
the render uses one only where the report gives its note the very inputs it was made from,
so the text is byte for byte that of a render without them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from citecheck import rules
from citecheck.analysis import Analysis, analyze
from citecheck.findings import Report
from citecheck.models import Document, LinkResult, LinkStatus, Location, Marker, Rule
from citecheck.readers.text import read
from citecheck.reporters import json as json_reporter
from citecheck.settings import DEFAULT_HEDGES

TEXT = """A claim¹, another² and a third³, a fourth⁴ and the first again¹.

¹ Smith (2019), <http://example.org/a>.
² Jones (2020), <https://example.org/b> and <https://example.org/c>.
³ A term used loosely here.
⁴ Again, <https://Example.org:443/b#part>.
"""


def _links() -> dict[str, LinkResult]:
    return {
        "http://example.org/a": LinkResult("http://example.org/a", LinkStatus.ALIVE, 200),
        "https://example.org/b": LinkResult("https://example.org/b", LinkStatus.ALIVE, 200),
        "https://example.org/c": LinkResult(
            "https://example.org/c", LinkStatus.DEAD, 404, rules=(Rule.DEAD_LINK,)
        ),
    }


def _report(analysis: Analysis, links: dict[str, LinkResult], ahead: rules.Ahead) -> Report:
    found = rules.findings(analysis, links, ahead=ahead)
    document = analysis.document
    markers: dict[str, list[Location]] = {}
    for m in document.markers:
        markers.setdefault(m.label, []).append(m.location)
    by_label = {k: tuple(v) for k, v in markers.items()}
    return Report(document.source, document, analysis.notes, found, None, links, by_label)


def _reused(report: Report, early: json_reporter.NotesAhead) -> list[int]:
    """The indices of the notes whose records made ahead the render uses."""
    runs = json_reporter._reusable(report, early).items()
    return sorted(i for start, (count, _) in runs for i in range(start, start + count))


@pytest.fixture
def analysis(monkeypatch: pytest.MonkeyPatch) -> Analysis:
    # runs (and batches) of one note: what is reused is told note by note
    monkeypatch.setattr(json_reporter, "_BATCH", 1)
    return analyze(read(TEXT, "r.txt"), DEFAULT_HEDGES)


def test_records_encoded_ahead_are_used_where_nothing_changed(analysis: Analysis) -> None:
    known = _links()
    ahead = rules.findings_ahead(analysis.notes, known)
    early = json_reporter.notes_ahead(analysis.document, known, ahead)
    report = _report(analysis, known, ahead)
    assert _reused(report, early) == [0, 1, 2, 3]
    assert "".join(json_reporter.render_chunks(report, early)) == json_reporter.render(report)


def test_a_note_whose_link_is_fetched_after_is_encoded_at_the_end(analysis: Analysis) -> None:
    final = _links()
    known = dict(final)
    del known["https://example.org/c"]  # still being fetched: note 2 is not decided ahead
    ahead = rules.findings_ahead(analysis.notes, known)
    early = json_reporter.notes_ahead(analysis.document, known, ahead)
    report = _report(analysis, final, ahead)
    assert _reused(report, early) == [0, 2, 3]
    assert "".join(json_reporter.render_chunks(report, early)) == json_reporter.render(report)


def test_a_new_result_or_other_link_rules_make_the_notes_citing_it_encoded_again(
    analysis: Analysis,
) -> None:
    known = _links()
    ahead = rules.findings_ahead(analysis.notes, known)
    early = json_reporter.notes_ahead(analysis.document, known, ahead)
    final = dict(known)  # a later stage made a new (equal) result for b: notes 2 and 4
    final["https://example.org/b"] = dataclasses.replace(known["https://example.org/b"])
    report = _report(analysis, final, ahead)
    assert _reused(report, early) == [0, 2]
    assert "".join(json_reporter.render_chunks(report, early)) == json_reporter.render(report)
    # the same results, but another finding on a's URL (a body link's, say): note 1 again
    report = _report(analysis, known, ahead)
    extra = rules._finding(Rule.MOVED_PERMANENTLY, "moved", None, None, "http://EXAMPLE.org/a")
    report = dataclasses.replace(report, findings=(*report.findings, extra))
    assert _reused(report, early) == [1, 2, 3]
    text = "".join(json_reporter.render_chunks(report, early))
    assert text == json_reporter.render(report) and '"moved-permanently"' in text


def test_other_markers_or_notes_use_nothing_encoded_ahead(analysis: Analysis) -> None:
    known = _links()
    ahead = rules.findings_ahead(analysis.notes, known)
    early = json_reporter.notes_ahead(analysis.document, known, ahead)
    report = _report(analysis, known, ahead)
    moved = {**report.markers_by_label, "1": (Location("r.txt", 9),)}
    other = dataclasses.replace(report, markers_by_label=moved)
    assert _reused(other, early) == []
    assert "".join(json_reporter.render_chunks(other, early)) == json_reporter.render(other)
    notes = (dataclasses.replace(report.notes[0], text="changed"), *report.notes[1:])
    other = dataclasses.replace(report, notes=notes)
    assert _reused(other, early) == [1, 2, 3]
    assert "".join(json_reporter.render_chunks(other, early)) == json_reporter.render(other)


def test_past_the_size_cap_notes_are_encoded_at_the_end(monkeypatch, analysis) -> None:
    known = _links()
    ahead = rules.findings_ahead(analysis.notes, known)
    first = len(json_reporter.notes_ahead(analysis.document, known, ahead).runs[0][2])
    monkeypatch.setattr(json_reporter, "AHEAD_CHARS", first)
    early = json_reporter.notes_ahead(analysis.document, known, ahead)
    report = _report(analysis, known, ahead)
    assert _reused(report, early) == [0]
    assert "".join(json_reporter.render_chunks(report, early)) == json_reporter.render(report)


def test_many_notes_mixing_records_made_ahead_and_at_the_end() -> None:
    count = 3 * json_reporter._BATCH + 7
    lines = [f"Claim {i}.[^{i}]" for i in range(1, count + 1)] + [""]
    lines += [f"[^{i}]: Source {i}, <https://h{i % 3}.example/{i}>." for i in range(1, count + 1)]
    from citecheck.readers.markdown import read as read_markdown

    analysis = analyze(read_markdown("\n".join(lines) + "\n", "r.md"), DEFAULT_HEDGES)
    final = {
        f"https://h{i % 3}.example/{i}": LinkResult(
            f"https://h{i % 3}.example/{i}",
            LinkStatus.DEAD if i % 13 == 0 else LinkStatus.ALIVE,
            rules=(Rule.DEAD_LINK,) if i % 13 == 0 else (),
        )
        for i in range(1, count + 1)
    }
    known = {k: v for k, v in final.items() if not v.rules}  # the failures come after
    ahead = rules.findings_ahead(analysis.notes, known)
    early = json_reporter.notes_ahead(analysis.document, known, ahead)
    report = _report(analysis, final, ahead)
    reused = _reused(report, early)
    failed = [i - 1 for i in range(1, count + 1) if i % 13 == 0]
    assert reused == sorted(set(range(count)) - set(failed))
    assert "".join(json_reporter.render_chunks(report, early)) == json_reporter.render(report)
    # a new result for note 20's URL: its run (notes 14 to 24, between two failures) again
    final["https://h2.example/20"] = dataclasses.replace(final["https://h2.example/20"])
    report = _report(analysis, final, ahead)
    assert _reused(report, early) == [i for i in reused if not 13 <= i < 25]
    assert "".join(json_reporter.render_chunks(report, early)) == json_reporter.render(report)


def test_a_warm_json_check_encodes_the_cached_notes_ahead(local_web, tmp_path, monkeypatch):
    """Second run of `check --format json`: the notes whose links are cached are encoded
    while the failure is fetched again, and the output is that of a run that does not."""
    from citecheck import commands

    ok = [local_web.url("127.0.0.2", f"/ok?json-ahead={i}") for i in range(3)]
    gone = local_web.url("127.0.0.2", "/missing/json-ahead")
    lines = [f"Claim {i}.[^{i}]" for i in range(1, 5)] + [""]
    lines += [f"[^{i}]: Source {i}, <{url}>." for i, url in enumerate([*ok, gone], start=1)]
    report = Path(tmp_path, "r.md")
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    flags = {
        "format": "json",
        "cache_dir": tmp_path / "cache",
        "no_archive": True,
        "canaries": [],
        "allow_networks": ["127.0.0.0/8"],
        "retries": 0,
        "timeout": 2.0,
    }

    def check() -> str:
        result = commands.run_check(report, dict(flags), today=dt.date(2026, 1, 1))
        return "".join(result.body())

    check()
    made: list[json_reporter.NotesAhead] = []
    encode = json_reporter.notes_ahead
    monkeypatch.setattr(
        json_reporter, "notes_ahead", lambda *a: made.append(encode(*a)) or made[-1]
    )
    warm = check()
    assert [sorted(m.runs) for m in made] == [[0]]  # one run: the 4th waited for its fetch
    assert [len(m.runs[0][0]) for m in made] == [3]
    monkeypatch.setattr(json_reporter, "notes_ahead", lambda *a: None)
    assert check() == warm
    assert '"dead-link"' in warm


def test_the_markers_are_the_documents() -> None:
    at = Location("r.md", 3), Location("r.md", 5)
    document = Document("r.md", "markdown", markers=(Marker("1", at[0]), Marker("1", at[1])))
    early = json_reporter.notes_ahead(document, {}, rules.Ahead({}, 0.5, None, None))
    assert early.markers == {"1": at}
