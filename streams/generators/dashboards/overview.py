"""Kanalstrategi – overblik: one wall dashboard per municipality that has target files.

Rows: channel mix over time, the service rates (telephone answers, self-service completion), each
target (gauge against the file's threshold, plan and projected date), the departments furthest
behind, and the estimated cost with KL's prices.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from streams.contract import names
from streams.contract.danish import (
    ANSWER_RATE_DA,
    COMPARATORS_DA,
    COMPLETION_RATE_DA,
    LEAGUE_MEASURE_NAMES_DA,
    MEASURE_NAMES_DA,
    numeric_date,
)
from streams.contract.identifiers import ALL_DEPARTMENTS, NATIONAL
from streams.documents.reference import code_table
from streams.domain.events.codes import DIRECTIONS
from streams.domain.measures.league import LeagueMeasure
from streams.domain.measures.progress import TargetState
from streams.domain.measures.targets import Target, TargetFile, is_pattern
from streams.generators.dashboards import queries
from streams.generators.dashboards.defaults import (
    OVERVIEW_UID,
    Dashboard,
    Panel,
    department_name,
    directions_da,
    municipality_name,
)
from streams.generators.dashboards.layout import dashboard
from streams.generators.dashboards.links import department_cell_link, department_link
from streams.generators.dashboards.panels import (
    WHOLE_NUMBERS,
    alarm_from,
    bargauge,
    channel_mix,
    columns_table,
    direction_totals,
    field_config,
    gauge,
    instant_stat,
    override,
    query,
    ref_id,
    row,
    series_stat,
    state_stat,
    steps,
    target_thresholds,
    target_unit,
    text,
)
from streams.generators.dashboards.queries import selector
from streams.generators.dashboards.variables import constant_variable, query_variable, window_variable

MUNICIPALITY = "$municipality"
WINDOW = "$window"
BEHIND_TOP = 10


def uid(municipality: str | None) -> str:
    return f"{OVERVIEW_UID}-{municipality}" if municipality else OVERVIEW_UID


def channel_mix_row() -> list[Panel]:
    """Incoming and outgoing channel mix of the whole municipality over time, stacked to 100 %."""
    panels: list[Panel] = [row("Kanalmiks for hele kommunen")]
    for direction, da in directions_da().items():
        sel = selector(municipality=MUNICIPALITY, department=ALL_DEPARTMENTS, direction=direction, window=WINDOW)
        panels.append(
            channel_mix(
                f"Kanalmiks, {da} henvendelser",
                f"Hver kanals andel af alle {da} henvendelser i vinduet ($window), som den har udviklet sig. "
                "Summen er 100 %.",
                f"max by (channel) ({names.CHANNEL_SHARE}{sel})",
            )
        )
    sel = selector(municipality=MUNICIPALITY, department=ALL_DEPARTMENTS, window=WINDOW)
    panels.append(
        direction_totals(
            "Henvendelser i vinduet",
            "Antal talte henvendelser i hele kommunen i vinduet, pr. retning.",
            f"sum by (direction) ({names.WINDOW_INQUIRIES}{sel})",
        )
    )
    return panels


def service_rate_stat(title: str, explanation: str, rate: str, legend: str, no_value: str) -> Panel:
    """One of the whole municipality's service rates in the selected window."""
    whole = {"municipality": MUNICIPALITY, "department": ALL_DEPARTMENTS}
    return instant_stat(
        title,
        f"{explanation} Hele kommunen, i vinduet ($window).",
        queries.service_rate(rate, WINDOW, **whole),
        legend,
        field_config("percentunit", decimals=1, no_value=no_value),
        width=12,
        height=4,
    )


def service_row() -> list[Panel]:
    """The whole municipality's telephone answer rate and self-service completion rate in the window."""
    return [
        row("Service i hele kommunen"),
        service_rate_stat(
            "Besvarelsesprocent, telefon", ANSWER_RATE_DA, queries.ANSWER_RATE, "Besvarelsesprocent", "ingen opkald"
        ),
        service_rate_stat(
            "Gennemførelsesgrad for selvbetjening",
            COMPLETION_RATE_DA,
            queries.COMPLETION_RATE,
            "Gennemførelsesgrad",
            "ingen påbegyndte forsøg",
        ),
    ]


def _target_labels(municipality: str, target: Target, department: str) -> dict[str, str]:
    return {"target": target.id, "municipality": municipality, "department": department}


def target_panels(municipality: str, target: Target, department: str) -> list[Panel]:
    """The target's actual value against its threshold, and where the plan and the trend say it goes."""
    sel = selector(**_target_labels(municipality, target, department))
    unit = target_unit(target)
    maximum = 1.0 if target.measure.is_rate else None
    scope = municipality_name(municipality) if municipality == NATIONAL else department_name(department)
    bar = COMPARATORS_DA[target.comparator]
    deadline = f" inden {numeric_date(target.deadline)}" if target.deadline else ""
    actual = gauge(
        f"{target.title} ({scope})",
        f"{MEASURE_NAMES_DA[target.measure].capitalize()} over vinduet {target.window} for {scope}. "
        f"Målet er {bar} {target.threshold:g}{deadline}; rød er den forkerte side af målet. "
        f"Mål-id {target.id}, ansvarlig {target.owner.label}.",
        [query(f"max({names.TARGET_ACTUAL}{sel})", target.title, instant=True)],
        field_config(unit, thresholds=target_thresholds(target), no_value="ingen data", minimum=0, maximum=maximum),
    )
    plan = series_stat(
        f"Plan og prognose: {target.title} ({scope})",
        "Planen: hvor glidestien fra udgangspunktet til målet siger, tallet skal være i dag (uden glidesti: målet). "
        "Prognosen: den dag, målet nås i det nuværende tempo (de sidste fire ugers tendens); tom, når målet "
        "allerede er nået, eller tendensen går den forkerte vej.",
        [
            ("Planen siger i dag", f"max({names.TARGET_EXPECTED}{sel})"),
            ("Nås ved nuværende tempo", f"max({names.TARGET_PROJECTED_REACH}{sel}) * 1000"),
        ],
        field_config(
            unit,
            no_value="–",
            overrides=[override("B", {"unit": "time:DD.MM.YYYY"}, matcher="byFrameRefID")],
        ),
        width=6,
        height=7,
    )
    state = state_stat(
        f"Status: {target.title} ({scope})",
        "Nået, på planen, bagud i forhold til glidestien, ikke nået (fristen er overskredet, eller målet gælder "
        f"løbende), eller for få henvendelser til en vurdering (under {target.min_inquiries}: ingen alarm).",
        f"{names.TARGET_STATE}{sel} == 1",
        width=12,
        height=3,
    )
    return [actual, plan, state]


def targets_row(target_files: Sequence[TargetFile], municipality: str) -> list[Panel]:
    panels: list[Panel] = [row("Mål")]
    for target_file in target_files:
        for target in target_file.targets:
            for department in target.scope:
                if is_pattern(department):
                    panels.extend(pattern_panels(municipality, target, department))
                else:
                    panels.extend(target_panels(municipality, target, department))
    return panels


def _glob_regex(pattern: str) -> str:
    """A scope pattern (`*`, `skole-*`) as the PromQL regex of the departments it covers."""
    return ".*".join(re.escape(part) for part in pattern.split("*"))


def pattern_panels(municipality: str, target: Target, pattern: str) -> list[Panel]:
    """A target over every department a pattern covers: each department's value, and who has too few inquiries."""
    scope = {"target": target.id, "municipality": municipality, "department": "~" + _glob_regex(pattern)}
    covered = "alle afdelinger" if pattern == "*" else f"afdelingerne {pattern}"
    actual = queries.named(f"max by (department) ({names.TARGET_ACTUAL}{selector(**scope)})", municipality)
    too_few = selector(**scope, state=TargetState.TOO_FEW_INQUIRIES.value)
    return [
        furthest_departments(
            f"{target.title} ({covered})",
            f"{MEASURE_NAMES_DA[target.measure].capitalize()} over vinduet {target.window} i hver afdeling, målet "
            f"dækker ({covered}), de {BEHIND_TOP} længst fra målet først. Afdelinger med for få henvendelser til en "
            "vurdering er ikke med. Klik en afdeling for at åbne den.",
            actual,
            target,
            maximum=1.0 if target.measure.is_rate else None,
        ),
        instant_stat(
            f"For få henvendelser: {target.title} ({covered})",
            "Afdelinger, hvis vindue har færre henvendelser end målets minimum: ingen vurdering og ingen alarm.",
            f"count({names.TARGET_STATE}{too_few} == 1) or vector(0)",
            "Afdelinger uden vurdering",
            field_config("short", decimals=0),
            width=6,
            height=4,
        ),
    ]


def furthest_departments(
    title: str, description: str, by_department: str, target: Target, *, maximum: float | None
) -> Panel:
    """The BEHIND_TOP departments furthest from the target (`by_department`, named), worst first; a click opens one."""
    worst = "bottomk" if target.comparator == ">=" else "topk"
    return bargauge(
        title,
        description,
        [query(f"{worst}({BEHIND_TOP},\n{by_department}\n)", "{{department_name}}", instant=True)],
        field_config(
            target_unit(target),
            thresholds=target_thresholds(target),
            minimum=0,
            maximum=maximum,
            links=[department_link()],
        ),
    )


def behind_row(target_files: Sequence[TargetFile], municipality: str) -> list[Panel]:
    """Departments furthest from each target that channel counts can measure per department."""
    panels: list[Panel] = [row("Afdelinger længst fra målene")]
    skipped: list[str] = []
    for target_file in target_files:
        for target in target_file.targets:
            measure = queries.derive(target)
            if measure is None:
                skipped.append(target.title)
                continue
            panels.append(
                furthest_departments(
                    f"Længst fra målet: {target.title}",
                    f"De {BEHIND_TOP} afdelinger, der er længst fra målet ({target.comparator} {target.threshold:g}), "
                    f"målt som målets {MEASURE_NAMES_DA[target.measure]} over vinduet {target.window} i hver "
                    "afdeling. Klik en afdeling for at åbne den.",
                    queries.named(queries.share_by_department(measure, target.window, MUNICIPALITY), MUNICIPALITY),
                    target,
                    maximum=1,
                )
            )
    scoped = [t for f in target_files for t in f.targets if set(t.scope) - {ALL_DEPARTMENTS}]
    if scoped:
        scope = {"municipality": MUNICIPALITY, "department": "!_all"}
        sel, by = selector(**scope), "max by (target, municipality, department)"
        shortfall = (
            f"({names.TARGET_THRESHOLD}{sel} - {names.TARGET_ACTUAL}{sel})\n"
            "* on (target, municipality, department) group_left ()\n"
            f"({by} ({names.TARGET_INFO}{selector(**scope, comparator='>=')})\n"
            f" or -{by} ({names.TARGET_INFO}{selector(**scope, comparator='<=')}))"
        )
        panels.append(
            bargauge(
                "Afdelinger med egne mål: afstand til målet",
                "Hvor langt hver afdeling med et mål i målfilen er fra tærsklen (over 0: målet er ikke nået).",
                [
                    query(
                        f"sort_desc(\n{queries.named(shortfall, MUNICIPALITY)}\n)",
                        "{{department_name}}: {{target}}",
                        instant=True,
                    )
                ],
                field_config(
                    "percentunit" if all(t.measure.in_percent for t in scoped) else "short",
                    thresholds=alarm_from(1e-9),
                    links=[department_link()],
                ),
            )
        )
    if skipped:
        panels.append(
            text(
                "Mål, der ikke kan opgøres pr. afdeling",
                "Disse mål afhænger af henvendelsestype, KLE-opgave eller afslutning, som ikke er labels på "
                "målingerne; de vises kun for det omfang, målfilen angiver (se Mål ovenfor):\n\n"
                + "\n".join(f"- {title}" for title in skipped),
                width=12,
                height=8,
            )
        )
    return panels


def cost_row(target_files: Sequence[TargetFile]) -> list[Panel]:
    """Estimated channel cost with KL's 2011 channel prices, and the saving of meeting each target."""
    whole = {"municipality": MUNICIPALITY, "department": ALL_DEPARTMENTS}
    panels: list[Panel] = [
        row("Økonomi (KL's kanalpriser 2011)"),
        instant_stat(
            "Anslået pris pr. henvendelse",
            "Gennemsnitlig KL-pris for henvendelserne i vinduet på kanaler med en pris (selvbetjening 5 kr., "
            "telefon 40, e-mail 55, brev og fjernprint 60, personligt fremmøde 75); begge retninger.",
            queries.cost_per_inquiry(WINDOW, **whole),
            "Pris pr. henvendelse",
            field_config("currencyDKK", decimals=2),
        ),
        instant_stat(
            "Anslået kanaludgift pr. måned",
            "KL-prissat udgift til de sidste 28 dages henvendelser, omregnet til en gennemsnitlig måned (30,44 dage).",
            queries.cost_per_month(**whole),
            "Udgift pr. måned",
            field_config("currencyDKK", decimals=0),
        ),
    ]
    savings: list[Panel] = []
    for target_file in target_files:
        for target in target_file.targets:
            expr = queries.saving_per_month(target, **whole)
            if expr is not None:
                savings.append(query(expr, target.title, ref=ref_id(len(savings)), instant=True))
    if savings:
        panels.append(
            bargauge(
                "Anslået besparelse pr. måned, hvis målet nås",
                "Pr. mål: de henvendelser, der skal flytte mellem målets kanaler og resten, for at målet nås, "
                "gange forskellen i gennemsnitlig KL-pris (sidste 28 dage, pr. måned). Målene overlapper, så "
                "besparelserne må ikke lægges sammen. Negativ: at nå målet koster mere. Et nået mål sparer 0. "
                "Mål på KLE-opgaver og henvendelsestyper kan ikke prissættes ud fra målingerne og er ikke med.",
                savings,
                field_config("currencyDKK", decimals=0, thresholds=steps(("text", None))),
            )
        )
    return panels


def comparison_row() -> list[Panel]:
    """The municipality beside the whole country (sums) and the average municipality, with its place."""
    here = {"municipality": MUNICIPALITY}
    shares = {names.LABEL_MEASURE: "!" + LeagueMeasure.COST_PER_INQUIRY.value, "window": WINDOW}
    columns = (
        ("Kommunen", f"max by (measure) ({names.MUNICIPALITY_MEASURE}{selector(**here, **shares)})"),
        ("Hele landet (summen)", f"max by (measure) ({names.NATIONAL_MEASURE}{selector(**shares)})"),
        (
            "Gennemsnitskommunen",
            f"max by (measure) ({names.MUNICIPALITY_AVERAGE}{selector(**shares, statistic=names.STATISTIC_MEAN)})",
        ),
        (
            "Mediankommunen",
            f"max by (measure) ({names.MUNICIPALITY_AVERAGE}{selector(**shares, statistic=names.STATISTIC_MEDIAN)})",
        ),
        ("Plads", f"max by (measure) ({names.LEAGUE_RANK}{selector(**here, **shares)})"),
        ("Rangerede kommuner", f"max by (measure) ({names.LEAGUE_RANKED}{selector(**shares)})"),
        ("Percentil", f"max by (measure) ({names.LEAGUE_PERCENTILE}{selector(**here, **shares)})"),
    )
    overrides = [override(da, WHOLE_NUMBERS) for da in ("Plads", "Rangerede kommuner")]
    cost = {names.LABEL_MEASURE: LeagueMeasure.COST_PER_INQUIRY.value, "window": WINDOW}
    return [
        row("Kommunen og landet"),
        columns_table(
            "Kommunen, hele landet og gennemsnitskommunen",
            "Kommunens andele i vinduet ($window) ved siden af hele landet (alle kommuners henvendelser lagt "
            "sammen: summen, ikke et gennemsnit) og gennemsnitskommunen (middel og median af de rangerede kommuners "
            "egne andele), med kommunens plads (1 er bedst) blandt de rangerede kommuner. Ingen plads: for få "
            "henvendelser til at blive rangeret.",
            columns,
            field_config("percentunit", decimals=1, mappings=LEAGUE_MEASURE_NAMES_DA, overrides=overrides),
            labels={names.LABEL_MEASURE: "Mål"},
            width=16,
        ),
        series_stat(
            "Pris pr. henvendelse: kommunen og landet",
            "Anslået KL-pris (2011) pr. henvendelse på kanaler med en pris, ind og ud: kommunen, hele landet "
            "(summen) og gennemsnitskommunen (middel af de rangerede kommuner).",
            [
                ("Kommunen", f"max({names.MUNICIPALITY_MEASURE}{selector(**here, **cost)})"),
                ("Hele landet", f"max({names.NATIONAL_MEASURE}{selector(**cost)})"),
                (
                    "Gennemsnitskommunen",
                    f"max({names.MUNICIPALITY_AVERAGE}{selector(**cost, statistic=names.STATISTIC_MEAN)})",
                ),
            ],
            field_config("currencyDKK", decimals=2),
            width=8,
            height=8,
        ),
    ]


DEPARTMENT_COLUMNS = (
    ("Selvbetjening", frozenset({"self_service"}), "in"),
    ("Personligt fremmøde", frozenset({"personal"}), "in"),
    ("Udgående Digital Post", frozenset({"digital_post"}), "out"),
)


def departments_row() -> list[Panel]:
    """Every department of the municipality: its inquiries and key shares; a click opens it (drill-down)."""
    labels = {"municipality": MUNICIPALITY, "department": "!" + ALL_DEPARTMENTS}
    everything = queries.ChannelSet(frozenset(code_table().channels), frozenset(DIRECTIONS))
    inquiries = queries.count(everything, WINDOW, "department", **labels)
    columns: list[tuple[str | None, str]] = [("Henvendelser", inquiries)]
    for da, channels, direction in DEPARTMENT_COLUMNS:
        measure = queries.DerivedMeasure(
            queries.ChannelSet(channels, frozenset([direction])),
            queries.ChannelSet(frozenset(code_table().channels), frozenset([direction])),
        )
        columns.append((da, queries.share_by_department(measure, WINDOW, MUNICIPALITY)))
    named = f"max by (department, department_name) ({names.DEPARTMENT_INFO}{selector(**labels)})"
    return [
        row("Afdelinger"),
        columns_table(
            "Kommunens afdelinger",
            "Hver afdeling med sit navn, dens henvendelser (ind og ud) i vinduet og dens andel selvbetjening og "
            "personligt fremmøde af de indgående og Digital Post af de udgående. Klik en afdeling for at åbne den.",
            [*columns, (None, named)],
            field_config(
                "percentunit",
                decimals=1,
                overrides=[
                    override("Henvendelser", WHOLE_NUMBERS),
                    override("Afdeling", {"links": [department_cell_link()]}),
                ],
            ),
            labels={"department": "Afdeling", "department_name": "Navn"},
            height=10,
            sort_by="Henvendelser",
            sort_desc=True,
        ),
    ]


def overview(target_files: Sequence[TargetFile], municipality: str | None) -> Dashboard:
    """The overview for one municipality's target files, or, without target files, for any municipality."""
    if municipality is None:
        variable = query_variable(
            "municipality", "Kommune", f"label_values({names.CHANNEL_SHARE}, municipality)", "Kommunens nummer."
        )
        title, targets = "Kanalstrategi – overblik", []
    else:
        variable = constant_variable("municipality", municipality)
        title = f"Kanalstrategi – overblik, {municipality_name(municipality)}"
        targets = [*targets_row(target_files, municipality), *behind_row(target_files, municipality)]
    return dashboard(
        uid(municipality),
        title,
        "Kanalstrategiens fremdrift: kanalmiks, service, mål, afdelinger og økonomi. Genereret af komhen "
        "dashboards build "
        + (f"fra {', '.join(sorted(Path(f.path).name for f in target_files))}" if target_files else "uden målfiler")
        + "; ret koden (streams/dashboards), ikke filen.",
        [variable, window_variable("365d")],
        [*channel_mix_row(), *comparison_row(), *service_row(), *targets, *departments_row(), *cost_row(target_files)],
        time_from="now-90d",
        refresh="5m",
    )
