"""Landsoversigt: the whole deployment, the average municipality, the league table and national targets.

Two national figures, kept apart everywhere (streams/domain/measures/league.py): *hele landet* is the
deployment as sums (komhen_national_*), the *gennemsnitskommune* the mean or median of the ranked
municipalities' values (komhen_municipality_average). Rows: the channel mix of the whole country,
the two side by side per measure, the league table of the chosen measure with its distribution
(map-free), the cost league, and the targets of national target files. A municipality in a table
opens its overview, and from there its departments.
"""

from __future__ import annotations

from collections.abc import Sequence

from streams.contract import names
from streams.contract.identifiers import ALL_DEPARTMENTS, NATIONAL
from streams.domain.measures.league import LeagueMeasure, league_definitions
from streams.domain.measures.targets import TargetFile
from streams.generators.dashboards.common import (
    NATIONAL_UID,
    OVERVIEW_UID,
    Dashboard,
    Panel,
    bargauge,
    channel_overrides,
    custom_variable,
    dashboard,
    direction_overrides,
    field_config,
    municipality_link,
    municipality_names,
    query,
    rename_series,
    row,
    selector,
    stat,
    table,
    text,
    timeseries,
    window_variable,
)
from streams.generators.dashboards.overview import target_panels  # a national target's panels are a municipality's

WINDOW = "$window"
MEASURE = "$measure"
COST = LeagueMeasure.COST_PER_INQUIRY
# The share measures the league table offers (the cost has its own table: another unit).
SHARES = {m.value: league_definitions()[m].da for m in LeagueMeasure if m is not COST}
NATIONAL_DA = (
    "Hele landet er alle kommunernes henvendelser lagt sammen og målt under ét (summen, ikke et gennemsnit af "
    "andele; store kommuner vejer mest). Gennemsnitskommunen er middelværdien eller medianen af de rangerede "
    "kommuners egne tal (hver kommune vejer ét); kommuner med for få henvendelser er ikke med."
)


def _measures_da() -> dict[str, str]:
    return {m.value: league_definitions()[m].da for m in LeagueMeasure}


def _place(measure: str = MEASURE) -> dict[str, str]:
    return {names.LABEL_MEASURE: measure, "window": WINDOW}


def _ranked(metric: str, measure: str = MEASURE) -> str:
    """`metric` of the ranked municipalities only."""
    sel = selector(**_place(measure))
    return f"{metric}{sel}\nand on (municipality) {names.LEAGUE_RANK}{sel}"


def country_row() -> list[Panel]:
    """The channel mix of the whole country over time, and its inquiries in the window."""
    panels: list[Panel] = [row("Hele landet: kanalmiks (summen af alle kommuner)")]
    for direction, da in (("in", "indgående"), ("out", "udgående")):
        expr = f"max by (channel) ({names.NATIONAL_CHANNEL_SHARE}{selector(direction=direction, window=WINDOW)})"
        panels.append(
            timeseries(
                f"Hele landets kanalmiks, {da}",
                f"Hver kanals andel af alle kommuners {da} henvendelser lagt sammen, i vinduet ($window).",
                [query(expr, "{{channel}}")],
                field_config("percentunit", minimum=0, maximum=1, overrides=channel_overrides()),
                stacked_percent=True,
            )
        )
    totals = f"sum by (direction) ({names.NATIONAL_WINDOW_INQUIRIES}{selector(window=WINDOW)})"
    panels.append(
        stat(
            "Henvendelser i hele landet i vinduet",
            "Alle kommuners talte henvendelser i vinduet, pr. retning.",
            [query(totals, "{{direction}}", instant=True)],
            field_config("short", decimals=0, overrides=direction_overrides()),
            width=24,
            height=4,
        )
    )
    return panels


def averages_row() -> list[Panel]:
    """The country (sums) and the average municipality (mean, median) side by side, per measure."""
    shares = {"window": WINDOW, names.LABEL_MEASURE: "!" + COST.value}
    columns = (
        ("Hele landet (summen)", f"max by (measure) ({names.NATIONAL_MEASURE}{selector(**shares)})"),
        (
            "Gennemsnitskommunen (middel)",
            f"max by (measure) ({names.MUNICIPALITY_AVERAGE}{selector(**shares, statistic=names.STATISTIC_MEAN)})",
        ),
        (
            "Mediankommunen",
            f"max by (measure) ({names.MUNICIPALITY_AVERAGE}{selector(**shares, statistic=names.STATISTIC_MEDIAN)})",
        ),
        ("Rangerede kommuner", f"max by (measure) ({names.LEAGUE_RANKED}{selector(**shares)})"),
    )
    renames = {f"Value #{chr(ord('A') + i)}": da for i, (da, _) in enumerate(columns)}
    renames[names.LABEL_MEASURE] = "Mål"
    cost = {"window": WINDOW, names.LABEL_MEASURE: COST.value}
    return [
        row("Landet og gennemsnitskommunen"),
        table(
            "Hele landet og gennemsnitskommunen pr. mål",
            NATIONAL_DA + " Andele i vinduet ($window).",
            [query(expr, ref=chr(ord("A") + i), instant=True, table=True) for i, (_, expr) in enumerate(columns)],
            field_config(
                "percentunit",
                decimals=1,
                mappings=_measures_da(),
                overrides=[
                    {
                        "matcher": {"id": "byName", "options": "Rangerede kommuner"},
                        "properties": [{"id": "unit", "value": "short"}, {"id": "decimals", "value": 0}],
                    }
                ],
            ),
            transformations=[
                {"id": "merge", "options": {}},
                {"id": "organize", "options": {"excludeByName": {"Time": True}, "renameByName": renames}},
            ],
            width=16,
        ),
        stat(
            "Anslået pris pr. henvendelse: landet og gennemsnitskommunen",
            "Gennemsnitlig KL-pris (2011) for henvendelserne på kanaler med en pris, ind og ud. " + NATIONAL_DA,
            [
                query(f"max({names.NATIONAL_MEASURE}{selector(**cost)})", "Hele landet", instant=True),
                query(
                    f"max({names.MUNICIPALITY_AVERAGE}{selector(**cost, statistic=names.STATISTIC_MEAN)})",
                    "Gennemsnitskommunen",
                    ref="B",
                    instant=True,
                ),
                query(
                    f"max({names.MUNICIPALITY_AVERAGE}{selector(**cost, statistic=names.STATISTIC_MEDIAN)})",
                    "Mediankommunen",
                    ref="C",
                    instant=True,
                ),
            ],
            field_config("currencyDKK", decimals=2),
            width=8,
            height=8,
        ),
    ]


def _league_table(title: str, description: str, measure: str, unit: str, decimals: int) -> Panel:
    sel = selector(**_place(measure))
    columns = (
        ("Værdi", f"max by (municipality) ({names.MUNICIPALITY_MEASURE}{sel})"),
        ("Plads", f"max by (municipality) ({names.LEAGUE_RANK}{sel})"),
        ("Percentil", f"max by (municipality) ({names.LEAGUE_PERCENTILE}{sel})"),
        (
            "Henvendelser i vinduet",
            f"sum by (municipality) ({names.WINDOW_INQUIRIES}{selector(department=ALL_DEPARTMENTS, window=WINDOW)})",
        ),
    )
    renames = {f"Value #{chr(ord('A') + i)}": da for i, (da, _) in enumerate(columns)}
    renames["municipality"] = "Kommune"
    overrides = [
        {
            "matcher": {"id": "byName", "options": da},
            "properties": [{"id": "unit", "value": u}, {"id": "decimals", "value": d}],
        }
        for da, u, d in (("Plads", "short", 0), ("Percentil", "percentunit", 0), ("Henvendelser i vinduet", "short", 0))
    ]
    overrides.append(
        {
            "matcher": {"id": "byName", "options": "Kommune"},
            "properties": [
                {"id": "links", "value": [municipality_link()]},
                {"id": "mappings", "value": _municipality_mappings()},
            ],
        }
    )
    return table(
        title,
        description,
        [query(expr, ref=chr(ord("A") + i), instant=True, table=True) for i, (_, expr) in enumerate(columns)],
        field_config(unit, decimals=decimals, overrides=overrides),
        transformations=[
            {"id": "merge", "options": {}},
            {"id": "organize", "options": {"excludeByName": {"Time": True}, "renameByName": renames}},
        ],
        width=12,
        height=16,
        sort_by="Plads",
    )


def _municipality_mappings() -> list[dict[str, object]]:
    mappings = municipality_names()
    return [{"type": "value", "options": {k: {"text": v, "index": i} for i, (k, v) in enumerate(mappings.items())}}]


def league_row() -> list[Panel]:
    """The chosen measure's league table, the distribution of the municipalities' values, and the unranked."""
    place = selector(**_place(MEASURE))
    ranked = _ranked(names.MUNICIPALITY_MEASURE)
    quartiles = [
        query(f"min(\n{ranked}\n)", "Laveste", instant=True),
        query(f"quantile(0.25,\n{ranked}\n)", "Nedre kvartil", ref="B", instant=True),
        query(f"quantile(0.5,\n{ranked}\n)", "Median", ref="C", instant=True),
        query(f"quantile(0.75,\n{ranked}\n)", "Øvre kvartil", ref="D", instant=True),
        query(f"max(\n{ranked}\n)", "Højeste", ref="E", instant=True),
    ]
    return [
        row("Ligatabel"),
        _league_table(
            "Kommunerne rangeret",
            "Hver kommunes værdi af det valgte mål i vinduet, pladsen (1 er bedst: højest andel, for personligt "
            "fremmøde og papir lavest) og percentilen (andelen af de andre rangerede kommuner, den er mindst lige så "
            "god som). Lige tal deler plads. Kommuner med for få henvendelser har en værdi, men ingen plads. Klik en "
            "kommune for dens overblik.",
            MEASURE,
            "percentunit",
            1,
        ),
        bargauge(
            "Fordelingen: alle rangerede kommuner",
            "De rangerede kommuners værdi af det valgte mål, højest øverst: spredningen mellem kommunerne.",
            [query(f"sort_desc(\n{ranked}\n)", "{{municipality}}", instant=True)],
            field_config(
                "percentunit",
                minimum=0,
                maximum=1,
                decimals=1,
                overrides=rename_series(municipality_names()),
                links=[municipality_link_by_label()],
            ),
            width=12,
            height=16,
        ),
        stat(
            "Fordelingen i tal",
            "Laveste, kvartiler, median og højeste blandt de rangerede kommuner (medianen er mediankommunen).",
            quartiles,
            field_config("percentunit", decimals=1),
            width=16,
            height=4,
        ),
        table(
            "Ikke rangeret: for få henvendelser",
            "Kommuner, hvis værdi hviler på færre henvendelser end minimummet (KOMHEN_LEAGUE_MIN_INQUIRIES), og "
            "som derfor ikke får en plads eller tæller med i gennemsnitskommunen.",
            [
                query(
                    f"max by (municipality) ({names.MUNICIPALITY_MEASURE}{place})\n"
                    f"unless on (municipality) {names.LEAGUE_RANK}{place}",
                    instant=True,
                    table=True,
                )
            ],
            field_config(
                "percentunit",
                decimals=1,
                overrides=[
                    {
                        "matcher": {"id": "byName", "options": "Kommune"},
                        "properties": [{"id": "mappings", "value": _municipality_mappings()}],
                    }
                ],
            ),
            transformations=[
                {
                    "id": "organize",
                    "options": {
                        "excludeByName": {"Time": True},
                        "renameByName": {"municipality": "Kommune", "Value": "Værdi"},
                    },
                }
            ],
            width=8,
            height=4,
        ),
        _league_table(
            "Pris pr. henvendelse, kommunerne rangeret",
            "Anslået KL-pris (2011) pr. henvendelse på kanaler med en pris, ind og ud; plads 1 er den billigste "
            "kanalmiks. Kommuner med for få henvendelser på prissatte kanaler har ingen plads.",
            COST.value,
            "currencyDKK",
            2,
        ),
    ]


def municipality_link_by_label() -> dict[str, str]:
    """A data link from a series labelled with a municipality to its overview."""
    return {
        "title": "Åbn kommunens overblik",
        "url": f"/d/{OVERVIEW_UID}?var-municipality=${{__field.labels.municipality}}&${{window:queryparam}}"
        "&${__url_time_range}",
    }


def targets_row(target_files: Sequence[TargetFile]) -> list[Panel]:
    """The targets of national target files: the whole deployment's value, state and plan."""
    panels: list[Panel] = [row("Landsmål")]
    national = [t for f in target_files if f.national for t in f.targets]
    if not national:
        panels.append(text("Ingen landsmål", 'Ingen målfil med `municipality: "_national"` er bygget ind.', height=3))
    for target in national:
        panels.extend(target_panels(NATIONAL, target, ALL_DEPARTMENTS))
    return panels


def national(target_files: Sequence[TargetFile]) -> Dashboard:
    measure = custom_variable(
        "measure",
        "Mål",
        "Målet, kommunerne rangeres på (prisen har sin egen tabel).",
        SHARES,
        LeagueMeasure.SELF_SERVICE.value,
    )
    return dashboard(
        NATIONAL_UID,
        "Kanalstrategi – landsoversigt",
        "Alle kommuner i udrulningen: hele landet (summen), gennemsnitskommunen, ligatabellen og landsmålene. "
        "Genereret af komhen dashboards build; ret koden (streams/generators/dashboards), ikke filen.",
        [window_variable("28d"), measure],
        [*country_row(), *averages_row(), *league_row(), *targets_row(target_files)],
        time_from="now-90d",
        refresh="5m",
    )
