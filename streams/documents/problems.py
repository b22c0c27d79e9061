"""Problems of a document in words for people, quoting nothing of the file but a short, redacted excerpt.

A document may be a secret (a tokens file) or not a document at all (`/etc/shadow` given by
mistake), so a message names a field by its path and a value by an excerpt: a short value
as it is written (`'Borgerservice'`, `30`), CPR-like numbers redacted, and anything longer or
stranger only by what it is ("a text of 312 characters").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from streams.contract.texts import text
from streams.domain.events.privacy import contains_cpr, redact, truncated

EXCERPT = 40  # characters of a value a message may quote
SHOWN_PROBLEMS = 10  # problems of one document on its one line; the rest are counted

_NAME = re.compile(r"\w[\w .,:/()&'+-]*\Z")

_KINDS = {bool: "doc.kind.bool", int: "doc.kind.int", float: "doc.kind.float"}

Problem = tuple[str, str]  # (where: a field path, "line L, column C" or "(file)"; what is wrong)


def field_name(key: Any) -> str:
    """A mapping key as a message shows it: as written when it reads like a name, else what it is."""
    written = str(key)
    if len(written) <= EXCERPT and _NAME.match(written) and not contains_cpr(written):
        return written
    return text("doc.long_name", n=len(written))


def field_path(parts: Iterable[str | int]) -> str:
    """`targets[2].threshold` from the parts ("targets", 2, "threshold")."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{field_name(part)}" if out else field_name(part))
    return out or text("doc.top_level")


def excerpt(value: Any, *, quote: bool = True) -> str:
    """A value as a message may quote it; with `quote=False` (a secret) only what it is."""
    if value is None:  # an empty file or an empty value, as YAML and JSON write it (not Python's None)
        return text("doc.null")
    if quote:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and len(value) <= EXCERPT and "\n" not in value:
            return repr(redact(value))
        if not isinstance(value, str):
            written = repr(value)
            if len(written) <= EXCERPT:
                return truncated(written, EXCERPT)
    if isinstance(value, str):
        return text("doc.text_of", n=len(value))
    if isinstance(value, list):
        return text("doc.list_of", n=len(value))
    if isinstance(value, dict):
        return text("doc.mapping_of", n=len(value))
    return text(_KINDS.get(type(value), "doc.kind.other"))


def one_line(name: str, problems: Sequence[Problem]) -> str:
    """Every problem of the document `name` on one line, the first SHOWN_PROBLEMS of them in words."""
    line = "; ".join(f"{name}: {where}: {what}" for where, what in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    return line + (f"; {text('doc.more', n=more)}" if more > 0 else "")
