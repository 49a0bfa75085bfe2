"""Reading a references.yaml fast: libyaml's parser (ruamel.yaml.clib) with line numbers.

The round-trip loader that writing needs keeps every comment and costs about 1.3 ms an
entry (13 s for 10,000 notes); reading only needs values and the lines messages name. This
loader gives plain dicts and lists that carry the same `lc` line lookups as round-trip
nodes, so one validation serves both. It returns None when it cannot help: the C parser is
not installed, or the text is YAML 1.2 that libyaml (YAML 1.1) will not parse, such as a
plain URL in a flow list (`extract` now quotes them), or a value it cannot construct (an
impossible date). The caller then reads the file with the round-trip loader, which also
words the errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ruamel.yaml import YAML

Position = tuple[int, int]  # 0-based (line, column)


class Lines:
    """The `lc` lookups of a ruamel round-trip node, 0-based (line, column) pairs."""

    def __init__(
        self,
        line: int,
        keys: dict[Any, Position] | None = None,
        values: dict[Any, Position] | None = None,
        items: list[Position] | None = None,
    ) -> None:
        self.line = line
        self._keys, self._values, self._items = keys or {}, values or {}, items or []

    def key(self, key: Any) -> Position:
        return self._items[key] if self._items else self._keys[key]  # a list: an item

    def value(self, key: Any) -> Position:
        return self._values[key]

    def item(self, index: int) -> Position:
        return self._items[index]


class LinedDict(dict[Any, Any]):
    lc: Lines


class LinedList(list[Any]):
    lc: Lines


def fast_load(text: str) -> Any:
    """The YAML data of `text` with line lookups, or None (see the module docstring)."""
    yaml = _yaml()
    if yaml is None:
        return None
    from ruamel.yaml.error import YAMLError

    try:
        return yaml.load(text)
    except (YAMLError, ValueError, TypeError):
        return None


# Values an alias may add beyond those written out: a few anchors in a hand-written file
# add dozens; a "billion laughs" bomb adds billions (9.7 GB for `extra_hedges: *i`).
ALIAS_EXPANSION_CAP = 10_000
_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s,\[\]{}]+", re.M)
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]+", re.M)


def alias_bomb(text: str) -> int | None:
    """The 1-based line of the node where expanding aliases passes ALIAS_EXPANSION_CAP
    values beyond those written, or None (also for text that is not YAML: the loader says
    why). Cheap: most files have no anchor at all, and sizes are counted once per node."""
    if not (_ANCHOR.search(text) and _ALIAS.search(text)):
        return None
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        root = YAML(typ="safe", pure=False).compose(text)
    except (YAMLError, ValueError, TypeError):
        return None
    if root is None:
        return None
    sizes: dict[int, int] = {}
    distinct = _count(root, sizes)
    if distinct is None:
        return 1
    written = len(sizes)
    if distinct - written <= ALIAS_EXPANSION_CAP:
        return None
    return _first_big(root, sizes, written) + 1


def _count(node: Any, sizes: dict[int, int]) -> int | None:
    """Values under `node` with aliases expanded (memoised per node); None past 10^12."""
    stack = [(node, False)]
    while stack:
        item, done = stack.pop()
        key = id(item)
        if key in sizes and not done:
            continue
        children = _children(item)
        if not done:
            stack.append((item, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        sizes[key] = 1 + sum(sizes.get(id(c), 0) for c in children)
        if sizes[key] > 10**12:
            return None
    return sizes[id(node)]


def _children(node: Any) -> list[Any]:
    value = node.value
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            out.extend(item if isinstance(item, tuple) else (item,))
        return out
    return []


def _first_big(root: Any, sizes: dict[int, int], written: int) -> int:
    """The 0-based line of the deepest node whose expansion alone passes the cap."""
    node = root
    while True:
        big = [c for c in _children(node) if sizes.get(id(c), 0) - 1 > ALIAS_EXPANSION_CAP]
        if not big:
            return node.start_mark.line
        node = big[0]


_LOADER: list[YAML | None] = []


def _yaml() -> YAML | None:
    """A safe loader on libyaml that builds LinedDict/LinedList; None without the C parser."""
    if not _LOADER:
        _LOADER.append(_make())
    return _LOADER[0]


def _make() -> YAML | None:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor

    yaml = YAML(typ="safe")
    if "CParser" not in getattr(yaml.Parser, "__name__", ""):
        return None

    def at(node: Any) -> Position:
        return node.start_mark.line, node.start_mark.column

    class Constructor(SafeConstructor):
        def construct_yaml_map(self, node: Any) -> Iterator[LinedDict]:
            data = LinedDict()
            yield data
            data.update(self.construct_mapping(node))
            data.lc = Lines(
                node.start_mark.line,
                keys={k.value: at(k) for k, _ in node.value},
                values={k.value: at(v) for k, v in node.value},
            )

        def construct_yaml_seq(self, node: Any) -> Iterator[LinedList]:
            data = LinedList()
            yield data
            data.extend(self.construct_sequence(node))
            data.lc = Lines(node.start_mark.line, items=[at(v) for v in node.value])

    Constructor.add_constructor("tag:yaml.org,2002:map", Constructor.construct_yaml_map)
    Constructor.add_constructor("tag:yaml.org,2002:seq", Constructor.construct_yaml_seq)
    yaml.Constructor = Constructor
    return yaml
