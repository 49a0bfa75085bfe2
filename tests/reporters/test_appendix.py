"""The references appendix: Markdown and a standalone HTML5 page with Robust Links."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess

import pytest
from markdown_it import MarkdownIt
from reporters_sample import EVIL_TEXT

from citecheck.reporters import appendix_html, appendix_markdown

html5lib = pytest.importorskip("html5lib", reason="html5lib is a test dependency")
NS = {"h": "http://www.w3.org/1999/xhtml"}


def _parse(text: str):
    parser = html5lib.HTMLParser(strict=True)  # strict: any parse error raises
    return parser.parse(text)


def _links(doc) -> dict[str, object]:
    """The main link of each note's link list, by its original URL (text)."""
    return {a.text: a for a in doc.iterfind(".//h:ul[@class='links']/h:li/h:a[1]", NS)}


def test_is_a_valid_complete_accessible_page(report):
    doc = _parse(appendix_html.render(report))
    assert doc.get("lang") == "en"
    assert doc.find(".//h:head/h:title", NS).text.startswith("References: ")
    assert doc.find(".//h:head/h:meta[@charset='utf-8']", NS) is not None
    assert doc.find(".//h:main/h:h1", NS).text == "References"
    assert "@media print" in doc.find(".//h:head/h:style", NS).text
    assert doc.find(".//h:script", NS) is None


def test_notes_in_report_order_with_their_labels(report):
    doc = _parse(appendix_html.render(report))
    path = ".//h:ol[@class='references']/h:li/h:p/h:span[@class='label']"
    labels = [s.text for s in doc.iterfind(path, NS)]
    assert labels == [f"{n.label}." for n in report.notes]  # duplicates 64 kept, in order


def test_duplicate_labels_are_flagged_and_anchors_follow_labels(report):
    doc = _parse(appendix_html.render(report))
    ids = [li.get("id") for li in doc.iterfind(".//h:ol[@class='references']/h:li", NS)]
    assert ids[:3] == ["note-2", "note-24", "note-37"]
    assert ids.count("note-64") == 1 and "note-64-2" in ids  # both 64s, told apart
    flagged = [s.text for s in doc.iterfind(".//h:span[@class='duplicate']", NS)]
    assert flagged == [
        "(label 64 is used twice: also the note at line 512)",
        "(label 64 is used twice: also the note at line 504)",
    ]


def test_robust_links_live_points_to_original(report):
    a = _links(_parse(appendix_html.render(report)))["http://www.inhope.org"]
    assert a.get("href") == "http://www.inhope.org"
    assert a.get("data-originalurl") == "http://www.inhope.org"
    assert (
        a.get("data-versionurl")
        == "https://web.archive.org/web/20150905101112/http://www.inhope.org/"
    )
    # Robust Links: data-versiondate is "the datetime of linking, of taking the snapshot"
    # (robustlinks.mementoweb.org/spec/): with a capture, the capture's date.
    assert a.get("data-versiondate") == "2015-09-05"


@pytest.mark.parametrize(
    "url", ["http://terredeshommesnl.org", "http://edition.cnn.com", "https://www.enisa.europa.eu"]
)
def test_gone_or_drifted_point_to_capture_keeping_original(report, url):
    a = _links(_parse(appendix_html.render(report)))[url]
    assert a.get("href") == a.get("data-versionurl")
    assert a.get("href").startswith("https://web.archive.org/web/")
    assert a.get("data-originalurl") == url


def test_visible_archived_link_with_capture_date(report):
    doc = _parse(appendix_html.render(report))
    archived = {
        a.get("href"): "".join(a.itertext()) for a in doc.iterfind(".//h:a[@class='archived']", NS)
    }
    assert (
        archived["https://web.archive.org/web/20141201000000/http://terredeshommesnl.org/"]
        == "archived copy of 1 December 2014"
    )
    assert len(archived) == 6  # every link with a capture; not the soft-404 without one


def test_no_capture_no_version_url_but_the_original_and_the_citation_date(report):
    a = _links(_parse(appendix_html.render(report)))["https://example.org/report?a=1&b=2"]
    assert a.get("href") == "https://example.org/report?a=1&b=2"
    assert a.get("data-versionurl") is None
    assert a.get("data-originalurl") == "https://example.org/report?a=1&b=2"
    assert a.get("data-versiondate") == "2015-10-01"  # no capture: the citation date


def test_verdicts_are_in_a_readers_words(report):
    doc = _parse(appendix_html.render(report))
    verdicts = ["".join(v.itertext()) for v in doc.iterfind(".//h:span[@class='verdict']", NS)]
    assert "– page no longer exists" in verdicts
    assert not any("HTTP" in v or "soft 404" in v for v in verdicts)
    text = appendix_markdown.render(report)
    assert "page no longer exists; [archived copy of 1 December 2014](" in text


def test_hostile_note_renders_as_text(report):
    html = appendix_html.render(report)
    assert "<script>" not in html
    doc = _parse(html)
    texts = ["".join(p.itertext()) for p in doc.iterfind(".//h:ol/h:li/h:p", NS)]
    assert f"70. {EVIL_TEXT}" in texts
    assert doc.find(".//h:b", NS) is None  # the page title's <b> from the verdict is text


def test_non_web_urls_are_not_links(report):
    note = dataclasses.replace(report.notes[0], urls=("javascript:alert(1)",))
    doc = _parse(appendix_html.render(dataclasses.replace(report, notes=(note,))))
    assert doc.find(".//h:ul[@class='links']//h:a", NS) is None


def test_without_as_of_the_capture_date_is_the_version_date(report):
    doc = _parse(appendix_html.render(dataclasses.replace(report, as_of=None)))
    assert _links(doc)["http://www.inhope.org"].get("data-versiondate") == "2015-09-05"


def test_markdown_appendix_keeps_numbering_and_escapes(report):
    text = appendix_markdown.render(report)
    html = MarkdownIt("commonmark").render(text)
    assert "<ol" not in html  # "64." must not become a renumbered list
    assert html.count("<strong>64.</strong>") == 2
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "[bold red]x **bold**" in html
    assert (
        '<a href="https://web.archive.org/web/20141201000000/http://terredeshommesnl.org/">'
        "archived copy of 1 December 2014</a>"
    ) in html
    assert "page no longer exists" in html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
@pytest.mark.parametrize("mode", ["screenshot", "print-to-pdf"])
def test_renders_in_headless_chromium(report, tmp_path, mode):
    page = tmp_path / "appendix.html"
    page.write_text(appendix_html.render(report), encoding="utf-8")
    out = tmp_path / ("shot.png" if mode == "screenshot" else "page.pdf")
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1000,1400",
        f"--{mode}={out}",
        page.as_uri(),
    ]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = out.read_bytes()
    assert len(data) > 1000
    assert data.startswith(b"\x89PNG" if mode == "screenshot" else b"%PDF")


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_malformed_url_stays_text_in_the_appendix(tmp_path, fmt):
    from typer.testing import CliRunner

    from citecheck.cli import app

    (tmp_path / "r.tex").write_text(
        "\\documentclass{article}\\begin{document}A\\footnote{a "
        "\\href{http://[::1/x}{y}} B\\footnote{b \\url{https://"
        "ok.example/p}}\\end{document}\n"
    )
    result = CliRunner().invoke(
        app,
        ["appendix", str(tmp_path / "r.tex"), "-f", fmt, "--cache-dir", str(tmp_path / "cache")],
    )
    assert result.exit_code == 0, result.output
    assert "malformed URL" in result.stdout
    assert 'href="http://[::1/x"' not in result.stdout and "](http://[::1/x)" not in result.stdout
    assert "https://ok.example/p" in result.stdout
