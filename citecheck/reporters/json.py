"""`--format json`: the "citecheck/1" document of DESIGN §5 (stable keys, sorted, no timestamps)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from itertools import islice
from operator import attrgetter

from citecheck import __version__
from citecheck.findings import Finding, Report
from citecheck.models import (
    Identifier,
    LinkResult,
    LinkStatus,
    Location,
    Note,
    Rule,
    Snapshot,
)
from citecheck.urls import normalize

SCHEMA = "citecheck/1"


def render(report: Report) -> str:
    return "".join(render_chunks(report))


def render_chunks(report: Report) -> Iterator[str]:
    """`render`'s text piece by piece (the long arrays a batch of records at a time), so
    that a writer can pass it on as it comes: a 100,000-note result (100 MB of JSON) is
    then never held whole, let alone twice while it is joined."""
    fields: dict[str, object] = {
        "schema": SCHEMA,
        "tool": {"name": "citecheck", "version": __version__},
        "source": report.source,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "summary": summary(report),
        "notes": _notes(report),
        "links": iter(body_links(report)),
        "findings": map(finding_dict, sorted(report.findings, key=Finding.sort_key)),
    }
    return _pieces(fields, end="\n")


def _notes(report: Report) -> Iterator[dict]:
    """The record of each note, in order."""
    markers, links, rules = report.markers_by_label, report.links, report.link_rules_by_key()
    return (_note_record(note, markers, links, rules) for note in report.notes)


def dumps(data: dict) -> str:
    """Indented JSON, as `json.dumps(data, indent=2, ensure_ascii=False)` writes it."""
    import orjson

    # The standard library encodes indented JSON in Python: a second at 10,000 links.
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()


_BATCH = 50  # records encoded at once: the whole list's dicts are never held together


def _document(fields: dict[str, object], end: str = "") -> str:
    """`dumps(fields)` + `end`, the values that are iterators encoded a batch at a time."""
    return "".join(_pieces(fields, end))


def _pieces(fields: dict[str, object], end: str = "") -> Iterator[str]:
    """The pieces of `dumps(fields)` + `end`, the values that are iterators (notes,
    findings: a record per note at 100,000 notes) encoded a batch at a time, so that no
    whole list of their dicts is ever held."""
    import orjson

    first = True
    for key, value in fields.items():
        yield ("{\n  " if first else ",\n  ") + orjson.dumps(key).decode() + ": "
        first = False
        if isinstance(value, Iterator):
            yield from _array(value)
        else:
            yield _indented(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode())
    yield ("{}" if first else "\n}") + end


# A batch encoded as the value of a one-key object comes out one level down, where an array
# in the document's top object stands: only this head and tail are cut off (no re-indenting).
_HEAD, _TAIL = len('{\n  "": [\n'), len("\n  ]\n}")


def _array(records: Iterator[object]) -> Iterator[str]:
    """The pieces of an indented JSON array one level down, as `dumps` would write it."""
    import orjson

    first = True
    for batch in iter(lambda: list(islice(records, _BATCH)), []):
        text = orjson.dumps({"": batch}, option=orjson.OPT_INDENT_2).decode()
        yield ("[\n" if first else ",\n") + text[_HEAD:-_TAIL]
        first = False
    yield "[]" if first else "\n  ]"


def _indented(text: str) -> str:
    # JSON strings hold no raw newline: every newline starts a line of structure.
    return text.replace("\n", "\n  ")


def summary(report: Report) -> dict:
    """Counts: notes, markers, URL occurrences (notes and body), unique URLs, findings, links."""
    doc = report.document
    urls = [u for n in doc.notes for u in n.urls] + [r.url for r in doc.body_urls]
    statuses = Counter(r.status for r in report.links.values())
    return {
        "notes": len(doc.notes),
        "markers": len(doc.markers),
        "urls": len(urls),
        "unique_urls": len(set(map(normalize, urls))),
        "findings": report.counts(),
        "accepted": sum(map(_ACCEPTED, report.findings)),
        "links": {s.value: statuses.get(s, 0) for s in LinkStatus},
    }


def _note_record(
    note: Note,
    markers: Mapping[str, tuple[Location, ...]],
    links: Mapping[str, LinkResult],
    rules: Mapping[str, tuple[Rule, ...]],
) -> dict:
    urls = note.urls
    return {
        "label": note.label,
        "kind": note.kind,  # enum members are written as their values
        "line": note.location.line,
        "markers": list(map(_LINE, markers.get(note.label, ()))),
        "text": note.text,
        "ibid_of": note.ibid_of,
        "identifiers": list(map(_identifier, note.identifiers)) if note.identifiers else (),
        "links": (
            [_link_record(links, rules, urls[0])]
            if len(urls) == 1
            else [_link_record(links, rules, u) for u in dict.fromkeys(urls)]
        ),
    }


_LINE, _ACCEPTED = attrgetter("line"), attrgetter("accepted")


def _identifier(ident: Identifier) -> dict:
    return {
        "scheme": ident.scheme,
        "value": ident.value,
        "raw": ident.raw,
        "valid": ident.valid,
        "problem": ident.problem,
    }


def body_links(report: Report) -> list[dict]:
    """One record per checked URL that no note cites (body text, a reference list), with
    the line it is first found on (DESIGN §5)."""
    if not report.document.body_urls:
        return []
    in_notes = {normalize(u) for n in report.notes for u in n.urls}
    lines: dict[str, list[int]] = {}
    first: dict[str, str] = {}
    for ref in report.document.body_urls:
        key = normalize(ref.url)
        if key in in_notes:
            continue
        first.setdefault(key, ref.url)
        lines.setdefault(key, []).append(ref.location.line)
    return [
        {**_link(report, first[key]), "line": found[0], "lines": found}
        for key, found in lines.items()
    ]


def _link(report: Report, url: str) -> dict:
    return _link_record(report.links, report.link_rules_by_key(), url)


def _link_record(
    links: Mapping[str, LinkResult], rules: Mapping[str, tuple[Rule, ...]], url: str
) -> dict:
    key = normalize(url)
    r = links.get(key)
    if r is None:
        return {"url": url, "status": LinkStatus.UNCHECKED.value}
    return {
        "url": url,
        "status": r.status,
        "http_status": r.http_status,
        "final_url": r.final_url,
        "redirects": r.redirects,  # (code, to) pairs: orjson writes tuples as arrays
        "detail": r.detail,
        "title": r.title,
        "https_works": r.https_works,
        "from_cache": r.from_cache,
        "snapshot": None if r.snapshot is None else _snapshot(r.snapshot),
        "drift": None if r.drift is None else round(r.drift, 3),
        "rules": rules.get(key, ()) if url else (),  # as Report.link_rules
    }


def _snapshot(s: Snapshot | None) -> dict | None:
    if s is None:
        return None
    stamp = s.datetime.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"archive": s.archive, "url": s.url, "datetime": stamp}


def finding_dict(f: Finding) -> dict:
    """One finding as JSON; `--baseline` reads these back."""
    return {
        "rule": f.rule,
        "severity": f.severity,
        "label": f.label,
        "url": f.url,
        "file": f.location.file if f.location else None,
        "line": f.location.line if f.location else None,
        "message": f.message,
        "suggestion": f.suggestion,
        "accepted": f.accepted,
        "reason": f.reason,
    }
