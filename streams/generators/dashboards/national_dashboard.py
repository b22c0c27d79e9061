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
from streams.contract.danish import LEAGUE_MEASURE_NAMES_DA
from streams.contract.identifiers import ALL_DEPARTMENTS, NATIONAL
from streams.domain.measures.league import LeagueMeasure
from streams.domain.measures.targets import TargetFile
from streams.generators.dashboards.defaults import NATIONAL_UID, Dashboard, Panel, directions_da, municipality_names
from streams.generators.dashboards.layout import dashboard
from streams.generators.dashboards.links import municipality_link, municipality_link_by_label
from streams.generators.dashboards.overview import target_panels  # a national target's panels are a municipality's
from streams.generators.dashboards.panels import (
    WHOLE_NUMBERS,
    bargauge,
    channel_mix,
    columns_table,
    direction_totals,
    field_config,
    organize,
    override,
    query,
    rename_series,
    row,
    series_stat,
    table,
    text,
    value_mappings,
)
from streams.generators.dashboards.queries import selector
from streams.generators.dashboards.variables import custom_variable, window_variable

WINDOW = "$window"
MEASURE = "$measure"
COST = LeagueMeasure.COST_PER_INQUIRY
# The share measures the league table offers (the cost has its own table: another unit).
SHARES = {m: da for m, da in LEAGUE_MEASURE_NAMES_DA.items() if m != COST}
NATIONAL_DA = (
    "Hele landet er alle kommunernes henvendelser lagt sammen og målt under ét (summen, ikke et gennemsnit af "
    "andele; store kommuner vejer mest). Gennemsnitskommunen er middelværdien eller medianen af de rangerede "
    "kommuners egne tal (hver kommune vejer ét); kommuner med for få henvendelser er ikke med."
)


def _place(measure: str = MEASURE) -> dict[str, str]:
    return {names.LABEL_MEASURE: measure, "window": WINDOW}


def _ranked(metric: str, measure: str = MEASURE) -> str:
    """`metric` of the ranked municipalities only."""
    sel = selector(**_place(measure))
    return f"{metric}{sel}\nand on (municipality) {names.LEAGUE_RANK}{sel}"


def country_row() -> list[Panel]:
    """The channel mix of the whole country over time, and its inquiries in the window."""
    panels: list[Panel] = [row("Hele landet: kanalmiks (summen af alle kommuner)")]
    for direction, da in directions_da().items():
        panels.append(
            channel_mix(
                f"Hele landets kanalmiks, {da}",
                f"Hver kanals andel af alle kommuners {da} henvendelser lagt sammen, i vinduet ($window).",
                f"max by (channel) ({names.NATIONAL_CHANNEL_SHARE}{selector(direction=direction, window=WINDOW)})",
            )
        )
    panels.append(
        direction_totals(
            "Henvendelser i hele landet i vinduet",
            "Alle kommuners talte henvendelser i vinduet, pr. retning.",
            f"sum by (direction) ({names.NATIONAL_WINDOW_INQUIRIES}{selector(window=WINDOW)})",
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
    cost = {"window": WINDOW, names.LABEL_MEASURE: COST.value}
    return [
        row("Landet og gennemsnitskommunen"),
        columns_table(
            "Hele landet og gennemsnitskommunen pr. mål",
            NATIONAL_DA + " Andele i vinduet ($window).",
            columns,
            field_config(
                "percentunit",
                decimals=1,
                mappings=LEAGUE_MEASURE_NAMES_DA,
                overrides=[override("Rangerede kommuner", WHOLE_NUMBERS)],
            ),
            labels={names.LABEL_MEASURE: "Mål"},
            width=16,
        ),
        series_stat(
            "Anslået pris pr. henvendelse: landet og gennemsnitskommunen",
            "Gennemsnitlig KL-pris (2011) for henvendelserne på kanaler med en pris, ind og ud. " + NATIONAL_DA,
            [
                ("Hele landet", f"max({names.NATIONAL_MEASURE}{selector(**cost)})"),
                (
                    "Gennemsnitskommunen",
                    f"max({names.MUNICIPALITY_AVERAGE}{selector(**cost, statistic=names.STATISTIC_MEAN)})",
                ),
                (
                    "Mediankommunen",
                    f"max({names.MUNICIPALITY_AVERAGE}{selector(**cost, statistic=names.STATISTIC_MEDIAN)})",
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
    overrides = [
        override("Plads", WHOLE_NUMBERS),
        override("Percentil", {"unit": "percentunit", "decimals": 0}),
        override("Henvendelser i vinduet", WHOLE_NUMBERS),
        override("Kommune", {"links": [municipality_link()], "mappings": value_mappings(municipality_names())}),
    ]
    return columns_table(
        title,
        description,
        columns,
        field_config(unit, decimals=decimals, overrides=overrides),
        labels={"municipality": "Kommune"},
        width=12,
        height=16,
        sort_by="Plads",
    )


def league_row() -> list[Panel]:
    """The chosen measure's league table, the distribution of the municipalities' values, and the unranked."""
    place = selector(**_place(MEASURE))
    ranked = _ranked(names.MUNICIPALITY_MEASURE)
    quartiles = [
        ("Laveste", f"min(\n{ranked}\n)"),
        ("Nedre kvartil", f"quantile(0.25,\n{ranked}\n)"),
        ("Median", f"quantile(0.5,\n{ranked}\n)"),
        ("Øvre kvartil", f"quantile(0.75,\n{ranked}\n)"),
        ("Højeste", f"max(\n{ranked}\n)"),
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
        series_stat(
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
                overrides=[override("Kommune", {"mappings": value_mappings(municipality_names())})],
            ),
            transformations=[organize({"municipality": "Kommune", "Value": "Værdi"})],
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
