"""Every metric and label name the worker exports, in one place.

The collectors create these metrics; the rule and dashboard generators and the demo's live
table query them. A rename is one change here, and a test checks that every name a rule or
dashboard queries is one the worker exports.
"""

from __future__ import annotations

# Label values for what has no series of its own (telemetry/labels.py says when).
OTHER = "_other"  # departments (and municipalities) beyond the label budget
INVALID_SOURCE = "invalid"  # a rejected event's source that is neither declared nor earned, or unreadable
OTHER_SOURCE = "other"  # valid events of undeclared sources beyond the budget of earned sources

WORKER_JOB = "komhen-worker"  # Prometheus job of the workers (deploy/prometheus/prometheus.yml)

# Counters (exposed with the suffix _total).
INQUIRIES = "komhen_inquiries"
EVENTS = "komhen_events"
EVENTS_REJECTED = "komhen_events_rejected"
CORRECTIONS_IGNORED = "komhen_corrections_ignored"  # label source: duplicates that moved department or day
DESCRIPTIVE_FINDINGS = "komhen_descriptive_findings"  # labels source, field, reason (fixed sets)
CALLS_ABANDONED = "komhen_calls_abandoned"
SELFSERVICE_ATTEMPTS = "komhen_selfservice_attempts"
VISITS_MISSED = "komhen_visits_missed"  # label outcome: no_show, cancelled
DEAD_LETTERS_UNWRITTEN = "komhen_dead_letters_unwritten"
SUMMARIES_SKIPPED = "komhen_summaries_skipped"  # label reason: records of the summaries topic no worker wrote

# Gauges of the counted state, computed at scrape time.
WINDOW_INQUIRIES = "komhen_window_inquiries"
CHANNEL_SHARE = "komhen_channel_share"
WINDOW_SERVICE_EVENTS = "komhen_window_service_events"
ANSWER_RATE = "komhen_answer_rate"
COMPLETION_RATE = "komhen_selfservice_completion_rate"
FIRST_CONTACT_RESOLUTION = "komhen_first_contact_resolution"
REFERENCE_TIMESTAMP = "komhen_reference_timestamp_seconds"
DEPARTMENT_INFO = "komhen_department_info"  # 1 per department, labels municipality, department, department_name
LAST_EVENT_TIMESTAMP = "komhen_last_event_timestamp_seconds"

# The national view (streams/domain/measures/league.py), exported once from the global view like `_all`.
# "national": the whole deployment as sums; "municipality_average": the average municipality.
NATIONAL_WINDOW_INQUIRIES = "komhen_national_window_inquiries"  # channel, direction, window
NATIONAL_CHANNEL_SHARE = "komhen_national_channel_share"  # channel, direction, window
NATIONAL_MEASURE = "komhen_national_measure"  # measure, window
MUNICIPALITY_MEASURE = "komhen_municipality_measure"  # municipality, measure, window
MUNICIPALITY_AVERAGE = "komhen_municipality_average"  # measure, window, statistic
LEAGUE_RANK = "komhen_league_rank"  # municipality, measure, window
LEAGUE_PERCENTILE = "komhen_league_percentile"  # municipality, measure, window
LEAGUE_RANKED = "komhen_league_ranked_municipalities"  # measure, window
LEAGUE_MIN_INQUIRIES = "komhen_league_min_inquiries"

# Label names and fixed label values introduced with the national view and target states.
LABEL_MEASURE = "measure"  # a LeagueMeasure value
LABEL_STATISTIC = "statistic"
STATISTIC_MEAN = "mean"
STATISTIC_MEDIAN = "median"
LABEL_STATE = "state"  # a TargetState value

# The worker itself.
PARTITIONS_ASSIGNED = "komhen_partitions_assigned"
PARTITIONS_RESTORING = "komhen_partitions_restoring"
RESTORED_RECORDS = "komhen_restored_records"
CONSUMER_LAG = "komhen_consumer_lag"
PARTITION_STALLED = "komhen_partition_stalled_seconds"
DEPARTMENTS_OVER_BUDGET = "komhen_departments_over_budget"
WORKER_START_TIME = "komhen_worker_start_time_seconds"

# The HTTP ingest (its own /metrics).
INGEST_REQUESTS = "komhen_ingest_requests"
INGEST_ACCEPTED = "komhen_ingest_events_accepted"
INGEST_REJECTED = "komhen_ingest_events_rejected"
INGEST_UNCONFIRMED = "komhen_ingest_events_unconfirmed"
INGEST_CONNECTIONS_CLOSED = "komhen_ingest_connections_closed"
INGEST_CONNECTIONS_OPEN = "komhen_ingest_connections_open"

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
TARGET_STATE = TARGET_PREFIX + "state"  # state: a TargetState value; 1 for the current one
TARGET_INQUIRIES = TARGET_PREFIX + "inquiries"
TARGET_MIN_INQUIRIES = TARGET_PREFIX + "min_inquiries"


def total(counter: str) -> str:
    """The exposed name of a counter: komhen_events -> komhen_events_total."""
    return counter + "_total"
