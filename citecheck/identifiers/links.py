"""A doi.org link's result from what the handle system says of its DOI (never from the
publisher's page, which is often behind a bot wall). The DOI's own findings
(`doi-unresolvable`...) are decided by citecheck.rules from the DoiRecord; the link result
carries no rule of its own, so nothing is reported twice."""

from __future__ import annotations

from citecheck.identifiers.results import DoiRecord, DoiState
from citecheck.models import LinkResult, LinkStatus

_STATUS = {
    DoiState.FOUND: LinkStatus.ALIVE,
    DoiState.NOT_FOUND: LinkStatus.DEAD,
    DoiState.UNKNOWN: LinkStatus.UNCHECKED,
}


def doi_link_result(url: str, record: DoiRecord | None) -> LinkResult:
    if record is None:
        return LinkResult(url, LinkStatus.UNCHECKED, detail="DOI not looked up")
    return LinkResult(
        url,
        _STATUS[record.state],
        final_url=record.landing_url,
        from_cache=record.from_cache,
        detail=f"DOI {record.state.value}: {record.detail}" if record.detail else None,
        title=record.title,
    )
