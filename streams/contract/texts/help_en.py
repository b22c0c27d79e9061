"""`komhen --help` in English: the same keys as help_da.py (one per description, summary and flag)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

HELP: Mapping[str, str] = MappingProxyType(
    {
        # ---- argparse's own words (through its gettext `_`, streams.cli.common)
        "argparse.usage": "usage: ",
        "argparse.positionals": "positional arguments",
        "argparse.options": "options",
        "argparse.help": "show this help message and exit",
        "help.version": "show program's version number and exit",
        # ---- komhen, and what every command takes
        "help.komhen": "komhen-live: count a municipality's inquiries per channel and department, live (KOMHEN).",
        "help.komhen.epilog": (
            "Settings come from environment variables (KAFKA_BOOTSTRAP_SERVERS, KOMHEN_*) and an optional YAML "
            "file named by KOMHEN_CONFIG; flags override both. Everything it says is in Danish, or in English "
            "with --language en (KOMHEN_LANGUAGE=en). Exit status: 0 done; 1 some events or rows were rejected "
            "(each is listed, the rest were published); 2 a setting, flag or file cannot be used; 3 Kafka or "
            "Grafana did not answer or confirm (run the same command again: events already counted are counted "
            "once); 130 interrupted."
        ),
        "help.language": "the language of everything it says: da (default) or en (env KOMHEN_LANGUAGE)",
        "help.topic": "input topic (env KOMHEN_TOPIC, default inquiries)",
        "help.from": "first day (YYYY-MM-DD)",
        "help.to": "last day (YYYY-MM-DD)",
        "help.track_targets": "target files to track, or shipped ones by name (KOMHEN_TARGETS)",
        "help.target_files": "target files, or shipped ones by name (ishoej, albertslund, …)",
        "help.profile": (
            "traffic profile YAML, or a shipped one by name: ishoej, national (default: ishoej; with --national "
            "national)"
        ),
        # ---- demo
        "help.demo": "run broker, worker, simulator and metrics on this machine, with a live table",
        "help.demo.about": (
            "Without KAFKA_BOOTSTRAP_SERVERS: starts the embedded broker on loopback, creates the topics, runs one "
            "worker and a traffic simulator, serves /metrics, and shows channel shares per department. Ctrl-C "
            "stops everything."
        ),
        "help.demo.rate": "simulated events per second; 0 runs no simulator (default 20)",
        "help.demo.duration": "stop after this many seconds (default: run until Ctrl-C)",
        "help.demo.broker_port": "embedded broker port (default 9092)",
        "help.demo.web_port": "worker web port for /metrics (default 6066)",
        "help.demo.clock": "windows end now (wall) or at the newest event",
        "help.demo.backfill_days": "simulate this many past days first (default 28)",
        "help.demo.window": "window shown in the table (default 7d)",
        "help.demo.national": (
            "all 98 municipalities scaled by population, and the national league table instead of departments"
        ),
        # ---- worker
        "help.worker": "run a counting worker against KAFKA_BOOTSTRAP_SERVERS",
        "help.worker.about": (
            "Consumes the input topic in the consumer group KOMHEN_GROUP_ID, keeps day buckets per department, "
            "and serves /metrics and /health on the web port. Run several for more throughput."
        ),
        "help.worker.web_port": "port for /metrics and /health (env KOMHEN_WEB_PORT, default 6066)",
        "help.worker.web_host": "address to listen on (env KOMHEN_WEB_HOST, default 127.0.0.1)",
        "help.worker.clock": "window end: wall clock or newest event (KOMHEN_CLOCK)",
        "help.worker.loglevel": "how much the worker logs (default info)",
        # ---- simulate
        "help.simulate": "publish realistic, reproducible traffic for a municipality (or all 98: --national)",
        "help.simulate.about": (
            "Publishes simulated inquiries from a profile (departments, channel mix, opening hours). With "
            "--national, every municipality of the national profile, scaled by population, each with its own "
            "channel mix. The same --seed gives the same events."
        ),
        "help.simulate.rate": "events per second (live, event time = now)",
        "help.simulate.duration": "seconds to run (default: until Ctrl-C)",
        "help.simulate.national": "all 98 municipalities, scaled by population (national profile)",
        "help.simulate.seed": "random seed (default 1)",
        "help.simulate.backfill_days": "first publish this many whole past days",
        # ---- publish
        "help.publish": "validate and publish events from a JSON or NDJSON file",
        "help.publish.about": (
            "Reads one JSON event, a JSON array of events, or NDJSON (one event per line) from FILE or standard "
            "input, validates every event, publishes the valid ones batched per municipality, and lists the "
            "invalid ones with their reason. Exit status 1 if any event was rejected. A sample: "
            "schemas/samples/inquiry-events.ndjson (with --shift-to-today it shows in the 7-day windows on any day)."
        ),
        "help.publish.file": "file to read, or - for standard input",
        "help.publish.shift_to_today": (
            "for trying a sample: move every event by the same whole number of days so the newest falls on "
            "yesterday (local time of day kept, event ids kept, so a second publish counts nothing twice)"
        ),
        # ---- source
        "help.source": "publish a source system's records ({sources}, or a mapping file)",
        "help.source.about": (
            "Maps a system's native records to inquiry events (and service measures such as abandoned calls or "
            "missed appointments) and publishes them. SYSTEM is one of {sources}, or a source-mapping file of "
            "your own (schemas/source-mapping.v1.json, docs/sources.md). Samples of inputs and mapping files are "
            "in schemas/samples/ and tests/data/sources/."
        ),
        "help.source.system": "a source name or a source-mapping file",
        "help.source.files": "files to publish; a folder: all its files",
        "help.source.follow": "then keep publishing new files in DIR",
        "help.source.mapping": (
            "YAML: municipality and unit key (queue, form, branch …) -> department; needed unless the "
            "source-mapping file names the municipality itself"
        ),
        # ---- ingest
        "help.ingest": "HTTP endpoint for source systems that cannot speak Kafka",
        "help.ingest.about": (
            "Serves POST /v1/events (one JSON event, a JSON array, or NDJSON) with a bearer token per source "
            "(schemas/ingest-openapi.v1.yaml). Answers 202 only after Kafka acknowledged every accepted event, "
            "503 if it cannot confirm, and lists each invalid event with its index and reason."
        ),
        "help.ingest.host": "address to listen on (default 127.0.0.1)",
        "help.ingest.port": "port (default 8080)",
        "help.ingest.tokens": (
            "YAML mapping of source id to its bearer token and municipalities (schemas/ingest-tokens.v1.json)"
        ),
        "help.ingest.metrics_token": (
            "a file holding the bearer token that reads /metrics (Prometheus's); without it /metrics answers "
            "this host's loopback only"
        ),
        "help.ingest.max_body_bytes": "largest request body, also once decompressed (5 MB)",
        "help.ingest.header_timeout": "seconds a connection has to send complete headers (10)",
        "help.ingest.body_timeout": "seconds a client has to send its body (30)",
        "help.ingest.max_connections": "connections served at once; more get 503 (256)",
        "help.ingest.source": (
            "let a source system post its own records to POST /v1/sources/<source>/records, read as "
            "`komhen source NAME --mapping MAPPING` reads them (e.g. os2forms=forms.yaml, or a source-mapping "
            "file naming its municipality); repeat for more sources"
        ),
        # ---- import
        "help.import": "import KOMHEN counting-week files (TraceTool / Det Digitale Landkort exports)",
        "help.import.about": (
            "Reads ;-separated KOMHEN exports (Latin-1 or UTF-8, CRLF, local columns, blank units, municipality "
            "by number or name) and publishes one event per row with ids derived from the file, so importing a "
            "file twice counts it once. A row is rejected only when its municipality, unit, channel or date "
            "cannot be read, and is listed with file, line and reason; odd descriptive values (Opgave, Type, "
            "Afslutning, Blanket, times) are corrected or left out and summarised, the rows count. With the wall "
            "clock (the default, like the worker's), rows older than the retention are not sent, since such a "
            "worker would reject them: import old counting weeks with --clock event into a worker started with "
            "--clock event. Exit status 1 if any row was rejected or held back."
        ),
        "help.import.files": "KOMHEN export files",
        "help.import.dry_run": "check and summarise, publish nothing",
        "help.import.clock": (
            "the workers' clock (env KOMHEN_CLOCK, default wall): with wall, rows older than the retention "
            "(KOMHEN_RETENTION_DAYS) are held back and listed"
        ),
        # ---- export
        "help.export": "write KL's KOMHEN upload file from the counted state",
        "help.export.about": (
            "Reads the counted state of all workers (the summaries topic, up to where it ended when the command "
            "started) and writes KL's upload layout KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;"
            "Henvendelses type;Afslutning;Blanket;Dato, one row per inquiry, dated by day, with each unit's name "
            "as the inquiries gave it (Danish letters), Latin-1 by default as KL's upload expects."
        ),
        "help.export.format": "the file's layout (default komhen-csv, KL's upload)",
        "help.export.output": "file to write (default: standard output)",
        "help.export.encoding": "latin-1 (default), utf-8 or utf-8-sig",
        "help.export.municipality": "only this municipality: its number or name (183, Ishøj)",
        # ---- report
        "help.report": "reports over the counted state: selfservice (per KLE task), status (the committee's report)",
        "help.report.about": (
            "selfservice: completed / started self-service attempts per department and KLE task. status: the "
            "status report on digitalisation and channel strategy for a period, as HTML, CSV and PDF. Both read "
            "the counted state of all workers (the summaries topic, up to where it ended when the command "
            "started); status can read KOMHEN export files instead."
        ),
        "help.selfservice": "completed / started self-service attempts per department and KLE task",
        "help.selfservice.about": (
            "Completed / started self-service attempts per department and KLE task, from the counted state of "
            "all workers."
        ),
        "help.status": "the status report on digitalisation and channel strategy (HTML, CSV, PDF)",
        "help.status.about": (
            "Writes the status report for a municipality (or some of its departments) and a period, compared "
            "with the period of the same length before it or a baseline: key figures, channel mix, trend, "
            "targets, per-unit tables and findings by documented rules, in Danish; where the data holds other "
            "municipalities, the municipality's place among them on each league measure "
            "(KOMHEN_LEAGUE_MIN_INQUIRIES). Output: a folder with status.html (self-contained, prints on A4), "
            "csv/*.csv (the tables, for Excel) and, with --pdf, status.pdf. Reads the counted state from Kafka, "
            "or KOMHEN export files with --from-file (no broker)."
        ),
        "help.status.period": "period (one of; from files, the default is the files' first to last day)",
        "help.status.from": "first day of the period",
        "help.status.to": "last day of the period",
        "help.status.counting_weeks": "ISO weeks, e.g. 2015-W45:W47",
        "help.status.baseline": "compared with (default: the period of the same length just before)",
        "help.status.baseline_from": "first day of the baseline",
        "help.status.baseline_to": "last day of the baseline",
        "help.status.baseline_counting_weeks": "ISO weeks of the baseline, e.g. 2014-W45:W47",
        "help.status.municipality": "municipality number or name (needed if the data has several)",
        "help.status.department": "only this department (repeatable)",
        "help.status.units": "display names and groups (report-units.v1)",
        "help.status.group": "only the departments of this group of --units (a forvaltning)",
        "help.status.reference": (
            "values to compare with (report-reference.v1), or a shipped one by name: landsgennemsnit-2013; or "
            "from the counted state over the same period: landet (all municipalities' sums), gennemsnitskommunen "
            "or mediankommunen (of the municipalities with enough inquiries)"
        ),
        "help.status.targets": "target files, or shipped ones by name: albertslund, ishoej, … (KOMHEN_TARGETS)",
        "help.status.min_inquiries": "no verdict on a target or a share-based finding below N inquiries (default {n})",
        "help.status.trend": "trend by week or month",
        "help.status.from_file": "KOMHEN export files instead of Kafka",
        "help.status.output": "folder to write (default: status-NNN-…)",
        "help.status.pdf": "also print status.pdf with headless Chromium",
        "help.status.chromium": "the Chromium to print with (default: found on PATH)",
        # ---- rules, dashboards, grafana, kubernetes
        "help.rules": "Prometheus rules from target files",
        "help.rules.generate": "write recording rules and alerts for target files",
        "help.rules.generate.about": (
            "Writes one rule file per target file plus the operations rules. A target file with an error is "
            "refused with the file, the field and what is wrong, and nothing is written."
        ),
        "help.rules.out": "folder to write to (default deploy/prometheus/rules)",
        "help.dashboards": "Grafana dashboards from code and target files",
        "help.dashboards.build": "write the dashboards' JSON",
        "help.dashboards.build.about": (
            "Writes Kanalstrategi – overblik (one per municipality with target files), Afdeling and Datakilder og "
            "drift into the dashboards folder, checked against schemas/grafana-dashboard.subset.json."
        ),
        "help.dashboards.target_files": "target files, or shipped ones by name (default: all the shipped ones)",
        "help.dashboards.out": "folder to write to (default dashboards)",
        "help.grafana": "put the dashboards into an existing Grafana",
        "help.grafana.push": "create or update the folder, the datasource (optional) and every dashboard",
        "help.grafana.push.about": (
            "Idempotent: compares with what Grafana has and writes only what differs; a second run changes "
            "nothing and says so. Needs a service-account token with the Editor role (Admin to create the "
            "datasource)."
        ),
        "help.grafana.url": "Grafana's base URL, e.g. https://grafana.kommune.dk",
        "help.grafana.token": "service-account token (or set it in a file and use $(cat …))",
        "help.grafana.folder": "folder name (default Kanalstrategi)",
        "help.grafana.datasource_url": "also create/update the Prometheus datasource pointing here",
        "help.grafana.dashboards": "folder of dashboard JSON (default dashboards)",
        "help.kubernetes": (
            "Kubernetes manifests: workers, ingest, Strimzi topics and users, monitors, rules, dashboards"
        ),
        "help.kubernetes.about": (
            "Writes a kustomize base and two overlays (en-kommune, mange-kommuner) from the settings "
            "(KOMHEN_TOPIC, KOMHEN_PARTITIONS, retention …) and the target files: the same rules and dashboards "
            "as `komhen rules generate` and `komhen dashboards build`. Apply with `kubectl apply -k "
            "OUT/overlays/NAME`; docs/production.md says what each object is for."
        ),
        "help.kubernetes.sources_registry": (
            "which municipalities each source may write for (schemas/source-registry.v1.json, e.g. "
            "deploy/sources-registry.yaml): a ConfigMap the workers and the ingest read, and a KafkaUser per source"
        ),
        "help.kubernetes.out": "folder to write to (default deploy/kubernetes)",
        "help.kubernetes.namespace": "namespace of every object (default komhen)",
        "help.kubernetes.kafka_cluster": "the Strimzi Kafka resource's name (default kafka)",
        "help.kubernetes.authentication": (
            "how each component authenticates to Kafka (KafkaUser), over TLS either way (default scram-sha-512)"
        ),
        "help.kubernetes.monitoring_label": (
            "label of the PrometheusRules and monitors, for kube-prometheus-stack's selectors "
            "(default release=kube-prometheus-stack; repeat for more)"
        ),
        "help.kubernetes.monitoring_namespace": "namespace Prometheus scrapes from (default monitoring)",
    }
)
