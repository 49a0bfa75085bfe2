"""The hostile web fixture: raw servers on 127.0.0.20-39 and ::1, stopped at the end."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest
import trustme

from tests.hostile import matrix
from tests.hostile.rawweb import RawWeb


@pytest.fixture(scope="session")
def hostile_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def hostile_tls(hostile_ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    hostile_ca.configure_trust(context)
    return context


@pytest.fixture(scope="session")
def hostile_web(hostile_ca: trustme.CA) -> Iterator[RawWeb]:
    web = matrix.start(hostile_ca)
    yield web
    web.close()
