"""Name resolution for every connection: the address guard at connect time, and the seam
through which tests (and a machine without DNS) supply their own answers.

`GuardedResolver` asks an inner aiohttp resolver (the system's by default, through
`getaddrinfo` in a thread; `StaticResolver` for hermetic tests) and keeps only the addresses
the `AddressPolicy` allows, so a DNS answer into private space is refused at connect time,
whatever the URL text said. The address checked is the address connected to.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Mapping
from typing import Any

from aiohttp.abc import AbstractResolver, ResolveResult

from citecheck.net.errors import AddressRefused, LookupFailed, NameNotFound
from citecheck.net.guard import AddressPolicy, literal_address

_NO_SUCH_NAME = frozenset({socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)})


def system_resolver() -> AbstractResolver:
    """The machine's resolver (getaddrinfo in a thread, as the standard library does)."""
    from aiohttp.resolver import ThreadedResolver

    return ThreadedResolver()


class GuardedResolver(AbstractResolver):
    """The addresses of a name that `policy` allows; AddressRefused when none is, NameNotFound
    or LookupFailed when DNS says so. Names in `trusted` (proxies, configured archives) are
    the user's own choice and are not guarded."""

    def __init__(
        self,
        policy: AddressPolicy,
        inner: AbstractResolver | None = None,
        trusted: Iterable[str] = (),
    ) -> None:
        self.policy = policy
        self.inner = inner if inner is not None else system_resolver()
        self.trusted = frozenset(name.lower().rstrip(".") for name in trusted)

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            answers = await self.inner.resolve(host, port, family)
        except socket.gaierror as exc:
            if exc.errno in _NO_SUCH_NAME:
                raise NameNotFound(f"DNS: no such name {host}") from exc
            raise LookupFailed(f"DNS lookup of {host} failed ({exc.strerror or exc})") from exc
        except UnicodeError as exc:  # a name the IDNA codec rejects
            raise NameNotFound(f"DNS: not a valid host name {host!r}") from exc
        if host.lower().rstrip(".") in self.trusted:
            return answers
        allowed, refusals = [], []
        for answer in answers:
            address = literal_address(answer["host"])
            reason = self.policy.refusal(address) if address is not None else "refused: no address"
            if reason:
                refusals.append(reason)
            else:
                allowed.append(answer)
        if not allowed:
            raise AddressRefused(refusals[0] if refusals else f"no address for {host}")
        return allowed

    async def close(self) -> None:
        await self.inner.close()


class StaticResolver(AbstractResolver):
    """Answers from a table (name -> addresses); every other name does not exist. For tests
    and benchmarks that must not touch DNS."""

    def __init__(self, table: Mapping[str, Iterable[str]] | None = None) -> None:
        self.table = {k.lower().rstrip("."): tuple(v) for k, v in (table or {}).items()}
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        addresses = self.table.get(host.lower().rstrip("."))
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [_result(host, address, port) for address in addresses]

    async def close(self) -> None:
        return None


def _result(host: str, address: str, port: int) -> ResolveResult:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    fields: dict[str, Any] = {
        "hostname": host,
        "host": address,
        "port": port,
        "family": family,
        "proto": 0,
        "flags": socket.AI_NUMERICHOST,
    }
    return ResolveResult(**fields)  # type: ignore[typeddict-item]
