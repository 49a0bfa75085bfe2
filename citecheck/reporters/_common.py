"""What several reporters need: notes with their links and findings, verdict words, escaping
for Markdown."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TypeGuard
from urllib.parse import quote

from citecheck.findings import Finding, Report
from citecheck.models import LinkResult, LinkStatus, Note, Rule, Snapshot
from citecheck.urls import normalize

VERDICT_WORDS = {
    LinkStatus.ALIVE: "live",
    LinkStatus.REDIRECTED: "redirected",
    LinkStatus.DEAD: "dead",
    LinkStatus.SOFT_404: "soft 404",
    LinkStatus.PARKED: "parked domain",
    LinkStatus.DENIED: "access denied",
    LinkStatus.UNREACHABLE: "unreachable",
    LinkStatus.TLS_ERROR: "TLS error",
    LinkStatus.SKIPPED: "skipped",
    LinkStatus.UNCHECKED: "not checked",
}
# Links whose original no longer shows what was cited: readers are sent to the capture.
_GONE = {LinkStatus.DEAD, LinkStatus.PARKED, LinkStatus.SOFT_404}
_GONE_RULES = {
    Rule.CONTENT_DRIFT,
    Rule.REDIRECTED_TO_ROOT,
    Rule.DEAD_LINK,
    Rule.SOFT_404,
    Rule.PARKED_DOMAIN,
}


@dataclass(frozen=True)
class LinkView:
    """One URL of a note as a reporter shows it, with the link rules that fired on it."""

    url: str
    result: LinkResult | None
    rules: tuple[Rule, ...] = ()

    @property
    def snapshot(self) -> Snapshot | None:
        return self.result.snapshot if self.result else None

    @property
    def prefer_capture(self) -> bool:
        """True when the original is gone or changed and a capture exists."""
        r = self.result
        if r is None or r.snapshot is None:
            return False
        return r.status in _GONE or bool(_GONE_RULES.intersection(self.rules))


def link_result(report: Report, url: str | None) -> LinkResult | None:
    """The result for `url` (links are keyed by normalised URL; the raw URL is tried too)."""
    if not url:
        return None
    return report.links.get(normalize(url)) or report.links.get(url)


def links_of(report: Report, note: Note) -> list[LinkView]:
    return [LinkView(u, link_result(report, u), report.link_rules(u)) for u in note.urls]


def verdict(result: LinkResult | None, rules: tuple[Rule, ...] = ()) -> str:
    """A short verdict: "dead (HTTP 404)", "live, changed since cited", "not checked"."""
    if result is None:
        return VERDICT_WORDS[LinkStatus.UNCHECKED]
    words = VERDICT_WORDS.get(result.status, result.status.value)
    if Rule.CONTENT_DRIFT in rules:
        words += ", changed since cited"
    return f"{words} ({_detail(result)})" if _detail(result) else words


def _detail(result: LinkResult) -> str | None:
    if result.detail:
        return result.detail
    if result.redirects:
        code, _ = result.redirects[0]
        return f"HTTP {code} to {result.final_url or result.redirects[-1][1]}"
    return f"HTTP {result.http_status}" if result.http_status else None


def findings_by_note(report: Report) -> tuple[dict[int, list[Finding]], list[Finding]]:
    """Findings grouped by the index of their note in `report.notes`, plus those without one.

    With duplicate labels a finding goes to the note on its line, else the first one.
    """
    by_label: dict[str, list[int]] = {}
    for i, n in enumerate(report.notes):
        by_label.setdefault(n.label, []).append(i)
    grouped: dict[int, list[Finding]] = {}
    orphans = []
    for f in sorted(report.findings, key=Finding.sort_key):
        idxs = by_label.get(f.label or "\0")
        if not idxs:
            orphans.append(f)
            continue
        on_line = [i for i in idxs if f.location and report.notes[i].location == f.location]
        grouped.setdefault((on_line or idxs)[0], []).append(f)
    return grouped, orphans


def is_web_url(url: str | None) -> TypeGuard[str]:
    """Only well-formed http(s) URLs become links (no javascript:, data:, file:, and no
    malformed one: those stay text)."""
    from citecheck.urls import url_problem

    if not url or not url.lower().startswith(("http://", "https://")):
        return False
    return url_problem(url) is None


def iso_date(snapshot: Snapshot) -> str:
    return snapshot.datetime.date().isoformat()


# --- Markdown ------------------------------------------------------------------------------

# Inline specials only: callers never start a line with report text, so the line-start
# syntax (#, -, +, 1.) cannot trigger; < > & become entities.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: str | None) -> str:
    """Text safe inside Markdown (GitHub flavour) including table cells: HTML specials as
    entities, Markdown punctuation backslash-escaped, newlines as spaces."""
    if not text:
        return ""
    text = " ".join(text.split())
    text = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_url(url: str) -> str:
    """A URL safe inside `(...)` of a Markdown link (spaces, parentheses, pipes encoded)."""
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def md_link(text: str, url: str | None) -> str:
    """`[text](url)` for http(s) URLs, otherwise the escaped text alone."""
    if not is_web_url(url):
        return md(text)
    return f"[{md(text)}]({md_url(url)})"
