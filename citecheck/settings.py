"""One frozen Settings object: CLI flags over the manifest's `settings:` over defaults."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_HEDGES = (
    "cannot be verified",
    "could not be verified",
    "can not be verified",
    "not been verified",
    "unverified",
    "unconfirmed",
    "not been confirmed",
    "could not be confirmed",
    "cannot be confirmed",
    "impossible to confirm",
    "speculates",
    "speculated",
    "speculative",
    "allegedly",
    "reportedly",
    "unsubstantiated",
)

DEFAULT_CANARIES = ("https://www.iana.org/", "https://one.one.one.one/")


@dataclass(frozen=True)
class Settings:
    """All options of `citecheck check` (DESIGN §2); names match the CLI with `_`."""

    format: str | None = None  # None: table on a terminal, else table too (CLI decides)
    output: Path | None = None
    fail_on: str = "error"
    as_of: dt.date | None = None
    offline: bool = False
    no_archive: bool = False
    no_cache: bool = False
    cache_dir: Path | None = None
    timeout: float = 20.0
    max_concurrency: int = 64
    per_host: int = 4
    retries: int = 2
    archives: tuple[tuple[str, str], ...] = ()  # (name, timegate prefix); () = defaults
    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()
    user_agent: str | None = None
    hedges: tuple[str, ...] = DEFAULT_HEDGES
    extra_hedges: tuple[str, ...] = ()
    rules: dict[str, str] = field(default_factory=dict, hash=False)  # rule -> severity
    canaries: tuple[str, ...] = DEFAULT_CANARIES
    drift_threshold: float = 0.5  # live page vs capture similarity below this: content-drift
    exclude: tuple[str, ...] = ()  # regexes: URLs not to check (reported as skipped)
    include: tuple[str, ...] = ()  # regexes: checked even when excluded (as lychee has it)
    sarif_root: Path | None = None  # SARIF artifact paths are relative to this
    no_identifiers: bool = False  # no DOI/Crossref lookups (offline checks still run)
    doi_api: str = "https://doi.org/api/handles"
    crossref_api: str = "https://api.crossref.org"
    datacite_api: str = "https://api.datacite.org"
    contact_email: str | None = None  # sent to Crossref as `mailto:` (its polite pool)

    @property
    def all_hedges(self) -> tuple[str, ...]:
        return self.hedges + self.extra_hedges


FIELDS = {f.name: f for f in dataclasses.fields(Settings)}


class SettingsError(ValueError):
    """A bad value in `settings:` or on the command line."""


def merge(base: Settings, overrides: dict) -> Settings:
    """`base` with the given fields replaced; unknown names raise SettingsError."""
    clean = {}
    for key, value in overrides.items():
        name = key.replace("-", "_")
        if name not in FIELDS:
            raise SettingsError("unknown setting; see the options of `citecheck check --help`")
        clean[name] = _coerce(name, value)
    return dataclasses.replace(base, **clean)


def _coerce(name: str, value: Any) -> Any:  # value: as a user wrote it (CLI, YAML)
    if value is None:
        return None
    if name in ("output", "cache_dir", "sarif_root"):
        return Path(value)
    if name in LIMITS:
        return _limited(value, *LIMITS[name])
    if name in ("hedges", "extra_hedges", "allow_networks", "canaries", "exclude", "include"):
        if isinstance(value, str):
            value = [value]
        items = tuple(str(v) for v in value)
        for item in items:
            _check_item(name, item)
        return items
    if name == "archives":
        if isinstance(value, Mapping):  # references.yaml: name -> prefix or {timegate, cdx...}
            return tuple((str(k), _frozen(v)) for k, v in value.items())
        return tuple(_split_pair(v) for v in value)
    if name == "rules":
        return {str(k): str(v) for k, v in dict(value).items()}
    if name == "as_of":
        return parse_date(value)
    if name in ("doi_api", "crossref_api", "datacite_api"):
        return _service_url(name, value)
    if name == "contact_email" and "@" not in str(value):
        raise SettingsError(f"contact_email must be an e-mail address, not {value!r}")
    if name == "fail_on" and str(value) not in _FAIL_ON:
        raise SettingsError(f"fail_on must be error, warning, note or never, not {value!r}")
    return value


_FAIL_ON = ("error", "warning", "note", "never")  # Severity values (settings stays import-light)

# name: (type, least, most, what it is); a 0 timeout or concurrency would stall every check
LIMITS = {
    "timeout": (float, 0.1, 3600.0, "seconds"),
    "drift_threshold": (float, 0.0, 1.0, "a similarity"),
    "max_concurrency": (int, 1, None, "requests at once"),
    "per_host": (int, 1, None, "requests at once to one host"),
    "retries": (int, 0, None, "retries"),
}


def _limited(
    value: Any, kind: type[int] | type[float], least: float, most: float | None, what: str
) -> int | float:
    """`value` as `kind`, within [least, most]; SettingsError saying the range otherwise."""
    span = f"at least {least:g}" if most is None else f"from {least:g} to {most:g}"
    wrong = SettingsError(
        f"must be {'a whole number ' if kind is int else ''}{span} ({what}), not {value!r}"
    )
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise wrong from None
    if (
        isinstance(value, bool)
        or number != number  # NaN
        or (kind is int and not number.is_integer())
        or number < least
        or (most is not None and number > most)
    ):
        raise wrong
    return kind(number)


def _check_item(name: str, item: str) -> None:
    if name == "allow_networks":
        import ipaddress

        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise SettingsError(
                f"{item!r} is not a network; write an address or a CIDR "
                "block such as 10.0.0.0/8 or fd00::/8"
            ) from None
    elif name in ("exclude", "include"):
        import re

        try:
            re.compile(item)
        except re.error as exc:
            raise SettingsError(f"{item!r} is not a regular expression ({exc})") from None
    elif name == "canaries":
        from citecheck.urls import url_problem

        if not item.startswith(("http://", "https://")) or url_problem(item):
            raise SettingsError(f"canary {item!r} is not an http(s) URL")


def _service_url(name: str, value: object) -> str:
    from citecheck.urls import url_problem

    text = str(value)
    if not text.startswith(("http://", "https://")) or url_problem(text):
        raise SettingsError(f"{name} must be an http(s) URL, not {text!r}")
    return text


def _frozen(value: object) -> tuple[tuple[str, Any], ...] | str:
    """An archive's settings as sorted (key, value) pairs (Settings stays hashable)."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), v) for k, v in value.items()))
    return str(value)


def _split_pair(value: object) -> tuple[str, str]:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return (str(value[0]), str(value[1]))
    text = str(value)
    if "=" not in text:
        raise SettingsError(f"expected NAME=VALUE, got {text!r}")
    name, _, rest = text.partition("=")
    return (name.strip(), rest.strip())


def parse_date(value: object) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD (or a date) as a date; partial dates take the first day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    parts = text.split("-")
    try:
        nums = [int(p) for p in parts]
        if not 1 <= len(nums) <= 3 or len(parts[0]) != 4:
            raise ValueError
        return dt.date(nums[0], *(nums[1:] + [1] * (3 - len(nums))))
    except ValueError:
        raise SettingsError(f"expected a date YYYY[-MM[-DD]], got {text!r}") from None
