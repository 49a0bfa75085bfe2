"""Link targets as the readers keep them: mistyped http schemes are kept (and reported as
malformed-url), other schemes are not web links, and a printed URL cut short where text
search stops (an old Wiley DOI's `<`) yields to the link's full address."""

from __future__ import annotations

import pytest

from citecheck.readers import html, markdown
from citecheck.readers._links import shortens
from citecheck.urls import is_web_target, mistyped_scheme, url_problem

WILEY = "https://doi.org/10.1002/1097-4679(198811)44:6<1013::AID-JCLP2270440627>3.0.CO;2-Z"


@pytest.mark.parametrize(
    "url", ["hhttps://perma.cc/X", "htps://a.org/", "htttp://a.org", "ttps://a"]
)
def test_mistyped_http_is_a_web_target_that_cannot_be_followed(url: str) -> None:
    assert is_web_target(url)
    assert mistyped_scheme(url) is not None
    assert "typing slip" in (url_problem(url) or "")


@pytest.mark.parametrize(
    "url", ["ftp://a.org/f", "mailto:a@b.org", "file:///x", "hxxp://defanged.example/", "tcp://a"]
)
def test_other_schemes_are_not_web_targets(url: str) -> None:
    assert not is_web_target(url)
    assert url_problem(url) is None


def test_printed_url_cut_at_a_character_text_search_stops_at_yields_to_the_link() -> None:
    encoded = WILEY.replace("<", "%3C").replace(">", "%3E")
    assert shortens(WILEY.split("<")[0], encoded)
    assert not shortens("https://doi.org/10.1002/1097", encoded)  # cut inside a word: not it


def test_markdown_and_html_keep_one_url_for_a_link_printed_with_angle_brackets() -> None:
    doc = markdown.read(f"Claim.[^1]\n\n[^1]: Glaros. [{WILEY}]({WILEY}).\n", "r.md")
    assert len(doc.notes[0].urls) == 1 and doc.notes[0].urls[0].endswith("2-Z")
    page = (
        '<p>Claim.<sup><a href="#fn1" id="ref1">1</a></sup></p><ol><li id="fn1">Glaros. '
        f'<a href="{WILEY}">{WILEY.replace("<", "&lt;").replace(">", "&gt;")}</a> '
        '<a href="#ref1">↩</a></li></ol>'
    )
    note = html.read(page, "r.html").notes[0]
    assert note.urls == (WILEY,)


def test_a_mistyped_link_target_is_kept_by_the_markdown_reader() -> None:
    doc = markdown.read("Claim.[^1]\n\n[^1]: Smith, [Report](hhttps://perma.cc/74Z6).\n", "r.md")
    assert doc.notes[0].urls == ("hhttps://perma.cc/74Z6",)
