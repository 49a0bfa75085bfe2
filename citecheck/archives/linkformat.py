"""A parser for link-format bodies and `Link` headers (RFC 6690, RFC 8288).

Memento TimeMaps (RFC 7089) are link-format documents: comma-separated link-values
`<URI>; rel="memento"; datetime="..."`. Relation values may hold several types ("first
memento"), quoted strings may hold commas and semicolons, and the same relation repeats
once per memento, so links are returned as a list, never keyed by relation.
"""

from __future__ import annotations

from dataclasses import dataclass


class LinkFormatError(ValueError):
    """A link-value that cannot be parsed."""


@dataclass(frozen=True)
class Link:
    """One link-value: the target URI and its parameters in order (names lower-cased)."""

    uri: str
    params: tuple[tuple[str, str | None], ...] = ()

    def get(self, name: str) -> str | None:
        """The first value of parameter `name` (lower-case), or None."""
        for key, value in self.params:
            if key == name:
                return value
        return None

    @property
    def rels(self) -> frozenset[str]:
        """The relation types, lower-cased ("first memento" -> {"first", "memento"})."""
        return frozenset((self.get("rel") or "").lower().split())


def parse_links(text: str, *, strict: bool = False) -> list[Link]:
    """Every link-value in `text`, in order.

    A malformed link-value raises LinkFormatError when `strict`; otherwise it is skipped up
    to the next top-level comma, because one bad entry in a TimeMap of thousands should not
    lose the rest.
    """
    parser = _Parser(text)
    links: list[Link] = []
    while True:
        parser.skip(" \t\r\n,")
        if parser.at_end():
            return links
        start = parser.pos
        try:
            links.append(parser.link_value())
        except LinkFormatError:
            if strict:
                raise
            parser.pos = start
            parser.skip_to_top_level_comma()


class _Parser:
    def __init__(self, text: str):
        self.text, self.pos = text, 0

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip(self, chars: str) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1

    def error(self, what: str) -> LinkFormatError:
        return LinkFormatError(f"{what} at offset {self.pos}")

    def link_value(self) -> Link:
        if self.peek() != "<":
            raise self.error("expected '<'")
        end = self.text.find(">", self.pos)
        if end < 0:
            raise self.error("unterminated URI")
        uri = self.text[self.pos + 1 : end].strip()
        self.pos = end + 1
        params: list[tuple[str, str | None]] = []
        while True:
            self.skip(" \t\r\n")
            char = self.peek()
            if char in ("", ","):
                return Link(uri, tuple(params))
            if char != ";":
                raise self.error("expected ';' or ','")
            self.pos += 1
            self.skip(" \t\r\n")
            if self.peek() in ("", ",", ";"):
                continue  # empty parameter, tolerated
            params.append(self.param())

    def param(self) -> tuple[str, str | None]:
        name = self.token()
        if not name:
            raise self.error("expected a parameter name")
        self.skip(" \t")
        if self.peek() != "=":
            return (name.lower(), None)
        self.pos += 1
        self.skip(" \t")
        value = self.quoted() if self.peek() == '"' else self.token()
        return (name.lower().rstrip("*"), value)

    def token(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in ' \t\r\n;,="<>':
            self.pos += 1
        return self.text[start : self.pos]

    def quoted(self) -> str:
        self.pos += 1  # opening quote
        out = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            self.pos += 1
            if char == '"':
                return "".join(out)
            out.append(char)
        raise self.error("unterminated quoted string")

    def skip_to_top_level_comma(self) -> None:
        in_uri = in_quote = False
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if in_quote:
                if char == "\\":
                    self.pos += 1
                elif char == '"':
                    in_quote = False
            elif in_uri:
                in_uri = char != ">"
            elif char == '"':
                in_quote = True
            elif char == "<":
                in_uri = True
            elif char == ",":
                return
