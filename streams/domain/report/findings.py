"""Findings and recommendations by fixed rules, per unit, each citing the numbers it rests on.

The rules put into code what the Odense children's department's status report (autumn 2015)
did by hand. Every threshold is a field of FindingRules; `min_inquiries` is the report's
minimum volume (default 30), below which a share says little.

- F1 Papirbreve: the unit received or sent at least `paper_letters` (1) paper letters
  (PPRIND in; PPRUD and FPRNT out). Could they come and go as self-service or Digital Post?
- F2 Blanketter uden for selvbetjening: at least `forms_elsewhere` (1) incoming inquiries with a
  form (Blanket JA) came on another channel than self-service. Could the forms be self-service?
- F3 Hjælp til selvbetjening: at least `min_inquiries` incoming inquiries, of which at least
  `help_min` (10) and `help_share` (5 %) are help to self-service (SLVBTJN). Too complex?
- F4 Informationshenvendelser på få opgaver: at least `min_inquiries` information inquiries
  (INFO, VEJL) with a KLE number, of which the `top_tasks` (3) most frequent tasks hold at
  least `concentration` (50 %). Could the website answer them?
- F5 E-mail hvor Digital Post hører hjemme: at least `min_inquiries` outgoing inquiries, of
  which at least `email_min` (10) and `email_share` (10 %) went by e-mail. Digital Post instead?
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from streams.contract.danish import percent, whole
from streams.domain.counting.day_buckets import Cell
from streams.domain.events.codes import CodeTable
from streams.domain.report.sections import INFORMATION_TYPES

MIN_INQUIRIES = 30  # the report's default minimum volume for a verdict or a share-based finding


@dataclass(frozen=True)
class FindingRules:
    """The thresholds of the rules F1–F5 (see the module docstring and docs/status-report.md)."""

    min_inquiries: int = MIN_INQUIRIES
    paper_letters: int = 1
    forms_elsewhere: int = 1
    help_min: int = 10
    help_share: float = 0.05
    top_tasks: int = 3
    concentration: float = 0.5
    email_min: int = 10
    email_share: float = 0.10


RULE_NAMES: Mapping[str, str] = {
    "F1": "Papirbreve",
    "F2": "Blanketter uden for selvbetjening",
    "F3": "Hjælp til selvbetjening",
    "F4": "Informationshenvendelser på få opgaver",
    "F5": "E-mail hvor Digital Post hører hjemme",
}


@dataclass(frozen=True)
class UnitFinding:
    """What one rule (F1 … F5) found in one unit's channels, and what to do about it.

    Not an event's descriptive finding (streams/domain/events/descriptive.py Finding): that is one
    implausible value of one inquiry; this is a pattern in a unit's counts over a report's period.
    """

    rule: str  # F1 … F5
    department: str
    unit_name: str
    text: str  # what was found, with its numbers
    recommendation: str
    weight: int  # the count the rule is about: findings of a rule are listed largest first

    @property
    def rule_name(self) -> str:
        return RULE_NAMES[self.rule]


def _n(n: int, one: str, many: str) -> str:
    """'1 papirbrev', '4 papirbreve'."""
    return f"{whole(n)} {one if n == 1 else many}"


def in_text(channel_name: str) -> str:
    """A channel's name inside a sentence: 'papirbrev', 'e-mail', but 'Digital Post' and 'SMS' as they are."""
    if channel_name.isupper() or any(w[:1].isupper() for w in channel_name.split()[1:]):
        return channel_name
    return channel_name[:1].lower() + channel_name[1:]


def _pct(n: int, of: int) -> str:
    return percent(n / of) if of else "–"


def _listing(counts: Counter[str]) -> str:
    """'papirbrev 4, e-mail 2' in falling order (then by name)."""
    return ", ".join(f"{name} {whole(n)}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def unit_findings(
    department: str, unit_name: str, cells: Mapping[Cell, int], rules: FindingRules, codes: CodeTable
) -> list[UnitFinding]:
    """The findings of one unit over one period's cells."""
    incoming = outgoing = 0
    letters_in = letters_out = email_out = digital_post_out = help_total = 0
    forms: Counter[str] = Counter()
    help_by_channel: Counter[str] = Counter()
    information: Counter[str] = Counter()
    for cell, n in cells.items():
        if cell.direction == "in":
            incoming += n
            if cell.channel == "letter":
                letters_in += n
            if cell.form and cell.channel != "self_service":
                forms[in_text(codes.channels[cell.channel].da)] += n
            if cell.inquiry_type == "SLVBTJN":
                help_total += n
                help_by_channel[in_text(codes.channels[cell.channel].da)] += n
        else:
            outgoing += n
            if cell.channel in ("letter", "remote_print"):
                letters_out += n
            elif cell.channel == "email":
                email_out += n
            elif cell.channel == "digital_post":
                digital_post_out += n
        if cell.inquiry_type in INFORMATION_TYPES and cell.kle is not None:
            information[cell.kle] += n

    out: list[UnitFinding] = []

    def add(rule: str, text: str, recommendation: str, weight: int) -> None:
        out.append(UnitFinding(rule, department, unit_name, text, recommendation, weight))

    if letters_in + letters_out >= rules.paper_letters:
        parts = []
        if letters_in:
            parts.append(
                f"modtog {_n(letters_in, 'papirbrev', 'papirbreve')} ({_pct(letters_in, incoming)} af de indgående)"
            )
        if letters_out:
            parts.append(
                f"sendte {_n(letters_out, 'papirbrev', 'papirbreve')} inkl. fjernprint "
                f"({_pct(letters_out, outgoing)} af de udgående)"
            )
        add(
            "F1",
            f"Enheden {' og '.join(parts)}.",
            "Kan de indgående breve komme via selvbetjening eller Digital Post, og kan de udgående sendes som "
            "Digital Post?",
            letters_in + letters_out,
        )
    forms_total = sum(forms.values())
    if forms_total >= rules.forms_elsewhere:
        add(
            "F2",
            f"{_n(forms_total, 'indgående henvendelse', 'indgående henvendelser')} med blanket kom ad andre kanaler "
            "end selvbetjening: "
            f"{_listing(forms)}.",
            "Kan blanketterne udstilles i en selvbetjeningsløsning?",
            forms_total,
        )
    if incoming >= rules.min_inquiries and help_total >= rules.help_min and help_total / incoming >= rules.help_share:
        add(
            "F3",
            f"{whole(help_total)} af {whole(incoming)} indgående henvendelser ({_pct(help_total, incoming)}) var hjælp "
            f"til selvbetjening (SLVBTJN): {_listing(help_by_channel)}.",
            "Er selvbetjeningsløsningen for kompleks? Se på, hvor borgerne går i stå, og gør løsningen enklere.",
            help_total,
        )
    information_total = sum(information.values())
    if information_total >= rules.min_inquiries:
        top = sorted(information.items(), key=lambda kv: (-kv[1], kv[0]))[: rules.top_tasks]
        top_total = sum(n for _, n in top)
        if top_total / information_total >= rules.concentration:
            tasks = ", ".join(f"{kle} ({whole(n)})" for kle, n in top)
            add(
                "F4",
                f"{_pct(top_total, information_total)} af {whole(information_total)} informationshenvendelser (INFO og "
                f"VEJL med KLE-nummer) handler om {len(top)} {'opgave' if len(top) == 1 else 'opgaver'}: {tasks}.",
                "Kan hjemmesiden svare på dem, så borgerne ikke behøver at spørge?",
                top_total,
            )
    if outgoing >= rules.min_inquiries and email_out >= rules.email_min and email_out / outgoing >= rules.email_share:
        add(
            "F5",
            f"Enheden sendte {_n(email_out, 'e-mail', 'e-mails')} ({_pct(email_out, outgoing)} af de udgående) og "
            f"{whole(digital_post_out)} med Digital Post ({_pct(digital_post_out, outgoing)}).",
            "Svar til borgere og virksomheder om deres sag hører hjemme i Digital Post: kan e-mailene sendes som "
            "Digital Post?",
            email_out,
        )
    return out


def ordered(findings: list[UnitFinding]) -> tuple[UnitFinding, ...]:
    """By rule, then largest first, then by unit name."""
    return tuple(sorted(findings, key=lambda f: (f.rule, -f.weight, f.unit_name)))
