"""The command's lines in English (`--language en`): the commands themselves.

The same keys as da.py; a pair is (one, many) by `n`."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str | tuple[str, str]] = MappingProxyType(
    {
        # ---- the command itself
        "usage.error": "{prog}: {message} (see {prog} --help)",
        "language.unknown": "KOMHEN_LANGUAGE={value} cannot be used; choose da or en",
        "command.interrupted": "{command}: interrupted",
        "command.bug": (
            "{command}: unexpected error ({error}); run it again with KOMHEN_DEBUG=1 for the details, "
            "and please report it"
        ),
        "argparse.required": "the following arguments are required: %s",
        "argparse.unrecognized": "unrecognized arguments: %s",
        "argparse.argument": "argument %(argument_name)s: %(message)s",
        "argparse.choice": "invalid choice: %(value)r (choose from %(choices)s)",
        "argparse.one": "expected one argument",
        "argparse.at_least_one": "expected at least one argument",
        "argparse.at_most_one": "expected at most one argument",
        "argparse.invalid": "invalid value: %(value)r",
        "argparse.ambiguous": "ambiguous option: %(option)s could match %(matches)s",
        "argparse.not_allowed_with": "not allowed with argument %s",
        "argparse.one_of": "one of the arguments %s is required",
        # ---- the flags' types
        "type.not_a_number": "{value!r} is not a number",
        "type.not_finite": "{value!r} is not a finite number",
        "type.not_whole": "{value!r} is not a whole number",
        "type.not_a_port": "{value!r} is not a port number (1-65535)",
        "type.not_a_date": "{value!r} is not a date YYYY-MM-DD, e.g. 2015-11-02",
        "type.not_key_value": "{value!r} is not KEY=VALUE (e.g. release=kube-prometheus-stack)",
        # ---- Kafka
        "kafka.not_set": (
            "KAFKA_BOOTSTRAP_SERVERS is not set; point it at your Kafka (e.g. KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092) "
            "or run `komhen demo`, which starts a broker of its own"
        ),
        "kafka.not_set_dry_run": (
            "KAFKA_BOOTSTRAP_SERVERS is not set; point it at your Kafka (e.g. KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092), "
            "or try --dry-run first"
        ),
        "kafka.not_set_ingest": (
            "KAFKA_BOOTSTRAP_SERVERS is not set; point it at your Kafka (e.g. KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092)"
        ),
        "kafka.unavailable": (
            "no Kafka broker answers at {servers} (KAFKA_BOOTSTRAP_SERVERS): start Kafka, or check the address and port"
        ),
        "publish.unreachable": "cannot reach Kafka at {servers} ({why})",
        "publish.refused": "Kafka did not accept messages for {topic} ({why})",
        "publish.unconfirmed": "Kafka did not confirm delivery to {topic} ({why})",
        "kafka.unconfirmed_publish": "{error}. Publish {path} again: events already counted are counted once",
        "kafka.unconfirmed_import": "{error}. Import again: rows already counted are counted once",
        # ---- why the system refused a path
        "reason.permission": "permission denied",
        "reason.read_only": "read-only",
        "reason.full": "the disk is full",
        "reason.missing": "does not exist",
        "reason.cannot_create": "no file can be created there",
        "reason.folder": "it is a folder",
        "reason.not_folder": "a part of the path is not a folder",
        "reason.name_too_long": "the name is too long",
        "reason.link_loop": "too many symbolic links, perhaps a loop",
        "reason.io": "an input/output error on the disk",
        "kind.fifo": "a FIFO (named pipe)",
        "kind.character_device": "a character device",
        "kind.block_device": "a block device",
        "kind.socket": "a socket",
        "kind.special": "not a regular file",
        # ---- files and folders to read
        "input.missing": "{path}: no such file; check the name and the folder",
        "input.unreadable": "{path}: cannot be read ({reason}); check the permissions",
        "input.is_folder": "{path}: is a folder, not a file; name the files in it",
        "input.not_regular": "{path}: is {kind}; give a regular file",
        "input.not_regular_stdin": "{path}: is {kind}; give a regular file, or - for standard input",
        "input.folder_missing": "{path}: no such folder; check the name",
        "input.not_a_folder": "{path}: is a file, not a folder; give the folder",
        "shipped.unknown.targets": (
            "{name}: no such file, and no shipped target file of that name; the shipped are {names}"
        ),
        "shipped.unknown.reference": "{name}: no such file or reference; the references by name are {names}",
        "shipped.unknown.simulator": (
            "{name}: no such file, and no shipped traffic profile of that name; the shipped are {names}"
        ),
        "shipped.unknown.sources": (
            "{name}: no such source; name one of {names} or a source-mapping file (see docs/sources.md)"
        ),
        # ---- files and folders to write
        "output.file_is_folder": "{path}: is a folder; give a file name in it, e.g. {example}",
        "output.no_folder": "{path}: the folder {folder} does not exist; create it first or choose another folder",
        "output.not_a_folder": "{path}: {folder} is a file, not a folder; choose another path",
        "output.is_file": "{path}: is a file, not a folder; give a folder to write into",
        "output.folder_is_file": "{path}: {file} is a file, not a folder; give a folder to write into",
        "output.cannot_write": "{path}: cannot be written ({reason}); choose a folder you may write in",
        "path.refused": "{path}: {reason}; check the path and the permissions",
        # ---- ports
        "port.busy": "port {port} on {host} is already in use by another program; choose another with {flag}",
        "port.no_permission": "port {port} on {host} needs special privileges; choose one above 1024 with {flag}",
        "port.no_address": "cannot listen on {host}:{port}; check the address, or choose another port with {flag}",
        # ---- written files
        "output.wrote": "wrote {path}",
        # ---- komhen publish
        "publish.line": "line {n}",
        "publish.item": "item {n}",
        "publish.array": "the JSON array",
        "publish.not_utf8": "not UTF-8 (byte {byte} at position {position} of the line); save the file as UTF-8",
        "publish.rejected": "{path}: {where}: rejected ({reason}): {detail}",
        "publish.warning": "{path}: {where}: warning (counted): {detail}",
        "publish.summary": (
            "published {n} event to {topic}, rejected {rejected}",
            "published {n} events to {topic}, rejected {rejected}",
        ),
        "publish.findings": "{warned} descriptive values normalised or left out (the events count)",
        "publish.dates_kept": "dates kept (--shift-to-today): the newest event is from yesterday, {newest}, already",
        "publish.dates_moved_forward": (
            "dates moved {days} days forward (--shift-to-today): the newest event is now from yesterday, {newest}"
        ),
        "publish.dates_moved_back": (
            "dates moved {days} days back (--shift-to-today): the newest event is now from yesterday, {newest}"
        ),
        "publish.old": (
            "note: the newest event is from {newest}, before the last 7 days: the 7-day windows (7d) do not show "
            "these events, the longer ones (28d, 365d, ytd) do while they reach back to that day; to try a sample "
            "today, publish it with --shift-to-today"
        ),
        # ---- files read as text (streams.ingress.komhen.encoding, the KOMHEN reader)
        "file.not_text": (
            "{path}: is {kind}, not a text file; save it from Excel as CSV (semicolon-separated) or Unicode text"
        ),
        "binary.xlsx": "an Excel workbook (.xlsx) or another zip file",
        "binary.xls": "an Excel 97-2003 workbook (.xls)",
        "binary.pdf": "a PDF",
        "file.not_encoded": (
            "{path}: byte {position} is not {encoding}, which the file's first bytes promise; save the file again "
            "from Excel as CSV (semicolon separated) or Unicode text"
        ),
        "file.empty": "{path}: the file is empty",
        "file.header_unreadable": "{where}: the header cannot be read ({detail}); is this a KOMHEN export?",
        "file.header_lacks": (
            "{where}: the header lacks {missing}; expected a TraceTool export (Kommune;ID;Enhed;Opgave;Kanal;…) or "
            "KL's upload layout (KommuneID;Enhed;KLE Opgave kode;…)"
        ),
        # ---- komhen source
        "source.needs_files": "komhen source needs FILE arguments or --follow DIR",
        "source.needs_mapping": (
            "{system} needs --mapping FILE: your municipality and which department each unit key belongs to "
            "(see docs/sources.md)"
        ),
        "source.following": "following {folder} for new {source} files (Ctrl-C stops)",
        "source.batch": "{path}: {summary}",
        "source.read": "Read {records}: {inquiries} and {measures} published, {skipped} skipped, {rejected} rejected.",
        "source.findings": "{n} descriptive values normalised or left out (the inquiries count).",
        "source.skipped": "Skipped, as they are no inquiries: {why}.",
        "source.skip_reason": "{n} × {reason} ({code})",
        "source.skip_code": "{n} × {code}",
        "source.unmapped": (
            "Counted under the unit '{unknown}', as {mapping} does not name the key: {keys}; add them under "
            "departments."
        ),
        "source.no_unit": (
            "{n} record names no unit and is counted under the unit '{unknown}'.",
            "{n} records name no unit and are counted under the unit '{unknown}'.",
        ),
        "source.note": ("Note: {note} ({n} record).", "Note: {note} ({n} records)."),
        # ---- komhen import
        "import.too_old": (
            "Warning: {old} of {total} rows are older than the retention of {days} days (oldest {oldest}) and are "
            "not sent: a worker with the wall clock (--clock wall) would reject them. Run the worker and the import "
            "with --clock event (KOMHEN_CLOCK=event) to count old counting weeks."
        ),
        "import.rows": "rows",
        # ---- komhen export
        "export.encoding": "--encoding {value!r} is not an encoding; use latin-1, utf-8 or utf-8-sig",
        "export.municipality": (
            "--municipality {value!r} is no Danish municipality; give its number or name, e.g. 183 or Ishøj"
        ),
        "export.wrote": "wrote {rows} rows ({first} to {last})",
        "export.slugs": (
            "{n} unit names cannot be written in {encoding} and were written as their department slug ({names}); "
            "use --encoding utf-8 to keep them"
        ),
        # ---- komhen grafana push
        "grafana.no_dashboards": "{folder}: no dashboards (*.json) in the folder; run `komhen dashboards build` first",
        "grafana.folder": "folder: {outcome}",
        "grafana.datasource": "datasource {uid}: {outcome}",
        "grafana.dashboard": "dashboard {uid}: {outcome}",
        "grafana.created": "created",
        "grafana.updated": "updated",
        "grafana.unchanged": "unchanged",
        "grafana.changed": "changes were made",
        "grafana.unchanged_all": "nothing to change: Grafana already has these",
        "grafana.refused_token": (
            "Grafana at {url} refused the token (401 Unauthorized) while trying to {action}: check --token (a "
            "service account token of this Grafana)"
        ),
        "grafana.forbidden": (
            "the token may not {action} (403 Forbidden): give its service account the Editor role (Admin to create "
            "the datasource)"
        ),
        "grafana.answered": (
            "{url} answered {status} when asked to {action}: check --url (Grafana's address, with its sub-path if it "
            "has one)"
        ),
        "grafana.unreachable": "cannot reach Grafana at {url} ({detail}): check --url",
        "grafana.not_grafana": "{url} does not answer like Grafana's HTTP API: check --url",
        "grafana.list_folders": "list folders",
        "grafana.create_folder": "create the folder {name!r}",
        "grafana.rename_folder": "rename the folder {uid}",
        "grafana.read_datasource": "read the datasource",
        "grafana.create_datasource": "create the datasource",
        "grafana.update_datasource": "update the datasource",
        "grafana.read_dashboard": "read dashboard {uid}",
        "grafana.save_dashboard": "save dashboard {uid}",
        # ---- komhen kubernetes
        "kubernetes.stdin": "target files are read by name: the worker mounts them from a ConfigMap",
        # ---- komhen ingest
        "ingest.positive": "{flag} must be above 0, got {value}",
        "ingest.source_mapping": "--source {spec}: name the mapping file too, as {name}=MAPPING (see docs/sources.md)",
        "ingest.source_twice": "--source {spec}: source {source!r} is given twice",
        # ---- komhen report
        "report.selfservice_head": (
            "Self-service: completed / started attempts per department and KLE task, {first} – {last}"
        ),
        "selfservice.municipality": "Municipality",
        "selfservice.department": "Department",
        "selfservice.started": "Started",
        "selfservice.completed": "Completed",
        "selfservice.abandoned": "Abandoned",
        "selfservice.rate": "Rate",
        "selfservice.unit": "Unit",
        "selfservice.no_kle": "(none)",
        "report.period_both": "give either --from/--to or --counting-weeks, not both",
        "report.period_missing": "give the period: --from YYYY-MM-DD --to YYYY-MM-DD, or --counting-weeks 2015-W45:W47",
        "report.baseline_both": "give either --baseline-from/--baseline-to or --baseline-counting-weeks, not both",
        "report.baseline_pair": "give both --baseline-from and --baseline-to",
        "report.period_from_files": (
            "Period: the files' first to last day with inquiries of {municipality}, {dates} "
            "(choose another with --from/--to or --counting-weeks)"
        ),
        "report.min_inquiries": "--min-inquiries {value}: give a whole number of at least 1, e.g. 30",
        "report.municipality": (
            "--municipality {value}: not one of the 98 municipalities; give its number or name, e.g. 183 or Ishøj"
        ),
        "report.where_files": "the files hold",
        "report.where_state": "the counted state ({topic}) holds",
        "report.no_inquiries": "{where} no inquiries; give --municipality NNN for an empty report",
        "report.several": "{where} several municipalities ({found}); choose one with --municipality",
        "report.national_alone": (
            "--reference {reference} compares with the other municipalities, but {where} only {municipality}; give a "
            "reference file or landsgennemsnit-2013"
        ),
        "report.nothing_anywhere": (
            "Warning: no inquiries of {scope} in the period {dates}, and none in the data at all "
            "(the data holds {held}); the report is empty."
        ),
        "report.nothing_in_period": (
            "Warning: no inquiries of {scope} in the period {dates}; the data holds the municipality's inquiries "
            "of {span}. The report is empty."
        ),
        "report.csv_files": "{n} CSV files in {folder}",
        "report.written": (
            "Status report for {municipality}, {dates}: {units} units, {goals} targets, {findings} findings. "
            "Wrote {files}."
        ),
        "report.group_needs_units": "--group {group} needs --units FILE, the file that defines the group",
        "report.no_such_group": "--group {group}: no such group in the units file; groups there: {known}",
        "report.overlap": (
            "the comparison period {comparison} overlaps the period {period}; choose a baseline before the period "
            "(--baseline-from/--baseline-to)"
        ),
        "report.no_such_chromium": (
            "--chromium {value}: no such program; give the path of Chromium or leave --chromium out"
        ),
        "report.no_chromium": (
            "--pdf needs Chromium, which is not installed: install it (apt-get install chromium) or name it with "
            "--chromium PATH; without --pdf the HTML and CSV need nothing"
        ),
        "report.print_timeout": "Chromium did not print {html} within {seconds} s; try again",
        "report.print_failed": "Chromium wrote no PDF (exit status {code}: {detail}); the HTML is {html}",
        "report.cannot_create": "{folder}: cannot create the report folder ({reason}); choose another --output",
        # ---- periods (streams.domain.report.periods)
        "period.reversed": "the period starts {first}, after its end {last}",
        "period.weeks_format": (
            "counting weeks {value!r} are not YEAR-WNN:WNN; write e.g. 2015-W45:W47 (ISO weeks 45 to 47 of 2015)"
        ),
        "period.weeks_no_week": "counting weeks {value!r}: {years} has no such ISO week",
        "period.years": "{first} or {last}",
        "period.weeks_reversed": "counting weeks {value!r}: the last week comes before the first",
        # ---- komhen demo
        "demo.broker": "Embedded broker (Tansu) on {servers}",
        "demo.head": "komhen demo · Kafka {servers} · metrics {metrics} · logs {logs}/",
        "demo.no_simulator": "No simulator (--rate 0). Send your own events from another terminal, e.g.:",
        "demo.simulating": "Simulated traffic: {rate} inquiries/s. Send your own events too, e.g.:",
        "demo.footer": "Ctrl-C stops the demo (broker, worker and simulator).",
        "demo.waiting": "Waiting for the worker to start …",
        "demo.worker_stopped": "The worker stopped (exit {code}); see {log}",
        "demo.stopping": "Stopping …",
        # ---- the demo's live table (streams.dev.live_table)
        "window.7d": "7 days",
        "window.28d": "28 days",
        "window.365d": "365 days",
        "window.ytd": "Year to date",
        "table.title": "Channel mix, {window} (share of the same direction)",
        "table.department": "Department",
        "table.inquiries": "Inq.",
        "table.self_service_in": "Self-serv.",
        "table.phone_in": "Phone",
        "table.personal_in": "Personal",
        "table.letter_in": "Letter in",
        "table.digital_post_out": "D.Post out",
        "table.whole_municipality": "Whole municipality",
        "table.counted": "Counted since start: {counted}   Rejected (dead letter): {rejected}",
        "table.before_window": (
            "The counted inquiries all lie before the window ({window}). A sample published with --shift-to-today "
            "ends yesterday and shows here."
        ),
        "table.national_waiting": "Waiting for the national view (the worker with partition 0 exports it) …",
        "table.national_waiting_counted": (
            "Waiting for the national view (the worker with partition 0 exports it): {counted} inquiries counted "
            "so far …"
        ),
        "table.place": "Place",
        "table.municipality": "Municipality",
        "table.national_title": (
            "Self-service, {window}: {municipalities} municipalities, {ranked} ranked (at least {minimum} incoming "
            "inquiries)"
        ),
        "table.national_figures": (
            "The whole country (sum): {national}   Average municipality: {mean} (median {median})"
        ),
        "table.national_counted": "Counted since start: {counted}",
        "demo.broker_missing": (
            "the embedded broker is not installed: pip install 'komhen-live[embedded]', "
            "or set KAFKA_BOOTSTRAP_SERVERS to your Kafka"
        ),
        # remaining lines
        "snapshot_keys.both": (
            "KOMHEN_SNAPSHOT_KEYS and KOMHEN_SNAPSHOT_KEYS_FILE are both set; give the keys in one of them"
        ),
        "snapshot_keys.none": "{origin} holds no key; write one per line, e.g. the output of `openssl rand -hex 32`",
        "snapshot_keys.short": (
            "{origin}: key {number} has {size} bytes; a snapshot key needs at least {least} "
            "(e.g. `openssl rand -hex 32`)"
        ),
        "snapshot_keys.twice": "{origin} lists a key twice; list each key once, the one to write with first",
        "kafka.no_summaries": (
            "topic {topic} does not exist at {servers}: no worker has counted anything there yet; start "
            "`komhen worker`, or set KOMHEN_TOPIC (--topic) to the input topic your workers use"
        ),
        "kafka.partitions_input": (
            "topic {topic} has {count} partitions but KOMHEN_PARTITIONS is {partitions}; set KOMHEN_PARTITIONS to "
            "match (changing the count of an existing topic moves departments between partitions)"
        ),
        "kafka.partitions_other": (
            "topic {topic} has {count} partitions but {input} has {partitions}; delete {topic} (the next snapshot "
            "writes it again)"
        ),
        "kafka.tls_files": (
            "KAFKA_SSL_CAFILE, KAFKA_SSL_CERTFILE or KAFKA_SSL_KEYFILE cannot be used ({error}); give PEM files: the "
            "cluster's CA, and this client's certificate with its key"
        ),
        "ingest.no_token": "{path}: source {source} posts records but has no token here; add one",
        "ingest.beyond_workers": (
            "{path}: source {source} is given municipality {municipality}, which the workers do not let it write for "
            "({where}); the workers would dead-letter its events: grant it there, or remove it here"
        ),
        "ingest.elsewhere": (
            (
                "{path}: --source {source} maps its records to municipality {municipality}, but source {source} may "
                "write for municipality {allowed} only"
            ),
            (
                "{path}: --source {source} maps its records to municipality {municipality}, but source {source} may "
                "write for municipalities {allowed} only"
            ),
        ),
        "follow.state": "{path}: not a follow state file; delete it to read every file again",
        "kubernetes.name": "{what} {name} is not a Kubernetes name (lower-case letters, digits and '-', at most 63)",
        "kubernetes.authentication": "--authentication must be one of {choices}; it is {got}",
        "kubernetes.label": "{label} is not a Kubernetes label (e.g. release=kube-prometheus-stack)",
        "kubernetes.insync": "min.insync.replicas must be between 1 and the topic replicas",
        "kubernetes.workers": (
            "{profile}: {workers} workers but {partitions} partitions (KOMHEN_PARTITIONS): a worker without a "
            "partition only waits; raise the partitions or lower the workers"
        ),
        "rules.clash": "target files would write the same rule file {names}; rename one of them",
        "shipped.not_files": "komhen-live needs its package data as files; install the wheel with pip",
        "type.not_a_url": "{value!r} is not an address like https://grafana.kommune.dk",
        "grafana.no_connection": "no connection",
        "grafana.timeout": "no answer within {seconds} seconds",
        "doc.null": "an empty value (null)",
    }
)
