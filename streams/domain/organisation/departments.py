"""Department slugs: free-text unit names (Enhed) made into the event's department pattern.

One function, so the KOMHEN importer and the source adapters turn "Børn og Unge" into the
same `boern-og-unge` and their counts land on one department.

>>> department_slug("Børn og Unge")
'boern-og-unge'
>>> department_slug("259borgerservice")
'259borgerservice'
>>> department_slug("  ")
'unknown'
>>> department_slug(without_municipality_number("183borgerservice", "183"))
'borgerservice'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import NamedTuple

from streams.contract.identifiers import UNKNOWN_DEPARTMENT
from streams.contract.texts import text, text_in
from streams.domain.events.privacy import shown
from streams.domain.organisation.lookalikes import LOOKALIKES

UNKNOWN_DEPARTMENT_NAME = "Enhed ikke angivet"  # what people read for the blank unit
MAX_LENGTH = 64

# Danish letters spelt out as Danes do when a system cannot take them; a few letters that
# NFKD does not decompose follow. Everything else loses its accents through NFKD.
_SPELL_OUT = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d"}
)
_NOT_ALLOWED = re.compile(r"[^a-z0-9_-]+")
_DASHES = re.compile(r"-{2,}")


class NoSlug(ValueError):
    """A unit name with no letter or digit left to name a department by (e.g. '???').

    The message is the operator's line, in the language chosen; `detail` is the English sentence a
    rejected record carries, as every record's detail in the contract is English.
    """

    def __init__(self, unit: str) -> None:
        super().__init__(text("department.no_slug", unit=shown(unit)))
        self.unit = unit
        self.detail = text_in("en", "rejected.no_slug", unit=shown(unit))


class ReadName(NamedTuple):
    """A unit name as it is read, and what reading it changed.

    >>> read_name("Borger\u200bservice")
    ReadName(text='Borgerservice', cleaned=True, folded=False)
    >>> read_name("B\u043ergerservice")  # a Cyrillic о among Latin letters
    ReadName(text='Borgerservice', cleaned=False, folded=True)
    """

    text: str  # NFKC, without format characters, look-alike letters read as the ASCII letters they imitate
    cleaned: bool  # it held invisible format characters (bidi controls, zero-width) or marks drawn over letters
    folded: bool  # it held letters that only look like ASCII letters (a Cyrillic о, a dotless ı)


def read_name(unit: str) -> ReadName:
    """The one reading of a unit name, so that what looks the same is the same department.

    Invisible format characters (Unicode category Cf: a right-to-left override, a zero-width
    space) are removed, and so is a combining mark that NFKC could not join to the ASCII letter
    before it (a stroke or a ring drawn over a letter: every accent a name needs is precomposed):
    they change how a name shows, never what it is. Where every letter of another script in the
    name only looks like an ASCII letter (Unicode's confusables), the name imitates a Latin one and
    each such letter is read as the ASCII letter: `Bоrgerservice` with a Cyrillic о is Borgerservice,
    not a second department beside it. A name truly written in another script is left as it is.
    """
    if unit.isascii():
        return ReadName(unit, cleaned=False, folded=False)  # no format character, mark or look-alike is ASCII
    text = unicodedata.normalize("NFKC", unit)
    kept: list[str] = []
    for char in text:
        decoration = unicodedata.combining(char) and kept and kept[-1].isascii() and kept[-1].isalpha()
        if not decoration and unicodedata.category(char) != "Cf":
            kept.append(char)
    visible = "".join(kept)
    foreign = [c for c in visible if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN")]
    imitation = any(c in LOOKALIKES for c in visible) and all(c in LOOKALIKES for c in foreign)
    folded = "".join(LOOKALIKES.get(c, c) for c in visible) if imitation else visible
    return ReadName(folded, visible != text, folded != visible)


def department_slug(unit: str) -> str:
    """The department for a unit name; blank means `unknown`.

    Lowercase; æ/ø/å become ae/oe/aa, other accents are stripped, any run of other
    characters becomes one '-'. Names longer than 64 characters keep 55 and end in '-'
    plus 8 hex of the full slug's SHA-256, so two long names sharing a prefix stay apart.
    The name is read by read_name first: what looks the same is the same department.
    Raises NoSlug when a non-blank name has nothing usable.
    """
    text = read_name(unit).text.strip()
    if not text:
        return UNKNOWN_DEPARTMENT
    text = text.lower().translate(_SPELL_OUT)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    slug = _DASHES.sub("-", _NOT_ALLOWED.sub("-", text)).strip("-_")
    if not slug:
        raise NoSlug(unit.strip())
    if len(slug) > MAX_LENGTH:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
        slug = f"{slug[: MAX_LENGTH - 9].rstrip('-_')}-{digest}"
    return slug


_NUMBER_SEPARATOR = " -_.:"


def without_municipality_number(unit: str, municipality: str) -> str:
    """The unit name without the municipality's number in front, as Det Digitale Landkort writes units
    (`183borgerservice`, `183 Borgerservice`): Ishøj's 183borgerservice is its Borgerservice, and must
    count as the same department as the Borgerservice the telephony mapping names. A name that is only
    the number, or where more digits follow (`1830 Skovlunde`), is kept as it is.
    """
    text = unit.strip()
    if not text.startswith(municipality):
        return text
    rest = text[len(municipality) :].lstrip(_NUMBER_SEPARATOR)
    return rest if rest and not rest[0].isdigit() else text


def unit_department(unit: str, municipality: str) -> str:
    """The department of a unit name in a municipality: its slug, the municipality number in front left out.

    The one rule by which the importer, the adapters' mapping files and the simulator's profiles name
    departments, so that a unit's events meet in one department. Raises NoSlug like department_slug.
    """
    return department_slug(without_municipality_number(unit, municipality))


def department_of_name(name: str, municipality: str) -> str | None:
    """The department a display name belongs to (unit_department), or None for a name without letters or
    digits. A name belongs to exactly one department, so a name and its department always agree:
    `komhen export` writes the name and the import reads it back."""
    try:
        return unit_department(name, municipality)
    except NoSlug:
        return None


def unnamed(slug: str) -> str:
    """The display name of a department no inquiry named: the blank unit's Danish name, else its slug."""
    return UNKNOWN_DEPARTMENT_NAME if slug == UNKNOWN_DEPARTMENT else slug
