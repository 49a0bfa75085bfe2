"""The one-pattern prefilter of cited mementos matches exactly what the forms match."""

from __future__ import annotations

import pytest

from citecheck.archives.cited import FORMS, any_of, configured_forms, parse
from citecheck.archives.registry import Archive

URLS = [
    "https://web.archive.org/web/2015/http://x.org/a",
    "http://wayback.archive.org/web/20150101000000id_/https://x.org/",
    "https://archive.ph/AbCd1",
    "https://archive.today/newest/http://x.org/",
    "https://archive.is/2015.10.01-123456/http://x.org/",
    "https://perma.cc/ABCD-1234",
    "https://www.webcitation.org/6abcdefgh",
    "https://arquivo.pt/wayback/20150101000000/http://a.pt/",
    "https://www.webarchive.org.uk/wayback/en/archive/20150101/http://a.uk/",
    "https://wayback.archive-it.org/123/20150101/http://a.org/",
    "http://127.0.0.1:8080/pywb/20150101000000/http://a.org/",
    "https://example.org/web/2015/http://x.org/a",
    "https://archive.org/details/book",
    "https://perma.cc/about",
    "http://127.0.1.3:8765/doc/17",
]


@pytest.mark.parametrize("url", URLS)
def test_the_prefilter_agrees_with_the_forms(url):
    forms = configured_forms([Archive("pywb", "http://127.0.0.1:8080/pywb/")])
    assert (any_of(forms).fullmatch(url) is not None) == (parse(url, forms) is not None)
    assert (any_of(FORMS).fullmatch(url) is not None) == (parse(url, FORMS) is not None)


def test_the_sample_holds_mementos_and_others():
    forms = configured_forms([Archive("pywb", "http://127.0.0.1:8080/pywb/")])
    assert [parse(u, forms) is not None for u in URLS] == [True] * 11 + [False] * 4
