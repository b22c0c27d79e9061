"""Danish as people read it, said once: numbers as Danes write them, and the words every output uses.

The dashboards, the alert rules, the status report, the live table and the report model read
their shared Danish texts here: the names of windows, measures, target states and verdicts,
weekdays and months, the whole municipality and the whole country, and the definitions of the
service rates. A name table is keyed by the values of the enum it names, so a StrEnum member
looks its text up as itself (`MEASURE_NAMES_DA[Measure.PAPER_SHARE]`).

>>> whole(1234567), percent(0.4444), decimal(40.5, 2)
('1.234.567', '44,4 %', '40,50')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType


def whole(n: float) -> str:
    """A whole number with '.' between thousands."""
    return f"{round(n):,}".replace(",", ".")


def decimal(x: float, places: int = 1) -> str:
    """A decimal number with ',' as the decimal sign and '.' between thousands."""
    return f"{x:,.{places}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(share: float, places: int = 1) -> str:
    """A share 0..1 as a percentage: 0.444 -> '44,4 %'."""
    return f"{decimal(share * 100, places)} %"


def numeric_date(day: date) -> str:
    """A date as Danes write it in figures: 1.12.2026 (a deadline in an alert or a panel)."""
    return f"{day.day}.{day.month}.{day.year}"


WHOLE_MUNICIPALITY_DA = "hele kommunen"  # department _all
WHOLE_COUNTRY_DA = "hele landet"  # municipality _national, and the national sums
COMPARATORS_DA: Mapping[str, str] = MappingProxyType({">=": "mindst", "<=": "højst"})  # a target's threshold

# The rolling windows (streams/domain/counting/windows.py).
WINDOW_NAMES_DA: Mapping[str, str] = MappingProxyType(
    {"7d": "7 dage", "28d": "28 dage", "365d": "365 dage", "ytd": "År til dato"}
)

# The target measures (streams/domain/measures/measures.py Measure).
MEASURE_NAMES_DA: Mapping[str, str] = MappingProxyType(
    {
        "channel_share": "kanalandel",
        "digital_share": "digital andel",
        "self_service_rate": "selvbetjeningsgrad",
        "first_contact_resolution": "straksafklaringsgrad",
        "digital_post_out_share": "andel udgående Digital Post",
        "paper_share": "papirandel",
        "cost_per_inquiry": "anslået pris pr. henvendelse",
        "volume": "antal henvendelser i forhold til udgangspunktet",
    }
)

# The measures municipalities are compared on (streams/domain/measures/league.py LeagueMeasure).
LEAGUE_MEASURE_NAMES_DA: Mapping[str, str] = MappingProxyType(
    {
        "self_service": "selvbetjening",
        "digital": "digital andel",
        "personal": "personligt fremmøde",
        "paper": "papir",
        "digital_post_out": "udgående Digital Post",
        "first_contact_resolution": "straksafklaring",
        "cost_per_inquiry": "pris pr. henvendelse",
    }
)

# Where a target stands live (streams/domain/measures/progress.py TargetState).
STATE_NAMES_DA: Mapping[str, str] = MappingProxyType(
    {
        "met": "nået",
        "on_schedule": "på planen",
        "behind_schedule": "bagud",
        "missed": "ikke nået",
        "too_few_inquiries": "for få henvendelser",
    }
)

# A status report's verdict on a goal (streams/domain/report/goals.py Verdict).
VERDICTS_DA: Mapping[str, str] = MappingProxyType(
    {"met": "Nået", "on_schedule": "På sporet", "behind": "Bagud", "too_few": "For få henvendelser"}
)

WEEKDAY_NAMES_DA = ("søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag")  # 0 = Sunday, as PromQL
MONTHS_DA = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_SHORT_DA = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")

# The service measures' definitions (docs/contracts.md, "Service events"; streams/domain/measures/shares.py).
ANSWER_RATE_DA = (
    "Besvarelsesprocent = indgående telefonhenvendelser (besvaret eller lagt på telefonsvarer) / (dem + afbrudte "
    "opkald). Et afbrudt opkald (den, der ringer, lægger på før svar eller telefonsvarer) er ikke en henvendelse "
    "efter KOMHEN, men blev tilbudt; tom uden opkald."
)
FIRST_CONTACT_DA = (
    "Straksafklaringsgrad = telefon- og personlige henvendelser afsluttet ved første kontakt (STRAKS) / dem med en "
    "registreret afslutning (STRAKS eller HOLD). Henvendelser uden afslutning tæller ikke med; tom uden nogen."
)
COMPLETION_RATE_DA = (
    "Gennemførelsesgrad = gennemførte selvbetjeningstransaktioner (indgående selvbetjeningshenvendelser) / "
    "påbegyndte selvbetjeningsforsøg; tom, hvor ingen påbegyndte forsøg er indberettet. Pr. KLE-opgave: "
    "komhen report selfservice."
)
