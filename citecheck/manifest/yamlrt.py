"""Round-trip YAML helpers (ruamel.yaml): one configured loader/dumper and comment moves.

ruamel attaches the comment lines that follow a node to the *last* scalar before them, so a
comment written above entry N+1 belongs to entry N's last key. Appending a key or an entry
after that scalar would put the comment above the wrong thing; `take_trailing` and
`put_trailing` carry those lines over to the new last scalar.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.constructor import RoundTripConstructor


def make_yaml() -> YAML:
    """A round-trip YAML instance in the manifest's style (2-space maps, `  - ` lists)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.Constructor = _lenient_constructor()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold long note texts: one note text, one line, clean diffs
    return yaml


def _lenient_constructor() -> type[RoundTripConstructor]:
    """The round-trip constructor, but an impossible date (2015-13-01) stays a string, so
    validation can report it with its line (ruamel raises a bare ValueError)."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class Lenient(RoundTripConstructor):
        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:
                return self.construct_scalar(node)

    Lenient.add_constructor("tag:yaml.org,2002:timestamp", Lenient.construct_yaml_timestamp)
    return Lenient


def dump(yaml: YAML, data: Any) -> str:
    """`data` as YAML text."""
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def styled(old: Any, new: Any) -> Any:
    """`new` in the scalar style `old` was written in (quotes kept); multi-line text literal."""
    from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

    if not isinstance(new, str):
        return new
    if "\n" in new:
        return LiteralScalarString(new)
    if isinstance(old, ScalarString) and not isinstance(old, LiteralScalarString):
        return type(old)(new)
    return new


def flow_seq(items: list[Any] | tuple[Any, ...]) -> CommentedSeq:
    """A list written inline (`[1, 2]`, `["http://a.example/"]`)."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(quoted(items))
    seq.fa.set_flow_style()
    return seq


def quoted(items: list[Any] | tuple[Any, ...]) -> list[Any]:
    """The items with strings double-quoted: YAML 1.1 readers (libyaml, PyYAML, and so
    citecheck's fast reader) refuse a plain URL in a flow list, `[http://a.example/]`."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return [DoubleQuotedScalarString(v) if isinstance(v, str) else v for v in items]


def _is_block(value: object) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return (
        isinstance(value, (CommentedMap, CommentedSeq))
        and len(value) > 0
        and not value.fa.flow_style()
    )


def _last_slot(node: Any) -> tuple[dict[Any, list[Any]], Any, int] | None:
    """(comment items dict, key, slot index) of the last scalar in `node`, or None."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while True:
        if isinstance(node, CommentedMap) and node:
            key = list(node)[-1]
            items, slot = node.ca.items, 2
        elif isinstance(node, CommentedSeq) and node:
            key = len(node) - 1
            items, slot = node.ca.items, 0
        else:
            return None
        if _is_block(node[key]):
            node = node[key]
            continue
        return items, key, slot


def take_trailing(node: Any) -> str:
    """Remove and return the comment lines after `node`'s last line (its end-of-line comment
    stays); "" when there are none."""
    where = _last_slot(node)
    if where is None:
        return ""
    items, key, slot = where
    token = (items.get(key) or [None] * 4)[slot]
    if token is None:
        return ""
    value = token.value
    if value.startswith("#"):
        eol, _, following = value.partition("\n")
        token.value = eol + "\n"
    else:  # the leading newline ends the value's own line
        following = value[1:]
        items[key][slot] = None
    return following


def put_trailing(node: Any, following: str) -> None:
    """Attach comment lines (from `take_trailing`) after `node`'s last line."""
    if not following:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    where = _last_slot(node)
    if where is None:
        return
    items, key, slot = where
    entry = items.setdefault(key, [None] * 4)
    if entry[slot] is not None:
        entry[slot].value += following
    else:
        entry[slot] = CommentToken("\n" + following, CommentMark(0), None)


def delete_key(node: CommentedMap, key: str) -> None:
    """Remove `key` from a mapping with its end-of-line comment."""
    node.ca.items.pop(key, None)
    del node[key]
