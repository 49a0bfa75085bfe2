"""`--format json` piece by piece writes, byte for byte, the document a plain build writes:
every record made as a dict, the whole dumped at once by `json.dumps(indent=2,
ensure_ascii=False)` (the reference below spells DESIGN §5 out the slow, obvious way)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from citecheck.findings import RULES, Finding, Report, Severity
from citecheck.models import (
    Identifier,
    LinkResult,
    LinkStatus,
    Location,
    Marker,
    Note,
    NoteKind,
    Rule,
    Scheme,
    Snapshot,
    UrlRef,
)
from citecheck.reporters.json import _BATCH, render, render_chunks
from citecheck.urls import normalize


def plain(report: Report) -> str:
    """The JSON document of `report`, built the obvious way."""
    doc = report.document
    urls = [u for n in doc.notes for u in n.urls] + [r.url for r in doc.body_urls]
    counts = {s.value: 0 for s in Severity}
    for f in report.findings:
        if not f.accepted:
            counts[f.severity.value] += 1
    in_notes = {normalize(u) for n in report.notes for u in n.urls}
    body: dict[str, tuple[str, list[int]]] = {}
    for ref in doc.body_urls:
        if normalize(ref.url) not in in_notes:
            body.setdefault(normalize(ref.url), (ref.url, []))[1].append(ref.location.line)
    data = {
        "schema": "citecheck/1",
        "tool": {"name": "citecheck", "version": _version()},
        "source": report.source,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "summary": {
            "notes": len(doc.notes),
            "markers": len(doc.markers),
            "urls": len(urls),
            "unique_urls": len({normalize(u) for u in urls}),
            "findings": counts,
            "accepted": sum(1 for f in report.findings if f.accepted),
            "links": {
                s.value: sum(1 for r in report.links.values() if r.status.value == s.value)
                for s in LinkStatus
            },
        },
        "notes": [
            {
                "label": n.label,
                "kind": n.kind.value if n.kind else None,
                "line": n.location.line,
                "markers": [m.line for m in report.markers_by_label.get(n.label, ())],
                "text": n.text,
                "ibid_of": n.ibid_of,
                "identifiers": [
                    {
                        "scheme": i.scheme.value,
                        "value": i.value,
                        "raw": i.raw,
                        "valid": i.problem is None,
                        "problem": i.problem,
                    }
                    for i in n.identifiers
                ],
                "links": [_link(report, u) for u in dict.fromkeys(n.urls)],
            }
            for n in report.notes
        ],
        "links": [
            {**_link(report, url), "line": lines[0], "lines": lines} for url, lines in body.values()
        ],
        "findings": [
            {
                "rule": f.rule.value,
                "severity": f.severity.value,
                "label": f.label,
                "url": f.url,
                "file": f.location.file if f.location else None,
                "line": f.location.line if f.location else None,
                "message": f.message,
                "suggestion": f.suggestion,
                "accepted": f.accepted,
                "reason": f.reason,
            }
            for f in sorted(report.findings, key=Finding.sort_key)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _version() -> str:
    from citecheck import __version__

    return __version__


def _link(report: Report, url: str) -> dict:
    r = report.links.get(normalize(url))
    if r is None:
        return {"url": url, "status": "unchecked"}
    fired = {
        f.rule
        for f in report.findings
        if url and f.url and normalize(f.url) == normalize(url)
        if RULES[f.rule].family in ("link", "archive")
    }
    return {
        "url": url,
        "status": r.status.value,
        "http_status": r.http_status,
        "final_url": r.final_url,
        "redirects": [[code, to] for code, to in r.redirects],
        "detail": r.detail,
        "title": r.title,
        "https_works": r.https_works,
        "from_cache": r.from_cache,
        "snapshot": (
            None
            if r.snapshot is None
            else {
                "archive": r.snapshot.archive,
                "url": r.snapshot.url,
                "datetime": r.snapshot.datetime.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        ),
        "drift": None if r.drift is None else round(r.drift, 3),
        "rules": [rule.value for rule in RULES if rule in fired],
    }


def test_the_sample_report(report: Report) -> None:
    assert "".join(render_chunks(report)) == plain(report)


def test_the_sample_report_with_accepted_and_overridden_findings(report: Report) -> None:
    findings = tuple(
        dataclasses.replace(f, accepted=True, reason="waived") if i % 3 == 0 else f
        for i, f in enumerate(report.findings)
    )
    findings = tuple(
        dataclasses.replace(f, severity=Severity.NOTE) if i % 4 == 1 else f
        for i, f in enumerate(findings)
    )
    changed = dataclasses.replace(report, findings=tuple(reversed(findings)))
    assert render(changed) == plain(changed)


@pytest.mark.parametrize("count", [0, 1, _BATCH - 1, _BATCH, 2 * _BATCH + 3])
def test_a_large_report_of_every_shape(count: int) -> None:
    report = _large(count)
    assert "".join(render_chunks(report)) == plain(report)


def _large(count: int) -> Report:
    """Notes of every shape the records distinguish: no URL, one, several (with repeats
    and two spellings of one URL), unchecked ones, identifiers, markers or none, text that
    needs escaping; results with redirects, snapshots, drift; body URLs; findings on notes,
    URLs and none, accepted or not."""
    src = "big.md"
    when = dt.datetime(2015, 9, 5, 10, 11, 12, tzinfo=dt.UTC)
    notes, markers, links, findings, body = [], [], {}, [], []
    statuses = list(LinkStatus)
    for i in range(count):
        url = f"http://Host{i % 7}.example:80/doc/{i}?q=«{i}»#s{i % 3}"
        other = f"https://host{i % 5}.example/shared"
        urls = [(), (url,), (url, other, url), (url.lower(), other), (f"https://nope/{i}",)][i % 5]
        idents = (
            (Identifier(Scheme.DOI, f"10.1/{i}", f"doi:10.1/{i}"),)
            if i % 4 == 0
            else (Identifier(Scheme.ISBN, "123", "ISBN 123", "bad check digit"),)
            if i % 9 == 0
            else ()
        )
        label = str(i + 1) if i % 11 else "dup"
        text = f'Note {i} "quoted" \\ tab\t é \u2028 😀 <{url}>'
        kind = list(NoteKind)[i % 4] if i % 6 else None
        notes.append(Note(label, text, Location(src, 1000 + i), urls, kind, None, idents))
        if i % 3:
            markers.append(Marker(label, Location(src, 10 + i)))
        for u in urls[:2]:
            if u.startswith("https://nope"):
                continue
            links[normalize(u)] = LinkResult(
                normalize(u),
                statuses[i % len(statuses)],
                http_status=[200, 404, None][i % 3],
                final_url=u if i % 2 else None,
                redirects=((301, f"https://x/{i}"), (302, "/y")) if i % 5 == 2 else (),
                from_cache=bool(i % 2),
                detail=f"HTTP {i}" if i % 3 else None,
                https_works=[None, True, False][i % 3],
                title=f"Title «{i}»" if i % 4 else None,
                snapshot=Snapshot("ia", f"https://web.archive.org/web/{i}/{u}", when)
                if i % 6 == 1
                else None,
                drift=[None, 0.12345, 1.0, 0.5][i % 4],
            )
        rules = [Rule.DEAD_LINK, Rule.INSECURE_LINK, Rule.NO_ARCHIVED_COPY, Rule.HOMEPAGE_ONLY]
        for j, rule in enumerate(rules[: i % 5]):
            on = urls[j % len(urls)] if urls and j % 2 == 0 else None
            findings.append(
                Finding(
                    rule,
                    RULES[rule].severity,
                    f"finding {j} of note {i}",
                    Location(src, 1000 + i) if j % 3 else None,
                    label if j != 1 else None,
                    on,
                    f"do {j}" if j else None,
                    accepted=i % 7 == 0,
                    reason="in baseline" if i % 7 == 0 else None,
                )
            )
        if i % 8 == 0:
            body.append(UrlRef(f"https://body{i % 3}.example/p", Location(src, 5 + i)))
            body.append(UrlRef(url, Location(src, 6 + i)))  # cited by a note too
    for b in body:
        links.setdefault(normalize(b.url), LinkResult(normalize(b.url), LinkStatus.ALIVE))
    from citecheck.models import Document

    document = Document(src, "markdown", tuple(notes), tuple(markers), body_urls=tuple(body))
    by_label: dict[str, list[Location]] = {}
    for m in markers:
        by_label.setdefault(m.label, []).append(m.location)
    return Report(
        src,
        document,
        tuple(notes),
        tuple(findings),
        dt.date(2015, 10, 1) if count % 2 else None,
        links,
        {k: tuple(v) for k, v in by_label.items()},
    )
