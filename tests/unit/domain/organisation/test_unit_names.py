"""Names people can trust: what looks like one department is one department, and shows as it is.

A right-to-left override, zero-width characters, a stroke drawn over letters, or Cyrillic and Greek
letters that imitate Latin ones must never make a silent second department, nor reach a display name.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.domain.events.descriptive import FindingReason
from streams.domain.organisation.departments import ReadName, department_slug, read_name, unit_department
from streams.domain.organisation.lookalikes import LOOKALIKES
from tests.fixtures.factories import parse_event
from tests.lookalikes_table import TARGET, module_text

RLO, ZWSP, ZWJ, ZWNJ, LRM, BOM, STROKE = "\u202e", "\u200b", "\u200d", "\u200c", "\u200e", "\ufeff", "\u0336"
CYRILLIC_O, CYRILLIC_VE, GREEK_OMICRON, DOTLESS_I = "\u043e", "\u0412", "\u03bf", "\u0131"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Borgerservice", ReadName("Borgerservice", cleaned=False, folded=False)),
        (f"{RLO}Borgerservice", ReadName("Borgerservice", cleaned=True, folded=False)),
        (f"Borger{ZWSP}service", ReadName("Borgerservice", cleaned=True, folded=False)),
        (f"Borger{ZWJ}ser{ZWNJ}vice{LRM}", ReadName("Borgerservice", cleaned=True, folded=False)),
        (f"{BOM}Borgerservice", ReadName("Borgerservice", cleaned=True, folded=False)),
        (f"Borgerservice{STROKE}", ReadName("Borgerservice", cleaned=True, folded=False)),
        (f"B{CYRILLIC_O}rgerservice", ReadName("Borgerservice", cleaned=False, folded=True)),
        (f"{CYRILLIC_VE}orgerservice", ReadName("Borgerservice", cleaned=False, folded=True)),
        (f"B{GREEK_OMICRON}rgerservice", ReadName("Borgerservice", cleaned=False, folded=True)),
        (f"Borgerserv{DOTLESS_I}ce", ReadName("Borgerservice", cleaned=False, folded=True)),
        ("Ｂｏｒｇｅｒｓｅｒｖｉｃｅ", ReadName("Borgerservice", cleaned=False, folded=False)),  # NFKC: fullwidth
        # Danish and other accented Latin letters are names, not imitations
        ("Børn og Unge", ReadName("Børn og Unge", cleaned=False, folded=False)),
        ("Café Ærø", ReadName("Café Ærø", cleaned=False, folded=False)),
        ("Cafe\u0301", ReadName("Café", cleaned=False, folded=False)),  # NFKC joins the accent to its letter
        # a name truly written in another script is left as it is
        ("Українська", ReadName("Українська", cleaned=False, folded=False)),
    ],
)
def test_a_name_is_read_as_people_see_it(name: str, expected: ReadName) -> None:
    assert read_name(name) == expected


@pytest.mark.parametrize(
    "attack",
    [
        f"{RLO}Borgerservice",
        f"Borger{ZWSP}service",
        f"Borger{ZWJ}service",
        f"Borgerservice{STROKE}",
        f"B{CYRILLIC_O}rgerservice",
        f"{CYRILLIC_VE}orgerservice",
        f"B{GREEK_OMICRON}rgerserv{DOTLESS_I}ce{ZWSP}",
        f"183 B{CYRILLIC_O}rgerservice",
    ],
)
def test_every_look_alike_of_a_department_is_that_department(attack: str) -> None:
    assert unit_department(attack, "183") == "borgerservice"


def test_a_reversed_name_is_shown_reversed_and_is_its_own_department() -> None:
    """The trial's `\\u202eecivresregroB` showed as Borgerservice; without the override it reads as what it is."""
    assert read_name(f"{RLO}ecivresregroB").text == "ecivresregroB"
    assert department_slug(f"{RLO}ecivresregroB") == "ecivresregrob"


EVENT = {
    "schema_version": 1,
    "event_id": "tel-1",
    "source": "telephony",
    "occurred_at": "2026-12-01T10:00:00+01:00",
    "municipality": "183",
    "department": "borgerservice",
    "channel": "phone",
    "direction": "in",
}


@pytest.mark.parametrize(
    ("name", "shown", "detail"),
    [
        (
            f"{RLO}Borgerservice",
            "Borgerservice",
            "department_name '\\u202eBorgerservice' read as 'Borgerservice': invisible characters removed",
        ),
        (
            f"B{CYRILLIC_O}rgerservice",
            "Borgerservice",
            f"department_name 'B{CYRILLIC_O}rgerservice' read as 'Borgerservice': look-alike letters read as Latin",
        ),
        (
            f"B{CYRILLIC_O}rger{ZWSP}service",
            "Borgerservice",
            f"department_name 'B{CYRILLIC_O}rger\\u200bservice' read as 'Borgerservice': invisible characters "
            "removed and look-alike letters read as Latin",
        ),
    ],
)
def test_a_display_name_is_shown_as_read_with_a_finding(name: str, shown: str, detail: str) -> None:
    findings: list = []
    event = parse_event({**EVENT, "department_name": name}, findings=findings)
    assert event.department_name == shown
    assert [(f.field, f.reason, f.detail) for f in findings] == [("department_name", FindingReason.NORMALISED, detail)]


def test_a_display_name_of_invisible_characters_only_is_left_out_and_the_inquiry_counts() -> None:
    findings: list = []
    event = parse_event({**EVENT, "department_name": ZWSP + RLO}, findings=findings)
    assert event.department_name is None
    assert [(f.field, f.reason) for f in findings] == [("department_name", FindingReason.INVALID_FORMAT)]


def test_a_reversed_display_name_of_another_department_is_left_out() -> None:
    findings: list = []
    event = parse_event({**EVENT, "department_name": f"{RLO}ecivresregroB"}, findings=findings)
    assert event.department_name is None
    assert [f.reason for f in findings] == [FindingReason.NORMALISED, FindingReason.OTHER_DEPARTMENT]


INVISIBLE = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
IMITATIONS: dict[str, list[str]] = {}
for _char, _ascii in LOOKALIKES.items():
    IMITATIONS.setdefault(_ascii.lower(), []).append(_char)


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    """A plain Latin unit name, and the same name disguised by invisible characters and look-alike letters."""
    base = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=30).filter(str.strip))
    out = []
    for char in base:
        if char in IMITATIONS and draw(st.booleans()):
            char = draw(st.sampled_from(IMITATIONS[char]))
        out.append(char)
        if draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
    return base, "".join(out)


@given(disguised())
def test_any_disguise_of_a_latin_name_is_the_same_department(pair: tuple[str, str]) -> None:
    """One department per skeleton: invisible characters and look-alike letters never make another."""
    base, disguise = pair
    assert department_slug(disguise) == department_slug(base)


@given(st.text(max_size=80))
def test_any_name_reads_without_invisible_characters_and_reading_again_changes_nothing(name: str) -> None:
    read = read_name(name)
    assert not any(unicodedata.category(c) == "Cf" for c in read.text)
    assert read_name(read.text).text == read.text


def test_the_look_alike_table_is_the_one_generated_from_unicode() -> None:
    assert TARGET.read_text(encoding="utf-8") == module_text()  # regenerate: python -m tests.lookalikes_table
