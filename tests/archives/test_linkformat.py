"""The link-format parser (RFC 6690 / RFC 8288) on TimeMap and Link header shapes."""

from __future__ import annotations

import pytest

from citecheck.archives.linkformat import LinkFormatError, parse_links
from citecheck.archives.memento import mementos, parse_http_date

TIMEMAP = """<http://a.example/page>; rel="original",
<http://arch.example/timemap/link/http://a.example/page>; rel="self";
  type="application/link-format"; from="Tue, 20 Jun 2000 18:02:59 GMT",
<http://arch.example/http://a.example/page>; rel="timegate",
<http://arch.example/20000620180259/http://a.example/page>; rel="first memento";
  datetime="Tue, 20 Jun 2000 18:02:59 GMT",
<http://arch.example/20091027204954/http://a.example/page?a=1,2;b>; rel="memento";
  datetime="Tue, 27 Oct 2009 20:49:54 GMT"; title="a, \\"quoted\\"; title",
<http://arch.example/20091027204955/http://a.example/page>; rel=memento;
  datetime="Tue, 27 Oct 2009 20:49:55 GMT",
<http://arch.example/20151001000000/http://a.example/page>; rel="last memento";
  datetime="Thu, 01 Oct 2015 00:00:00 GMT"
"""


def test_timemap_repeated_memento_relations_all_kept():
    links = parse_links(TIMEMAP)
    assert len(links) == 7
    found = mementos(links, "arch")
    assert [c.url.split("/")[3] for c in found] == [
        "20000620180259",
        "20091027204954",
        "20091027204955",
        "20151001000000",
    ]
    assert links[3].rels == {"first", "memento"}


def test_commas_and_semicolons_inside_uri_and_quoted_strings():
    link = parse_links(TIMEMAP)[4]
    assert link.uri.endswith("page?a=1,2;b")
    assert link.get("title") == 'a, "quoted"; title'
    assert link.get("datetime") == "Tue, 27 Oct 2009 20:49:54 GMT"


def test_link_header_and_flag_parameters():
    header = (
        '<http://x/>; rel="original", <http://t/x>; rel="timemap"; '
        'type="application/link-format"; anchor, <http://m/1>;rel="memento"'
    )
    links = parse_links(header)
    assert [link.uri for link in links] == ["http://x/", "http://t/x", "http://m/1"]
    assert ("anchor", None) in links[1].params
    assert links[2].rels == {"memento"}


def test_malformed_entry_skipped_unless_strict():
    text = '<http://ok/1>; rel="memento", garbage; rel="x", <http://ok/2>; rel="memento"'
    assert [link.uri for link in parse_links(text)] == ["http://ok/1", "http://ok/2"]
    with pytest.raises(LinkFormatError):
        parse_links(text, strict=True)
    with pytest.raises(LinkFormatError):
        parse_links('<http://ok/1>; title="unterminated', strict=True)


def test_empty_and_whitespace_bodies():
    assert parse_links("") == [] and parse_links(" ,\n ,") == []


def test_http_dates():
    assert (
        parse_http_date("Thu, 01 Oct 2015 00:00:00 GMT").isoformat() == "2015-10-01T00:00:00+00:00"
    )
    assert parse_http_date("not a date") is None and parse_http_date(None) is None
