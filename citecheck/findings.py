"""Severities, rules, findings and the report that reporters render."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from citecheck.models import Document, LinkResult, Location, Note, Rule
from citecheck.urls import normalize

__all__ = ["CITE_THE_CAPTURE", "RULES", "Finding", "Report", "Rule", "RuleInfo", "Severity"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.NOTE: 1}


@dataclass(frozen=True)
class RuleInfo:
    """A rule's public name, default severity and what to tell the user."""

    name: Rule
    severity: Severity
    summary: str  # one line: what fired
    help: str  # what to do about it
    family: str  # "document", "citation", "link" or "archive"


def _r(name: str, sev: str, family: str, summary: str, help: str) -> RuleInfo:
    return RuleInfo(Rule(name), Severity(sev), summary, help, family)


RULES: dict[Rule, RuleInfo] = {
    r.name: r
    for r in (
        _r(
            "marker-without-note",
            "error",
            "document",
            "A body marker has no note with that label.",
            "Add the missing note, or fix the marker's number.",
        ),
        _r(
            "duplicate-note",
            "error",
            "document",
            "Two notes share a label.",
            "Renumber the mislabelled note (the hint names the label its position suggests).",
        ),
        _r(
            "note-without-marker",
            "warning",
            "document",
            "A note is never called out in the body.",
            "Add the call-out where the source is used, or delete the note.",
        ),
        _r(
            "out-of-sequence",
            "warning",
            "document",
            "Numeric note labels do not run 1, 2, 3... in document order.",
            "Renumber the notes in the order they appear.",
        ),
        _r(
            "unresolved-ibid",
            "error",
            "citation",
            "An 'Ibid' or 'op. cit.' note has no earlier citation to refer to.",
            "Replace it with the full citation.",
        ),
        _r(
            "broken-cross-reference",
            "warning",
            "document",
            "A note or sentence points to a section or note that does not exist.",
            "Point it at the right section or note number.",
        ),
        _r(
            "no-locator",
            "warning",
            "citation",
            "A citation of a published work has no URL, DOI or other locator.",
            "Add a URL, DOI, ISBN or page reference so readers can find the source.",
        ),
        _r(
            "unpublished-source",
            "note",
            "citation",
            "The source is unpublished (a contribution, responses, a circulated document).",
            "Say so in the text; nobody outside can check it.",
        ),
        _r(
            "homepage-only",
            "warning",
            "citation",
            "The citation's only locator is a site's home page, not the cited document.",
            "Cite the deep link of the document (or its archived copy).",
        ),
        _r(
            "unverified-by-report",
            "warning",
            "citation",
            "The report itself says the source is unverified or speculative.",
            "Find a verifiable source or keep the hedge explicit next to the claim.",
        ),
        _r(
            "malformed-url",
            "error",
            "citation",
            "A URL cannot be followed as written (bad port, unclosed bracket, no host).",
            "Fix the URL in the note; copy it again from the source.",
        ),
        _r(
            "insecure-link",
            "note",
            "link",
            "The link uses http://.",
            "Use the https:// address where the site supports it.",
        ),
        _r(
            "dead-link",
            "error",
            "link",
            "The link is dead (404/410, no such host, connection refused).",
            "Cite an archived copy or the document's new address.",
        ),
        _r(
            "soft-404",
            "error",
            "link",
            "The page answers 200 but says 'not found'.",
            "Cite an archived copy or the document's new address.",
        ),
        _r(
            "parked-domain",
            "error",
            "link",
            "The domain now shows a parking or for-sale page.",
            "Cite an archived copy; the original site is gone.",
        ),
        _r(
            "redirected-to-root",
            "warning",
            "link",
            "A deep link now redirects to the site's home page.",
            "Cite an archived copy or find the document's new address.",
        ),
        _r(
            "moved-permanently",
            "note",
            "link",
            "The link permanently redirects to another working address.",
            "Update the link to the new address.",
        ),
        _r(
            "access-denied",
            "warning",
            "link",
            "The server refused automated access (401/403/451 or a bot wall).",
            "Check the link by hand in a browser.",
        ),
        _r(
            "unreachable",
            "warning",
            "link",
            "The server could not be reached (timeouts, resets, 5xx after retries).",
            "Check again later; the state is unknown, not dead.",
        ),
        _r(
            "tls-error",
            "warning",
            "link",
            "The certificate or TLS handshake failed.",
            "Check the site's certificate; cite an archived copy if it stays broken.",
        ),
        _r(
            "no-archived-copy",
            "warning",
            "archive",
            "No web archive holds a copy of the page.",
            "Archive it now (`citecheck archive`).",
        ),
        _r(
            "archived-only-after",
            "note",
            "archive",
            "Every archived copy is later than the citation date.",
            "What was cited is not preserved; say so or archive a copy now.",
        ),
        _r(
            "content-drift",
            "warning",
            "archive",
            "The live page differs substantially from the copy nearest the citation date.",
            "Cite the archived copy, which shows what the author read.",
        ),
        _r(
            "archive-unavailable",
            "note",
            "archive",
            "Archive lookups failed; archive state unknown.",
            "Run again later.",
        ),
        _r(
            "network-unavailable",
            "error",
            "link",
            "No host could be reached; links were not checked.",
            "Check the machine's network, or run with --offline.",
        ),
        _r(
            "identifier-invalid",
            "error",
            "citation",
            "A DOI, ISBN, ISSN, arXiv id, PMID/PMCID or handle is malformed or has a wrong check "
            "digit.",
            "Copy the identifier again from the source: a wrong digit points to another work.",
        ),
        _r(
            "doi-unresolvable",
            "error",
            "citation",
            "The DOI handle system does not know a DOI the note cites.",
            "Check the DOI against the publisher's page; cite the right one or a URL.",
        ),
        _r(
            "citation-mismatch",
            "warning",
            "citation",
            "The note's title or year disagrees with the metadata registered for its DOI.",
            "Check that the DOI belongs to the work the note describes.",
        ),
        _r(
            "retracted-source",
            "error",
            "citation",
            "The cited work has been retracted or withdrawn.",
            "Remove the claim or cite another source; if the retraction is the point, say so.",
        ),
        _r(
            "expression-of-concern",
            "warning",
            "citation",
            "The publisher has issued an expression of concern about the cited work.",
            "Read the notice and decide whether the claim can still rest on this source.",
        ),
        _r(
            "archived-copy-missing",
            "error",
            "archive",
            "The note cites an archived copy that the archive does not hold (at that time).",
            "Find the capture the author meant (or a new one) and cite its exact URL.",
        ),
        _r(
            "missing-fragment",
            "warning",
            "link",
            "The page exists but the #fragment the link points to is not on it.",
            "Link to the section's current anchor, or drop the fragment.",
        ),
        _r(
            "title-mismatch",
            "note",
            "link",
            "The live page (and its capture) no longer carries the title the note cites.",
            "Check that the link still leads to the cited document; cite its capture if not.",
        ),
        _r(
            "citation-without-reference",
            "error",
            "document",
            "An in-text citation has no entry in the reference list.",
            "Add the missing entry, or fix the citation's number, name or year.",
        ),
        _r(
            "reference-never-cited",
            "warning",
            "document",
            "A reference-list entry is never cited in the text.",
            "Cite it where the source is used, or delete the entry.",
        ),
        _r(
            "ambiguous-citation",
            "warning",
            "document",
            "A citation matches several reference-list entries.",
            "Tell the works apart with year suffixes (2015a, 2015b), or renumber the list.",
        ),
    )
}
# Every Rule is described, in the order reporters list them; checked when this module loads.
if list(RULES) != list(Rule):
    raise RuntimeError(f"RULES and Rule disagree: {set(Rule) ^ set(RULES)}")

# After these the live page no longer shows what was cited: the archived copy is the better
# citation (rules.py suggests it, reporters link to it).
CITE_THE_CAPTURE = frozenset(
    {
        Rule.DEAD_LINK,
        Rule.SOFT_404,
        Rule.PARKED_DOMAIN,
        Rule.REDIRECTED_TO_ROOT,
        Rule.CONTENT_DRIFT,
        Rule.TLS_ERROR,
    }
)


# The rules that reporters show beside a link (`Report.link_rules`), and their catalogue order.
_LINK_FAMILIES = frozenset(r.name for r in RULES.values() if r.family in ("link", "archive"))
_ORDER = {rule: i for i, rule in enumerate(RULES)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found, with where it is and what to do."""

    rule: Rule
    severity: Severity
    message: str
    location: Location | None = None
    label: str | None = None
    url: str | None = None
    suggestion: str | None = None
    accepted: bool = False
    reason: str | None = None  # why it was accepted (waiver or baseline)

    def __post_init__(self) -> None:
        if self.rule.__class__ is not Rule:  # a name given as a string: a misspelt one fails
            object.__setattr__(self, "rule", Rule(self.rule))

    def sort_key(self) -> tuple[str, int, str, str, str, str]:
        loc = self.location
        return (
            loc.file if loc else "",
            loc.line if loc else 0,
            self.label or "",
            self.rule,
            self.url or "",
            self.message,
        )


@dataclass(frozen=True)
class Report:
    """Everything a reporter needs: the document, its notes, link results and findings."""

    source: str
    document: Document
    notes: tuple[Note, ...]
    findings: tuple[Finding, ...]
    as_of: dt.date | None = None
    links: dict[str, LinkResult] = field(default_factory=dict, compare=False, hash=False)
    markers_by_label: dict[str, tuple[Location, ...]] = field(
        default_factory=dict, compare=False, hash=False
    )
    fail_on: Severity | None = Severity.ERROR

    def link_rules(self, url: str | None) -> tuple[Rule, ...]:
        """The link and archive rules that fired on `url` (any spelling), in catalogue order:
        what the rules decided, so reporters never re-judge a LinkResult."""
        return self._link_rules.get(normalize(url), ()) if url else ()

    def link_rules_by_key(self) -> Mapping[str, tuple[Rule, ...]]:
        """`link_rules` of every URL that has any, by normalised URL (for a reporter that
        has the key already)."""
        return self._link_rules

    @cached_property
    def _link_rules(self) -> dict[str, tuple[Rule, ...]]:
        return link_rules_of(self.findings)

    def counts(self) -> dict[str, int]:
        counted = Counter(f.severity for f in self.findings if not f.accepted)
        return {s.value: counted[s] for s in Severity}

    def failing(self) -> list[Finding]:
        """Findings at or above fail_on that are not accepted."""
        if self.fail_on is None:
            return []
        failing = frozenset(s for s in Severity if s.rank >= self.fail_on.rank)
        return [f for f in self.findings if not f.accepted and f.severity in failing]


def link_rules_of(findings: Iterable[Finding]) -> dict[str, tuple[Rule, ...]]:
    """Normalised URL -> the link and archive rules of `findings` on it, in catalogue order
    (`Report.link_rules`)."""
    fired: dict[str, tuple[Rule, ...]] = {}
    several = []
    for f in findings:
        if f.url and f.rule in _LINK_FAMILIES:
            key = normalize(f.url)
            rules = fired.get(key)
            if rules is None:
                fired[key] = (f.rule,)
            elif f.rule not in rules:
                fired[key] = (*rules, f.rule)
                several.append(key)
    for key in several:
        fired[key] = tuple(sorted(fired[key], key=_ORDER.__getitem__))
    return fired
