r"""A LaTeX source as TeX reads it: comments removed (a `%` eats the rest of the line, the
newline and the next line's leading blanks), `comment` environments and `\iffalse` blocks
dropped, verbatim kept as it is, and `\input`/`\include`/`\subfile`/`\import` replaced by the
file they name when it is there. Every character keeps the file and line it came from."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from citecheck.models import Location

# On a line outside verbatim: what can hide a % (a \verb, a \url's address, an escape), a
# comment, the start of a verbatim or comment environment, \iffalse, and file inclusions.
_TOKEN = re.compile(
    r"(?P<verb>\\verb\*?(?P<d>[^a-zA-Z\s*]).*?(?P=d))"
    r"|(?P<url>\\(?:url|nolinkurl|href)\s*\{[^{}\n]*\})"
    r"|(?P<include>\\(?:(?P<cmd>input|include|subfile)(?![a-zA-Z@])\s*"
    r"|(?:sub)?(?:import|inputfrom)\s*\{(?P<dir>[^{}\n]*)\}\s*)"
    r"(?:\{(?P<arg>[^{}\n]+)\}|(?<=input )(?P<bare>[^\s{}\\%]+)))"
    r"|(?P<begin>\\begin\s*\{(?P<env>verbatim\*?|Verbatim\*?|BVerbatim|LVerbatim|lstlisting"
    r"|minted|comment)\})"
    r"|(?P<iffalse>\\iffalse(?![a-zA-Z@]))"
    r"|(?P<esc>\\[^a-zA-Z@])"
    r"|(?P<comment>%)"
)
_IF = re.compile(r"\\(?:if[a-zA-Z@]*|fi)(?![a-zA-Z@])")
_LINES = re.compile(r"[^\n]*\n|[^\n]+$")
MAX_DEPTH = 16  # \input nesting; deeper is a loop LaTeX itself would not finish
MAX_CHARS = 64 * 1024 * 1024  # everything included, all files together


@dataclass
class TexSource:
    """The text TeX sees, and for each stretch of it the file and line it came from."""

    parts: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # offset of each part in `text`
    origins: list[tuple[str, int]] = field(default_factory=list)  # (file, line) of each part
    length: int = 0
    missing: list[str] = field(default_factory=list)  # included files that are not there
    _text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.parts)
        return self._text

    def add(self, text: str, file: str, line: int) -> None:
        if not text:
            return
        self.parts.append(text)
        self.starts.append(self.length)
        self.origins.append((file, line))
        self.length += len(text)
        self._text = None

    def location(self, offset: int) -> Location:
        """The file and line of the character at `offset`."""
        if not self.origins:
            return Location("", 1)
        file, line = self.origins[max(0, bisect_right(self.starts, offset) - 1)]
        return Location(file, line)


def load(content: str, source: str) -> TexSource:
    """`content` (the file `source`) with comments removed and inclusions followed."""
    out = TexSource()
    _Expander(out, Path(source).parent).file(content, source, [source])
    return out


@dataclass
class _Expander:
    out: TexSource
    root: Path
    env: str | None = None  # the verbatim or comment environment we are in
    skip: int = 0  # depth of \iffalse … \fi being dropped
    eat_blanks: bool = False  # the previous line ended in a comment
    blank_pending: bool = False

    def file(self, content: str, name: str, stack: list[str]) -> None:
        for number, m in enumerate(_LINES.finditer(content), 1):
            self._line(m.group(0), name, number, stack)
        if not content.endswith("\n"):
            self.out.add("\n", name, content.count("\n") + 1)

    def _line(self, line: str, name: str, number: int, stack: list[str]) -> None:
        if self.env is not None:
            self._in_env(line, name, number, stack)
            return
        if self.eat_blanks:
            self.eat_blanks = False
            if not line.strip():  # a blank line after a comment still ends the paragraph
                self.out.add("\n\n", name, number)
                return
            line = line.lstrip(" \t")
        pos, kept = 0, 0
        while True:
            if self.skip:
                pos = self._skip_false(line, pos)
                kept = pos
                if self.skip:
                    return
            m = _TOKEN.search(line, pos)
            if m is None:
                self.out.add(line[kept:], name, number)
                return
            kind = _kind(m)
            if kind == "comment":
                self.out.add(line[kept : m.start()], name, number)
                self.eat_blanks = True
                return
            if kind == "include" and self._include(m, name, number, stack, line[kept : m.start()]):
                pos = kept = m.end()
                continue
            if kind == "begin":
                self.out.add(line[kept : m.start()], name, number)
                self.env = m.group("env")
                if self.env != "comment":
                    self.out.add(m.group(0), name, number)
                self._in_env(line[m.end() :], name, number, stack)
                return
            if kind == "iffalse":
                self.out.add(line[kept : m.start()], name, number)
                self.skip, pos = 1, m.end()
                continue
            pos = m.end()

    def _in_env(self, line: str, name: str, number: int, stack: list[str]) -> None:
        end = "\\end{" + (self.env or "") + "}"
        at = line.find(end)
        if at < 0:
            if self.env != "comment":
                self.out.add(line, name, number)
            return
        if self.env != "comment":
            self.out.add(line[: at + len(end)], name, number)
        self.env = None
        self._line(line[at + len(end) :], name, number, stack)

    def _skip_false(self, line: str, pos: int) -> int:
        """Past the \\fi that closes the \\iffalse block (nested \\if…\\fi counted)."""
        for m in _IF.finditer(line, pos):
            if m.group(0) == "\\fi":
                self.skip -= 1
                if not self.skip:
                    return m.end()
            else:
                self.skip += 1
        return len(line)

    def _include(self, m: re.Match, name: str, number: int, stack: list[str], before: str) -> bool:
        target = self._resolve(m, name)
        if target is None:
            self.out.missing.append(m.group("arg") or m.group("bare") or "")
            return False
        shown = str(target)
        if shown in stack or len(stack) >= MAX_DEPTH:
            return False  # a loop: LaTeX would never finish either
        try:
            data = target.read_bytes()
        except OSError:
            return False
        if self.out.length + len(data) > MAX_CHARS:
            return False
        text = data.decode("utf-8", errors="replace")
        self.out.add(before, name, number)
        if m.group("cmd") == "include":
            self.out.add("\n\n", name, number)  # \include starts a new page
        self.file(text, shown, [*stack, shown])
        self.eat_blanks = False
        return True

    def _resolve(self, m: re.Match, name: str) -> Path | None:
        arg = (m.group("arg") or m.group("bare") or "").strip()
        if not arg:
            return None
        here = Path(name).parent
        folder = (m.group("dir") or "").strip()
        bases = (
            [here / folder, self.root / folder, here, self.root] if folder else [self.root, here]
        )
        for base in bases:
            for candidate in (base / arg, base / (arg + ".tex")):
                if candidate.is_file():
                    return _shown(candidate)
        for base in bases:  # written on a system whose file names ignore case
            found = _ignoring_case(base / (arg if Path(arg).suffix else arg + ".tex"))
            if found is not None:
                return _shown(found)
        return None


def _kind(m: re.Match) -> str:
    for kind in ("verb", "url", "include", "begin", "iffalse", "esc", "comment"):
        if m.group(kind) is not None:
            return kind
    return ""


def _ignoring_case(path: Path) -> Path | None:
    """The file in `path`'s folder whose name is `path`'s but for case, if there is one."""
    try:
        names = [p for p in path.parent.iterdir() if p.name.lower() == path.name.lower()]
    except OSError:
        return None
    return names[0] if len(names) == 1 and names[0].is_file() else None


def _shown(path: Path) -> Path:
    """`path` without "./" and "dir/.." detours, for locations."""
    import os

    return Path(os.path.normpath(path))
