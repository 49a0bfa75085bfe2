"""references.yaml, version 1 (DESIGN §4): load and validate it, build a Document from it.

Writing (`update_manifest`, `set_fields`) lives in write.py; both are re-exported by the package.
Every problem with the file is an InputError naming the file and the line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citecheck.errors import InputError

if TYPE_CHECKING:
    from ruamel.yaml import YAML

    from citecheck.models import Document

Node = Mapping[Any, Any]  # a YAML mapping: a round-trip CommentedMap or a fast LinedDict

KNOWN_VERSION = 1
EXTRACTED = ("label", "kind", "line", "markers", "text", "urls", "identifiers")
EDITORIAL = (
    "accessed",
    "replace_url",
    "accept",
    "accept_until",
    "reason",
    "archived_url",
    "archived_at",
)
NOTE_KINDS = ("citation", "explanatory", "unpublished", "ibid")


@dataclass(frozen=True)
class Editorial:
    """Fields people write; `citecheck extract` never changes them."""

    accessed: dt.date | None = None
    replace_url: str | None = None
    accept: tuple[str, ...] = ()
    accept_until: dt.date | None = None
    reason: str | None = None
    archived_url: str | None = None
    archived_at: dt.datetime | dt.date | None = None


@dataclass(frozen=True)
class Entry:
    """One reference: the note as extracted, plus its editorial fields."""

    label: str
    kind: str | None
    line: int | None
    markers: tuple[int, ...]
    text: str
    urls: tuple[str, ...]
    removed: bool
    editorial: Editorial
    yaml_line: int  # 1-based line of the entry in the manifest, for messages


@dataclass(frozen=True)
class Manifest:
    """A loaded references.yaml; `source` is resolved against the manifest's directory."""

    path: Path
    version: int
    source: Path | None
    source_text: str | None
    as_of: dt.date | None
    settings: dict[str, Any] = field(hash=False)
    entries: tuple[Entry, ...]


def load_manifest(path: Path) -> Manifest:
    """Read and validate a references.yaml."""
    from citecheck.manifest.yamlfast import fast_load

    path = Path(path)
    data = fast_load(_read_text(path))
    if data is not None:
        try:
            return validate(data, path)
        except InputError:
            pass  # the round-trip reading below says it, with the lines ruamel gives
    _, data, _ = read_yaml(path)
    return validate(data, path)


def is_manifest(path: Path) -> bool:
    """True for .yaml/.yml files and for files that open with `version:` or `references:`."""
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return looks_like_manifest(head)


def looks_like_manifest(head: str) -> bool:
    """Whether text opening with `head` is a references.yaml (`version:` or `references:`)."""
    for line in head.lstrip("\ufeff").splitlines():
        if not line.strip() or line.lstrip().startswith("#") or line.strip() == "---":
            continue
        return re.match(r"(version|references)\s*:", line) is not None
    return False


def read_yaml(path: Path) -> tuple[YAML, Any, str]:
    """(yaml instance, round-trip data, text) of `path`; InputError if unreadable or not YAML."""
    from ruamel.yaml.error import YAMLError

    from citecheck.manifest.yamlrt import make_yaml

    text = _read_text(path)
    yaml = make_yaml()
    try:
        data = yaml.load(text)
    except (YAMLError, ValueError, TypeError) as exc:  # constructors raise bare ValueErrors
        raise _yaml_error(exc, str(path)) from None
    return yaml, data, text


def _read_text(path: Path) -> str:
    text = _read_file(path)
    from citecheck.manifest.yamlfast import ALIAS_EXPANSION_CAP, alias_bomb

    line = alias_bomb(text)
    if line is not None:
        raise InputError(
            f"YAML aliases here expand to more than {ALIAS_EXPANSION_CAP:,} values; "
            "write the values out instead of repeating an anchor",
            str(path),
            line,
        )
    return text


def _read_file(path: Path) -> str:
    name = str(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            "no such file; create it with `citecheck extract REPORT -o FILE`", name
        ) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a references.yaml file", name) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; save the manifest as UTF-8", name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", name) from None


def _yaml_error(exc: Exception, name: str) -> InputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0]
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start and mark and start.line != mark.line:
        problem = f"{problem} ({context} started on line {start.line + 1})"
    return InputError(
        f"invalid YAML: {problem}; fix the syntax there", name, mark.line + 1 if mark else None
    )


def _line(node: object, key: object = None, value: bool = False) -> int | None:
    """1-based line of a round-trip node, of one of its keys, or of that key's value."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return lc.line + 1
        return (lc.value(key) if value else lc.key(key))[0] + 1
    except (KeyError, TypeError, IndexError, AttributeError):
        return lc.line + 1


def validate(data: Any, path: Path) -> Manifest:
    """The Manifest in round-trip `data`; InputError on the first problem found."""
    name = str(path)
    if data is None:
        raise InputError("empty manifest; expected `version: 1` and `references:`", name, 1)
    if not isinstance(data, dict):
        raise InputError(
            "not a references.yaml manifest: expected a mapping with "
            "`version: 1` and `references:`",
            name,
            _line(data) or 1,
        )
    _check_version(data, name)
    refs = data.get("references", ())
    if refs is None:
        refs = ()
    if not isinstance(refs, list):
        raise InputError(
            "`references` must be a list of entries (`- label: ...`)",
            name,
            _line(data, "references", value=True),
        )
    entries = tuple(_entry(refs, i, name) for i in range(len(refs)))
    source_text = _opt_str(data, "source", name)
    return Manifest(
        path=path,
        version=KNOWN_VERSION,
        source=path.parent / source_text if source_text else None,
        source_text=source_text,
        as_of=_date(data, "as_of", name),
        settings=_settings(data, name),
        entries=entries,
    )


def _check_version(data: Node, name: str) -> None:
    if "version" not in data:
        raise InputError(
            "missing `version: 1` at the top; add it (this citecheck reads version 1)",
            name,
            _line(data),
        )
    version = data["version"]
    if isinstance(version, bool) or version != KNOWN_VERSION:
        raise InputError(
            f"manifest version {version!r} found, but this citecheck reads "
            f"version {KNOWN_VERSION}; upgrade citecheck or fix `version`",
            name,
            _line(data, "version", value=True),
        )


def _entry(refs: Any, index: int, name: str) -> Entry:  # refs: a YAML list with `lc`
    node = refs[index]
    try:
        line = refs.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError):
        line = _line(refs)
    if not isinstance(node, dict):
        raise InputError(
            f"reference #{index + 1} is not a mapping; write it as `- label: ...`", name, line
        )
    label = node.get("label")
    if label is None or isinstance(label, (dict, list)) or not str(label).strip():
        raise InputError("entry without `label`; give every reference its note label", name, line)
    kind = _opt_str(node, "kind", name)
    if kind is not None and kind not in NOTE_KINDS:
        raise InputError(
            f"kind {kind!r} unknown; use one of {', '.join(NOTE_KINDS)}",
            name,
            _line(node, "kind", value=True),
        )
    return Entry(
        label=str(label),
        kind=kind,
        line=_opt_int(node, "line", name),
        markers=_int_list(node, "markers", name),
        text=_opt_str(node, "text", name) or "",
        urls=_str_list(node, "urls", name),
        removed=_bool(node, "removed", name),
        editorial=_editorial(node, name),
        yaml_line=line,
    )


def _editorial(node: Node, name: str) -> Editorial:
    return Editorial(
        accessed=_date(node, "accessed", name),
        replace_url=_opt_str(node, "replace_url", name),
        accept=_accept(node, name),
        accept_until=_date(node, "accept_until", name),
        reason=_opt_str(node, "reason", name),
        archived_url=_opt_str(node, "archived_url", name),
        archived_at=_datetime(node, "archived_at", name),
    )


def _bad(node: Node, key: str, name: str, what: str) -> InputError:
    return InputError(f"`{key}` {what}", name, _line(node, key, value=True))


def _opt_str(node: Node, key: str, name: str) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list, bool)):
        raise _bad(node, key, name, "must be text")
    return str(value)


def _opt_int(node: Node, key: str, name: str) -> int | None:
    value = node.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _bad(node, key, name, f"must be a line number (1 or more), not {value!r}")
    return int(value)


def _bool(node: Node, key: str, name: str) -> bool:
    value = node.get(key, False)
    if not isinstance(value, bool):
        raise _bad(node, key, name, f"must be true or false, not {value!r}")
    return value


def _list(node: Node, key: str, name: str, what: str) -> list[Any]:
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _bad(node, key, name, f"must be a list of {what}, e.g. [...]")
    return value


def _int_list(node: Node, key: str, name: str) -> tuple[int, ...]:
    items = _list(node, key, name, "line numbers")
    if any(isinstance(v, bool) or not isinstance(v, int) for v in items):
        raise _bad(node, key, name, "must be a list of line numbers")
    return tuple(int(v) for v in items)


def _str_list(node: Node, key: str, name: str) -> tuple[str, ...]:
    items = _list(node, key, name, "URLs")
    if any(isinstance(v, (dict, list)) for v in items):
        raise _bad(node, key, name, "must be a list of URLs")
    return tuple(str(v) for v in items)


def _accept(node: Node, name: str) -> tuple[str, ...]:
    from citecheck.findings import RULES

    if node.get("accept") in ("all", "*"):  # every finding of this note
        return ("*",)
    rules = _str_list(node, "accept", name) if "accept" in node else ()
    for rule in rules:
        if rule not in RULES and rule not in ("all", "*"):
            close = difflib.get_close_matches(rule, [str(r) for r in RULES], n=1)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "use rule names from the README, or '*' for all"
            )
            raise _bad(node, "accept", name, f"names unknown rule {rule!r}; {hint}")
    return rules


def _date(node: Node, key: str, name: str) -> dt.date | None:
    from citecheck.settings import SettingsError, parse_date

    value = node.get(key)
    if value is None:
        return None
    try:
        return parse_date(value)
    except SettingsError as exc:
        raise _bad(node, key, name, f"is not a date: {exc}") from None


def _datetime(node: Node, key: str, name: str) -> dt.datetime | dt.date | None:
    value = node.get(key)
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass  # maybe a partial date: YYYY or YYYY-MM
    if isinstance(value, dt.datetime):
        return value
    return _date(node, key, name)


def _settings(data: Node, name: str) -> dict[str, Any]:
    from citecheck.settings import Settings, SettingsError, merge

    value = data.get("settings")
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(
            "`settings` must be a mapping, e.g. {fail_on: error}",
            name,
            _line(data, "settings", value=True),
        )
    for key in value:
        try:
            merge(Settings(), {str(key): _plain(value[key])})
        except (SettingsError, TypeError, ValueError) as exc:
            raise InputError(f"settings: {key}: {exc}", name, _line(value, key)) from None
    return {str(k): _plain(v) for k, v in value.items()}


def _plain(value: Any) -> Any:
    """Round-trip containers and scalars as plain Python values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def document_from_manifest(manifest: Manifest) -> Document:
    """A Document from the entries alone (for when the report itself is absent).

    Notes and markers point at the source file's lines; an entry without `line` points at
    its place in the manifest. Removed entries are skipped.
    """
    from citecheck.models import Document, Location, Marker, Note, NoteKind

    file = str(manifest.source or manifest.path)
    notes, markers = [], []
    for entry in manifest.entries:
        if entry.removed:
            continue
        where = (
            Location(file, entry.line)
            if entry.line
            else Location(str(manifest.path), entry.yaml_line)
        )
        kind = NoteKind(entry.kind) if entry.kind else None
        notes.append(Note(entry.label, entry.text, where, entry.urls, kind))
        markers += [Marker(entry.label, Location(file, n)) for n in entry.markers]
    markers.sort(key=lambda m: m.location.line)
    return Document(source=file, format="manifest", notes=tuple(notes), markers=tuple(markers))
