"""The one bounded reader for every document the project takes: settings, target files, units,
references, tokens, simulator profiles, source mappings and the shipped tables.

A document is a person's or a package's file, so it is read as untrusted input, within bounds:

- a *regular file* only: a FIFO, a device (/dev/zero, /dev/urandom), a directory or a socket is
  refused at once, before a byte is read (the file is opened without blocking, then looked at);
- at most `Limits.max_bytes` bytes, checked before and while reading;
- at most `Limits.max_values` values once YAML aliases are expanded, and no alias that contains
  itself: a "billion laughs" document is refused while it is composed, before any value is built,
  so it costs no more memory than its few bytes;
- at most `Limits.max_depth` levels of nesting, and `Limits.max_seconds` of parsing;
- no NaN and no infinity anywhere (`threshold: .nan` is an error naming `threshold`).

YAML is read strictly where it is lenient in ways that hurt: a key given twice is an error (YAML
keeps the last one silently), and dates stay text (the schemas check them as text, and
`2026-12-01` should not become a date object in one file and a string in another). With
`as_text=True` every scalar is read as text, so a queue `0701` stays `0701` rather than becoming
the octal number 449. A `.json` file is read as JSON, with the same bounds.

Errors name the file, where (`line L, column C`, a field path, or `(file)`) and the problem, on
one line; they never quote the file beyond a short, redacted excerpt: a tokens file's line holds
a secret, and `komhen rules generate /etc/shadow` must not print the shadow file.
"""

from __future__ import annotations

import json
import math
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from streams.contract.errors import UnusableInput
from streams.contract.texts import language, os_reason
from streams.contract.texts import text as said
from streams.documents.problems import field_path
from streams.domain.events.privacy import truncated


@dataclass(frozen=True)
class Limits:
    """How much one document may take; the defaults are far above any real document (the largest
    shipped one, the national simulator profile, has 5 KB and 300 values)."""

    max_bytes: int = 1 << 20
    max_values: int = 100_000  # scalars, lists and mappings, aliases expanded
    max_depth: int = 64
    max_seconds: float = 5.0


LIMITS = Limits()


class DocumentError(UnusableInput):
    """A document that cannot be read; `where` is "line L, column C", a field path or "(file)"."""

    def __init__(self, name: str, where: str, problem: str) -> None:
        super().__init__(f"{name}: {where}: {problem}")
        self.name = name
        self.where = where
        self.problem = problem


def read_document(path: Path, kind: str, *, as_text: bool = False, limits: Limits = LIMITS) -> Any:
    """The decoded YAML (or, for a `.json` file, JSON) document at `path`, read within `limits`.

    `kind` names the document in messages ("target file", "tokens file"); `as_text` reads every
    YAML scalar as text. Raise DocumentError, one line that quotes nothing but a short excerpt.
    """
    text = read_text(path, kind, limits=limits)
    if path.suffix == ".json":
        data = _parse_json(text, str(path))
        _check_values(data, str(path), limits)
        return data
    return parse_yaml(text, str(path), as_text=as_text, limits=limits)


def read_text(path: Path, kind: str, *, limits: Limits = LIMITS) -> str:
    """The text of the document at `path`: a regular file of at most `limits.max_bytes` bytes in UTF-8
    (for a document parsed twice, e.g. typed and as text; else read_document)."""
    return _text(path, str(path), kind, limits)


def parse_yaml(text: str, name: str, *, as_text: bool = False, limits: Limits = LIMITS) -> Any:
    """The YAML document in `text` (read with read_text), within `limits`; DocumentError names `name`."""
    data = _parse_yaml(text, name, as_text=as_text, limits=limits)
    _check_values(data, name, limits)
    return data


def _parse_yaml(text: str, name: str, *, as_text: bool, limits: Limits) -> Any:
    """The YAML document in `text`; raise DocumentError naming `name`, where and the problem."""
    try:
        loader = (_TextLoader if as_text else _Loader)(text)
    except yaml.reader.ReaderError as exc:
        raise DocumentError(name, said("doc.file"), _not_allowed(exc)) from None
    loader.limits = limits
    loader.deadline = time.monotonic() + limits.max_seconds
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise DocumentError(name, *_yaml_problem(exc)) from None
    except yaml.reader.ReaderError as exc:
        raise DocumentError(name, said("doc.file"), _not_allowed(exc)) from None
    except _Refused as exc:
        raise DocumentError(name, exc.where, exc.problem) from None
    except RecursionError:
        raise DocumentError(name, said("doc.file"), said("doc.nested", limit=limits.max_depth)) from None
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.MarkedYAMLError) -> tuple[str, str]:
    """Where a YAML file breaks and what to do, in the operator's language: the parser's own English sentence
    only tells which kind of mistake it is (a tab, a `>=` read as a block of text, a quote never closed, an
    alias, a second document)."""
    problem, mark, key = exc.problem or "", exc.problem_mark, "doc.yaml_syntax"
    if problem.startswith("found character '\\t'"):
        key = "doc.yaml_tab"
    elif exc.context == "while scanning a block scalar":
        key = "doc.yaml_block"
    elif exc.context == "while scanning a quoted scalar":
        key, mark = "doc.yaml_quote", exc.context_mark or mark  # where the quote begins, not the end of the file
    elif problem.startswith("found undefined alias"):
        key = "doc.yaml_alias"
    elif exc.context == "expected a single document in the stream":
        key = "doc.yaml_documents"
    where = _at(mark.line + 1, mark.column + 1) if mark is not None else said("doc.file")
    return where, said(key)


def _not_allowed(exc: yaml.reader.ReaderError) -> str:
    return said("doc.yaml_character", position=str(exc.position + 1))


def _seconds(seconds: float) -> str:
    """A time bound as the language writes it: 5 and 0,5 in Danish, 5 and 0.5 in English."""
    written = f"{seconds:g}"
    return written.replace(".", ",") if language() == "da" else written


def _at(line: int, column: int) -> str:
    """Where in the file: `line 3, column 7`."""
    return said("doc.at", line=str(line), column=str(column))


class _Refused(Exception):
    """A bound the document broke while it was composed."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem


def _text(path: Path, name: str, kind: str, limits: Limits) -> str:
    """The file's text: a regular file of at most `limits.max_bytes` bytes in UTF-8."""
    try:
        # Without blocking: opening a FIFO with no writer would wait for one.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise DocumentError(name, said("doc.file"), said("doc.cannot_read", reason=os_reason(exc))) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise DocumentError(
                name, said("doc.file"), said("doc.not_regular", kind=_file_type(mode), document=_document(kind))
            )
        chunks: list[bytes] = []
        size = 0
        while size <= limits.max_bytes:
            chunk = os.read(fd, min(1 << 16, limits.max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise DocumentError(name, said("doc.file"), said("doc.cannot_read", reason=os_reason(exc))) from None
    finally:
        os.close(fd)
    if size > limits.max_bytes:
        raise DocumentError(
            name, said("doc.file"), said("doc.too_large", limit=limits.max_bytes, document=_document(kind))
        )
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise DocumentError(name, said("doc.file"), said("doc.not_utf8")) from None


def _document(kind: str) -> str:
    """The kind of document as the language names it ("en målfil", "target file")."""
    return said(f"document.{kind.replace(' ', '_')}")


def _file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return said("doc.directory")
    if stat.S_ISFIFO(mode):
        return said("doc.fifo")
    if stat.S_ISCHR(mode):
        return said("doc.character_device")
    if stat.S_ISBLK(mode):
        return said("doc.block_device")
    if stat.S_ISSOCK(mode):
        return said("doc.socket")
    return said("doc.special")


def _parse_json(text: str, name: str) -> Any:
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(said("doc.duplicate_key", key=_short(repr(key))))
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=unique)
    except json.JSONDecodeError as exc:
        raise DocumentError(name, _at(exc.lineno, exc.colno), said("doc.json_syntax")) from None
    except ValueError as exc:
        raise DocumentError(name, said("doc.file"), said("doc.not_json", problem=exc)) from None
    except RecursionError:
        raise DocumentError(name, said("doc.file"), said("doc.nested_json")) from None


def _short(text: str) -> str:
    """A parser's problem as people see it: redacted and short, whatever of the file it quotes."""
    return truncated(text, 80)


def _check_values(data: Any, name: str, limits: Limits) -> None:
    """Every number finite, and no more values than the limit (a JSON document has no aliases to count)."""
    for count, (where, value) in enumerate(_walk(data, ()), start=1):
        if count > limits.max_values:
            raise DocumentError(name, said("doc.file"), said("doc.too_many", limit=limits.max_values))
        if isinstance(value, float) and not math.isfinite(value):
            raise DocumentError(name, field_path(where), said("doc.not_finite"))


def _walk(value: Any, where: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(path, value) of the value and everything in it, keys included, depth first."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [(where, value)]
    while stack:
        path, item = stack.pop()
        yield path, item
        if isinstance(item, dict):
            for key, child in reversed(item.items()):
                yield path, key
                stack.append(((*path, str(key)), child))
        elif isinstance(item, list):
            stack.extend(((*path, i), child) for i, child in reversed(list(enumerate(item))))


# --- YAML ------------------------------------------------------------------------------------


class _Bounded:
    """Composer and constructor hooks: depth, time, aliases expanded and keys given twice."""

    limits: Limits
    deadline: float
    _depth = 0
    _nodes = 0  # composed, aliases not expanded

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if time.monotonic() > self.deadline:
            raise _Refused(said("doc.file"), said("doc.too_slow", seconds=_seconds(self.limits.max_seconds)))
        self._nodes += 1
        if self._nodes > self.limits.max_values:
            raise _Refused(said("doc.file"), said("doc.too_many", limit=self.limits.max_values))
        self._depth += 1
        try:
            if self._depth > self.limits.max_depth:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise _Refused(_at(mark.line + 1, mark.column + 1), said("doc.nested", limit=self.limits.max_depth))
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1

    def compose_document(self) -> yaml.Node:
        node: yaml.Node = super().compose_document()  # type: ignore[misc]
        _check_expanded(node, self.limits)
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            if key in seen:
                problem = said("doc.not_yaml", problem=said("doc.duplicate_key", key=_short(repr(key))))
                raise _Refused(_at(key_node.start_mark.line + 1, key_node.start_mark.column + 1), problem)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


def _check_expanded(root: yaml.Node, limits: Limits) -> None:
    """Refuse a document that, every alias expanded, holds more than `limits.max_values` values or
    nests deeper than `limits.max_depth`, or that holds itself. Each node is measured once (aliases
    share nodes), so this costs the size of the file, not of what the aliases would make of it."""
    measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, levels)
    open_nodes: set[int] = set()

    def measure(node: yaml.Node) -> tuple[int, int]:
        known = measured.get(id(node))
        if known is not None:
            return known
        mark = node.start_mark
        if id(node) in open_nodes:
            raise _Refused(_at(mark.line + 1, mark.column + 1), said("doc.contains_itself"))
        open_nodes.add(id(node))
        values, levels = 1, 0
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
        for child in children if isinstance(node, yaml.CollectionNode) else ():
            child_values, child_levels = measure(child)
            values, levels = values + child_values, max(levels, child_levels)
            if values > limits.max_values:
                raise _Refused(said("doc.file"), said("doc.too_many_aliases", limit=limits.max_values))
        open_nodes.discard(id(node))
        if levels + 1 > limits.max_depth:  # the composer bounds what is written; aliases can stack deeper
            raise _Refused(_at(mark.line + 1, mark.column + 1), said("doc.nested_aliases", limit=limits.max_depth))
        measured[id(node)] = (values, levels + 1)
        return values, levels + 1

    measure(root)


class _Loader(_Bounded, yaml.SafeLoader):
    """YAML's safe types, without implicit dates."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _TextLoader(_Bounded, yaml.BaseLoader):
    """Every scalar as text."""
