"""What several reporters need: notes with their links and findings, verdict words, escaping
for Markdown."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import TypeGuard
from urllib.parse import quote

from citecheck.findings import CITE_THE_CAPTURE, Finding, Report
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
        return r.status in _GONE or bool(CITE_THE_CAPTURE.intersection(self.rules))


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

    if not url:
        return False
    return url.lower().startswith(("http://", "https://")) and url_problem(url) is None


def iso_date(snapshot: Snapshot) -> str:
    return snapshot.datetime.date().isoformat()


# --- Markdown ------------------------------------------------------------------------------

# Inline specials only: callers never start a line with report text, so the line-start
# syntax (#, -, +, 1.) cannot trigger; < > & become entities.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


# A URL inside running text; trailing punctuation is the sentence's, not the URL's.
_URL_IN_TEXT = re.compile(r"https?://[\w\[][^\s<>\"`|]*", re.IGNORECASE)
_TRAILING = ".,;:!?)]'"


def md(text: str | None) -> str:
    """Text safe inside Markdown (GitHub flavour) including table cells: HTML specials as
    entities, Markdown punctuation backslash-escaped, newlines as spaces. URLs in the text
    become autolinks `<...>`, where GitHub keeps backslashes, so they are never escaped;
    a malformed one stays text, in a code span."""
    if not text:
        return ""
    text = " ".join(text.split())
    out, at = [], 0
    for match in _URL_IN_TEXT.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        out.append(_md_plain(text[at : match.start()]))
        out.append(md_autolink(url))
        at = match.start() + len(url)
    out.append(_md_plain(text[at:]))
    return "".join(out)


def _md_plain(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def md_autolink(url: str) -> str:
    """`<url>` for a well-formed http(s) URL (nothing escaped inside: GitHub would show the
    backslashes); a code span for any other, so that it is never a link."""
    if is_web_url(url):
        return f"<{md_url(url)}>"
    return md_code(url)


def md_code(text: str) -> str:
    """`text` as a code span (safe in a table cell: `|` escaped, as GFM tables require)."""
    text = text.replace("|", "\\|")
    fence = "`" * (max((len(m) for m in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_url(url: str) -> str:
    """A URL safe inside `(...)` of a Markdown link (spaces, parentheses, pipes encoded)."""
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def md_link(text: str, url: str | None) -> str:
    """`[text](url)` for http(s) URLs (`<url>` when the text is the URL), otherwise the
    text alone, never a link."""
    if url is None or not is_web_url(url):
        return md_code(text) if text == url and "://" in text else md(text)
    if text == url:
        return md_autolink(url)
    return f"[{_md_plain(text)}]({md_url(url)})"


# --- Appendix ------------------------------------------------------------------------------


def long_date(day: dt.date) -> str:
    """A date as a reader writes it: "1 September 2015"."""
    return f"{day.day} {day:%B %Y}"


def reader_verdict(view: LinkView, with_copy: bool = True) -> str:
    """What happened to a link, in a reader's words: "page no longer exists; archived copy
    of 1 September 2015" (without the copy's part when the caller links it itself)."""
    r = view.result
    snap = view.snapshot
    copy = f"archived copy of {long_date(snap.datetime.date())}" if snap else None
    if snap and not with_copy:
        copy = None
        if r is None or r.status is LinkStatus.UNCHECKED:
            return "not checked yet"
        return _reader_state(r, view.rules)
    unchecked = r is None or r.status is LinkStatus.UNCHECKED
    state = "not checked yet" if unchecked or r is None else _reader_state(r, view.rules)
    if copy:
        return f"{state}; {copy}"
    if r is not None and r.status in _GONE:
        return f"{state}; no archived copy found"
    return state


def _reader_state(r: LinkResult, fired: tuple[Rule, ...]) -> str:
    rules = set(fired)
    if "content-drift" in rules and r.status in (LinkStatus.ALIVE, LinkStatus.REDIRECTED):
        return "page has changed since it was cited"
    if "redirected-to-root" in rules:
        return "page no longer exists (the address now leads to the site's home page)"
    if r.status is LinkStatus.REDIRECTED and r.final_url:
        return f"page has moved to {r.final_url}"
    words = {
        LinkStatus.ALIVE: "page available",
        LinkStatus.REDIRECTED: "page available at a new address",
        LinkStatus.DEAD: "page no longer exists",
        LinkStatus.SOFT_404: "page no longer exists (the site says it is not found)",
        LinkStatus.PARKED: "site no longer exists (the domain is for sale or parked)",
        LinkStatus.DENIED: "the site refused an automatic check; open it in a browser",
        LinkStatus.UNREACHABLE: "the site did not answer when checked",
        LinkStatus.TLS_ERROR: "the site's security certificate failed",
        LinkStatus.SKIPPED: "not checked" + (f" ({r.detail})" if r.detail else ""),
    }
    return words.get(r.status, r.status.value)


def checked_days(report: Report) -> list[dt.date]:
    """The days the report's links were checked, earliest first."""
    days = set()
    for r in report.links.values():
        day = r.extra.get("checked") if r.extra else None
        if day:
            try:
                days.add(dt.date.fromisoformat(str(day)))
            except ValueError:
                continue
    return sorted(days)


def checked_sentence(report: Report) -> str:
    """ "Links checked on 1 December 2026." (or between two days, or not yet)."""
    days = checked_days(report)
    if not days:
        checked = any(r.status is not LinkStatus.UNCHECKED for r in report.links.values())
        return "" if checked else "Links not checked yet (run `citecheck check` first)."
    if len(days) == 1:
        return f"Links checked on {long_date(days[0])}."
    return f"Links checked between {long_date(days[0])} and {long_date(days[-1])}."


def duplicate_labels(report: Report) -> dict[str, list[int]]:
    """Label -> lines of its notes, for labels that more than one note carries."""
    lines: dict[str, list[int]] = {}
    for note in report.notes:
        lines.setdefault(note.label, []).append(note.location.line)
    return {label: found for label, found in lines.items() if len(found) > 1}


def anchors(report: Report) -> list[str]:
    """An HTML id per note from its label ("note-37"; a repeated label "note-64-2")."""
    seen: dict[str, int] = {}
    out = []
    for note in report.notes:
        slug = re.sub(r"[^\w-]+", "-", note.label).strip("-") or "x"
        seen[slug] = seen.get(slug, 0) + 1
        out.append(f"note-{slug}" + (f"-{seen[slug]}" if seen[slug] > 1 else ""))
    return out
