"""`--format json`: the "citecheck/1" document of DESIGN §5 (stable keys, sorted, no timestamps)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from operator import attrgetter, is_
from typing import TYPE_CHECKING, TypeVar

from citecheck import __version__
from citecheck.findings import Finding, Report, link_rules_of
from citecheck.models import (
    Document,
    Identifier,
    LinkResult,
    LinkStatus,
    Location,
    Note,
    Rule,
    Snapshot,
)
from citecheck.urls import normalize

if TYPE_CHECKING:
    from citecheck.rules import Ahead

_T = TypeVar("_T")

SCHEMA = "citecheck/1"


def render(report: Report) -> str:
    return "".join(render_chunks(report))


def render_chunks(report: Report, ahead: NotesAhead | None = None) -> Iterator[str]:
    """`render`'s text piece by piece (the long arrays a batch of records at a time), so
    that a writer can pass it on as it comes: a 100,000-note result (100 MB of JSON) is
    then never held whole, let alone twice while it is joined. `ahead` holds records
    encoded before the report was made (`notes_ahead`): one is used where the report gives
    its note the very inputs it was made from, so the text is the same either way."""
    fields: dict[str, object] = {
        "schema": SCHEMA,
        "tool": {"name": "citecheck", "version": __version__},
        "source": report.source,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "summary": summary(report),
        "notes": _Encoded(_note_runs(report, ahead)),
        "links": iter(body_links(report)),
        "findings": map(finding_dict, sorted(report.findings, key=Finding.sort_key)),
    }
    return _pieces(fields, end="\n")


@dataclass(frozen=True)
class NotesAhead:
    """Note records encoded while the last link results are awaited (`notes_ahead`), a run
    of consecutive notes at a time: index of the run's first note -> (its notes, their
    normalised URLs, the run's text); and what they were made from: each of those URLs'
    result, the link rules by URL (none where absent), the markers by label."""

    runs: dict[int, tuple[tuple[Note, ...], frozenset[str], str]]
    links: dict[str, LinkResult | None]
    rules: dict[str, tuple[Rule, ...]]
    markers: dict[str, tuple[Location, ...]]


# Records encoded ahead are held until the report is written: at most this much text (the
# rest is encoded at the end, as without them; 10,000 notes of one link each are 7 MB).
AHEAD_CHARS = 8 << 20


def notes_ahead(document: Document, links: Mapping[str, LinkResult], ahead: Ahead) -> NotesAhead:
    """The records of the notes whose findings `ahead` made (`rules.findings_ahead`),
    encoded from the link results it had and the link rules of those findings."""
    rules = link_rules_of(f for _, _, found in ahead.notes.values() for f in found)
    markers: dict[str, list[Location]] = {}
    for m in document.markers:
        markers.setdefault(m.label, []).append(m.location)
    by_label = {label: tuple(locations) for label, locations in markers.items()}
    runs: dict[int, tuple[tuple[Note, ...], frozenset[str], str]] = {}
    used: dict[str, LinkResult | None] = {}
    size = 0
    for start, run in _consecutive(ahead.notes):
        notes = tuple(note for note, _, _ in run)
        keys = frozenset(key for _, urls, _ in run for key in urls)
        text = _encode([_note_record(note, by_label, links, rules) for note in notes])
        size += len(text)
        if size > AHEAD_CHARS:
            break
        runs[start] = (notes, keys, text)
        used.update((key, links.get(key)) for key in keys)
    return NotesAhead(runs, used, rules, by_label)


def _consecutive(notes: Mapping[int, _T]) -> Iterator[tuple[int, list[_T]]]:
    """(first index, items) of each run of consecutive indices, `_BATCH` at most."""
    start, run = 0, list[_T]()
    for i in sorted(notes):
        if run and (i != start + len(run) or len(run) == _BATCH):
            yield start, run
            run = []
        if not run:
            start = i
        run.append(notes[i])
    if run:
        yield start, run


def _reusable(report: Report, ahead: NotesAhead | None) -> dict[int, tuple[int, str]]:
    """First index -> (length, text) of each run of `ahead` whose inputs are those of
    `report`: the very notes, their markers, their URLs' very results, the same rules."""
    if ahead is None or ahead.markers != report.markers_by_label:
        return {}
    links, rules, was = report.links, report.link_rules_by_key(), ahead.rules
    stale = {
        key
        for key, result in ahead.links.items()
        if links.get(key) is not result or rules.get(key, ()) != was.get(key, ())
    }
    notes = report.notes
    return {
        start: (len(run), text)
        for start, (run, keys, text) in ahead.runs.items()
        if start + len(run) <= len(notes)
        and all(map(is_, notes[start : start + len(run)], run))
        and (not stale or stale.isdisjoint(keys))
    }


def _note_runs(report: Report, ahead: NotesAhead | None) -> Iterator[str]:
    """The note records, about `_BATCH` at a time, each piece as `_encode` writes them:
    the runs of `ahead` that still hold as they are, the other records encoded now."""
    known = _reusable(report, ahead)
    markers, links, rules = report.markers_by_label, report.links, report.link_rules_by_key()
    notes = report.notes
    texts: list[str] = []  # encoded runs, to be yielded together
    fresh: list[dict] = []  # records to encode
    count = i = 0
    while i < len(notes):
        run = known.get(i)
        if run is None:
            fresh.append(_note_record(notes[i], markers, links, rules))
            i += 1
            count += 1
        else:
            if fresh:
                texts.append(_encode(fresh))
                fresh = []
            texts.append(run[1])
            i += run[0]
            count += run[0]
        if count >= _BATCH:
            if fresh:
                texts.append(_encode(fresh))
                fresh = []
            yield ",\n".join(texts)
            texts, count = [], 0
    if fresh:
        texts.append(_encode(fresh))
    if texts:
        yield ",\n".join(texts)


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
        if isinstance(value, _Encoded):
            yield from _array(value.runs)
        elif isinstance(value, Iterator):
            yield from _array(_batches(value))
        else:
            yield _indented(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode())
    yield ("{}" if first else "\n}") + end


@dataclass(frozen=True)
class _Encoded:
    """An array's records already encoded: runs of them, each as `_encode` writes them."""

    runs: Iterator[str]


def _batches(records: Iterator[object]) -> Iterator[str]:
    for batch in iter(lambda: list(islice(records, _BATCH)), []):
        yield _encode(batch)


# A batch encoded as the value of a one-key object comes out one level down, where an array
# in the document's top object stands: only this head and tail are cut off (no re-indenting).
_HEAD, _TAIL = len('{\n  "": [\n'), len("\n  ]\n}")


def _encode(records: list) -> str:
    """The records (at least one) as the items of an array of the top object: indented, one
    level down, joined by ",\n", with no brackets."""
    import orjson

    return orjson.dumps({"": records}, option=orjson.OPT_INDENT_2).decode()[_HEAD:-_TAIL]


def _array(runs: Iterator[str]) -> Iterator[str]:
    """The pieces of an indented JSON array one level down, as `dumps` would write it, of
    runs of records each encoded by `_encode`."""
    first = True
    for run in runs:
        yield ("[\n" if first else ",\n") + run
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
