"""Shared fixtures: the local web (tests/webserver.py) with TLS from trustme."""

from __future__ import annotations

import os
import ssl

import pytest

from tests.webserver import LocalWeb, free_port

# Tests talk to loopback servers only: a proxy set for the machine (CI runners often have
# one) must not carry them off. tests/test_proxy.py sets its own.
for _name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
    os.environ.pop(_name, None)

HTTP_HOSTS = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.10", "127.0.0.11", "127.0.0.12"]
TLS_GOOD, TLS_WRONG_NAME, TLS_UNTRUSTED = "127.0.0.4", "127.0.0.5", "127.0.0.6"
REFUSED_HOST = "127.0.0.8"


def hermetic_resolver():
    """Name answers without DNS (tests never ask a real resolver): `localhost` as
    /etc/hosts has it; every other name does not exist."""
    from citecheck.net.resolve import StaticResolver

    return StaticResolver({"localhost": ["127.0.0.1"]})


@pytest.fixture(scope="session")
def ca():
    import trustme

    return trustme.CA()


@pytest.fixture(scope="session")
def client_tls(ca) -> ssl.SSLContext:
    """The client-side SSL context trusting the test CA (pass as `verify=`)."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ca.configure_trust(context)
    return context


def _server_context(cert) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    return context


@pytest.fixture(scope="session")
def local_web(ca):
    """Servers on several loopback hosts; stopped at the end of the session."""
    import trustme

    other_ca = trustme.CA()
    tls = {
        TLS_GOOD: _server_context(ca.issue_cert(TLS_GOOD)),
        TLS_WRONG_NAME: _server_context(ca.issue_cert("wrong.example")),
        TLS_UNTRUSTED: _server_context(other_ca.issue_cert(TLS_UNTRUSTED)),
    }
    web = LocalWeb([*HTTP_HOSTS, TLS_GOOD], tls=tls)
    web.refused_port = free_port(REFUSED_HOST)
    yield web
    web.close()


@pytest.fixture(autouse=True)
def _json_output_matches_the_schema(monkeypatch):
    """Every JSON result rendered in a test is validated against the published schema."""
    from citecheck.reporters import json as json_reporter
    from tests.json_schema import loads

    original = json_reporter.render

    def render(report):
        text = original(report)
        loads(text)
        return text

    monkeypatch.setattr(json_reporter, "render", render)
