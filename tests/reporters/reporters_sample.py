"""The fixed report modelled on the VGT report's notes, with synthetic link and archive
results covering every verdict the reporters distinguish."""

from __future__ import annotations

import datetime as dt

from citecheck.findings import RULES, Finding, Report
from citecheck.models import (
    Document,
    LinkResult,
    LinkStatus,
    Location,
    Marker,
    Note,
    NoteKind,
    Snapshot,
)
from citecheck.urls import normalize

SRC = "reports/vgt-environmental-scan-2015.txt"
EVIL_TEXT = (
    'Evil <script>alert("x")</script> | pipe [bold red]x **bold** & more; '
    "<https://example.org/report?a=1&b=2>"
)


def loc(line: int) -> Location:
    return Location(SRC, line)


def snap(url: str, when: str) -> Snapshot:
    stamp = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC)
    return Snapshot("ia", f"https://web.archive.org/web/{stamp:%Y%m%d%H%M%S}/{url}", stamp)


def note(label, line, text, urls=(), kind=NoteKind.CITATION, ibid_of=None) -> Note:
    return Note(label, text, loc(line), tuple(urls), kind, ibid_of)


NOTES = (
    note(
        "2",
        57,
        "International Association of Internet Hotlines (INHOPE) is an active and "
        "collaborative network of 51 hotlines in 45 countries worldwide; "
        "<http://www.inhope.org>",
        ["http://www.inhope.org"],
    ),
    note(
        "24",
        194,
        "IWF in partnership with Microsoft: *Emerging Patterns and Trends "
        "Report#1, Online-Produced Sexual Content*, 10 March 2015; <https://www.iwf.org.uk>",
        ["https://www.iwf.org.uk"],
    ),
    note("37", 314, "<http://www.dailydot.com>", ["http://www.dailydot.com"]),
    note("54", 440, "Document circulated in the Darknet", kind=NoteKind.UNPUBLISHED),
    note(
        "55",
        464,
        "ENISA threat landscape 2014, P.65-66; <https://www.enisa.europa.eu>",
        ["https://www.enisa.europa.eu"],
    ),
    note("56", 466, "Ibid, P.66-67", kind=NoteKind.IBID, ibid_of="55"),
    note("64", 504, "<http://edition.cnn.com>", ["http://edition.cnn.com"]),
    note("64", 512, "<http://terredeshommesnl.org>", ["http://terredeshommesnl.org"]),
    note("70", 600, EVIL_TEXT, ["https://example.org/report?a=1&b=2"]),
)


def result(url, status, **kw) -> LinkResult:
    return LinkResult(normalize(url), status, **kw)


LINKS = [
    result(
        "http://www.inhope.org",
        LinkStatus.ALIVE,
        http_status=200,
        https_works=True,
        rules=("insecure-link",),
        snapshot=snap("http://www.inhope.org/", "2015-09-05T10:11:12"),
    ),
    result(
        "https://www.iwf.org.uk",
        LinkStatus.ALIVE,
        http_status=200,
        snapshot=snap("https://www.iwf.org.uk/", "2015-08-20T00:00:00"),
    ),
    result(
        "http://www.dailydot.com",
        LinkStatus.REDIRECTED,
        http_status=200,
        final_url="https://www.dailydot.com/",
        redirects=((301, "https://www.dailydot.com/"),),
        rules=("moved-permanently",),
        suggestion="https://www.dailydot.com/",
        snapshot=snap("http://www.dailydot.com/", "2015-09-30T03:04:05"),
    ),
    result(
        "https://www.enisa.europa.eu",
        LinkStatus.ALIVE,
        http_status=200,
        archive_rules=("content-drift",),
        drift=0.31,
        snapshot=snap("https://www.enisa.europa.eu/", "2015-08-12T08:00:00"),
    ),
    result(
        "http://edition.cnn.com",
        LinkStatus.PARKED,
        http_status=200,
        detail="parking page",
        rules=("parked-domain",),
        snapshot=snap("http://edition.cnn.com/", "2015-07-01T12:00:00"),
    ),
    result(
        "http://terredeshommesnl.org",
        LinkStatus.DEAD,
        http_status=404,
        detail="HTTP 404",
        rules=("dead-link",),
        snapshot=snap("http://terredeshommesnl.org/", "2014-12-01T00:00:00"),
    ),
    result(
        "https://example.org/report?a=1&b=2",
        LinkStatus.SOFT_404,
        http_status=200,
        detail="'Page not found' <b>title</b>",
        rules=("soft-404",),
        archive_rules=("no-archived-copy",),
    ),
]


def finding(
    rule, line, label, message, url=None, suggestion=None, accepted=False, severity=None
) -> Finding:
    return Finding(
        rule, severity or RULES[rule].severity, message, loc(line), label, url, suggestion, accepted
    )


FINDINGS = (
    finding(
        "insecure-link",
        57,
        "2",
        "The link uses http://; https:// works.",
        "http://www.inhope.org",
        "https://www.inhope.org",
    ),
    finding(
        "unverified-by-report", 310, "37", "The report says the source is unverified: 'speculates'."
    ),
    finding(
        "homepage-only",
        314,
        "37",
        "The only locator is the home page www.dailydot.com.",
        "http://www.dailydot.com",
        accepted=True,
    ),
    finding(
        "moved-permanently",
        314,
        "37",
        "Moved permanently (301) to https://www.dailydot.com/.",
        "http://www.dailydot.com",
        "https://www.dailydot.com/",
    ),
    finding("unpublished-source", 440, "54", "Unpublished source: nobody outside can check it."),
    finding(
        "homepage-only",
        464,
        "55",
        "The only locator is the home page www.enisa.europa.eu.",
        "https://www.enisa.europa.eu",
    ),
    finding(
        "content-drift",
        464,
        "55",
        "The live page differs from the capture of 2015-08-12 (similarity 0.31).",
        "https://www.enisa.europa.eu",
        "https://web.archive.org/web/20150812080000/https://www.enisa.europa.eu/",
    ),
    finding("marker-without-note", 500, "63", "Marker 63 on line 500 has no note."),
    finding(
        "duplicate-note",
        504,
        "64",
        "Note 64 appears twice (lines 504 and 512); this one is probably 63.",
        suggestion="Renumber this note to 63.",
    ),
    finding(
        "parked-domain",
        504,
        "64",
        "The domain shows a parking page.",
        "http://edition.cnn.com",
        "https://web.archive.org/web/20150701120000/http://edition.cnn.com/",
    ),
    finding(
        "dead-link",
        512,
        "64",
        "The link is dead (HTTP 404).",
        "http://terredeshommesnl.org",
        "https://web.archive.org/web/20141201000000/http://terredeshommesnl.org/",
    ),
    finding(
        "soft-404",
        600,
        "70",
        'The page answers 200 but says "Page not found" <b>|</b> [red]x[/red].',
        "https://example.org/report?a=1&b=2",
    ),
    finding(
        "no-archived-copy",
        600,
        "70",
        "No web archive holds a copy of the page.",
        "https://example.org/report?a=1&b=2",
    ),
)

MARKERS = tuple(
    Marker(lbl, loc(line))
    for lbl, line in (
        ("2", 55),
        ("24", 190),
        ("37", 310),
        ("54", 438),
        ("55", 460),
        ("56", 462),
        ("63", 500),
        ("64", 508),
        ("70", 598),
    )
)


def build_report(findings=FINDINGS, fail_on=None, **kw) -> Report:
    doc = Document(SRC, "text", notes=NOTES, markers=MARKERS, published=dt.date(2015, 10, 1))
    extra = {"fail_on": fail_on} if fail_on is not None else {}
    return Report(
        SRC,
        doc,
        NOTES,
        tuple(findings),
        as_of=dt.date(2015, 10, 1),
        links={r.url: r for r in LINKS},
        markers_by_label={m.label: (m.location,) for m in MARKERS},
        **extra,
        **kw,
    )
