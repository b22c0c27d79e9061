"""The 98 Danish municipalities (schemas/municipalities.v1.json): number, name, region.

Files name a municipality in many ways: its official number (`183`, or `0183` as DAGI and CPR
write it), its name (`Ishøj`), with "Kommune" (`Københavns Kommune`), in the genitive
(`Nordfyns`), an old spelling (`Århus`, `Høje Taastrup`), or with æ/ø/å spelt out or dropped
(`Hoeje-Taastrup`, `Ishoj`). `Municipalities.resolve` reads all of these; the rest of the code
carries the number and shows `table.municipality(number).name`.

The table is a value: the documents layer reads schemas/municipalities.v1.json once
(streams.documents.reference.municipality_table) and hands it to the code that needs it.

>>> capital = Region("hovedstaden", "1084", "Region Hovedstaden")
>>> table = Municipalities.of(
...     [capital], [Municipality("101", "København", capital, official="Københavns Kommune"),
...     Municipality("183", "Ishøj", capital)])
>>> table.resolve("Københavns Kommune").number, table.resolve("0183").name, table.resolve("Ishoj").number
('101', 'Ishøj', '183')
>>> table.municipality("183").label
'Ishøj (183)'
>>> table.resolve("Atlantis") is None
True
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from streams.contract.errors import UnusableInput

COUNT = 98  # municipalities since the 2007 reform

_NUMBER = re.compile(r"0?([0-9]{3})\Z")
# "183 Ishøj", "183 - Ishøj", "Ishøj (183)": a number and a name that must agree.
_NUMBER_AND_NAME = re.compile(r"0?([0-9]{3})\s*[-–:]?\s*([^\W\d].*)\Z")
_NAME_AND_NUMBER = re.compile(r"(.*?)\s*\(\s*0?([0-9]{3})\s*\)\Z")
_SUFFIX = re.compile(r"[\s-]+(?:regions)?kommune\Z")
_PREFIX = re.compile(r"\A(?:kommune)[\s:-]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Two ways Danish letters are written where a system cannot take them: spelt out (Høje-Taastrup
# as Hoeje-Taastrup, Aarhus) and dropped (Ishoj). Both keys of every name are indexed.
_SPELT_OUT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
_DROPPED = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


class UnknownMunicipality(UnusableInput):
    """A municipality number that is not one of the 98."""


@dataclass(frozen=True)
class Region:
    key: str  # hovedstaden, sjaelland, syddanmark, midtjylland, nordjylland
    code: str  # official region code, e.g. 1084
    name: str  # Region Hovedstaden


@dataclass(frozen=True)
class Municipality:
    """One municipality: `number` is what events carry, `name` what people read."""

    number: str  # official 3-digit number, e.g. 183
    name: str  # e.g. Ishøj (Danish letters)
    region: Region
    aliases: tuple[str, ...] = ()
    official: str | None = None  # where the official name is not "<name> Kommune"

    @property
    def official_name(self) -> str:
        """As a municipality writes itself: 'Ishøj Kommune', 'Københavns Kommune'."""
        return self.official or f"{self.name} Kommune"

    @property
    def label(self) -> str:
        """Name and number, as dashboards and reports show a municipality: 'Ishøj (183)'."""
        return f"{self.name} ({self.number})"


def _keys(text: str) -> set[str]:
    """The lookup keys of a name: lower case, without 'Kommune', æøå spelt out or dropped, with or
    without hyphens and spaces."""
    base = unicodedata.normalize("NFKC", text).strip().lower()
    base = _PREFIX.sub("", _SUFFIX.sub("", base))
    keys: set[str] = set()
    for table in (_SPELT_OUT, _DROPPED):
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", base.translate(table)) if not unicodedata.combining(c)
        )
        key = _NOT_ALNUM.sub("-", folded).strip("-")
        if key:
            keys.update((key, key.replace("-", "")))
    return keys


@dataclass(frozen=True)
class Municipalities:
    """The municipalities by number and by every way their names are written."""

    by_number: Mapping[str, Municipality]
    by_key: Mapping[str, Municipality]
    regions: tuple[Region, ...]

    @classmethod
    def of(cls, regions: Iterable[Region], municipalities: Iterable[Municipality]) -> Municipalities:
        """The table of these municipalities; ValueError for a number given twice or a name that could mean two."""
        by_number: dict[str, Municipality] = {}
        by_key: dict[str, Municipality] = {}
        for municipality in municipalities:
            if not _NUMBER.fullmatch(municipality.number) or municipality.number in by_number:
                raise ValueError(f"municipality number {municipality.number!r} is not a new 3-digit number")
            by_number[municipality.number] = municipality
            for text in (municipality.name, *municipality.aliases, *filter(None, [municipality.official])):
                for key in _keys(text):
                    other = by_key.setdefault(key, municipality)
                    if other is not municipality:
                        raise ValueError(f"{text!r} could mean {other.name} or {municipality.name}")
        ordered = {n: by_number[n] for n in sorted(by_number)}
        return cls(MappingProxyType(ordered), MappingProxyType(by_key), tuple(regions))

    def all(self) -> tuple[Municipality, ...]:
        """Every municipality, by number."""
        return tuple(self.by_number.values())

    def municipality(self, number: str) -> Municipality:
        """The municipality with this official number; UnknownMunicipality if there is none."""
        found = self.by_number.get(number)
        if found is None:
            raise UnknownMunicipality(
                f"{number[:40]!r} is not one of Denmark's {COUNT} municipality numbers (e.g. 183 for Ishøj)"
            )
        return found

    def is_number(self, number: str) -> bool:
        return number in self.by_number

    def name_of(self, number: str) -> str:
        """The name of a municipality number, or 'kommune NNN' for a number not in the table."""
        found = self.by_number.get(number)
        return found.name if found else f"kommune {number}"

    def official_name_of(self, number: str) -> str | None:
        """'Ishøj Kommune', or None for a number not in the table."""
        found = self.by_number.get(number)
        return found.official_name if found else None

    def label_of(self, number: str) -> str:
        """'Ishøj (183)', or 'kommune NNN' for a number not in the table."""
        found = self.by_number.get(number)
        return found.label if found else f"kommune {number}"

    def _by_name(self, text: str) -> Municipality | None:
        for key in _keys(text):
            found = self.by_key.get(key)
            if found is None and key.endswith("s"):  # genitive: Københavns, Bornholms
                found = self.by_key.get(key[:-1])
            if found is not None:
                return found
        return None

    def resolve(self, text: str) -> Municipality | None:
        """The municipality a file's text means (number or name, any case, with or without 'Kommune'),
        or None when it names none of them (or a number and a name that disagree)."""
        text = text.strip()
        if not text:
            return None
        match = _NUMBER.fullmatch(text)
        if match:
            return self.by_number.get(match.group(1))
        if "Ã" in text:  # UTF-8 read as Latin-1 somewhere before us ("IshÃ¸j")
            with contextlib.suppress(UnicodeError):
                text = text.encode("latin-1").decode("utf-8")
        found = self._by_name(text)
        if found is not None:
            return found
        both = _NUMBER_AND_NAME.fullmatch(text)
        if both:
            number, name = both.groups()
        else:
            both = _NAME_AND_NUMBER.fullmatch(text)
            if not both:
                return None
            name, number = both.groups()
        by_number, by_name = self.by_number.get(number), self._by_name(name)
        return by_number if by_number is not None and by_number is by_name else None
