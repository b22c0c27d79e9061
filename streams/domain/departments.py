"""Department slugs: free-text unit names (Enhed) made into the event's department pattern.

One function, so the KOMHEN importer and the source adapters turn "Børn og Unge" into the
same `boern-og-unge` and their counts land on one department.

>>> department_slug("Børn og Unge")
'boern-og-unge'
>>> department_slug("259borgerservice")
'259borgerservice'
>>> department_slug("  ")
'unknown'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from streams.domain.privacy import shown

UNKNOWN_DEPARTMENT = "unknown"
ALL_DEPARTMENTS = "_all"  # reserved: the whole municipality (in target scopes and the department label)
MAX_LENGTH = 64

# Danish letters spelt out as Danes do when a system cannot take them; a few letters that
# NFKD does not decompose follow. Everything else loses its accents through NFKD.
_SPELL_OUT = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d"}
)
_NOT_ALLOWED = re.compile(r"[^a-z0-9_-]+")
_DASHES = re.compile(r"-{2,}")


class NoSlug(ValueError):
    """A unit name with no letter or digit left to name a department by (e.g. '???')."""


def department_slug(unit: str) -> str:
    """The department for a unit name; blank means `unknown`.

    Lowercase; æ/ø/å become ae/oe/aa, other accents are stripped, any run of other
    characters becomes one '-'. Names longer than 64 characters keep 55 and end in '-'
    plus 8 hex of the full slug's SHA-256, so two long names sharing a prefix stay apart.
    Raises NoSlug when a non-blank name has nothing usable.
    """
    text = unit.strip()
    if not text:
        return UNKNOWN_DEPARTMENT
    text = unicodedata.normalize("NFKC", text).lower().translate(_SPELL_OUT)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    slug = _DASHES.sub("-", _NOT_ALLOWED.sub("-", text)).strip("-_")
    if not slug:
        raise NoSlug(f"unit {shown(unit.strip())} has no letter or digit to name a department by")
    if len(slug) > MAX_LENGTH:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
        slug = f"{slug[: MAX_LENGTH - 9].rstrip('-_')}-{digest}"
    return slug
