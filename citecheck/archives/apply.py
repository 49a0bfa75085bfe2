"""Putting an archive lookup's facts onto a link result (no judgement here: the rules decide
whether a drift score is `content-drift`)."""

from __future__ import annotations

import dataclasses

from citecheck.archives.results import ArchiveResult
from citecheck.checkers.drift import drift_score
from citecheck.models import LinkResult, LinkStatus


def with_archive(link: LinkResult, result: ArchiveResult) -> LinkResult:
    """`link` with its snapshot, archive rules and, for a live page whose fingerprint is in
    `link.extra["fingerprint"]`, the similarity of the live page to the capture."""
    drift = None
    live = link.extra.get("fingerprint")
    if (
        link.status in (LinkStatus.ALIVE, LinkStatus.REDIRECTED)
        and live
        and result.fingerprint
        and result.snapshot is not None
    ):
        drift = drift_score(live, result.fingerprint)
    extra = dict(link.extra)
    if result.detail:
        extra["archive_detail"] = result.detail
    if result.fingerprint and result.fingerprint.get("titles"):
        extra["capture_titles"] = result.fingerprint["titles"]
    return dataclasses.replace(
        link, snapshot=result.snapshot, archive_rules=result.rules, drift=drift, extra=extra
    )
