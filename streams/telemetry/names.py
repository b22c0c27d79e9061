"""Every metric and label name the worker exports, in one place.

The collectors create these metrics; the rule and dashboard generators and the demo's live
table query them. A rename is one change here, and a test checks that every name a rule or
dashboard queries is one the worker exports.
"""

from __future__ import annotations

from streams.domain.departments import ALL_DEPARTMENTS as ALL_DEPARTMENTS  # the whole municipality

WORKER_JOB = "komhen-worker"  # Prometheus job of the workers (deploy/prometheus/prometheus.yml)

# Counters (exposed with the suffix _total).
INQUIRIES = "komhen_inquiries"
EVENTS = "komhen_events"
EVENTS_REJECTED = "komhen_events_rejected"
CALLS_ABANDONED = "komhen_calls_abandoned"
SELFSERVICE_ATTEMPTS = "komhen_selfservice_attempts"

# Gauges of the counted state, computed at scrape time.
WINDOW_INQUIRIES = "komhen_window_inquiries"
CHANNEL_SHARE = "komhen_channel_share"
WINDOW_SERVICE_EVENTS = "komhen_window_service_events"
ANSWER_RATE = "komhen_answer_rate"
COMPLETION_RATE = "komhen_selfservice_completion_rate"
FIRST_CONTACT_RESOLUTION = "komhen_first_contact_resolution"
REFERENCE_TIMESTAMP = "komhen_reference_timestamp_seconds"
LAST_EVENT_TIMESTAMP = "komhen_last_event_timestamp_seconds"

# The worker itself.
PARTITIONS_ASSIGNED = "komhen_partitions_assigned"
PARTITIONS_RESTORING = "komhen_partitions_restoring"
RESTORED_RECORDS = "komhen_restored_records"
CONSUMER_LAG = "komhen_consumer_lag"
WORKER_START_TIME = "komhen_worker_start_time_seconds"

# Snapshots of the counted state, and how each owned partition was restored.
RESTORES = "komhen_restores"  # counter (exposed with _total), by path and reason
RESTORE_PATH = "komhen_restore_path"  # 1 per owned partition, labelled with its path and reason
RESTORED_EVENTS = "komhen_restored_events"
SNAPSHOT_READ_BYTES = "komhen_snapshot_read_bytes"
SNAPSHOT_TIMESTAMP = "komhen_snapshot_timestamp_seconds"
SNAPSHOT_BEHIND = "komhen_snapshot_behind_records"
SNAPSHOTS_WRITTEN = "komhen_snapshots_written"  # counter, by outcome (ok, failed)
SNAPSHOT_WRITTEN_BYTES = "komhen_snapshot_written_bytes"  # counter

# Targets: komhen_target_<part> for each part.
TARGET_PREFIX = "komhen_target_"
TARGET_ACTUAL = TARGET_PREFIX + "actual"
TARGET_THRESHOLD = TARGET_PREFIX + "threshold"
TARGET_EXPECTED = TARGET_PREFIX + "expected"
TARGET_MET = TARGET_PREFIX + "met"
TARGET_SLOPE = TARGET_PREFIX + "slope_per_day"
TARGET_PROJECTED_REACH = TARGET_PREFIX + "projected_reach_timestamp_seconds"
TARGET_INFO = TARGET_PREFIX + "info"


def total(counter: str) -> str:
    """The exposed name of a counter: komhen_events -> komhen_events_total."""
    return counter + "_total"
