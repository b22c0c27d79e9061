"""Personal data: CPR numbers are found and never kept or shown in clear.

A CPR number is a birth date DDMMYY and a serial of four digits. People write it as ten digits
(`0101901234`), with a separator before the serial (`010190-1234`, `010190 1234`, `010190.1234`,
`010190/1234`, `010190_1234`), or with the date separated too (`01.01.90-1234`, `01-01-90 1234`,
`01 01 90 1234`), sometimes with spaces around the separator. Only a real day (01-31) and
month (01-12) count, so ten digits that are no date (a Unix timestamp `1700000000`) are not
taken for one. Text is read the way a person would: Unicode digits (full-width `０`, Arabic-Indic
…) are digits, every dash (`–`, `‑`, `−`) is a dash, invisible format characters (zero-width
space, soft hyphen) are not there, and JSON escapes (`\\u0030`, `\\/`) are what they stand for.

This module is the one place that decides; `redact` is applied wherever text leaves the process
(dead letters, metric labels, logs, command output, HTTP answers):

>>> redact("call 01.01.90-1234")
'call [CPR fjernet]'
>>> contains_cpr("tel-1700000000")
False
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

REDACTED = "[CPR fjernet]"

_DAY = r"(?:0[1-9]|[12][0-9]|3[01])"
_MONTH = r"(?:0[1-9]|1[0-2])"
# Between the parts: nothing, one or two of - . / _ (with up to three spaces around), or up to three spaces.
_SEP = r"(?:[ \t]{0,3}[-./_]{1,2}[ \t]{0,3}|[ \t]{1,3})?"
CPR_RE = re.compile(rf"(?<![0-9]){_DAY}{_SEP}{_MONTH}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{4}}(?![0-9])")

# JSON escapes of characters that can be part of a CPR number as written (digits, separators,
# spaces, invisible characters); an escaped backslash is skipped so `\\u0030` stays as it is.
_ESCAPE_RE = re.compile(r"\\\\|\\u([0-9a-fA-F]{4})|\\/|\\t")


def _unescape_char(match: re.Match[str]) -> str:
    text = match.group(0)
    if text == "\\/":
        return "/"
    if text == "\\t":
        return "\t"
    code = match.group(1)
    if code is None:
        return text  # an escaped backslash
    char = chr(int(code, 16))
    category = unicodedata.category(char)
    # Only what a CPR number can be written with; quotes, backslashes and controls stay escaped (valid JSON).
    if category in ("Nd", "Pd", "Zs", "Cf") or char in "./_\t":
        return char
    return text


class _Fold(dict[int, str]):
    """str.translate table that reads a character as a person does, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        if char.isascii():
            folded = char
        elif category == "Nd":
            folded = str(unicodedata.decimal(char))
        elif category == "Pd" or char == "\u2212":  # every dash, and the minus sign
            folded = "-"
        elif category == "Cf":  # zero-width space, soft hyphen, direction marks: not there for a reader
            folded = ""
        elif category == "Zs":
            folded = " "
        else:
            folded = char
        if len(self) < 100_000:  # hostile text cannot grow it without bound
            self[code] = folded
        return folded


_FOLD = _Fold()


def readable(text: str) -> str:
    """The text as a person reads it: JSON escapes of digits and separators decoded, every digit and
    dash in ASCII, invisible characters removed. Plain ASCII without escapes is returned as it is."""
    if "\\" in text:
        text = _ESCAPE_RE.sub(_unescape_char, text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return text


def contains_cpr(text: str) -> bool:
    """Whether the text holds a CPR-like number, however it is written."""
    if text.isascii() and "\\" not in text:  # the common case, at the cost of one regex search
        return CPR_RE.search(text) is not None
    return CPR_RE.search(readable(text)) is not None


def redact(text: str) -> str:
    """The text with every CPR-like number replaced; the text itself when it holds none.

    When one is found, the result is the readable form of the text (see `readable`), so a number
    spelt with escapes or Unicode digits cannot survive next to its redacted copy.
    """
    if text.isascii() and "\\" not in text:
        return CPR_RE.sub(REDACTED, text) if CPR_RE.search(text) else text
    view = readable(text)
    if not CPR_RE.search(view):
        return text
    clean = CPR_RE.sub(REDACTED, view)
    return clean.replace("\t", "\\t") if "\\t" in text else clean  # escaped tabs stay escaped (valid JSON)


def redact_bytes(data: bytes | None) -> bytes | None:
    """A Kafka key or value as text with CPR-like numbers replaced (bytes that are no UTF-8 as U+FFFD)."""
    if data is None:
        return None
    text = data.decode("utf-8", errors="replace")
    redacted = redact(text)
    return data if redacted == text and "\ufffd" not in text else redacted.encode()


_TRAILING_DIGITS = re.compile(r"[0-9 ./_-]+\Z")


def truncated(text: str, limit: int) -> str:
    """At most `limit` characters of the redacted text; a cut never leaves the first digits of a
    number whose end was cut off (they could be a birth date)."""
    if len(text) <= limit:
        return redact(text)
    cut = redact(text[: limit + 64])[:limit]
    return _TRAILING_DIGITS.sub("", cut)


def shown(value: Any, limit: int = 40) -> str:
    """A value quoted in a message for people: redacted, then shortened, as repr()."""
    if isinstance(value, str):
        return repr(truncated(value, limit))
    return truncated(repr(value), limit)
