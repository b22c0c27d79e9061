"""A document's problems in English (`--language en`): reading, schema, targets, registry, tokens, mappings,
settings, profiles, report inputs, source definitions. The same keys as da_documents.py."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str | tuple[str, str]] = MappingProxyType(
    {
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
    }
)
