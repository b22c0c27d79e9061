"""The words of every line the `komhen` command says to a person: Danish by default, English on request.

Each language has one catalogue of the same keys, in four parts by subject (the commands `da.py`, a
document's problems `da_documents.py`, the logs `da_logs.py`, rejected records `da_records.py`, and the
same for `en`), plus `komhen --help` (`help_da.py`, `help_en.py`); a text is a `str.format`
template, or a pair (one, many) chosen by the parameter `n`. Numbers are written as the language
writes them (Danish through streams.contract.danish: 1.234 and 3,5), dates as 7.12.2026 or
2026-12-07. The command chooses the language once, from `--language` or KOMHEN_LANGUAGE.

>>> text("input.missing", path="uge46.csv")
'uge46.csv: filen findes ikke; tjek navnet og mappen'
>>> with speaking("en"):
...     text("publish.summary", n=1234, topic="inquiries", rejected=0)
'published 1,234 events to inquiries, rejected 0'

Numbers are formatted wherever they stand, so a port, a year or an exit status is passed as text.
A log line is a `Line`, said when its record is made (`log.info(Line("log.left_group", group="g"))`).
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import PurePath
from typing import Literal, NamedTuple, Protocol, runtime_checkable

from streams.contract.danish import decimal, numeric_date, percent, whole
from streams.contract.texts import (
    da,
    da_documents,
    da_logs,
    da_records,
    en,
    en_documents,
    en_logs,
    en_records,
    help_da,
    help_en,
)

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")
LANGUAGE_VARIABLE = "KOMHEN_LANGUAGE"
Template = str | tuple[str, str]


def _catalogue(*parts: Mapping[str, Template]) -> Mapping[str, Template]:
    """The parts as one catalogue; a key in two parts is a mistake that would hide one of its lines."""
    merged: dict[str, Template] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"catalogue keys in two parts: {sorted(twice)}")
        merged.update(part)
    return merged


CATALOGUES: Mapping[Language, Mapping[str, Template]] = {  # the lines, and `komhen --help` (help_*.py)
    "da": _catalogue(da.TEXTS, da_documents.TEXTS, da_logs.TEXTS, da_records.TEXTS, help_da.HELP),
    "en": _catalogue(en.TEXTS, en_documents.TEXTS, en_logs.TEXTS, en_records.TEXTS, help_en.HELP),
}

_chosen: list[Language] = ["da"]  # the language of this process's lines, set once by the command


def use(language: str) -> Language:
    """Speak `language` from now on (da or en); a ValueError names the choices."""
    if language not in LANGUAGES:
        raise ValueError(f"{language!r} is not one of {', '.join(LANGUAGES)}")
    chosen: Language = "da" if language == "da" else "en"
    _chosen[0] = chosen
    return chosen


@contextmanager
def speaking(language: str) -> Iterator[Language]:
    """Speak `language` within the block, and the language before it after (a command run in a test)."""
    before = _chosen[0]
    try:
        yield use(language)
    finally:
        _chosen[0] = before


def language() -> Language:
    """The language lines are said in."""
    return _chosen[0]


def number(n: float, lang: Language | None = None) -> str:
    """A number as the language writes it: 1.234 and 3,5 in Danish, 1,234 and 3.5 in English."""
    danish = (lang or language()) == "da"
    if isinstance(n, int):
        return whole(n) if danish else f"{n:,}"
    if float(n).is_integer():
        return number(int(n), lang)
    return decimal(n, 1) if danish else f"{n:,.1f}"


def share(x: float) -> str:
    """A share 0..1 as a percentage: 44,4 % in Danish, 44.4 % in English."""
    return percent(x) if language() == "da" else f"{x * 100:,.1f} %"


def day(d: date, lang: Language | None = None) -> str:
    """A date as the language writes it in a line: 7.12.2026, 2026-12-07."""
    return numeric_date(d) if (lang or language()) == "da" else d.isoformat()


class Worded(NamedTuple):
    """A parameter worded in each language (a schema's x-expected, names joined by "or"), filled in as the
    line's language words it: the catalogues keep one placeholder for it."""

    en: str
    da: str


def either(names: Iterable[str]) -> Worded:
    """Names joined by "or" ("eller")."""
    listed = tuple(names)
    return Worded(" or ".join(listed), " eller ".join(listed))


@runtime_checkable
class Sayable(Protocol):
    """A sentence of its own, said in the line's language when the line is (a rejection inside a finding)."""

    def said(self, lang: Language | None = None) -> str: ...


def _shown(value: object, lang: Language) -> object:
    if isinstance(value, Worded):
        return value.da if lang == "da" else value.en
    if isinstance(value, Sayable):
        return value.said(lang)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return number(value, lang)
    if isinstance(value, date):
        return day(value, lang)
    if isinstance(value, PurePath):
        return str(value)
    return value


def text(key: str, /, **params: object) -> str:
    """The line `key` in the chosen language, its parameters filled in (numbers and dates as it writes them:
    give a port, a year or a line number as text)."""
    return text_in(language(), key, **params)


# What the system says when it refuses a path, in the catalogue's words; a rarer refusal keeps the system's.
OS_REASONS = {
    errno.EACCES: "reason.permission",
    errno.EPERM: "reason.permission",
    errno.EROFS: "reason.read_only",
    errno.ENOSPC: "reason.full",
    errno.EDQUOT: "reason.full",
    errno.ENOENT: "reason.missing",
    errno.EISDIR: "reason.folder",
    errno.ENOTDIR: "reason.not_folder",
    errno.ENAMETOOLONG: "reason.name_too_long",
    errno.ELOOP: "reason.link_loop",
    errno.EIO: "reason.io",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused a path, in the chosen language where the catalogue has the words."""
    key = OS_REASONS.get(exc.errno or 0)
    return text(key) if key else exc.strerror or type(exc).__name__


def text_in(lang: Language, key: str, /, **params: object) -> str:
    """The line `key` in `lang` whatever the chosen language: a text with a contract of its own, such as a
    rejected record's English detail (streams.domain.events.inquiry.InvalidEvent)."""
    template = CATALOGUES[lang][key]
    if isinstance(template, tuple):
        template = template[0] if params.get("n") == 1 else template[1]
    return template.format(**{name: _shown(value, lang) for name, value in params.items()})


class Line:
    """A line of the catalogue as a log record's message: said in the chosen language when the record is
    formatted, and recognised by its key (streams.telemetry.logs holds back repeats of one key, whatever
    their parameters)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return text(self.key, **self.params)
