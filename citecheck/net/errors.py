"""Why a connection was not even attempted or its name not resolved (causes that
`checkers.fetch.classify_error` finds in an httpx exception's cause chain)."""

from __future__ import annotations


class AddressRefused(ConnectionError):
    """The guard refused every address of the host (reason in the message)."""


class NameNotFound(ConnectionError):
    """DNS says the name does not exist (EAI_NONAME), as opposed to a lookup failure."""


class LookupFailed(ConnectionError):
    """DNS lookup failed for another reason (no resolver, temporary failure)."""


class ProxyRefused(ConnectionError):
    """The proxy would not open a tunnel to the host (its status line in the message)."""


class ProxyUnreachable(ConnectionError):
    """The proxy itself could not be reached (whatever the target would have said)."""
