"""Datakilder og drift: are the sources sending, is the pipeline counting, are the workers healthy?

Thresholds are the alert thresholds of streams.generators.rules (RuleSettings), so a red panel and a
firing alert mean the same thing.
"""

from __future__ import annotations

from streams.contract import names
from streams.contract.names import total
from streams.generators.dashboards.defaults import OPERATIONS_UID, WORKER_JOB, Dashboard, Panel
from streams.generators.dashboards.layout import dashboard
from streams.generators.dashboards.panels import (
    alarm_from,
    columns_table,
    field_config,
    instant_stat,
    organize,
    override,
    query,
    row,
    steps,
    table,
    timeseries,
    trend,
)
from streams.generators.rules import RuleSettings

RATE = "[$__rate_interval]"
JOB = f'{{job="{WORKER_JOB}"}}'


def sources_row(rules: RuleSettings) -> list[Panel]:
    silent = rules.source_silent_after
    return [
        row("Datakilder"),
        trend(
            "Hændelser pr. sekund pr. kilde",
            "Godkendte hændelser pr. sekund fra hvert kildesystem (dubletter og afviste ikke medregnet).",
            f'sum by (source) (rate({total(names.EVENTS)}{{outcome="accepted"}}{RATE}))',
            "{{source}}",
            field_config("reqps"),
        ),
        timeseries(
            "Hændelser pr. sekund pr. udfald",
            "Alle modtagne hændelser: godkendt, dublet (allerede talt) og afvist (til dead letter-emnet). "
            "Rettelser er dubletter med en anden afdeling eller dag end den første version, som bliver talt: "
            "en kilde der retter, ses her.",
            [
                query(f"sum by (outcome) (rate({total(names.EVENTS)}{RATE}))", "{{outcome}}"),
                query(f"sum(rate({total(names.CORRECTIONS_IGNORED)}{RATE}))", "heraf rettelser", ref="B"),
            ],
            field_config("reqps"),
        ),
        columns_table(
            "Seneste hændelse pr. kilde",
            f"Kafka-tidspunktet for den nyeste hændelse fra hver kilde, og hvor gammel den er. Rød efter {silent} s: "
            "samme grænse som alarmen KomhenSourceSilent (der kun gælder i kildens aktive tid).",
            [
                ("Seneste hændelse", f"max by (source) ({names.LAST_EVENT_TIMESTAMP}) * 1000"),
                ("Alder", f"time() - max by (source) ({names.LAST_EVENT_TIMESTAMP})"),
            ],
            field_config(
                "s",
                thresholds=alarm_from(silent),
                overrides=[
                    override("Seneste hændelse", {"unit": "dateTimeAsIso"}),
                    override("Alder", {"custom.cellOptions": {"type": "color-background"}}),
                ],
            ),
            labels={"source": "Kilde"},
            width=12,
        ),
        table(
            "Afviste hændelser pr. årsag",
            "Hændelser sendt til dead letter-emnet siden workerne startede, pr. kilde og årsag "
            "(kilden `invalid`: beskeden kunne ikke læses).",
            [query(f"sum by (source, reason) ({total(names.EVENTS_REJECTED)})", instant=True, table=True)],
            field_config("short", decimals=0),
            transformations=[organize({"source": "Kilde", "reason": "Årsag", "Value": "Afviste"})],
            width=12,
        ),
        trend(
            "Afviste hændelser pr. time pr. årsag",
            f"Rate af afviste hændelser. Alarmen KomhenDeadLettersRising går ved over "
            f"{rules.dead_letters_per_hour:g} pr. time for en kilde og årsag.",
            f"sum by (reason) (rate({total(names.EVENTS_REJECTED)}{RATE})) * 3600",
            "{{reason}}",
            field_config("short", thresholds=alarm_from(rules.dead_letters_per_hour)),
            width=24,
            height=7,
        ),
    ]


def pipeline_row(rules: RuleSettings) -> list[Panel]:
    return [
        row("Optælling"),
        instant_stat(
            "Vinduerne slutter",
            "Referencetidspunktet, som de rullende vinduer slutter på: nu, eller med --clock event den nyeste "
            "hændelse (en genindlæst tælleuge fra 2013 vises i 2013).",
            f"max({names.REFERENCE_TIMESTAMP}) * 1000",
            "Referencetid",
            field_config("dateTimeAsIso"),
        ),
        instant_stat(
            "Friskhed",
            "Tid siden den nyeste hændelse fra nogen kilde.",
            f"time() - max({names.LAST_EVENT_TIMESTAMP})",
            "Siden seneste hændelse",
            field_config("s", thresholds=alarm_from(rules.source_silent_after)),
        ),
        instant_stat(
            "Partitioner under gendannelse",
            "Partitioner, hvis tilstand stadig genopbygges fra emnet efter start eller rebalancering; tallene er "
            "ufuldstændige, til det er 0.",
            f"sum({names.PARTITIONS_RESTORING})",
            "Gendannes",
            field_config("short", decimals=0, thresholds=alarm_from(1, "orange")),
        ),
        instant_stat(
            "Gendannede records",
            "Records læst igen fra emnet for at genopbygge tilstanden (tælles ikke som ny trafik).",
            f"sum({names.RESTORED_RECORDS})",
            "Gendannede",
            field_config("short", decimals=0),
        ),
        trend(
            "Consumer lag pr. partition",
            f"Beskeder på input-emnet, der endnu ikke er talt med. Alarmen KomhenConsumerLagHigh går over "
            f"{rules.consumer_lag_max}.",
            f"max by (topic, partition) ({names.CONSUMER_LAG})",
            "{{topic}}/{{partition}}",
            field_config(
                "short",
                thresholds=alarm_from(rules.consumer_lag_max),
                custom={"thresholdsStyle": {"mode": "line"}},
            ),
            width=24,
            height=7,
        ),
    ]


def snapshots_row(rules: RuleSettings) -> list[Panel]:
    """How a restart restores each partition: from a snapshot, or counted again from the input topic."""
    stale = rules.snapshot_stale_after
    unusable = f'{total(names.RESTORES)}{{path="full_replay",reason!="no_snapshot"}}'
    return [
        row("Snapshots og genstart"),
        instant_stat(
            "Snapshottets alder pr. partition",
            "Tid siden det nyeste snapshot af hver partition blev skrevet eller indlæst. Rød efter "
            f"{stale} s: alarmen KomhenSnapshotStale går, når der samtidig er talt henvendelser, snapshottet ikke "
            "dækker (en partition uden nye henvendelser får ikke nye snapshots).",
            f"time() - max by (partition) ({names.SNAPSHOT_TIMESTAMP})",
            "partition {{partition}}",
            field_config("s", thresholds=alarm_from(stale)),
        ),
        instant_stat(
            "Records efter snapshottet",
            "Talte records, som intet snapshot dækker endnu: dem læser en genstart igen fra input-emnet.",
            f"sum({names.SNAPSHOT_BEHIND})",
            "Records",
            field_config("short", decimals=0),
        ),
        instant_stat(
            "Talt forfra, seneste time",
            "Partitioner talt igen fra starten af input-emnet, fordi deres snapshot ikke kunne bruges "
            "(alarmen KomhenSnapshotUnusable). En første start uden snapshot tælles ikke med her.",
            f"sum(increase({unusable}[1h])) or vector(0)",
            "Talt forfra",
            field_config("short", decimals=0, thresholds=alarm_from(1, "orange")),
        ),
        table(
            "Gendannelser pr. vej og årsag",
            "Hvor mange gange en partitions tilstand er gendannet, siden workerne startede: fra snapshot "
            "(snapshot), talt forfra (full_replay, med årsagen) eller intet at læse (none).",
            [query(f"sum by (path, reason) ({total(names.RESTORES)})", instant=True, table=True)],
            field_config("short", decimals=0),
            transformations=[organize({"path": "Vej", "reason": "Årsag", "Value": "Gendannelser"})],
            height=7,
        ),
    ]


def workers_row() -> list[Panel]:
    return [
        row("Workere"),
        instant_stat(
            "Workere oppe",
            "Workere, som Prometheus kan hente målinger fra. Alarmen KomhenWorkerDown går, når en svarer 0.",
            f"sum(up{JOB})",
            "Oppe",
            field_config("short", decimals=0, thresholds=steps(("red", None), ("green", 1))),
        ),
        instant_stat(
            "Partitioner tildelt",
            "Input-partitioner, hver worker ejer (summen skal være emnets antal partitioner).",
            f"sum by (instance) ({names.PARTITIONS_ASSIGNED})",
            "{{instance}}",
            field_config("short", decimals=0),
        ),
        instant_stat(
            "Oppetid",
            "Tid siden hver worker startede; en lav værdi efter et nedbrud betyder genstart og gendannelse.",
            f"time() - max by (instance) ({names.WORKER_START_TIME})",
            "{{instance}}",
            field_config("s"),
        ),
        trend(
            "Hukommelse",
            "Residente bytes pr. worker-proces.",
            f"process_resident_memory_bytes{JOB}",
            "{{instance}}",
            field_config("bytes"),
            width=6,
        ),
        trend(
            "CPU",
            "CPU-sekunder pr. sekund pr. worker-proces (1 = én kerne).",
            f"rate(process_cpu_seconds_total{JOB}{RATE})",
            "{{instance}}",
            field_config("short"),
            width=12,
        ),
        trend(
            "Oppe over tid",
            "1 når Prometheus kunne hente workerens målinger, 0 når ikke.",
            f"up{JOB}",
            "{{instance}}",
            field_config("short", decimals=0, minimum=0, maximum=1),
            width=12,
        ),
    ]


def operations(rules: RuleSettings | None = None) -> Dashboard:
    rules = rules or RuleSettings()
    return dashboard(
        OPERATIONS_UID,
        "Datakilder og drift",
        "Kilder, dead letters, consumer lag, gendannelse, snapshots og workere. Genereret af komhen dashboards "
        "build; ret koden (streams/dashboards), ikke filen.",
        [],
        [*sources_row(rules), *pipeline_row(rules), *snapshots_row(rules), *workers_row()],
        time_from="now-6h",
        refresh="30s",
    )
