"""The references appendix as CSV for editors' spreadsheets: one row per note and link (a
note without links is one row with the link columns empty)."""

from __future__ import annotations

import csv
import io

from citecheck.findings import Report
from citecheck.reporters._common import LinkView, duplicate_labels, links_of, reader_verdict

COLUMNS = (
    "label",
    "line",
    "kind",
    "duplicate_label",
    "text",
    "url",
    "status",
    "http_status",
    "verdict",
    "archived_url",
    "archived_on",
    "checked_on",
)
# A cell starting with one of these is a formula to a spreadsheet (CSV injection): it is
# written with a leading apostrophe, which spreadsheets show as text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def render(report: Report) -> str:
    """A header row, then one row per note and link, in the report's order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(COLUMNS)
    dups = duplicate_labels(report)
    for note in report.notes:
        base = [
            note.label,
            note.location.line,
            note.kind.value if note.kind else "",
            "yes" if note.label in dups else "",
            " ".join(note.text.split()),
        ]
        views: list[LinkView | None] = [*links_of(report, note)] or [None]
        for view in views:
            writer.writerow([_cell(v) for v in base + _link_cells(view)])
    return out.getvalue()


def _link_cells(view: LinkView | None) -> list[object]:
    if view is None:
        return [""] * 7
    r, snap = view.result, view.snapshot
    return [
        view.url,
        r.status.value if r else "unchecked",
        r.http_status if r and r.http_status else "",
        reader_verdict(view, with_copy=False),
        snap.url if snap else "",
        snap.datetime.date().isoformat() if snap else "",
        (r.extra.get("checked") or "") if r and r.extra else "",
    ]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text
