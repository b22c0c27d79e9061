"""The worker's and the ingest's log lines in English (`--language en`) (a `Line` each). The same keys as da_logs.py."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str | tuple[str, str]] = MappingProxyType(
    {
        # worker and ingest logs (streams.worker, streams.ingress, streams.broker; a `Line` each)
        "log.held_back": "{line} (and {held} more like it in the last {seconds} s)",
        "log.none": "none",
        "log.summaries_current": "the whole municipality is up to date with the summaries topic",
        "log.summaries_stop_timeout": (
            "stopping: the round of summaries in flight did not end within {seconds} s; not waiting"
        ),
        "log.summaries_publish_failed": (
            "publishing {n} summary failed; will retry",
            "publishing {n} summaries failed; will retry",
        ),
        "log.summaries_follow_failed": "following {topic} failed; retrying in 5 s",
        "log.summaries_foreign": (
            "the summaries topic held {n} summaries this worker did not write for municipalities it counts "
            "(the newest: {newest}); publishing the counted buckets again"
        ),
        "log.snapshot_rebalance": "a snapshot write was still running at a rebalance; it will not commit",
        "log.snapshot_development_key": (
            "KOMHEN_SNAPSHOT_KEYS is not set: snapshots are signed with the public development key, so whoever can "
            "write to the snapshot topic can forge counts; set KOMHEN_SNAPSHOT_KEYS_FILE to a secret file "
            "(docs/exact-counts.md, Snapshot keys)"
        ),
        "log.stop_no_kafka": "stopping: Kafka does not answer; no last snapshot (the previous one stays valid)",
        "log.stop_snapshot_timeout": (
            "stopping: the last snapshot was not written within {seconds} s; the previous one stays valid"
        ),
        "log.stop_snapshot_written": (
            "stopping: snapshot of partitions {partitions} written ({size} bytes, {seconds} s)"
        ),
        "log.batch_failed": "counting a batch of {n} records failed; it is read again with the next batch",
        "log.assigned": "assigned partitions {partitions} of {topic}",
        "log.dropped_days": "dropped {n} day buckets older than {days} days",
        "log.topics_missing": (
            "topics {topics} are missing and cannot be created ({error}); create them as `komhen kubernetes` or "
            "docker-compose's kafka-init declares them"
        ),
        "log.topics_lost": (
            "topics {topics} were lost (the broker lost its data or they were deleted); created again: {created}; "
            "publishing every summary again"
        ),
        "log.topics_back": "topics {topics} are back and every summary is published again",
        "log.topics_created": "created topics {topics}",
        "log.retention_short": (
            "topic {topic} keeps its records {days} days but KOMHEN_INPUT_RETENTION_DAYS is {wanted_days}: records "
            "a restart needs may be deleted; raise retention.ms to {wanted} (kafka-configs.sh --alter --entity-type "
            "topics --entity-name {topic} --add-config retention.ms={wanted})"
        ),
        "log.retention_long": (
            "topic {topic} keeps its records {days} days; with snapshots {wanted_days} suffice "
            "(KOMHEN_INPUT_RETENTION_DAYS): once every partition has a snapshot (komhen_snapshot_timestamp_seconds), "
            "lower it with kafka-configs.sh --alter --entity-type topics --entity-name {topic} --add-config "
            "retention.ms={wanted}"
        ),
        "log.leave_failed": (
            "leaving the consumer group failed ({error}); the group rebalances after the session timeout"
        ),
        "log.left_group": "left consumer group {group}",
        "log.consumer_stopped_offline": "the consumer stopped while Kafka did not answer",
        "log.kafka_back": "Kafka at {servers} reachable again after {seconds} s",
        "log.kafka_gone": "Kafka at {servers} unreachable since {since}; counting paused, counts kept",
        "log.offsets_lost": (
            "partition {partition}: the consumer group has no offsets although this worker counted up to offset "
            "{offset}: the topic was recreated or the broker lost its data; counting the partition again from what "
            "the topic holds now"
        ),
        "log.restoring": "partition {partition}: restoring state from offset {start} to {end}",
        "log.restoring_all": "partition {partition}: restoring state from the start of the topic to offset {end}",
        "log.restored": "partition {partition}: state restored ({n} records read)",
        "log.restore_failed": "partition {partition}: restoring state failed; retrying in {seconds} s",
        "log.undelivered": "partition {partition}: records {first}..{last} were not delivered; reading them",
        "log.dead_letter": "a record could not be processed ({detail}); it goes to the dead letters",
        "log.dead_letter_failed": "the dead letter of {record} could not be written ({error})",
        "log.records_gone": (
            "partition {partition}: records below offset {offset} are no longer on the topic; counts restored from "
            "what remains (check the topic's retention.ms)"
        ),
        "log.records_missing": "{partition}: records below offset {offset} did not arrive; read what came",
        "log.snapshot_records_missing": "snapshot partition {partition}: no records from offset {start} to {end}",
        "log.snapshot_unusable": (
            "partition {partition}: the snapshot cannot be used ({reason}: {problem}); counting the partition again "
            "from the start of the input topic, which holds the last {days} days (KOMHEN_INPUT_RETENTION_DAYS)"
        ),
        "log.snapshot_old_key": (
            "partition {partition}: its snapshot is signed with an older snapshot key; signing it anew"
        ),
        "log.snapshot_loaded": (
            "partition {partition}: state loaded from snapshot {seq} ({events} events, {size} bytes, {days} day "
            "buckets) covering offsets below {covered}"
        ),
        "log.snapshot_gap": (
            "partition {partition}: input records {first} to {last}, after the snapshot, are no longer on the topic: "
            "their events are lost; keep KOMHEN_INPUT_RETENTION_DAYS longer than workers may be down"
        ),
        "log.snapshot_gone": (
            "partition {partition}: the snapshot topic no longer holds its newest snapshot (deleted or recreated); "
            "writing the whole state again"
        ),
        "log.snapshot_writing": "partition {partition}: writing snapshot {seq} ({days} day buckets, {megabytes} MB)",
        "log.snapshot_revoked": "partition {partition}: snapshot not committed, the partition was revoked meanwhile",
        "log.snapshot_failed": (
            "partition {partition}: writing its snapshot failed ({error}: {problem}); the previous one stays valid, "
            "retrying in {seconds} s"
        ),
        "log.summary_skipped": "a record of the summaries topic was skipped ({problem}): {record}",
        "log.departments_over_budget": (
            "{where}: {n} departments beyond the label budget (KOMHEN_MAX_DEPARTMENTS={per_municipality} per "
            "municipality, KOMHEN_MAX_MUNICIPALITIES={municipalities}) are exported as department={other}; their "
            "counts are kept. Declare real departments in a target file or KOMHEN_DEPARTMENTS, or look for a source "
            "inventing them"
        ),
        "log.municipalities_over_budget": "municipalities beyond the budget",
        "log.producer_dropped": "closing the Kafka producer dropped the records Kafka did not confirm",
        "log.ingest_all_rejected": (
            "source {source}: its {n} event rejected",
            "source {source}: all {n} events rejected",
        ),
        "log.ingest_unconfirmed": (
            "source {source}: {n} event not confirmed: {problem}",
            "source {source}: {n} events not confirmed: {problem}",
        ),
        "log.ingest_accepted": "source {source}: {accepted} events accepted, {rejected} rejected",
        "log.records_all_rejected": (
            "source {source}: its {n} record rejected",
            "source {source}: all {n} records rejected",
        ),
        "log.records_read": (
            "source {source}: {records} records, {inquiries} inquiries, {service} service events, {skipped} skipped, "
            "{rejected} rejected"
        ),
        "log.ingest_listening": (
            "ingest for sources {sources} on {url} (at most {connections} connections, headers within {header_s} s, "
            "bodies within {body_s} s)"
        ),
        "log.ingest_record_sources": "sources posting their own records at {path}: {sources}",
        "log.metrics_token": "/metrics is read with the metrics token",
        "log.metrics_loopback": "/metrics is read with no token, from this host's loopback only",
        "log.connection_refused": "connection refused: {n} connections are open, the limit",
        "log.header_timeout": "connection closed: no complete request within {seconds} s (header timeout)",
        "log.kafka_unreachable": "cannot connect to Kafka at {servers}: {error}",
        "health.topics_unlooked": "Kafka was unreachable; its topics have not been looked at since",
        "health.topics_lost": "topics {topics} were lost with the broker's data; publishing every summary again",
    }
)
