"""The command's lines in English (`--language en`). The same keys as da.py; a pair is (one, many) by `n`."""

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
        # ---- problems in a document (streams.documents)
        "doc.required": "is required",
        "doc.unknown_field": "unknown field; allowed: {allowed}",
        "doc.not_expected": "{value} is not {expected}",
        "doc.type": "{value} is not of type {types}",
        "doc.type.string": "'string'",
        "doc.type.integer": "'integer'",
        "doc.type.number": "'number'",
        "doc.type.object": "'object'",
        "doc.type.array": "'array'",
        "doc.type.boolean": "'boolean'",
        "doc.type.null": "'null'",
        "doc.or": ", ",
        "doc.enum": "{value} is not one of {choices}",
        "doc.const": "{expected} was expected",
        "doc.minimum": "{value} is less than the minimum of {limit}",
        "doc.maximum": "{value} is greater than the maximum of {limit}",
        "doc.exclusive_minimum": "{value} is less than or equal to the minimum of {limit}",
        "doc.exclusive_maximum": "{value} is greater than or equal to the maximum of {limit}",
        "doc.pattern": "{value} does not match {pattern}",
        "doc.non_empty": "{value} should be non-empty",
        "doc.too_short": "{value} is too short (at least {limit})",
        "doc.too_few_fields": "{value} does not have enough fields (at least {limit})",
        "doc.expected_empty": "{value} is expected to be empty",
        "doc.too_long": "{value} is too long (at most {limit})",
        "doc.unique": "{value} has non-unique elements",
        "doc.format": "{value} is not a {format}",
        "doc.format.date": "'date'",
        "doc.format.date-time": "'date-time'",
        "doc.one_of": "{value} is not valid under any of the given schemas",
        "doc.top_level": "(top level)",
        "doc.long_name": "<a name of {n} characters>",
        "doc.text_of": "a text of {n} characters",
        "doc.list_of": ("a list of {n} item", "a list of {n} items"),
        "doc.mapping_of": ("a mapping of {n} key", "a mapping of {n} keys"),
        "doc.kind.bool": "true or false",
        "doc.kind.int": "a whole number",
        "doc.kind.float": "a number",
        "doc.kind.other": "a value",
        "doc.more": ("and {n} more problem", "and {n} more problems"),
        "doc.and_more": " (and {n} more)",
        "doc.file": "(file)",
        "doc.at": "line {line}, column {column}",
        "doc.cannot_read": "cannot be read: {reason}",
        "doc.not_regular": "is {kind}; a {document} must be a regular file",
        "doc.too_large": "is larger than {limit} bytes, more than a {document} may have",
        "doc.not_utf8": "is not UTF-8 text",
        "doc.directory": "a directory",
        "doc.fifo": "a FIFO (named pipe)",
        "doc.character_device": "a character device",
        "doc.block_device": "a block device",
        "doc.socket": "a socket",
        "doc.special": "no regular file",
        "doc.not_yaml": "is not valid YAML: {problem}",
        "doc.yaml_character": "is not valid YAML: it holds a character YAML does not allow (character {position})",
        "doc.not_json": "is not valid JSON: {problem}",
        "doc.duplicate_key": "duplicate key {key}",
        "doc.nested": "is nested more than {limit} levels deep",
        "doc.nested_aliases": "is nested more than {limit} levels deep once its aliases are expanded",
        "doc.nested_json": "is nested too deeply",
        "doc.too_many": "has more than {limit} values",
        "doc.too_many_aliases": "has more than {limit} values once its aliases are expanded",
        "doc.contains_itself": "is a value that contains itself",
        "doc.too_slow": "took more than {seconds} seconds to read",
        "doc.not_finite": "is NaN or infinite; write a finite number",
        # ---- the documents by kind (a document must be ...)
        "document.sources_registry": "sources registry",
        "document.tokens_file": "tokens file",
        "document.metrics_token_file": "metrics token file",
        "document.target_file": "target file",
        "document.schema_file": "schema file",
        "document.settings_file": "settings file",
        "document.snapshot_keys_file": "snapshot keys file",
        "document.mapping_file": "mapping file",
        "document.source_definition": "source definition",
        "document.reference_file": "reference file",
        "document.units_file": "units file",
        "document.simulator_profile": "simulator profile",
        "document.national_simulator_profile": "national simulator profile",
        # ---- a target file's own checks (streams.documents.targets)
        "target.duplicate_id": "duplicate id {id} (also {first})",
        "target.national_scope": "a national target file ({national}) covers the whole deployment: scope [_all] only",
        "target.volume_only": "{field} is for the volume measure only",
        "target.unknown_channel": "unknown channel {name}; known: {known}",
        "target.unknown_type": "unknown inquiry type {code}; known: {known}",
        "target.no_direction": "channel {name} has no direction {direction}",
        "target.share_channels": "channel_share needs the channels to count",
        "target.rate_kle": "self_service_rate needs the KLE tasks that have a self-service solution",
        "target.cost_numerator": "cost_per_inquiry has no numerator; select inquiries with denominator",
        "target.straks": "channel {name} cannot be resolved at first contact (STRAKS)",
        "target.rate_threshold": "{measure} is a rate between 0 and 1, got {got} (write 40 % as 0.4)",
        "target.rate_value": "{measure} is a rate between 0 and 1, got {got}",
        "target.baseline_deadline": "a baseline needs a deadline (the glide path ends there)",
        "target.not_before": "{day} is not before the deadline {deadline}",
        "target.volume_parts": "volume has no numerator or denominator; say what it counts with selection",
        "target.volume_selection": "volume needs the inquiries it counts (selection)",
        "target.volume_baseline": "volume needs the baseline volume it is compared with",
        "target.after_end": "{first} is after the end of the period {last}",
        "target.also_in": "{id} of municipality {municipality} is also in {other}",
        # ---- the sources registry and the municipalities of a source (streams.documents.source_registry)
        "registry.empty": 'is empty; list the municipalities the source writes for, e.g. ["183"]',
        "registry.not_a_list": '{value} is not a list of municipality numbers, e.g. ["183"]',
        "registry.quotes": '{value} must be written in quotes, e.g. "183"',
        "registry.not_a_municipality": "{value} is not one of Denmark's {count} municipality numbers",
        "registry.twice": "municipality {number} is listed twice",
        "registry.not_a_mapping": "expected a mapping of source id: {{municipalities: [...]}} with at least one source",
        "registry.outside": (
            "source {source} is given municipality {other}, but this deployment counts municipality "
            "{municipality} alone ({variable}); remove it, or unset {variable} for a deployment of many municipalities"
        ),
        # ---- a tokens file (streams.documents.tokens)
        "token.of_source": "the token of source {source}",
        "token.metrics": "the metrics token",
        "token.not_a_string": "{whose} must be a string",
        "token.empty": "{whose} is empty; at least {least} are needed",
        "token.short": "{whose} has {length} characters; at least {least} are needed",
        "token.characters": (
            "{whose} has characters a bearer token cannot have (allowed: letters, digits, - . _ ~ + / and trailing =)"
        ),
        "token.unknown_field": "source {source} has unknown field {field}; allowed: token, municipalities",
        "token.needs": "source {source} needs {field}",
        "token.plain": (
            "source {source} has a plain token, which writes for the deployment's one municipality, "
            'and {variable} is not set; set it, or write {name}: {{token: ..., municipalities: ["183"]}}'
        ),
        "token.not_a_mapping": "expected a mapping of source id: bearer token with at least one source",
        "token.not_a_source": (
            "{value} is not a source id (lower-case letters, digits, '_', '.', '-'; at most {limit} characters)"
        ),
        "token.shared": "sources {first} and {second} share a token; each source needs its own",
        "token.metrics_shared": "the metrics token is also the token of source {source}; give each its own",
        # ---- a unit mapping (streams.documents.source_mappings)
        "mapping.not_a_mapping": "expected keys municipality, departments and optionally tasks",
        "mapping.unknown_key": "unknown key {key}; allowed are {allowed}",
        "mapping.municipality": (
            "municipality must name one of the 98 municipalities by number or name, such as 183 or Ishøj, got {given}"
        ),
        "mapping.department": "expected a department name, got a {kind}",
        "mapping.table": "{section} must be a mapping of source keys, got {given}",
        "mapping.task": "expected kle and/or inquiry_type",
        "mapping.kle": "{kle} is not a KLE number NN.NN.NN",
        "mapping.inquiry_type": "{code} is not one of {allowed}",
        # settings, profiles, report inputs
        # ---- the settings (streams.documents.settings): "<where>: <setting> (<variable>) <problem>"
        "settings.configuration": "configuration",
        "settings.command_line": "command line",
        "settings.environment": "environment variable {variable}",
        "settings.wrong_kind": "{origin}: {name} must be {kind}, got {got}",
        "settings.whole_number": "a whole number",
        "settings.finite_number": "a finite number",
        "settings.not_a_mapping": "expected a mapping of setting: value at the top level",
        "settings.unknown": "unknown setting {name}; known settings: {known}",
        "settings.clock": "must be 'wall' or 'event', got {got}",
        "settings.timezone": "{zone} is not a known time zone; write e.g. Europe/Copenhagen",
        "settings.at_least": "must be at least {least}",
        "settings.least_second": "must be at least 1 second",
        "settings.least_day": "must be at least 1 day",
        "settings.retention_days": "must be at least {least} so that the 365-day and year-to-date windows are exact",
        "settings.port": "must be a port number between 0 and 65535",
        "settings.no_file": "names a file that does not exist: {path}",
        "settings.not_regular": "names {path}, which is not a regular file; give the path of a file",
        "settings.department_series": "must be 'auto', 'full' or 'lean', got {got}",
        "settings.municipality": "must be a municipality number of 3 digits, e.g. 183, got {got}",
        "settings.batch_max": "must be between 1 and 100000",
        "settings.fetch_max_wait_ms": "must be between 1 and 30000 milliseconds",
        "settings.max_departments": (
            "must be 0 (as the series budget holds) or more, and KOMHEN_MAX_MUNICIPALITIES at least 1"
        ),
        "settings.max_series": "must be at least {least} (the deployment's own series)",
        "settings.source": "names {source}, which is no source id (lower-case letters, digits, '.', '_', '-')",
        "settings.department": "names {pair}; write municipality/department, e.g. 183/borgerservice",
        "settings.snapshot_interval": "must be 0 (no snapshots) or between 1 and {most} seconds, got {got}",
        "settings.cover_snapshots": (
            "must cover the snapshot interval ({interval} s) plus a margin of one day; set it to at least {least}"
        ),
        "settings.no_snapshots": (
            "is {days} days but without snapshots (KOMHEN_SNAPSHOT_INTERVAL_S=0) a restart rebuilds the state "
            "from the input topic alone: set it to at least {least}"
        ),
        "settings.security_protocol": "must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL",
        "settings.sasl_needs": "SASL needs KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD",
        "settings.sasl_mechanism": "must be one of {choices}, got {got}",
        "settings.tls_without_tls": "is set but KAFKA_SECURITY_PROTOCOL is {protocol}; use SSL or SASL_SSL",
        "settings.certificate_and_key": (
            "and KAFKA_SSL_KEYFILE go together (mutual TLS needs the certificate and its key)"
        ),
        # ---- a simulator profile (streams.documents.profiles)
        "profile.not_a_channel": "{where} is not a channel with direction {direction}; known: {known}",
        "profile.not_a_type": "{where} is not a KOMHEN inquiry type; known: {known}",
        "profile.municipality": (
            "municipality {value} is none of the 98 municipalities; give its number or name, e.g. 183 or Ishøj"
        ),
        "profile.not_in_base": "{where} is not in the base profile's mix; use only the base profile's channels",
        "profile.population": "{where} is none of the 98 municipality numbers",
        # ---- units and reference files of the status report (streams.documents.report_inputs)
        "report_input.cpr": "looks like a CPR number; a report must hold no personal data",
        "report_input.other_municipality": (
            "the file describes municipality {theirs}, the report is for municipality {ours}; use the units file "
            "of {ours}"
        ),
        # source definitions (streams.documents.source_mappings, the adapters' own sections, the sources
        # registry's start-up line, a unit name without letters, and a YAML or JSON file the parser refuses)
        "definition.needs": (
            "a source definition needs version: 1, source, records, fields, identity, time, inquiry and rules "
            "(see docs/sources.md)"
        ),
        "definition.encoding": "{encoding} is not a known text encoding; write e.g. utf-8, utf-16 or cp1252",
        "definition.columns": "a CSV file without a header needs its column names in order under columns",
        "definition.not_a_field": "{name} is not one of the fields ({fields}); use one of them or add it under fields",
        "definition.time_format": (
            "{format} is not iso, epoch, epoch_ms or a strptime pattern; write e.g. %d-%m-%Y %H:%M"
        ),
        "definition.not_one_of": "{value} is not one of {allowed}",
        "definition.direction": "channel {channel} allows direction {allowed} only",
        "definition.or": " or ",
        "definition.pattern": (
            "{pattern} is not a valid regular expression (the error is at character {position}); correct the pattern"
        ),
        "definition.pattern_somewhere": "{pattern} is not a valid regular expression; correct the pattern",
        "section.not_a_table": "{name} must be a mapping with the keys {allowed}",
        "section.names": "{where} must be a list of names, got {value}",
        "asterisk.contexts": (
            "name the dial contexts of calls from and to the public network, e.g. "
            "inbound_contexts: [from-pstn, from-trunk] and outbound_contexts: [from-internal]"
        ),
        "asterisk.columns": "asterisk.columns must name {missing} (CDR variable names)",
        "asterisk.call_columns": "asterisk.columns must name linkedid, uniqueid or channel to tell the calls apart",
        "department.no_slug": (
            "unit {unit} has no letter or digit to name a department by; give it a name with letters or digits"
        ),
        "registry.municipality_setting": (
            "{value} is not one of Denmark's {count} municipality numbers; set it to the municipality's number, "
            "e.g. 183 for Ishøj"
        ),
        "registry.open": (
            "no sources registry ({registry}) and no {municipality}: every source may write for every municipality; "
            "a deployment that several municipalities write into must name which municipalities each source "
            "writes for"
        ),
        "registry.single": "every source writes for municipality {numbers} only ({variable})",
        "registry.listed": ("sources registry: {n} source, {sources}", "sources registry: {n} sources, {sources}"),
        "source.records": ("{n} record", "{n} records"),
        "source.inquiries": ("{n} inquiry", "{n} inquiries"),
        "source.measures": ("{n} service measure", "{n} service measures"),
        "doc.yaml_syntax": "is not valid YAML; check the indentation, colons and quotes here or just before",
        "doc.yaml_tab": "is not valid YAML: a tab where YAML allows only spaces; indent with spaces",
        "doc.yaml_quote": (
            "is not valid YAML: a quote that begins here is never closed; end the text with the same quote"
        ),
        "doc.yaml_alias": (
            "is not valid YAML: an alias (*name) without an anchor (&name) before it; set the anchor or write the value"
        ),
        "doc.yaml_block": (
            "is not valid YAML: a value that begins with > or | is read as a block of text; put the value in quotes, "
            "e.g. '>='"
        ),
        "doc.yaml_documents": "is not valid YAML: another document (---) begins here; the file may hold only one",
        "doc.json_syntax": (
            "is not valid JSON; check the commas (none after the last), colons, brackets and double quotes here "
            "or just before"
        ),
        "publish.not_json": (
            "not valid JSON ({where}); check the commas (none after the last), colons, brackets and double quotes "
            "there or just before"
        ),
        "publish.in_line": "position {position} of the line",
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
        # ---- rejected records (streams.domain.events.inquiry.InvalidEvent) and descriptive findings (Finding):
        # the English is the record's detail, a contract with the source systems; keep it word for word
        "rejected.too_deep": "nested too deeply to be read as JSON (an event is a flat object)",
        "rejected.null": "{name} must be a string, got null",
        "rejected.not_string": "{name} must be a string, got {got}",
        "rejected.not_text": "{name} must be text, got {got}",
        "rejected.too_long": "{name} is {length} characters, at most {limit} allowed",
        "rejected.not_expected": "{name} {value} is not {expected}",
        "rejected.municipality": (
            "municipality {value} is not one of Denmark's {count} municipality numbers (e.g. 183 for Ishøj)"
        ),
        "rejected.cpr_in_name": "a field name contains a CPR-like number; events must not carry personal data",
        "rejected.cpr": "{name} contains a CPR-like number; events must not carry personal data",
        "rejected.not_object": "an event must be a JSON object, got {got}",
        "rejected.service_not_object": "a service event must be a JSON object, got {got}",
        "rejected.not_one_of": "{name} {value} is not one of {allowed}",
        "rejected.required": "{name} is required",
        "rejected.missing": "{name} is missing",
        "rejected.missing_channel": "{name} (the channel) is missing",
        "rejected.missing_direction": "{name} (the direction) is missing",
        "rejected.missing_time": "{names} is missing",
        "rejected.version": "schema_version {value} is not supported (expected 1)",
        "rejected.unknown_field": "unknown field {name}",
        "rejected.direction": "channel {channel} allows direction {allowed}, got {direction}",
        "rejected.future": "occurred_at {value} is more than 5 minutes after the message time {received}",
        "rejected.service_future": "occurred_at is more than 5 minutes after the message time",
        "rejected.too_old": "occurred_at {value} is older than the retention of {days} days",
        "rejected.service_too_old": "occurred_at is older than the retention of {days} days",
        "rejected.not_moment": "{name} {value} is not a real date and time",
        "rejected.not_time": "{name} {value} is not a date and time like 2026-11-16T08:02:11+01:00",
        "rejected.not_format": "{name} {value} is not a time in the format {formats}",
        "rejected.not_flag": "{name} {value} is not true or false",
        "rejected.not_uuid": "{value} is not a UUID",
        "rejected.list": "{name} ({path}) is a list, not a value",
        "rejected.object": "{name} ({path}) is an object, not a value",
        "rejected.key": (
            "message key {message_key} is neither the event's municipality {municipality} nor {department}"
        ),
        "rejected.batch_field": "unknown field {name} in batch envelope",
        "rejected.batch_fields": "a batch needs schema_version and events",
        "rejected.batch_version": "batch schema_version {value} is not supported",
        "rejected.batch_empty": "events must be a non-empty array",
        "rejected.batch_size": "batch has {size} events, at most {limit}",
        "rejected.unprocessable": (
            "the worker could not process this input ({error}); it is kept here to be looked into"
        ),
        "rejected.source_unknown": "source {source} is not in the sources registry",
        "rejected.source_elsewhere": (
            "source {source} may write for municipality {last} only, not {municipality}",
            "source {source} may write for municipalities {numbers} and {last} only, not {municipality}",
        ),
        "rejected.no_slug": "unit {unit} has no letter or digit to name a department by",
        "rejected.no_rule": "no rule of {file} takes this record ({tested})",
        "rejected.no_task": "{name} is missing and the mapping has no task for form {form}",
        "rejected.transaction": "a completed transaction is OPRET or STATUS, not {value}",
        "rejected.teams_sessions": "the call record has no sessions: fetch it with ?$expand=sessions",
        "rejected.digitalpost_route": "incoming Digital Post has route digital_mailbox or none",
        "rejected.memo_version_missing": "memoVersion is missing on Message",
        "rejected.callback": "a call back (callback_of) must go out",
        "rejected.komhen_no_municipality": (
            "Kommune is blank; give the municipality's number or name (e.g. 183 or Ishøj)"
        ),
        "rejected.komhen_municipality": (
            "Kommune {value} is neither one of the {count} municipality numbers nor a municipality's name "
            "(e.g. 183 or Ishøj)"
        ),
        "rejected.komhen_unit": "unit {unit} has no letter or digit to name a department by",
        "rejected.komhen_no_channel": "Kanal is blank; give a KOMHEN channel code (e.g. TLFIND)",
        "rejected.komhen_channel": "Kanal {value} is not a KOMHEN channel code",
        "rejected.komhen_no_date": "Dato is blank; give the date as DD-MM-YYYY HH:MM:SS",
        "rejected.komhen_date": "Dato {value} is not a date DD-MM-YYYY HH:MM:SS",
        "rejected.komhen_too_old": (
            "Dato {value} is older than the retention of {days} days: a worker with the wall clock would reject it "
            "(import with --clock event)"
        ),
        "rejected.fields": "the line has {fields} fields, the header {header}",
        "rejected.record_not_object": "a record must be a JSON object, got {got}",
        "rejected.not_encoding": "the file is not {encoding} text",
        "rejected.no_records": "the document holds no records at {paths}",
        "rejected.graph_not_object": "a Graph response is a JSON object",
        "rejected.graph_error": "a Graph error response ({code}), no calls",
        "rejected.graph_value": "value must be a list of call log rows or call records",
        "rejected.graph_record": "record {number} of value is not a JSON object",
        "rejected.graph_kind": "neither a call log row nor a call record",
        "rejected.cdr_fields": (
            "a cdr_csv line has 16 to 21 fields, this one {fields}; for cdr_custom name the columns in the mapping's "
            "asterisk.columns"
        ),
        "rejected.cdr_columns": "the line has {fields} fields, the mapping's asterisk.columns {columns}",
        "rejected.cdr_start": "start {value} is not a time like 2026-11-16 08:02:11",
        "rejected.cdr_call": "the line has no linkedid, uniqueid or channel",
        "rejected.memo_no_message": "not a MeMo message: no Message element in {namespace}",
        "finding.read_as": "{name} {value} read as {kept}",
        "finding.left_out": "{name} {value} is not {expected}; left out, the inquiry is counted",
        "finding.other_department": (
            "department_name {value} is the name of department {named}, not {department}; left out, the inquiry is "
            "counted"
        ),
        "finding.blank_name": "department_name {value} is blank once {what}; left out, the inquiry is counted",
        "finding.name_read_as": "department_name {value} read as {kept}: {what}",
        "finding.no_duration": "{problem}; duration left out",
        "finding.end_before_start": "{end} is before {start}; duration left out",
        "finding.no_completion": "{problem}; left out",
        "finding.not_seconds": "{name} {value} is not a number of seconds; duration left out",
    }
)
