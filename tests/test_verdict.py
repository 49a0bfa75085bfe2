"""The pure verdict module on hand-made facts (corner cases servers rarely produce)."""

from citecheck.checkers.facts import Fetch, Page, Probe
from citecheck.checkers.page import read_page
from citecheck.checkers.verdict import decide
from citecheck.models import LinkStatus as S


def test_number_404_in_a_title_is_not_a_not_found_cue():
    page = read_page(b"<title>Doc 404</title><p>Fine</p>", None)
    assert not page.not_found_cue
    assert read_page(b"<title>Error 404 - Page Not Found</title>", None).not_found_cue


def test_parking_marker_in_a_big_page_is_not_parking():
    big = b"<title>News</title>" + b"<p>text</p>" * 10000 + b"<a>hugedomains</a>"
    assert not read_page(big, None).parking_cue
    assert read_page(b"<title>x</title><p>Buy this domain</p>", None).parking_cue


def test_redirect_to_parking_service_is_parked():
    fact = Fetch(
        "http://a.example/x",
        status=200,
        final_url="https://www.hugedomains.com/d",
        hops=((302, "https://www.hugedomains.com/d"),),
        page=Page(title="a"),
    )
    assert decide("http://a.example/x", fact).status is S.PARKED


def test_probe_same_digest_is_soft_404_but_not_for_homepage():
    page = Page(title="Welcome", fingerprint={"digest": "d"})
    probe = Probe(200, "https://a.example/zz", "d", "Welcome")
    deep = decide(
        "https://a.example/report",
        Fetch("https://a.example/report", 200, "https://a.example/report", page=page),
        probe,
    )
    assert deep.status is S.SOFT_404
    home = decide(
        "https://a.example/",
        Fetch("https://a.example/", 200, "https://a.example/", page=page),
        probe,
    )
    assert home.status is S.ALIVE


def test_dns_no_such_name_is_dead_but_lookup_failure_is_not():
    dead = decide(
        "https://gone.example/",
        Fetch("https://gone.example/", error="no-such-name", error_detail="DNS: no such name"),
    )
    assert dead.status is S.DEAD
    temp = decide("https://x.example/", Fetch("https://x.example/", error="dns-failed"))
    assert temp.status is S.UNREACHABLE
