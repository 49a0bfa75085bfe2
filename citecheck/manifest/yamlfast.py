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
