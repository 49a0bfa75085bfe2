"""The pure parts of source verification: which fragments are checked and how anchors match
(HTML ids and names, GitHub's `user-content-` ids and heading slugs, PDF `#page=N`), how
`missing-fragment` and `title-mismatch` are decided from a link's facts, and legal
citations (eyecite, imported only for notes that look legal) as locators and short forms."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from citecheck import rules
from citecheck.analysis import analyze
from citecheck.checkers.anchors import fragment, github_slug, has_anchor, page_anchors
from citecheck.models import Document, LinkResult, LinkStatus, Location, Note, Rule, Snapshot
from citecheck.settings import DEFAULT_HEDGES


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.org/a#methods", "methods"),
        ("https://x.org/a#top", None),  # HTML's own: the top of the page
        ("https://x.org/a#:~:text=virtual%20goods", None),  # a text fragment
        ("https://x.org/a#sec-2:~:text=goods", "sec-2"),
        ("https://x.org/app#/reports/2015", None),  # a single-page app's route
        ("https://x.org/app#!/reports", None),
        ("https://x.org/search#q=goods&page=2", None),  # application state
        ("https://x.org/r.pdf#page=4", "page=4"),
        ("https://x.org/r.pdf#page=4&zoom=100", "page=4&zoom=100"),
        ("https://x.org/a", None),
    ],
)
def test_checkable_fragments(url, expected):
    assert fragment(url) == expected


GITHUB = (
    '<article class="markdown-body"><h2 class="heading-element">Getting started</h2>'
    '<a id="user-content-getting-started" class="anchor" href="#getting-started"></a>'
    "<h2>What’s new in 2.0?</h2></article>"
    '<script type="application/json">{"headerInfo":{"toc":[{"level":3,'
    '"text":"Build","anchor":"build"}]}}</script>'
)


def test_github_anchors_and_slugs():
    anchors = page_anchors(GITHUB, "https://github.com/o/r/blob/main/README.md")
    assert anchors is not None
    for frag in ("getting-started", "whats-new-in-20", "build"):
        assert has_anchor(frag, anchors), frag
    assert not has_anchor("installation", anchors)
    assert github_slug("Hello, World & <em>Friends</em>") == "hello-world--friends"


def test_anchor_matching():
    html = (
        '<h2 id="Hist\u00f3ria">x</h2><a name="results"></a><p id=bare>y</p>'
        "<a href='#js-handled'>jump</a>"
    )
    anchors = page_anchors(html, "https://pt.wikipedia.org/wiki/X")
    assert anchors is not None
    assert has_anchor("Hist%C3%B3ria", anchors)  # percent-encoded in the cited URL
    assert has_anchor("results", anchors) and has_anchor("bare", anchors)
    assert has_anchor("js-handled", anchors)  # the page links to it: it handles it
    assert not has_anchor("conclusions", anchors)
    assert page_anchors("<html><body><div>script-built</div></body></html>", "https://x") is None


def _note(text: str, *urls: str) -> Note:
    return Note("1", text, Location("r.md", 3), urls)


def _findings(note: Note, result: LinkResult) -> list[tuple[str, str]]:
    doc = Document("r.md", "markdown", notes=(note,))
    analysis = analyze(doc, DEFAULT_HEDGES)
    found = rules.findings(analysis, {result.url: result})
    judged = (Rule.MISSING_FRAGMENT, Rule.TITLE_MISMATCH, Rule.DEAD_LINK)
    return [(f.rule, f.message) for f in found if f.rule in judged]


def test_missing_fragment_is_decided_from_the_recorded_anchors():
    url = "https://x.org/guide"
    alive = LinkResult(url, LinkStatus.ALIVE, 200, extra={"anchors": ["intro", "methods"]})
    assert _findings(_note("Guide, <x>", url + "#methods"), alive) == []
    [(rule, message)] = _findings(_note("Guide, <x>", url + "#results"), alive)
    assert rule == Rule.MISSING_FRAGMENT and "#results" in message
    unknown = LinkResult(url, LinkStatus.ALIVE, 200, extra={"anchors": None})
    assert _findings(_note("Guide, <x>", url + "#results"), unknown) == []
    dead = LinkResult(url, LinkStatus.DEAD, 404, rules=(Rule.DEAD_LINK,))
    assert [r for r, _ in _findings(_note("Guide", url + "#results"), dead)] == [Rule.DEAD_LINK]
    pdf = LinkResult(url, LinkStatus.ALIVE, 200, extra={"anchors": None, "pdf_pages": 3})
    assert _findings(_note("PDF", url + "#page=3"), pdf) == []
    [(rule, message)] = _findings(_note("PDF", url + "#page=4"), pdf)
    assert rule == Rule.MISSING_FRAGMENT and "3 pages" in message


CITED = "Acme, “Annual report on virtual goods markets” (2015), <x>"
CAPTURE = Snapshot(
    "ia", "https://web.archive.org/web/2015/x", dt.datetime(2015, 9, 1, tzinfo=dt.UTC)
)


@pytest.mark.parametrize(
    ("titles", "capture_titles", "fires"),
    [
        (["Buy cheap virtual data rooms"], ["Annual report on virtual goods markets"], True),
        (["Buy cheap virtual data rooms"], ["Acme Ltd"], False),  # never carried it
        (["Annual Report 2015 | Acme"], ["Annual report on virtual goods markets"], False),
        (["Casino bonus offers today"], None, True),  # no word shared, an informative title
        (["Buy cheap virtual data rooms"], None, False),  # shares "virtual": can't tell
        (["Home"], None, False),  # says nothing
        (["Document", "Virtual goods markets: annual report"], None, False),  # the h1 carries it
    ],
)
def test_title_mismatch_is_conservative(titles, capture_titles, fires):
    extra: dict = {"titles": titles}
    if capture_titles is not None:
        extra["capture_titles"] = capture_titles
    url = "https://acme.example/reports/2015"
    result = LinkResult(url, LinkStatus.ALIVE, 200, extra=extra, snapshot=CAPTURE)
    found = [r for r, _ in _findings(_note(CITED, url), result)]
    assert found == ([Rule.TITLE_MISMATCH] if fires else [])


def _kinds(*texts: str):
    notes = tuple(Note(str(i), t, Location("r.md", i)) for i, t in enumerate(texts, 1))
    analysis = analyze(Document("r.md", "text", notes=notes), DEFAULT_HEDGES)
    wanted = (Rule.UNRESOLVED_IBID, Rule.NO_LOCATOR)
    found = {(f.label, f.rule) for f in analysis.facts if f.rule in wanted}
    return {n.label: (n.kind, n.ibid_of) for n in analysis.notes}, found


def test_legal_citations_are_locators_and_short_forms_resolve():
    kinds, facts = _kinds(
        "Brown v. Board of Education, 347 U.S. 483 (1954).",
        "42 U.S.C. § 1983 (2012).",
        "Id. at 495.",
        "Brown, 347 U.S. at 495.",
        "Brown, supra note 1, at 490.",
        "Plessy, supra note 9, at 540.",  # no earlier note names Plessy
    )
    assert kinds["1"] == ("citation", None) and kinds["2"] == ("citation", None)
    assert kinds["3"] == ("ibid", "2")  # Id.: the citation just before
    assert kinds["4"] == ("ibid", "1") and kinds["5"] == ("ibid", "1")
    # an unresolved supra is judged as written (the name may be cited in the body text)
    assert kinds["6"][0] != "ibid"
    assert facts == set()


def test_a_section_supra_is_a_cross_reference_not_a_citation():
    kinds, _ = _kinds(
        "Brown v. Board of Education, 347 U.S. 483 (1954).",
        "See Volume I, Section IV.A.6, supra.",
    )
    assert kinds["2"][0] != "ibid"


def test_id_without_antecedent_is_unresolved():
    kinds, facts = _kinds("Id. at 4.", "Brown v. Board of Education, 347 U.S. 483 (1954).")
    assert kinds["1"] == ("ibid", None)
    assert ("1", Rule.UNRESOLVED_IBID) in facts


def test_eyecite_is_imported_only_for_notes_that_look_legal():
    code = (
        "import sys\n"
        "from citecheck.analysis import analyze\n"
        "from citecheck.models import Document, Location, Note\n"
        "from citecheck.settings import DEFAULT_HEDGES\n"
        "notes = (Note('1', 'Smith, J. (2019), *A Book*, 10 March 2015, p. 4', "
        "Location('r', 1)),)\n"
        "analyze(Document('r', 'text', notes=notes), DEFAULT_HEDGES)\n"
        "assert 'eyecite' not in sys.modules\n"
        "notes = (Note('1', 'Brown v. Board of Education, 347 U.S. 483 (1954)', "
        "Location('r', 1)),)\n"
        "analyze(Document('r', 'text', notes=notes), DEFAULT_HEDGES)\n"
        "assert 'eyecite' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
