"""Policy: what the user decided about findings (pure functions, no I/O).

Severity overrides per rule, `accept:` waivers per note (lapsing after `accept_until`), and a
baseline of a previous JSON result so that CI fails only on new findings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from citecheck.findings import RULES, Finding, Severity
from citecheck.urls import normalize

FINGERPRINT_KEY = "citecheck/v1"  # the SARIF partialFingerprints key; bump if the recipe changes
BASELINE_REASON = "in baseline"
_LEVELS = tuple(Severity)
_DIGITS = re.compile(r"\d+")


class PolicyError(ValueError):
    """A bad rule name, severity or baseline; the message says what to fix."""


@dataclass(frozen=True)
class Waiver:
    """A note's `accept:` entry: the rules accepted ("*" for all), why, and until when."""

    rules: tuple[str, ...]
    reason: str | None = None
    until: dt.date | None = None

    def covers(self, rule: str, today: dt.date) -> bool:
        return (rule in self.rules or "*" in self.rules) and not self.lapsed(today)

    def lapsed(self, today: dt.date) -> bool:
        """True after `until` (the waiver still holds on that day itself)."""
        return self.until is not None and today > self.until


def waiver_from_entry(entry: Mapping, where: str = "references.yaml") -> Waiver | None:
    """The waiver in a manifest reference (`accept`, `reason`, `accept_until`), or None.

    `accept` is a rule name, a list of them, or `all`/"*"; unknown rules raise PolicyError.
    """
    raw = entry.get("accept")
    if raw in (None, [], ""):
        return None
    names = (
        ("*",)
        if raw is True or raw in ("all", "*")
        else ((raw,) if isinstance(raw, str) else tuple(str(r) for r in raw))
    )
    for name in names:
        if name != "*" and name not in RULES:
            raise PolicyError(
                f"{where}: note {entry.get('label')}: unknown rule {name!r} in accept"
            )
    until = entry.get("accept_until")
    if until is not None:
        from citecheck.settings import SettingsError, parse_date

        try:
            until = parse_date(until)
        except SettingsError as exc:
            raise PolicyError(f"{where}: note {entry.get('label')}: accept_until: {exc}") from None
    reason = entry.get("reason")
    return Waiver(names, str(reason) if reason is not None else None, until)


def fingerprint(rule: str, label: str | None, url: str | None, message: str) -> str:
    """A stable identity for a finding: rule, note label, normalised URL and message with
    digits masked.

    The line is left out on purpose, so editing the report above a note does not turn its
    old findings into new ones; digits in the message are masked because messages may quote
    line numbers or counts ("marker on line 310"). The label and URL still tell apart the
    findings the digits would have.
    """
    msg = _DIGITS.sub("#", " ".join(message.split()).casefold())
    key = "\x1f".join((rule, label or "", normalize(url) if url else "", msg))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def finding_fingerprint(finding: Finding) -> str:
    return fingerprint(finding.rule, finding.label, finding.url, finding.message)


def occurrence_fingerprints(findings: Sequence[Finding]) -> list[str]:
    """The fingerprint of each finding with ":N" (its occurrence among equal ones, in the
    given order) appended, so two otherwise identical findings stay two."""
    seen: Counter[str] = Counter()
    out = []
    for f in findings:
        fp = finding_fingerprint(f)
        out.append(f"{fp}:{seen[fp]}")
        seen[fp] += 1
    return out


def parse_severities(pairs: Sequence[str]) -> dict[str, str]:
    """`--severity RULE=LEVEL` values as a dict; raises PolicyError on a bad name or level."""
    out = {}
    for pair in pairs:
        rule, sep, level = pair.partition("=")
        if not sep:
            raise PolicyError(f"--severity expects RULE=LEVEL, got {pair!r}")
        out[rule.strip()] = level.strip()
    check_severities(out)
    return out


def check_severities(severities: Mapping[str, str]) -> None:
    """Raise PolicyError naming the first unknown rule or level."""
    for rule, level in severities.items():
        if rule not in RULES:
            raise PolicyError(
                f"unknown rule {rule!r} in severity overrides; rules are listed in the README"
            )
        if level not in _LEVELS:
            raise PolicyError(f"severity for {rule} must be error, warning or note, not {level!r}")


def baseline_findings(data: object, name: str = "baseline") -> list[dict]:
    """The findings of a parsed `citecheck/1` JSON result; raises PolicyError otherwise."""
    if not isinstance(data, dict) or data.get("schema") != "citecheck/1":
        raise PolicyError(
            f"{name}: not a citecheck JSON result (schema citecheck/1); "
            f"make it with `citecheck check --format json -o FILE`"
        )
    findings = data.get("findings")
    if not isinstance(findings, list) or not all(isinstance(f, dict) for f in findings):
        raise PolicyError(f"{name}: 'findings' must be a list of objects")
    return findings


def apply_policy(
    findings: Sequence[Finding],
    *,
    severities: Mapping[str, str] | None = None,
    waivers: Mapping[str, Waiver] | None = None,
    baseline: Sequence[Mapping] | None = None,
    today: dt.date,
) -> tuple[Finding, ...]:
    """The findings with severity overrides applied, then waived ones and those already in
    the baseline marked accepted (with the waiver's reason, or "in baseline")."""
    severities, waivers = severities or {}, waivers or {}
    out = [_override(f, severities) for f in findings]
    out = [_waive(f, waivers.get(f.label or ""), today) for f in out]
    return tuple(_baselined(out, baseline)) if baseline is not None else tuple(out)


def lapsed_waivers(waivers: Mapping[str, Waiver], today: dt.date) -> list[tuple[str, dt.date]]:
    """(label, until) of every waiver that no longer holds, for the CLI to mention."""
    return sorted(
        (label, w.until) for label, w in waivers.items() if w.lapsed(today) and w.until is not None
    )


def _override(finding: Finding, severities: Mapping[str, str]) -> Finding:
    level = severities.get(finding.rule)
    if level is None or level == finding.severity.value:
        return finding
    return dataclasses.replace(finding, severity=Severity(level))


def _waive(finding: Finding, waiver: Waiver | None, today: dt.date) -> Finding:
    if finding.accepted or waiver is None or not waiver.covers(finding.rule, today):
        return finding
    return accept(finding, waiver.reason)


def _baselined(findings: list[Finding], baseline: Sequence[Mapping]) -> list[Finding]:
    # A multiset: a baseline with one "dead-link on note 5" accepts one such finding, not two.
    budget = Counter(
        fingerprint(str(b.get("rule", "")), b.get("label"), b.get("url"), str(b.get("message", "")))
        for b in baseline
    )
    out = []
    for f in findings:
        fp = finding_fingerprint(f)
        if budget[fp] > 0:
            budget[fp] -= 1
            f = f if f.accepted else accept(f, BASELINE_REASON)
        out.append(f)
    return out


def accept(finding: Finding, reason: str | None) -> Finding:
    """`finding` marked accepted, with the reason (None keeps the one it has)."""
    return dataclasses.replace(
        finding, accepted=True, reason=finding.reason if reason is None else reason
    )
