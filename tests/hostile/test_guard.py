"""The address guard, every spelling: no request reaches a trap server, asked directly or
through a 301/302/307/308 redirect.

Loopback traps run here; traps on private, link-local and shared addresses run inside a
network namespace that has nothing but loopback (tests/hostile/guard_ns.py), skipped where
one cannot be made.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

from citecheck.models import LinkStatus as S
from citecheck.net.guard import AddressPolicy, embedded_ipv4, url_refusal
from tests.hostile import matrix
from tests.hostile.rawweb import Conn, RawWeb

TRAP, REDIRECTOR = "127.0.0.50", "127.0.0.51"


async def _caught(conn: Conn) -> None:
    await conn.respond(200, b"<html><title>Trap</title><p>You should not be here.</p></html>")


async def _bounce(conn: Conn) -> None:
    # /bounce/CODE?TARGET: redirect with CODE to TARGET
    code = int(conn.path.split("?", 1)[0].rsplit("/", 1)[-1])
    from urllib.parse import unquote

    target = unquote(conn.path.split("?", 1)[1])  # as sent: fullwidth digits and all
    await conn.respond(code, b"", [("Location", target)], reason="Moved")


@pytest.fixture(scope="module")
def traps() -> Iterator[RawWeb]:
    web = RawWeb([TRAP, "127.0.0.1", "::1", REDIRECTOR], {"/": _caught, "/bounce/": _bounce})
    yield web
    web.close()


def spellings(web: RawWeb) -> list[str]:
    """Every way to name a loopback trap (the port is the trap's on that address)."""
    p, p1, p6 = web.ports[TRAP], web.ports["127.0.0.1"], web.ports["::1"]
    return [
        f"http://{TRAP}:{p}/x",
        f"http://127.0.0.50.:{p}/x",  # trailing dot
        f"http://2130706482:{p}/x",  # decimal
        f"http://0x7f.0.0.0x32:{p}/x",  # hexadecimal
        f"http://0177.0.0.062:{p}/x",  # octal
        f"http://127.50:{p}/x",  # short form
        f"http://１２７.０.０.５０:{p}/x",  # fullwidth digits (UTS-46 maps them)
        f"http://[::ffff:127.0.0.50]:{p}/x",  # IPv4-mapped
        f"http://[::ffff:7f00:32]:{p}/x",  # IPv4-mapped, hex
        f"http://[::ffff:0:7f00:32]:{p}/x",  # IPv4-translated
        f"http://[::127.0.0.50]:{p}/x",  # IPv4-compatible
        f"http://[64:ff9b::7f00:32]:{p}/x",  # NAT64
        f"http://[64:ff9b:1::7f00:32]:{p}/x",  # NAT64 local-use
        f"http://[2002:7f00:32::1]:{p}/x",  # 6to4
        f"http://[2001:0:4136:e378:8000:63bf:80ff:ffcd]:{p}/x",  # Teredo (inverted)
        f"http://[::1]:{p6}/x",
        f"http://[0:0:0:0:0:0:0:1]:{p6}/x",
        f"http://localhost:{p1}/x",
        f"http://LOCALHOST.:{p1}/x",
        f"http://localhost..:{p1}/x",
        f"http://printer.localhost:{p1}/x",
        f"http://ip6-localhost:{p6}/x",
        f"http://ip6-loopback:{p6}/x",
    ]


def _trap_hits(web: RawWeb) -> int:
    return sum(web.connections[h] for h in (TRAP, "127.0.0.1", "::1"))


def test_the_trap_counts_when_allowed(traps: RawWeb) -> None:
    before = _trap_hits(traps)
    url = traps.url(TRAP, "/x")
    result = matrix.check([url], allow_networks=("127.0.0.0/8",)).results[url]
    assert result.http_status == 200  # (a soft-404: the trap answers every path alike)
    assert _trap_hits(traps) > before


@pytest.mark.parametrize("index", range(23))
def test_no_request_reaches_the_trap_directly(traps: RawWeb, index: int) -> None:
    url = spellings(traps)[index]
    before = _trap_hits(traps)
    (result,) = matrix.check([url], allow_networks=()).results.values()
    assert result.status is S.SKIPPED, (url, result.detail)
    assert "refused" in (result.detail or ""), (url, result.detail)
    assert _trap_hits(traps) == before, url


@pytest.mark.parametrize("code", [301, 302, 307, 308])
def test_no_request_reaches_the_trap_after_a_redirect(traps: RawWeb, code: int) -> None:
    before = _trap_hits(traps)
    bounces = [traps.url(REDIRECTOR, f"/bounce/{code}?{target}") for target in spellings(traps)]
    run = matrix.check(bounces, allow_networks=(f"{REDIRECTOR}/32",))
    for url in bounces:
        result = run.results[url]
        assert result.status is S.SKIPPED, (url, result.detail)
        assert result.redirects and result.redirects[0][0] == code, url
        assert "refused" in (result.detail or ""), (url, result.detail)
    assert traps.count(REDIRECTOR) >= len(bounces)
    assert _trap_hits(traps) == before


def test_embedded_addresses_and_names_are_classified() -> None:
    import ipaddress

    policy = AddressPolicy()
    assert str(embedded_ipv4(ipaddress.IPv6Address("2002:c0a8:101::1"))) == "192.168.1.1"
    teredo = ipaddress.IPv6Address("2001:0:4136:e378:8000:63bf:3fff:fdd2")  # RFC 4380 §4
    assert str(embedded_ipv4(teredo)) == "192.0.2.45"
    assert embedded_ipv4(ipaddress.IPv6Address("2001:db8::1")) is None
    # public addresses stay allowed in every spelling
    for url in (
        "http://[::ffff:8.8.8.8]/",
        "http://[64:ff9b::808:808]/",
        "http://[2002:808:808::1]/",
        "http://[2606:4700::1111]/",
        "http://localhost.example.org/",
        "http://mylocalhost/",
    ):
        assert url_refusal(url, policy) is None, url
    # a network allowed by CIDR allows its embedded spellings too
    allowed = AddressPolicy.from_settings(False, ("10.0.0.0/8",))
    assert url_refusal("http://[::ffff:10.1.2.3]/", allowed) is None
    assert url_refusal("http://[::ffff:10.1.2.3]/", policy) is not None


def _namespace_ready() -> str | None:
    if sys.platform != "linux" or shutil.which("unshare") is None or shutil.which("ip") is None:
        return "needs Linux with unshare and ip"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10, check=False)
    return None if probe.returncode == 0 else "cannot make a network namespace here"


@pytest.mark.skipif(_namespace_ready() is not None, reason=str(_namespace_ready()))
def test_private_targets_inside_a_network_namespace() -> None:
    """Traps on 10.0.0.1, 192.168.7.7, 169.254.169.254 and 100.64.0.1 (added to the
    namespace's loopback): no spelling of them is asked, directly or after a redirect."""
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "tests.hostile.guard_ns"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    if done.returncode == 77:
        pytest.skip(done.stdout.strip() or "namespace without addresses")
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["control_hits"] > 0  # with --allow-private the trap is reached
    assert len(report["forms"]) >= 40
    for form in report["forms"]:
        assert form["status"] == "skipped" and "refused" in form["detail"], form
    assert report["trap_hits"] == 0
