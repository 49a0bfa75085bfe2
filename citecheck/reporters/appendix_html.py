"""The references appendix as a standalone, accessible HTML5 page with Robust Links.

Robust Links (https://robustlinks.mementoweb.org/spec/): every link carries
`data-originalurl`; one with a capture also `data-versionurl` and `data-versiondate`, the
date of that capture ("the datetime of ... taking the snapshot"), and a visible "archived
<date>" link, so the decoration survives printing to PDF. A link without a capture carries
the citation date as `data-versiondate`, for a reader's tools to find a copy near it. Live
links point to the original; gone or changed ones point to the capture.
"""

from __future__ import annotations

import html

from citecheck.findings import Report
from citecheck.models import Note
from citecheck.reporters._common import (
    LinkView,
    anchors,
    checked_sentence,
    duplicate_labels,
    is_web_url,
    iso_date,
    links_of,
    long_date,
    reader_verdict,
)

_STYLE = """\
body { font: 1rem/1.5 Georgia, serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem;
       color: #111; background: #fff; }
ol.references { list-style: none; padding: 0; }
ol.references > li { margin: 0 0 1rem; }
.label { font-weight: bold; margin-right: .4em; }
ul.links { margin: .2rem 0 0 1.5rem; padding: 0; }
.verdict { color: #444; }
.duplicate { color: #a00; font-weight: bold; }
a { color: #0645ad; overflow-wrap: anywhere; }
a:focus { outline: 2px solid #000; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  a { color: #000; text-decoration: none; }
  a.archived::after { content: " <" attr(href) ">"; font-size: 8pt; }
  ol.references > li { break-inside: avoid; }
}
"""


def render(report: Report) -> str:
    """The whole page as a string (UTF-8 declared, no scripts, no external resources)."""
    e = _esc
    title = f"References: {report.source}"
    intro = f"Notes of {e(report.source)}"
    if report.as_of:
        intro += (
            f', cited as of <time datetime="{report.as_of.isoformat()}">'
            f"{report.as_of.isoformat()}</time>"
        )
    ids = anchors(report)
    dups = duplicate_labels(report)
    items = "\n".join(_item(report, n, ids[i], dups) for i, n in enumerate(report.notes))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="citecheck">
<title>{e(title)}</title>
<style>
{_STYLE}</style>
</head>
<body>
<main>
<h1>References</h1>
<p>{intro}. {_checked(report)}Where a web archive holds a copy, it is linked
as “archived” with its date; links to pages that are gone or have changed lead to that
copy.</p>
<ol class="references">
{items}
</ol>
</main>
</body>
</html>
"""


def _item(report: Report, note: Note, anchor: str, dups: dict[str, list[int]]) -> str:
    e = _esc
    head = f'<p><span class="label">{e(note.label)}.</span> {e(note.text)}'
    if note.ibid_of:
        head += f" (see note {e(note.ibid_of)})"
    if note.label in dups:
        others = ", ".join(str(n) for n in dups[note.label] if n != note.location.line)
        head += (
            f' <span class="duplicate">(label {e(note.label)} is used twice: also the note '
            f"at line {e(others)})</span>"
        )
    lines = [f'<li id="{e(anchor)}">', head + "</p>"]
    views = links_of(report, note)
    if views:
        date = _citation_date(report)
        lines += ['<ul class="links">'] + [f"<li>{_link(v, date)}</li>" for v in views]
        lines.append("</ul>")
    lines.append("</li>")
    return "\n".join(lines)


def _link(view: LinkView, date: str | None) -> str:
    e = _esc
    snap = view.snapshot
    text = e(view.url)
    status = f' <span class="verdict">– {e(reader_verdict(view, with_copy=False))}</span>'
    if not is_web_url(view.url):
        return text + status
    attrs = {"href": view.url, "data-originalurl": view.url}
    captured = snap is not None and is_web_url(snap.url)
    if snap is not None and captured:
        attrs["data-versionurl"] = snap.url
        attrs["data-versiondate"] = iso_date(snap)  # the capture's date (the spec's meaning)
        if view.prefer_capture:
            attrs["href"] = snap.url
    elif date:
        attrs["data-versiondate"] = date
    anchor = "<a " + " ".join(f'{k}="{e(v)}"' for k, v in attrs.items()) + f">{text}</a>"
    if snap is not None and captured:
        when = snap.datetime.date()
        anchor += status + (
            f'; <a class="archived" href="{e(snap.url)}">archived copy of '
            f'<time datetime="{iso_date(snap)}">{e(long_date(when))}</time></a>'
            f" ({e(snap.archive)})"
        )
        return anchor
    return anchor + status


def _citation_date(report: Report) -> str | None:
    return report.as_of.isoformat() if report.as_of else None


def _esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _checked(report: Report) -> str:
    sentence = checked_sentence(report)
    return "" if not sentence else _esc(sentence) + " "
