"""The one YAML loader for every file people write: settings, target files, mappings, tokens, profiles.

Strict where YAML is lenient in ways that hurt: a key given twice is an error (YAML keeps the last
one silently), and dates stay text (the schemas check them as text, and `2026-12-01` should not
turn into a date object in one file and a string in another). With `text=True` every scalar is
read as text, so a queue `0701` stays `0701` rather than becoming the octal number 449.

Errors name the file, the line and column, and the problem, but never quote the line: a tokens
file's line holds a secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from streams.contract.errors import UnusableInput


class YamlFileError(UnusableInput):
    """A YAML file that cannot be read; `where` is "line L, column C" or "(file)", `problem` a phrase."""

    def __init__(self, name: str, where: str, problem: str) -> None:
        super().__init__(f"{name}: {where}: {problem}")
        self.name = name
        self.where = where
        self.problem = problem


class _UniqueKeys:
    """Refuses a mapping that names a key twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _Loader(_UniqueKeys, yaml.SafeLoader):
    """YAML's safe types, without implicit dates."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _TextLoader(_UniqueKeys, yaml.BaseLoader):
    """Every scalar as text."""


def parse_yaml(text: str, name: str, *, as_text: bool = False) -> Any:
    """The document in `text`; raise YamlFileError naming `name`, the position and the problem."""
    try:
        return yaml.load(text, Loader=_TextLoader if as_text else _Loader)  # both are SafeLoader-strict
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "(file)"
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise YamlFileError(name, where, f"is not valid YAML: {problem}") from None


def read_yaml(path: Path, *, as_text: bool = False) -> Any:
    """Read and parse a UTF-8 YAML file; raise YamlFileError when it cannot be read or parsed."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise YamlFileError(name, "(file)", f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise YamlFileError(name, "(file)", "is not UTF-8 text") from None
    return parse_yaml(text, name, as_text=as_text)
