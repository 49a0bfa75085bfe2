"""TLS failures of every kind, one loopback host each (certificates from trustme)."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
import tempfile

import trustme

from citecheck.models import LinkStatus as S
from tests.hostile.rawweb import RawHandler

GOOD, EXPIRED, NOT_YET, WRONG_HOST = "127.0.0.30", "127.0.0.31", "127.0.0.32", "127.0.0.33"
SELF_SIGNED, UNTRUSTED = "127.0.0.34", "127.0.0.35"
HANDSHAKE_RESET, HANDSHAKE_HANG, PLAIN_HTTP, GARBAGE = (
    "127.0.0.36",
    "127.0.0.37",
    "127.0.0.38",
    "127.0.0.39",
)
_PAST = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
_FUTURE = dt.datetime(2090, 1, 1, tzinfo=dt.UTC)


def _server(cert: trustme.LeafCert) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    return context


def _self_signed(host: str) -> ssl.SSLContext:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), False
        )
        .sign(key, hashes.SHA256())
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    with tempfile.NamedTemporaryFile("wb", suffix=".pem") as fh:
        fh.write(cert.public_bytes(serialization.Encoding.PEM))
        fh.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        fh.flush()
        context.load_cert_chain(fh.name)
    return context


async def _reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    import socket
    import struct

    await reader.read(1)  # the ClientHello has begun
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(30)


async def _plain(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read(1)
    writer.write(bytes(range(256)) * 8)
    await writer.drain()


def servers(ca: trustme.CA) -> tuple[dict[str, ssl.SSLContext], dict[str, RawHandler]]:
    other = trustme.CA()
    raw: dict[str, RawHandler]
    contexts = {
        GOOD: _server(ca.issue_cert(GOOD)),
        EXPIRED: _server(
            ca.issue_cert(EXPIRED, not_before=_PAST, not_after=_PAST + dt.timedelta(days=30))
        ),
        NOT_YET: _server(
            ca.issue_cert(NOT_YET, not_before=_FUTURE, not_after=_FUTURE + dt.timedelta(days=30))
        ),
        WRONG_HOST: _server(ca.issue_cert("www.example.org")),
        SELF_SIGNED: _self_signed(SELF_SIGNED),
        UNTRUSTED: _server(other.issue_cert(UNTRUSTED)),
    }
    raw = {HANDSHAKE_RESET: _reset, HANDSHAKE_HANG: _hang, PLAIN_HTTP: _plain, GARBAGE: _garbage}
    return contexts, raw


def _cases() -> list:
    from tests.hostile.behaviours import Case

    T = S.TLS_ERROR
    return [
        Case("TLS: good certificate", "/ok", S.ALIVE, host=GOOD, tls=True),
        Case("TLS: expired certificate", "/ok", T, "expired", host=EXPIRED, tls=True),
        Case("TLS: not yet valid", "/ok", T, "not yet valid", host=NOT_YET, tls=True),
        Case("TLS: wrong host name", "/ok", T, "mismatch", host=WRONG_HOST, tls=True),
        Case("TLS: self-signed", "/ok", T, "self-signed", host=SELF_SIGNED, tls=True),
        Case("TLS: untrusted CA", "/ok", T, "issuer", host=UNTRUSTED, tls=True),
        Case(
            "TLS: handshake reset", "/ok", S.UNREACHABLE, host=HANDSHAKE_RESET, tls=True, budget=3.0
        ),
        Case(
            "TLS: handshake hangs",
            "/ok",
            S.UNREACHABLE,
            "timeout",
            host=HANDSHAKE_HANG,
            tls=True,
            budget=3.0,
        ),
        Case("TLS: plain HTTP on the TLS port", "/ok", T, host=PLAIN_HTTP, tls=True),
        Case("TLS: garbage instead of a handshake", "/ok", T, host=GARBAGE, tls=True),
    ]


CASES = _cases()
