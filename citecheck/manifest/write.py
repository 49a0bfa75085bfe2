"""Write references.yaml: merge extracted notes into it, set fields, never lose edits.

Only the extracted fields (label, kind, line, markers, text, urls, identifiers, removed) and
the top-level `source`/`as_of` are ever changed; everything else (editorial fields, unknown
fields, comments, key order, quoting) is left as it was. A file with no change is not rewritten.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citecheck.errors import InputError
from citecheck.fsutil import atomic_write_text
from citecheck.manifest import yamlrt
from citecheck.manifest.read import EXTRACTED, read_yaml, validate

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from citecheck.models import Note

HEADER = """\
# references.yaml: the notes of {source}, made by `citecheck extract`.
# Running `citecheck extract` again updates the extracted fields (label, kind, line,
# markers, text, urls, identifiers, removed) and keeps everything else: the editorial
# fields (accessed, replace_url, accept, accept_until, reason, archived_url, archived_at),
# any field you add, comments and ordering.
"""


@dataclass(frozen=True)
class ExtractSummary:
    """What `update_manifest` did; `removed` counts entries newly marked `removed: true`."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


def update_manifest(
    path: Path,
    notes: Sequence[Note],
    markers_by_label: Mapping[str, tuple[int, ...]],
    source: str | None,
    as_of: dt.date | None,
) -> ExtractSummary:
    """Create `path` from `notes`, or merge them into the manifest already there.

    Entries match notes by label and occurrence (the 2nd note "64" is the 2nd entry "64").
    New notes are inserted after the entry of the note before them (document order);
    entries whose note vanished get `removed: true`; `as_of=None` keeps the file's value.
    An empty file counts as missing. A merge that changes nothing does not write.
    """
    path = Path(path)
    if _is_blank(path):
        return _create(path, notes, markers_by_label, source, as_of)
    yaml, data, header = _open(path, source)
    top_changed = _set_top(data, source, as_of)
    summary = _merge(data["references"], notes, markers_by_label)
    if header or top_changed or summary.added or summary.updated or summary.removed:
        atomic_write_text(path, header + yamlrt.dump(yaml, data))
    return summary


def _create(
    path: Path,
    notes: Sequence[Note],
    markers_by_label: Mapping[str, tuple[int, ...]],
    source: str | None,
    as_of: dt.date | None,
) -> ExtractSummary:
    """A new manifest from the template (nothing to keep, so no round-trip dumper)."""
    from citecheck.manifest.template import new_manifest

    if not path.parent.is_dir():
        raise InputError(f"directory {path.parent} does not exist; create it first", str(path))
    entries = [_fields(note, markers_by_label) for note in notes]
    header = HEADER.format(source=source or "standard input")
    atomic_write_text(path, new_manifest(header, source, as_of, entries))
    return ExtractSummary(added=len(entries))


def _open(path: Path, source: str | None) -> tuple[YAML, CommentedMap, str]:
    """(yaml, data, header to prepend) for the manifest at `path`, validated or new."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if _is_blank(path):
        if not path.parent.is_dir():
            raise InputError(f"directory {path.parent} does not exist; create it first", str(path))
        yaml, data, header = (
            yamlrt.make_yaml(),
            CommentedMap(version=1),
            HEADER.format(source=source or "standard input"),
        )
    else:
        (yaml, data, _), header = read_yaml(path), ""
        validate(data, path)
    if data.get("references") is None:
        data["references"] = CommentedSeq()
    if not data["references"]:  # `references: []` would keep new entries inline
        data["references"].fa.set_block_style()
    return yaml, data, header


def _is_blank(path: Path) -> bool:
    """True if `path` is missing or holds only whitespace (then it is made afresh)."""
    try:
        return not path.read_bytes().strip()
    except FileNotFoundError:
        return True
    except OSError:
        return False  # a directory or unreadable: read_yaml says so


def set_fields(path: Path, changes: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
    """Set fields on entries by index (None removes the field); one atomic write."""
    path = Path(path)
    yaml, data, _ = read_yaml(path)
    validate(data, path)
    refs = data["references"]
    for index, fields in changes:
        node = refs[index]
        tail = yamlrt.take_trailing(node)
        for key, value in fields.items():
            if value is None:
                if key in node:
                    yamlrt.delete_key(node, key)
            else:
                node[key] = yamlrt.styled(node.get(key), value)
        yamlrt.put_trailing(node, tail)
    atomic_write_text(path, yamlrt.dump(yaml, data))


def _set_top(data: CommentedMap, source: str | None, as_of: dt.date | None) -> bool:
    """Set `source` and `as_of` (after `version`) where they differ; True if anything did."""
    from citecheck.settings import parse_date

    changed = False
    if source is not None and data.get("source") != source:
        _put(data, "source", yamlrt.styled(data.get("source"), source), after=("version",))
        changed = True
    if as_of is not None and (data.get("as_of") is None or parse_date(data["as_of"]) != as_of):
        _put(data, "as_of", as_of, after=("version", "source"))
        changed = True
    return changed


def _put(node: CommentedMap, key: str, value: Any, after: tuple[str, ...]) -> None:
    """Set `key`; a new key goes right after the last of `after` present (else first)."""
    if key in node:
        node[key] = value
        return
    keys = list(node)
    pos = max((keys.index(k) + 1 for k in after if k in node), default=0)
    if pos >= len(keys):
        tail = yamlrt.take_trailing(node)
        node[key] = value
        yamlrt.put_trailing(node, tail)
    else:
        node.insert(pos, key, value)


def _merge(
    refs: CommentedSeq, notes: Sequence[Note], markers_by_label: Mapping[str, tuple[int, ...]]
) -> ExtractSummary:
    existing: defaultdict[str, list[CommentedMap]] = defaultdict(list)
    for node in refs:
        existing[str(node["label"])].append(node)
    seen: dict[str, int] = defaultdict(int)
    matched: set[int] = set()
    counts = {"added": 0, "updated": 0, "unchanged": 0, "removed": 0}
    previous: CommentedMap | None = None
    at: int | None = None
    for note in notes:
        fields = _fields(note, markers_by_label)
        occurrence = seen[note.label]
        seen[note.label] += 1
        candidates = existing.get(note.label, [])
        if occurrence < len(candidates):
            node = candidates[occurrence]
            counts["updated" if _apply(node, fields) else "unchanged"] += 1
            at = None
        else:
            # New notes mostly follow one another: the last one's index saves a search
            # (searching every time made extract quadratic in the number of notes).
            node = _new_entry(fields)
            at = _insert_after(refs, previous, node, hint=at)
            counts["added"] += 1
        matched.add(id(node))
        previous = node
    for node in refs:
        if id(node) not in matched and node.get("removed") is not True:
            _edit(node, lambda n: _put(n, "removed", True, after=EXTRACTED))
            counts["removed"] += 1
    return ExtractSummary(**counts)


def _fields(note: Note, markers_by_label: Mapping[str, tuple[int, ...]]) -> dict[str, Any]:
    """The extracted fields of one note, in manifest key order (kind None left out, and
    `identifiers` only when the note cites any: manifests of notes without them stay as
    they were)."""
    kind = str(note.kind) if note.kind else None  # a StrEnum: its value
    return {
        "label": note.label,
        "kind": kind,
        "line": note.location.line,
        "markers": tuple(markers_by_label.get(note.label, ())),
        "text": note.text,
        "urls": tuple(note.urls),
        "identifiers": tuple(str(i) for i in note.identifiers) or None,
    }


def _new_entry(fields: Mapping[str, Any]) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    node = CommentedMap()
    node["label"] = DoubleQuotedScalarString(fields["label"])
    for key in EXTRACTED[1:]:
        value = fields[key]
        if key in ("kind", "identifiers") and value is None:
            continue
        if key in ("markers", "urls", "identifiers"):
            value = yamlrt.flow_seq(list(value))
        node[key] = yamlrt.styled(None, value)
    return node


def _insert_after(
    refs: CommentedSeq,
    previous: CommentedMap | None,
    node: CommentedMap,
    hint: int | None = None,
) -> int:
    """Insert `node` after `previous` (at the start if None), moving the comment lines that
    followed `previous` (they belong above the next entry) after `node`; returns its index.
    `hint` is where `previous` probably is (saves a search)."""
    pos = 0 if previous is None else _index(refs, previous, hint) + 1
    if previous is not None:
        yamlrt.put_trailing(node, yamlrt.take_trailing(previous))
    refs.insert(pos, node)
    return pos


def _index(refs: CommentedSeq, node: CommentedMap, hint: int | None) -> int:
    """The position of `node` (by identity) in the list `refs`."""
    if hint is not None and hint < len(refs) and list.__getitem__(refs, hint) is node:
        return hint
    # list's own iterator: ruamel's sequence iterates through a Python-level __getitem__
    return next(i for i, n in enumerate(list.__iter__(refs)) if n is node)


def _edit(node: CommentedMap, change: Callable[[CommentedMap], None]) -> None:
    """Run `change(node)` keeping the comment lines after the entry after it."""
    tail = yamlrt.take_trailing(node)
    change(node)
    yamlrt.put_trailing(node, tail)


def _apply(node: CommentedMap, fields: Mapping[str, Any]) -> bool:
    """Update the extracted fields of an entry in place; True if any value changed."""
    changes = {k: v for k, v in fields.items() if k != "label" and not _same(node.get(k), v)}
    back = node.get("removed") is True
    if not changes and not back:
        return False

    def change(n: CommentedMap) -> None:
        if back:
            yamlrt.delete_key(n, "removed")
        for key, value in changes.items():
            _set_extracted(n, key, value)

    _edit(node, change)
    return True


def _same(old: object, new: object) -> bool:
    if new is None:
        return old is None
    if isinstance(new, tuple):
        return isinstance(old, list) and list(old) == list(new)
    return old == new and type(old) is not bool


def _set_extracted(node: CommentedMap, key: str, value: Any) -> None:
    if value is None:
        if key in node:
            yamlrt.delete_key(node, key)
        return
    old = node.get(key)
    if isinstance(value, tuple):
        if hasattr(old, "fa"):  # keep the list's flow/block style and its key comment
            old.clear()
            old.extend(yamlrt.quoted(value))
            return
        value = yamlrt.flow_seq(list(value))
    preceding = EXTRACTED[: EXTRACTED.index(key)]
    _put(node, key, yamlrt.styled(old, value), after=preceding)
