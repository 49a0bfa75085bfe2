"""Hostile input: YAML alias bombs, terminal control characters, IPv6 and odd hosts in notes.

Each case holds for the whole run: exit 2 with one line naming the file and line for a bomb;
no escape sequence reaches any output format; URLs hidden in an OSC 8 escape are not
citations; IPv6, fullwidth and non-IDNA hosts never abort a run.
"""

from __future__ import annotations

import ssl
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citecheck.cli import app
from citecheck.errors import InputError
from citecheck.manifest.read import load_manifest
from citecheck.models import LinkStatus as S
from citecheck.urls import find_urls, normalize, url_problem
from tests.hostile import matrix
from tests.hostile.behaviours import HOST, ROUTES, V6
from tests.hostile.rawweb import Conn, RawWeb

LAUGHS = "".join(
    f"  {name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)
BOMBS = {
    "settings": "version: 1\nsource: report.txt\nsettings:\n  extra_hedges: *i\nreferences: []\n",
    "entry text": "version: 1\nreferences:\n  - label: '1'\n    text: *i\n",
    "entry urls": "version: 1\nreferences:\n  - label: '1'\n    urls: *i\n",
    "top level": "version: 1\nreferences: *i\n",
}


def _bomb(where: str) -> str:
    head, _, rest = BOMBS[where].partition("\n")
    return f"{head}\nx-anchors:\n{LAUGHS}{rest}"


@pytest.mark.parametrize("where", sorted(BOMBS))
def test_alias_bomb_is_refused_in_a_second(tmp_path: Path, where: str) -> None:
    path = tmp_path / "references.yaml"
    path.write_text(_bomb(where), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        load_manifest(path)
    assert time.monotonic() - started < 1.0
    message = str(caught.value)
    assert message.startswith(f"{path}:") and "alias" in message and "\n" not in message


def test_alias_bomb_through_the_cli_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.txt").write_text("A claim.\n", encoding="utf-8")
    (tmp_path / "references.yaml").write_text(_bomb("settings"), encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(app, ["check", "references.yaml", "--offline", "--no-cache"])
    assert time.monotonic() - started < 1.0
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "references.yaml:" in lines[0] and "alias" in lines[0]


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "references.yaml"
    path.write_text(
        "version: 1\nsettings:\n  extra_hedges: &h [unconfirmed, doubtful]\n"
        "references:\n  - label: '1'\n    text: Smith 2019\n    urls: &u ['https://example.org/a']\n"
        "  - label: '2'\n    text: Jones 2020\n    urls: *u\n",
        encoding="utf-8",
    )
    manifest = load_manifest(path)
    assert [e.urls for e in manifest.entries] == [("https://example.org/a",)] * 2


ESCAPED_REPORT = (
    "A claim\u00b9 and another\u00b2.\n\n"
    "\u00b9 See \x1b]8;;http://hidden.example/evil\x1b\\the report\x1b]8;;\x1b\\ at "
    "http://visible.example/report \x07\x1b[31mred\x1b[0m\x9b2J.\n"
    "\u00b2 Also \x1b]8;;http://hidden.example/two\x07here\x1b]8;;\x07 and "
    "http://[2001:db8::1]/paper, http://[::1]:8080/x, http://\u2603.net/, "
    "http://%31%32%37.0.0.1/ and http://\uff57\uff57\uff57.example.com/a.\n"
)
FORMATS = ["table", "json", "sarif", "junit", "github", "markdown"]


@pytest.fixture
def escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "report.txt"
    path.write_text(ESCAPED_REPORT, encoding="utf-8")
    return path


def _clean(text: str) -> None:
    for bad in ("\x1b", "\x07", "\x9b", "hidden.example"):
        assert bad not in text, (bad, text[:500])


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_reach_no_check_output(escaped: Path, fmt: str) -> None:
    cache = escaped.parent / "cache"
    argv = ["check", str(escaped), "--offline", "--cache-dir", str(cache), "-f", fmt]
    result = CliRunner().invoke(app, [*argv, "-o", "out"])
    assert result.exit_code in (0, 1), result.output
    out = (escaped.parent / "out").read_text(encoding="utf-8")
    _clean(out)
    _clean(result.output)
    if fmt not in ("junit", "github"):  # those two name notes, not their URLs
        assert "visible.example/report" in out


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_control_characters_reach_no_appendix(escaped: Path, fmt: str) -> None:
    cache = escaped.parent / "cache"
    argv = ["appendix", str(escaped), "--cache-dir", str(cache), "-f", fmt, "-o", "appendix"]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    out = (escaped.parent / "appendix").read_text(encoding="utf-8")
    _clean(out)
    assert "visible.example/report" in out


def test_notes_of_the_escaped_report(escaped: Path) -> None:
    from citecheck.readers import load_document

    notes = {n.label: n for n in load_document(escaped).notes}
    assert notes["1"].urls == ("http://visible.example/report",)
    assert "the report" in notes["1"].text and "\x1b" not in notes["1"].text
    assert notes["2"].urls == (
        "http://[2001:db8::1]/paper",
        "http://[::1]:8080/x",
        "http://\u2603.net/",
        "http://%31%32%37.0.0.1/",
        "http://\uff57\uff57\uff57.example.com/a",
    )


def test_ipv6_urls_are_found() -> None:
    text = "See http://[2001:db8::1]/, (http://[::1]:8080/x) and <http://[fe80::1%25eth0]/a>."
    assert [u for _, u in find_urls(text)] == [
        "http://[2001:db8::1]/",
        "http://[::1]:8080/x",
        "http://[fe80::1%25eth0]/a",
    ]
    assert normalize("HTTP://[2001:DB8::1]:80/a#x") == "http://[2001:db8::1]/a"


def test_host_problems() -> None:
    assert url_problem("http://\u2603.net/") == (
        "the host name is not a valid international domain name"
    )
    assert url_problem("http://%31%32%37.0.0.1/") == "the host name is percent-encoded"
    assert url_problem("http://\uff57\uff57\uff57.example.com/a") is None  # UTS-46 maps it
    assert url_problem("http://b\u00fccher.example/") is None


async def _escape_title(conn: Conn) -> None:
    await conn.respond(
        200,
        b"<html><head><title>\x1b]8;;http://evil.example/\x07Annual\x1b]8;;\x07 "
        b"\x1b[2Jreport\x07</title></head><body><p>" + b"Text. " * 200 + b"</p></body></html>",
    )


def test_ipv6_fullwidth_and_escaped_pages_are_checked(
    hostile_web: RawWeb, hostile_tls: ssl.SSLContext
) -> None:
    ROUTES["/escape-title"] = _escape_title
    v6 = hostile_web.url(V6, "/ok")
    port = hostile_web.ports[HOST]
    fullwidth = f"http://\uff11\uff12\uff17.\uff10.\uff10.\uff12\uff10:{port}/ok"  # 127.0.0.20
    escaped = hostile_web.url(HOST, "/escape-title")
    snowman = "http://\u2603.net/"
    run = matrix.check([v6, fullwidth, escaped, snowman], hostile_tls)
    ipv6 = run.results[normalize(v6)]
    assert ipv6.status is S.ALIVE and ipv6.https_works is False  # probed https://[::1]/
    assert run.results[normalize(fullwidth)].status is S.ALIVE
    title = run.results[normalize(escaped)].title
    assert title == "Annual report"
    assert run.results[snowman].status is S.SKIPPED


def test_odd_hosts_are_malformed_url_findings_not_dead(escaped: Path) -> None:
    import json

    cache = escaped.parent / "cache"
    argv = ["check", str(escaped), "--offline", "--cache-dir", str(cache), "-f", "json"]
    result = CliRunner().invoke(app, [*argv, "-o", "out.json"])
    assert result.exit_code == 1, result.output
    data = json.loads((escaped.parent / "out.json").read_text(encoding="utf-8"))
    malformed = {f["url"] for f in data["findings"] if f["rule"] == "malformed-url"}
    assert malformed == {"http://\u2603.net/", "http://%31%32%37.0.0.1/"}
    assert not any(f["rule"] == "dead-link" for f in data["findings"])
