"""The link checker through a real forward proxy named by HTTP_PROXY / HTTPS_PROXY."""

from __future__ import annotations

import base64
import ssl

import pytest

from citecheck.checkers import check_links
from citecheck.errors import InputError
from citecheck.models import LinkStatus as S
from citecheck.net.client import make_transport
from citecheck.settings import Settings
from tests.conftest import TLS_GOOD
from tests.proxy import ForwardProxy

H, OTHER = "127.0.0.2", "127.0.0.3"
# The proxy (127.0.0.9) is in none of these: the guard judges targets, not the proxy.
ALLOWED = (f"{H}/32", f"{TLS_GOOD}/32")


@pytest.fixture
def proxy(monkeypatch):
    for name in (
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "REQUEST_METHOD",
    ):
        monkeypatch.delenv(name, raising=False)
    server = ForwardProxy(require=_basic("ann", "s3cret:x"), deny=("127.0.0.5",))
    monkeypatch.setenv("HTTP_PROXY", f"http://ann:s3cret%3Ax@{server.host}:{server.port}")
    monkeypatch.setenv("https_proxy", f"ann:s3cret%3Ax@{server.host}:{server.port}")
    yield server
    server.close()


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def run(urls, client_tls):
    s = Settings(timeout=2.0, retries=0, per_host=4, canaries=(), allow_networks=ALLOWED)
    return check_links(urls, s, transport=make_transport(s, verify=client_tls)).results


def test_http_and_https_links_go_through_the_proxy(proxy, local_web, client_tls):
    plain, secure = local_web.url(H, "/ok"), local_web.url(TLS_GOOD, "/page", tls=True)
    before = local_web.requests[(H, "/ok")]
    results = run([plain, secure], client_tls)
    assert results[plain].status is S.ALIVE and results[secure].status is S.ALIVE
    tls_port = local_web.tls_ports[TLS_GOOD]
    assert ("GET", plain, _basic("ann", "s3cret:x")) in proxy.seen  # absolute form, credentials
    assert ("CONNECT", f"{TLS_GOOD}:{tls_port}", _basic("ann", "s3cret:x")) in proxy.seen
    assert local_web.requests[(H, "/ok")] == before + 1  # and the origin answered it


def test_no_proxy_hosts_are_fetched_directly(proxy, local_web, client_tls, monkeypatch):
    monkeypatch.setenv("NO_PROXY", f"localhost,{H}")
    url = local_web.url(H, "/ok")
    assert run([url], client_tls)[url].status is S.ALIVE
    assert proxy.seen == []


def test_guard_refuses_a_target_before_asking_the_proxy(proxy, local_web, client_tls):
    url = local_web.url(OTHER, "/ok")  # loopback, not allowed
    result = run([url], client_tls)[url]
    assert result.status is S.SKIPPED and "loopback" in result.detail
    assert proxy.seen == []


def test_a_refused_tunnel_is_unreachable_not_dead(proxy, local_web, client_tls):
    url = f"https://127.0.0.5:{local_web.tls_ports.get('127.0.0.5', 443)}/page"
    s = Settings(timeout=2.0, retries=0, canaries=(), allow_networks=("127.0.0.0/8",))
    result = check_links([url], s, transport=make_transport(s, verify=client_tls)).results[url]
    assert result.status is S.UNREACHABLE
    assert "refused CONNECT" in result.detail and "403" in result.detail


def test_wrong_credentials_are_unreachable_not_dead(proxy, local_web, client_tls, monkeypatch):
    wrong = f"http://ann:wrong@{proxy.host}:{proxy.port}"
    monkeypatch.setenv("HTTP_PROXY", wrong)
    monkeypatch.setenv("https_proxy", wrong)
    plain, secure = local_web.url(H, "/ok"), local_web.url(TLS_GOOD, "/page", tls=True)
    results = run([plain, secure], client_tls)
    assert results[plain].status is S.UNREACHABLE and results[plain].http_status == 407
    assert results[secure].status is S.UNREACHABLE
    assert "407 Proxy Authentication Required" in results[secure].detail


def test_a_proxy_that_is_down_means_network_unavailable(local_web, client_tls, monkeypatch):
    from tests.webserver import free_port

    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.9:{free_port('127.0.0.9')}")
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.9:{free_port('127.0.0.9')}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    s = Settings(
        timeout=2.0,
        retries=0,
        canaries=(local_web.url(TLS_GOOD, "/page", tls=True),),
        allow_networks=ALLOWED,
    )
    url = local_web.url(H, "/ok")
    checked = check_links([url], s, transport=make_transport(s, verify=client_tls))
    assert checked.network_unavailable
    assert checked.results[url].status is S.UNCHECKED
    # Without canaries to tell: unreachable (the proxy's fault), never dead.
    s = Settings(timeout=2.0, retries=0, canaries=(), allow_networks=ALLOWED)
    result = check_links([url], s, transport=make_transport(s, verify=client_tls)).results[url]
    assert result.status is S.UNREACHABLE and "proxy 127.0.0.9" in result.detail


@pytest.mark.parametrize(
    "value", ["ftp://127.0.0.9:21", "gopher://proxy.example:70", "http://proxy.example:port"]
)
def test_an_unusable_proxy_setting_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("HTTPS_PROXY", value)
    with pytest.raises(InputError, match="HTTPS_PROXY="):
        make_transport(Settings())


@pytest.fixture
def clean_proxy_env(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "REQUEST_METHOD"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def test_socks5_proxy_from_all_proxy(clean_proxy_env, local_web, client_tls):
    from tests.socks import Socks5Proxy

    socks = Socks5Proxy()
    try:
        clean_proxy_env.setenv("ALL_PROXY", f"socks5://{socks.host}:{socks.port}")
        plain, secure = local_web.url(H, "/ok"), local_web.url(TLS_GOOD, "/page", tls=True)
        refused = local_web.url(OTHER, "/ok")  # loopback, not allowed: never sent to the proxy
        results = run([plain, secure, refused], client_tls)
    finally:
        socks.close()
    assert results[plain].status is S.ALIVE and results[secure].status is S.ALIVE
    assert results[refused].status is S.SKIPPED and "loopback" in results[refused].detail
    assert (H, local_web.ports[H]) in socks.seen
    assert (TLS_GOOD, local_web.tls_ports[TLS_GOOD]) in socks.seen
    assert all(host != OTHER for host, _ in socks.seen)


def test_a_socks_proxy_that_is_down_is_unreachable_not_dead(clean_proxy_env, local_web, client_tls):
    from tests.webserver import free_port

    clean_proxy_env.setenv("ALL_PROXY", f"socks5://127.0.0.9:{free_port('127.0.0.9')}")
    url = local_web.url(H, "/ok")
    result = run([url], client_tls)[url]
    assert result.status is S.UNREACHABLE and "proxy 127.0.0.9" in result.detail


def test_https_proxy_is_spoken_to_over_tls(clean_proxy_env, local_web, client_tls, ca):
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.9").configure_cert(server_tls)
    server = ForwardProxy(tls=server_tls)
    try:
        clean_proxy_env.setenv("HTTPS_PROXY", f"https://{server.host}:{server.port}")
        secure = local_web.url(TLS_GOOD, "/page", tls=True)
        result = run([secure], client_tls)[secure]
    finally:
        server.close()
    assert result.status is S.ALIVE
    assert ("CONNECT", f"{TLS_GOOD}:{local_web.tls_ports[TLS_GOOD]}", None) in server.seen
