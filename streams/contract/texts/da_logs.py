"""The worker's and the ingest's log lines in Danish (the default) (a `Line` each). The same keys as en_logs.py."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str | tuple[str, str]] = MappingProxyType(
    {
        # worker and ingest logs (streams.worker, streams.ingress, streams.broker; a `Line` each)
        "log.held_back": "{line} (og {held} til af samme slags inden for de sidste {seconds} s)",
        "log.none": "ingen",
        "log.summaries_current": "hele kommunen er ajour i opsummeringsemnet",
        "log.summaries_stop_timeout": (
            "stopper: den igangværende runde af opsummeringer blev ikke færdig inden for {seconds} s; venter ikke"
        ),
        "log.summaries_publish_failed": (
            "{n} opsummering kunne ikke udgives; prøver igen",
            "{n} opsummeringer kunne ikke udgives; prøver igen",
        ),
        "log.summaries_follow_failed": "kunne ikke følge emnet {topic}; prøver igen om 5 s",
        "log.summaries_foreign": (
            "opsummeringsemnet havde {n} opsummeringer for kommuner, denne worker tæller, som den ikke selv har "
            "skrevet (den nyeste: {newest}); udgiver de talte dagsopgørelser igen"
        ),
        "log.snapshot_rebalance": (
            "et øjebliksbillede blev stadig skrevet, da partitionerne blev fordelt om; det bliver ikke gemt"
        ),
        "log.snapshot_development_key": (
            "KOMHEN_SNAPSHOT_KEYS er ikke sat: øjebliksbilleder signeres med den offentlige udviklingsnøgle, så "
            "enhver, der kan skrive til emnet med øjebliksbilleder, kan forfalske tallene; sæt "
            "KOMHEN_SNAPSHOT_KEYS_FILE til en hemmelig fil (docs/exact-counts.md, Snapshot keys)"
        ),
        "log.stop_no_kafka": "stopper: Kafka svarer ikke; intet sidste øjebliksbillede (det forrige gælder stadig)",
        "log.stop_snapshot_timeout": (
            "stopper: det sidste øjebliksbillede blev ikke skrevet inden for {seconds} s; det forrige gælder stadig"
        ),
        "log.stop_snapshot_written": (
            "stopper: øjebliksbillede af partition {partitions} skrevet ({size} bytes, {seconds} s)"
        ),
        "log.batch_failed": "optællingen af {n} poster fejlede; de læses igen med de næste",
        "log.assigned": "har fået partition {partitions} af emnet {topic}",
        "log.dropped_days": "slettede {n} dagsopgørelser ældre end {days} dage",
        "log.topics_missing": (
            "emnerne {topics} mangler og kan ikke oprettes ({error}); opret dem, som `komhen kubernetes` eller "
            "docker-compose's kafka-init beskriver dem"
        ),
        "log.topics_lost": (
            "emnerne {topics} var væk (brokeren mistede sine data, eller de blev slettet); oprettet igen: "
            "{created}; udgiver alle opsummeringer igen"
        ),
        "log.topics_back": "emnerne {topics} er tilbage, og alle opsummeringer er udgivet igen",
        "log.topics_created": "oprettede emnerne {topics}",
        "log.retention_short": (
            "emnet {topic} gemmer sine poster i {days} døgn, men KOMHEN_INPUT_RETENTION_DAYS er {wanted_days}: "
            "poster, en genstart har brug for, kan blive slettet; hæv retention.ms til {wanted} (kafka-configs.sh "
            "--alter --entity-type topics --entity-name {topic} --add-config retention.ms={wanted})"
        ),
        "log.retention_long": (
            "emnet {topic} gemmer sine poster i {days} døgn; med øjebliksbilleder er {wanted_days} nok "
            "(KOMHEN_INPUT_RETENTION_DAYS): når hver partition har et øjebliksbillede "
            "(komhen_snapshot_timestamp_seconds), kan du sænke det med kafka-configs.sh --alter --entity-type topics "
            "--entity-name {topic} --add-config retention.ms={wanted}"
        ),
        "log.leave_failed": (
            "kunne ikke forlade consumer-gruppen ({error}); gruppen fordeler partitionerne om, når sessionen udløber"
        ),
        "log.left_group": "forlod consumer-gruppen {group}",
        "log.consumer_stopped_offline": "consumeren stoppede, mens Kafka ikke svarede",
        "log.kafka_back": "Kafka på {servers} svarer igen efter {seconds} s",
        "log.kafka_gone": "Kafka på {servers} har ikke svaret siden {since}; optællingen venter, tallene er gemt",
        "log.offsets_lost": (
            "partition {partition}: consumer-gruppen har ingen offsets, selv om denne worker har talt til offset "
            "{offset}: emnet er oprettet igen, eller brokeren har mistet sine data; tæller partitionen igen ud fra "
            "det, emnet har nu"
        ),
        "log.restoring": "partition {partition}: genskaber tilstanden fra offset {start} til {end}",
        "log.restoring_all": "partition {partition}: genskaber tilstanden fra emnets begyndelse til offset {end}",
        "log.restored": "partition {partition}: tilstanden er genskabt ({n} poster læst)",
        "log.restore_failed": "partition {partition}: tilstanden kunne ikke genskabes; prøver igen om {seconds} s",
        "log.undelivered": "partition {partition}: posterne {first}..{last} kom ikke frem; læser dem",
        "log.dead_letter": "en post kunne ikke behandles ({detail}); den går til de afviste (dead letters)",
        "log.dead_letter_failed": "den afviste post {record} kunne ikke skrives til dead letters ({error})",
        "log.records_gone": (
            "partition {partition}: posterne før offset {offset} findes ikke længere i emnet; tallene er genskabt ud "
            "fra resten (tjek emnets retention.ms)"
        ),
        "log.records_missing": "{partition}: posterne før offset {offset} kom ikke; læste det, der kom",
        "log.snapshot_records_missing": (
            "øjebliksbilleder, partition {partition}: ingen poster fra offset {start} til {end}"
        ),
        "log.snapshot_unusable": (
            "partition {partition}: øjebliksbilledet kan ikke bruges ({reason}: {problem}); tæller partitionen igen "
            "fra begyndelsen af inputemnet, som har de sidste {days} dage (KOMHEN_INPUT_RETENTION_DAYS)"
        ),
        "log.snapshot_old_key": (
            "partition {partition}: øjebliksbilledet er signeret med en ældre nøgle; signerer det på ny"
        ),
        "log.snapshot_loaded": (
            "partition {partition}: tilstanden er hentet fra øjebliksbillede {seq} ({events} hændelser, {size} bytes, "
            "{days} dagsopgørelser) og dækker offsets før {covered}"
        ),
        "log.snapshot_gap": (
            "partition {partition}: inputposterne {first} til {last} efter øjebliksbilledet findes ikke længere i "
            "emnet, så deres hændelser er tabt; sæt KOMHEN_INPUT_RETENTION_DAYS længere end workerne kan være nede"
        ),
        "log.snapshot_gone": (
            "partition {partition}: emnet med øjebliksbilleder har ikke længere det nyeste (slettet eller oprettet "
            "igen); skriver hele tilstanden igen"
        ),
        "log.snapshot_writing": (
            "partition {partition}: skriver øjebliksbillede {seq} ({days} dagsopgørelser, {megabytes} MB)"
        ),
        "log.snapshot_revoked": (
            "partition {partition}: øjebliksbilledet blev ikke gemt, for partitionen blev imens givet til en anden"
        ),
        "log.snapshot_failed": (
            "partition {partition}: øjebliksbilledet kunne ikke skrives ({error}: {problem}); det forrige gælder "
            "stadig, prøver igen om {seconds} s"
        ),
        "log.summary_skipped": "en post i opsummeringsemnet blev sprunget over ({problem}): {record}",
        "log.departments_over_budget": (
            "{where}: {n} afdelinger ud over label-budgettet (KOMHEN_MAX_DEPARTMENTS={per_municipality} pr. kommune, "
            "KOMHEN_MAX_MUNICIPALITIES={municipalities}) eksporteres som department={other}; deres tal bevares. "
            "Angiv de rigtige afdelinger i en målfil eller i KOMHEN_DEPARTMENTS, eller find kilden, der finder på dem"
        ),
        "log.municipalities_over_budget": "kommuner ud over budgettet",
        "log.producer_dropped": "Kafka-produceren blev lukket og droppede de poster, Kafka ikke havde bekræftet",
        "log.ingest_all_rejected": (
            "kilde {source}: dens ene hændelse er afvist",
            "kilde {source}: alle {n} hændelser er afvist",
        ),
        "log.ingest_unconfirmed": (
            "kilde {source}: {n} hændelse er ikke bekræftet: {problem}",
            "kilde {source}: {n} hændelser er ikke bekræftet: {problem}",
        ),
        "log.ingest_accepted": "kilde {source}: {accepted} hændelser modtaget, {rejected} afvist",
        "log.records_all_rejected": (
            "kilde {source}: dens ene post er afvist",
            "kilde {source}: alle {n} poster er afvist",
        ),
        "log.records_read": (
            "kilde {source}: {records} poster, {inquiries} henvendelser, {service} servicehændelser, "
            "{skipped} sprunget over, {rejected} afvist"
        ),
        "log.ingest_listening": (
            "modtager hændelser fra kilderne {sources} på {url} (højst {connections} forbindelser, headere inden for "
            "{header_s} s, indhold inden for {body_s} s)"
        ),
        "log.ingest_record_sources": "kilder, der sender deres egne poster til {path}: {sources}",
        "log.metrics_token": "/metrics læses med metrics-tokenet",
        "log.metrics_loopback": "/metrics læses uden token, kun fra denne maskines loopback",
        "log.connection_refused": "forbindelse afvist: {n} forbindelser er åbne, og det er grænsen",
        "log.header_timeout": "forbindelse lukket: ingen hel forespørgsel inden for {seconds} s (header-timeout)",
        "log.kafka_unreachable": "kan ikke forbinde til Kafka på {servers}: {error}",
        "health.topics_unlooked": "Kafka svarede ikke; emnerne er ikke blevet tjekket siden",
        "health.topics_lost": "emnerne {topics} forsvandt med brokerens data; udgiver alle opsummeringer igen",
    }
)
