"""Finding URLs in text and normalising them (no network here)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

# A URL in angle brackets, or a bare http(s)/www URL; trailing punctuation is trimmed after.
# A bare URL may start with an IPv6 literal in brackets (the only place brackets belong).
_URL_RE = re.compile(
    r"<((?:https?://|www\.)[^\s<>]+)>"
    r"|(https?://(?:[^\s<>\"'\[\]{}/@]*@)?\[[0-9A-Fa-f:.]+(?:%25[\w.~-]+)?\]"
    r"(?::[0-9]*)?(?:[/?#][^\s<>\"'\[\]{}]*)?"
    r"|(?:https?://|\bwww\.)[^\s<>\"'\[\]{}]+)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"’”"


def find_urls(text: str) -> list[tuple[int, str]]:
    """Every http(s) URL in `text` as (offset, url), in order; `www.` URLs get `http://`."""
    lower = text.lower()
    if "http" not in lower and "www." not in lower:  # most text; the regex is slower to say so
        return []
    out = []
    for m in _URL_RE.finditer(text):
        raw = m.group(1) or m.group(2)
        if m.group(2):
            raw = _trim(raw)
        if raw.lower().startswith("www."):
            raw = "http://" + raw
        out.append((m.start(), raw))
    return out


def _trim(url: str) -> str:
    """Drop trailing sentence punctuation, and a closing parenthesis the URL did not open."""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        if url[-1] == "]" and url.count("[") >= url.count("]"):
            break  # the bracket closing an IPv6 host
        url = url[:-1]
    return url


@lru_cache(
    maxsize=1 << 15
)  # a run asks for the same URL's key many times (checker, rules, reporters)
def normalize(url: str) -> str:
    """The key a URL is checked and cached under: lower-case scheme and host, no default
    port, no fragment, "/" for an empty path. A malformed URL (see `url_problem`) is its
    own key, stripped."""
    simple = _SIMPLE_URL.fullmatch(url)
    if simple:
        return _normalize_simple(*simple.groups())
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6: urlsplit dropped the brackets the URL needs
        host = f"[{host}]"
    netloc = host
    if parts.username:
        netloc = f"{parts.username}@{host}"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc += f":{port}"
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


# Most cited URLs: http(s), a plain host name or IPv4 address, a port of at most 4 digits
# (always valid), no whitespace (urlsplit deletes tabs and newlines). For these the regex
# split gives what urlsplit gives, several times faster (a run normalises every URL).
_SIMPLE_URL = re.compile(r"(?i:(https?))://([A-Za-z0-9.-]+)(?::([0-9]{1,4}))?([/?#]\S*)?")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _normalize_simple(scheme: str, host: str, port: str | None, tail: str | None) -> str:
    scheme, netloc = scheme.lower(), host.lower()
    if port and int(port) and int(port) != _DEFAULT_PORTS[scheme]:
        netloc += f":{int(port)}"
    path, _, query = (tail or "").partition("#")[0].partition("?")
    return f"{scheme}://{netloc}{path or '/'}" + (f"?{query}" if query else "")


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):/")


def mistyped_scheme(url: str) -> str | None:
    """The scheme of `url` when it is a typing slip of http or https ("hhttps://", "htps://",
    "htttp://"), else None: such a link target means a web page and goes nowhere."""
    m = _SCHEME.match(url.strip())
    if m is None:
        return None
    scheme = m.group(1).lower()
    if scheme in ("http", "https") or not 3 <= len(scheme) <= 7:
        return None
    if not scheme.startswith(("h", "t")):
        return None
    return scheme if min(_edits(scheme, "http"), _edits(scheme, "https")) == 1 else None


def _edits(a: str, b: str) -> int:
    """Levenshtein distance of two short strings."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def is_web_target(url: str) -> bool:
    """Whether a link target is meant as a web address: http(s), or http(s) mistyped (kept
    so that `malformed-url` can report it)."""
    return url.lower().startswith(("http://", "https://")) or mistyped_scheme(url) is not None


@lru_cache(maxsize=1 << 15)  # asked for every URL by the checker, the rules and the reporters
def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched as written (a port out of range, an unclosed IPv6
    bracket, no host, a mistyped http scheme), or None. Only web URLs are judged."""
    if _SIMPLE_URL.fullmatch(url):
        return None
    typo = mistyped_scheme(url)
    if typo is not None:
        return f"the scheme {typo!r} is not http or https: a typing slip?"
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # urlsplit's only complaint
        return "the [ of an IPv6 address is not closed"
    try:
        _ = parts.port  # raises ValueError for a bad port
    except ValueError:
        return f"port {parts.netloc.rpartition(':')[2]!r} is not a number from 0 to 65535"
    if parts.scheme.lower() in ("http", "https"):
        if not parts.hostname:
            return "no host name"
        return host_problem(parts.hostname)
    return None


def host_problem(host: str) -> str | None:
    """Why a host name cannot be looked up as written (percent-encoded, or not a valid
    international domain name even after UTS-46 mapping), or None."""
    if ":" in host:  # an IPv6 literal: urlsplit checked it
        return None
    if "%" in host:
        return "the host name is percent-encoded"
    if host.isascii():
        return None
    return None if ascii_host(host) else "the host name is not a valid international domain name"


@lru_cache(maxsize=4096)
def ascii_host(host: str) -> str | None:
    """The ASCII (IDNA) form of a host name after UTS-46 mapping (fullwidth letters, case),
    as browsers look it up; None when it has none (e.g. symbols such as a snowman)."""
    if host.isascii():
        return host
    import idna

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def ascii_url(url: str) -> str:
    """`url` with its host in ASCII (IDNA) form, as requests need it; unchanged when the
    host is ASCII already or has no such form (the request then fails as a bad URL)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.isascii():
        return url
    encoded = ascii_host(host)
    if encoded is None:
        return url
    userinfo, at, _ = parts.netloc.rpartition("@")
    port = f":{parts.port}" if parts.port is not None else ""
    return urlunsplit(
        (parts.scheme, f"{userinfo}{at}{encoded}{port}", parts.path, parts.query, parts.fragment)
    )


def is_homepage(url: str) -> bool:
    """True when the URL names a site root (no path beyond "/", no query)."""
    if url_problem(url):
        return False
    # The normalised form is scheme://netloc/path?query: a root is "/" after the netloc.
    rest = normalize(url).partition("://")[2]
    slash = rest.find("/")
    return slash >= 0 and rest[slash:] == "/"


def is_insecure(url: str) -> bool:
    return url.lower().startswith("http://")
