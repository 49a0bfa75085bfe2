"""Facts → findings: the one place that decides which findings a run reports.

Document facts come from `citecheck.analysis`; link facts are the verdicts in `LinkResult`
(status and link rule names decided by the checker's verdict module, archive rule names by the
archive lookup). Severity and waivers are applied afterwards by `citecheck.policy`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from citecheck.analysis import Analysis, Fact
from citecheck.findings import CITE_THE_CAPTURE, RULES, Finding, Severity
from citecheck.models import LinkResult, LinkStatus, Location, Note, Rule
from citecheck.urls import is_insecure, normalize, url_problem

if TYPE_CHECKING:
    from citecheck.archives.held import MementoCheck
    from citecheck.identifiers.results import DoiRecord


@dataclass(frozen=True)
class Ahead:
    """Notes' findings worked out before the run's last link results (while the failures of
    the last run are fetched again): note index -> (the note, the normalised URLs whose
    results its findings used, the findings); the other inputs they were made from; and
    `used`, each of those URLs' result (every one of them: `findings_ahead` makes it)."""

    notes: dict[int, tuple[Note, tuple[str, ...], list[Finding]]]
    drift_threshold: float
    dois: Mapping[str, DoiRecord] | None
    mementos: Mapping[str, MementoCheck] | None
    used: dict[str, LinkResult] = field(default_factory=dict)


def findings_ahead(
    notes: Sequence[Note],
    links: Mapping[str, LinkResult],
    drift_threshold: float = 0.5,
    dois: Mapping[str, DoiRecord] | None = None,
    mementos: Mapping[str, MementoCheck] | None = None,
) -> Ahead:
    """The findings of each note whose every URL has a result in `links` already; `findings`
    takes them as they are where its inputs are the very same (else it decides again)."""
    out = {}
    used: dict[str, LinkResult] = {}
    for i, note in enumerate(notes):
        keys = tuple(map(normalize, note.urls))
        results = tuple(map(links.get, keys))
        if not all(results):  # a URL with no result yet (`None in` would call __eq__)
            continue
        used.update(zip(keys, results, strict=True))  # type: ignore[arg-type]  # no None in it
        out[i] = (note, keys, _note_findings(note, links, drift_threshold, dois, mementos))
    return Ahead(out, drift_threshold, dois, mementos, used)


def findings(
    analysis: Analysis,
    links: Mapping[str, LinkResult] | None = None,
    network_unavailable: bool = False,
    drift_threshold: float = 0.5,
    dois: Mapping[str, DoiRecord] | None = None,
    mementos: Mapping[str, MementoCheck] | None = None,
    ahead: Ahead | None = None,
) -> tuple[Finding, ...]:
    """Every finding of a run, at default severity, sorted by place in the document.

    A live page whose similarity to the capture near the citation date is below
    `drift_threshold` has drifted (`content-drift`). `ahead` holds notes' findings made
    before (`findings_ahead`), used where they came from these same inputs."""
    out = [_from_fact(f) for f in analysis.facts]
    early, stale = _reusable(ahead, links, drift_threshold, dois, mementos)
    for i, note in enumerate(analysis.notes):
        known = early.get(i)
        if known is not None and known[0] is note and (not stale or stale.isdisjoint(known[1])):
            out += known[2]
        else:
            out += _note_findings(note, links, drift_threshold, dois, mementos)
    for ref in analysis.document.body_urls:
        out += _link_findings((ref.url,), ref.location, None, links, drift_threshold)
    if network_unavailable:
        out.append(
            _finding(
                Rule.NETWORK_UNAVAILABLE,
                "no host could be reached (canary checks failed); links were left unchecked",
                None,
            )
        )
    return tuple(sorted(out, key=Finding.sort_key))


def _note_findings(
    note: Note,
    links: Mapping[str, LinkResult] | None,
    drift_threshold: float,
    dois: Mapping[str, DoiRecord] | None,
    mementos: Mapping[str, MementoCheck] | None,
) -> list[Finding]:
    """A note's findings: its links', its mementos', its title's, its identifiers'."""
    out = _link_findings(note.urls, note.location, note.label, links, drift_threshold)
    # each step below finds nothing without its inputs: skipped then (most notes)
    if mementos:
        out = _with_held_copies(note, out, mementos)
        out += _memento_findings(note, mementos)
    if links and note.urls:
        out += _title_findings(note, links)
    if dois and note.identifiers:
        out += _identifier_findings(note, dois)
    return out


def _reusable(
    ahead: Ahead | None,
    links: Mapping[str, LinkResult] | None,
    drift_threshold: float,
    dois: Mapping[str, DoiRecord] | None,
    mementos: Mapping[str, MementoCheck] | None,
) -> tuple[dict[int, tuple[Note, tuple[str, ...], list[Finding]]], set[str]]:
    """The notes' findings made ahead from these same inputs, and the URLs whose result is
    not the very object those findings used (a later stage that changes a result, the
    archive lookup for one, makes a new one): a note citing one is decided again."""
    if ahead is None or ahead.drift_threshold != drift_threshold:
        return {}, set()
    if ahead.dois is not dois or ahead.mementos is not mementos:
        return {}, set()
    now = links or {}
    return ahead.notes, {key for key, used in ahead.used.items() if now.get(key) is not used}


def _finding(
    rule: Rule,
    message: str,
    location: Location | None,
    label: str | None = None,
    url: str | None = None,
    suggestion: str | None = None,
) -> Finding:
    return Finding(rule, RULES[rule].severity, message, location, label, url, suggestion)


def _from_fact(fact: Fact) -> Finding:
    return _finding(fact.rule, fact.message, fact.location, fact.label, fact.url, fact.suggestion)


def _link_findings(
    urls: tuple[str, ...],
    location: Location,
    label: str | None,
    links: Mapping[str, LinkResult] | None,
    drift_threshold: float,
) -> list[Finding]:
    out = []
    who = f"note {label}" if label else "the text"
    for url in urls if len(urls) < 2 else dict.fromkeys(urls):
        result = links.get(normalize(url)) if links else None
        insecure = _insecure(url, who, result)
        if insecure is not None:
            rule, message, suggestion = insecure
            out.append(_finding(rule, message, location, label, url, suggestion))
        if result is None:
            continue
        fired = result.rules + result.archive_rules + _drift(result, drift_threshold)
        for rule in fired if len(fired) < 2 else dict.fromkeys(fired):
            message = _link_message(rule, who, result)
            out.append(_finding(rule, message, location, label, url, _suggestion(rule, result)))
        missing = _missing_fragment(url, result) if "#" in url else None
        if missing is not None:
            message = f"{who}: {missing}"
            out.append(_finding(Rule.MISSING_FRAGMENT, message, location, label, url))
    return out


_ANSWERED = (LinkStatus.ALIVE, LinkStatus.REDIRECTED)


def _missing_fragment(url: str, result: LinkResult) -> str | None:
    """`missing-fragment` (decided here only): the page answers but does not offer the
    anchor, or the PDF has fewer pages than `#page=N`. Unknown anchors never fire."""
    if "#" not in url or result.status not in _ANSWERED:
        return None
    from citecheck.checkers.anchors import fragment, has_anchor, pdf_page

    frag = fragment(url)
    if frag is None:
        return None
    page = pdf_page(frag)
    if page is not None:
        pages = result.extra.get("pdf_pages")
        if not isinstance(pages, int) or 1 <= page <= pages:
            return None
        return f"#page={page}, but the PDF has {pages} page{'s' if pages != 1 else ''}"
    anchors = result.extra.get("anchors")
    if not anchors or has_anchor(frag, anchors):
        return None
    return f"the page has no anchor #{frag}"


def _insecure(url: str, who: str, result: LinkResult | None) -> tuple[Rule, str, str | None] | None:
    """`insecure-link` (decided here only): any followable http:// URL, checked or not."""
    if not is_insecure(url) or url_problem(url):
        return None
    works = result is not None and result.https_works
    message = f"{who} links over http://" + ("; https:// works" if works else "")
    return Rule.INSECURE_LINK, message, "https://" + url[len("http://") :] if works else None


def _drift(result: LinkResult, threshold: float) -> tuple[Rule, ...]:
    """`content-drift` (decided here only): similarity to the capture below the threshold."""
    drifted = result.drift is not None and result.drift < threshold
    return (Rule.CONTENT_DRIFT,) if drifted else ()


def _link_message(rule: Rule, who: str, result: LinkResult) -> str:
    if rule is Rule.CONTENT_DRIFT and result.drift is not None:
        when = result.snapshot.datetime.date().isoformat() if result.snapshot else "?"
        return (
            f"{who}: the live page differs from the capture of {when} "
            f"(similarity {result.drift:.2f})"
        )
    phrase = _PHRASES.get(rule)
    if phrase is None:
        detail = f" ({result.detail})" if result.detail else ""
        return f"{who}: {RULES[rule].summary[:-1].lower()}{detail}"
    detail = f" ({result.detail})" if result.detail and rule in _WITH_DETAIL else ""
    return f"{who}: {phrase}{detail}"


# What happened, in plain words and once: "note 5: dead (HTTP 404)".
_PHRASES = {
    "dead-link": "dead",
    "soft-404": "the page answers but says 'not found'",
    "parked-domain": "the domain now shows a parking or for-sale page",
    "redirected-to-root": "the deep link now redirects to the site's home page",
    "moved-permanently": "moved permanently",
    "access-denied": "access denied",
    "unreachable": "unreachable",
    "tls-error": "certificate or TLS failure",
    "no-archived-copy": "no web archive holds a copy",
    "archived-only-after": "every archived copy is later than the citation date",
    "archive-unavailable": "archive lookups failed; archive state unknown",
}
# Rules whose checker detail says something the phrase does not (the HTTP status, the
# error, the redirect target).
_WITH_DETAIL = frozenset(
    {"dead-link", "moved-permanently", "access-denied", "unreachable", "tls-error"}
)


def _suggestion(rule: Rule, result: LinkResult) -> str | None:
    if result.suggestion:
        return result.suggestion
    if result.snapshot and rule in CITE_THE_CAPTURE:
        when = result.snapshot.datetime.date().isoformat()
        return f"cite the archived copy of {when} instead: {result.snapshot.url}"
    return None


# Below this token-set similarity (0..100) a quoted title and the registered one share almost
# nothing: the DOI belongs to another work (or the note to another DOI).
TITLE_MISMATCH_BELOW = 50.0
_NOTICES = {
    "retraction": Rule.RETRACTED_SOURCE,
    "withdrawal": Rule.RETRACTED_SOURCE,
    "removal": Rule.RETRACTED_SOURCE,
    "expression_of_concern": Rule.EXPRESSION_OF_CONCERN,
}


def _identifier_findings(note: Note, dois: Mapping[str, DoiRecord]) -> list[Finding]:
    """doi-unresolvable, retracted-source, expression-of-concern, citation-mismatch."""
    from citecheck.identifiers.results import DoiState

    cited = [i.value for i in note.identifiers if i.scheme == "doi" and i.valid]
    out: list[Finding] = []
    for doi in cited:
        record = dois.get(doi)
        if record is None:
            continue
        if record.state is DoiState.NOT_FOUND:
            out.append(
                _finding(
                    Rule.DOI_UNRESOLVABLE,
                    f"note {note.label} cites DOI {doi}, which {record.detail}",
                    note.location,
                    note.label,
                    f"https://doi.org/{doi}",
                )
            )
        elif record.state is DoiState.FOUND:
            out += _notices(note, record)
            if len(cited) == 1:  # the note's title and year describe this work
                out += _mismatch(note, record)
    return out


def _notices(note: Note, record: DoiRecord) -> list[Finding]:
    from citecheck.identifiers.compare import says_retracted

    out = []
    for update in record.updates:
        rule = _NOTICES.get(update.kind)
        if rule is None:
            continue
        when = f" on {update.date.isoformat()}" if update.date else ""
        notice = f" (notice {update.doi})" if update.doi else ""
        what = update.kind.replace("_", " ")
        finding = _finding(
            rule,
            f"note {note.label} cites DOI {record.doi}: the publisher registered a "
            f"{what}{when}{notice}",
            note.location,
            note.label,
            f"https://doi.org/{record.doi}",
        )
        if rule is Rule.RETRACTED_SOURCE and says_retracted(note.text):
            finding = dataclasses.replace(finding, severity=Severity.NOTE)  # the note says so
        out.append(finding)
    return out


def _mismatch(note: Note, record: DoiRecord) -> list[Finding]:
    from citecheck.identifiers.compare import cited_titles, cited_years, title_similarity

    out = []
    registered = [t for t in (record.title, record.container) if t]
    titles = cited_titles(note.text)
    if record.title and titles:
        best = max(title_similarity(t, r) for t in titles for r in registered)
        if best < TITLE_MISMATCH_BELOW:
            out.append(
                f"the note's title {titles[0]!r} is not the registered title {record.title!r}"
            )
    years = cited_years(note.text)
    if record.years and years and not years & set(record.years):
        said = ", ".join(str(y) for y in sorted(years))
        out.append(f"the note gives {said}; the DOI is registered for {record.years[0]}")
    if not out:
        return []
    return [
        _finding(
            Rule.CITATION_MISMATCH,
            f"note {note.label}, DOI {record.doi}: " + "; ".join(out),
            note.location,
            note.label,
            f"https://doi.org/{record.doi}",
        )
    ]


def _memento_findings(note: Note, mementos: Mapping[str, MementoCheck]) -> list[Finding]:
    """`archived-copy-missing` (decided here only): the archive does not hold a cited copy."""
    if not mementos:
        return []  # no import of the archive client for the many reports citing no copy
    from citecheck.archives.held import Held

    out = []
    for url in dict.fromkeys(note.urls):
        check = mementos.get(normalize(url))
        if check is None or check.state is not Held.MISSING:
            continue
        suggestion = (
            f"cite another capture of {check.original}, or the live page if it still shows "
            "what was cited"
            if check.original
            else None
        )
        message = (
            f"note {note.label}: {check.archive} does not hold the cited copy ({check.detail})"
        )
        out.append(
            _finding(
                Rule.ARCHIVED_COPY_MISSING, message, note.location, note.label, url, suggestion
            )
        )
    return out


def _with_held_copies(
    note: Note, found: list[Finding], mementos: Mapping[str, MementoCheck]
) -> list[Finding]:
    """The note's link findings, those of an original whose cited capture the archive holds
    softened to notes (the reader has the copy; the original's fate is for information), and
    no `insecure-link` for an original (the author wrote the archive's URL, not it)."""
    wrapped = {normalize(c.original): c for c in mementos.values() if c.original}
    if not wrapped:
        return found
    from citecheck.archives.held import Held

    cited = {normalize(u) for u in note.urls}
    out = []
    for finding in found:
        check = wrapped.get(normalize(finding.url)) if finding.url else None
        if check is None or normalize(check.url) not in cited:
            out.append(finding)
        elif finding.rule is Rule.INSECURE_LINK:
            continue
        elif check.state is Held.HELD and RULES[finding.rule].family == "link":
            message = f"{finding.message}; the note cites an archived copy, which is held"
            out.append(dataclasses.replace(finding, severity=Severity.NOTE, message=message))
        else:
            out.append(finding)
    return out


# A cited title and the page's titles share almost nothing below this overlap of content
# words (identifiers.compare.title_overlap); a capture carries the cited title from CARRIES.
TITLE_SHARES_BELOW = 0.25
TITLE_CARRIES = 0.5


def _title_findings(note: Note, links: Mapping[str, LinkResult]) -> list[Finding]:
    """`title-mismatch` (decided here only): the note quotes a title before its one deep
    link, the page answers, and neither its `<title>`, `og:title` nor first `<h1>` shares
    almost anything with it. With a capture, only when the capture carries the cited title
    (what the author cited was there; a capture without it says the note names the document
    otherwise); without one, only when the page shares no word at all with it and its title
    says something (two content words or more: not "Home", not "PDF")."""
    # the cheap conditions first: most notes' pages say nothing of their titles
    keys = set(map(normalize, note.urls))
    if len(keys) != 1:
        return []
    result = links.get(keys.pop())
    live = result.extra.get("titles") if result is not None else None
    if result is None or result.status not in _ANSWERED or not live:
        return []
    from citecheck.identifiers.compare import cited_titles

    titles = cited_titles(note.text)
    if not titles:
        return []
    now = _best_overlap(titles, live)
    captured = result.extra.get("capture_titles")
    if captured:
        then = _best_overlap(titles, captured)
        fires = now is not None and now < TITLE_SHARES_BELOW and (then or 0) >= TITLE_CARRIES
    else:
        fires = now == 0 and _informative(live)
    if not fires:
        return []
    was = ""
    if captured and result.snapshot is not None:
        was = f"; its capture of {result.snapshot.datetime.date().isoformat()} carried it"
    message = f"note {note.label} cites {titles[0]!r}, but the page is now titled {live[0]!r}{was}"
    suggestion = None
    if result.snapshot is not None:
        suggestion = f"cite the archived copy instead: {result.snapshot.url}"
    return [
        _finding(Rule.TITLE_MISMATCH, message, note.location, note.label, note.urls[0], suggestion)
    ]


def _best_overlap(cited: list[str], page: list[str]) -> float | None:
    from citecheck.identifiers.compare import title_overlap

    scores = [s for t in cited for p in page if (s := title_overlap(t, p)) is not None]
    return max(scores) if scores else None


def _informative(page_titles: list[str]) -> bool:
    from citecheck.identifiers.compare import content_words

    return any(len(set(content_words(t))) >= 2 for t in page_titles)
