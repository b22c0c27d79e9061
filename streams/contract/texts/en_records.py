"""A rejected record's and a finding's words in English (`--language en`). The same keys as da_records.py."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str | tuple[str, str]] = MappingProxyType(
    {
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
        # a file or record a source adapter cannot read at all (never an event: no dead letter carries these)
        "rejected.not_json": "not valid JSON: {error}",
        "rejected.file_unreadable": "the file cannot be read ({reason})",
        "rejected.memo_unreadable": "cannot be read: {reason}",
        "rejected.not_xml": "not well-formed XML: {error}",
        "rejected.not_csv_line": "not a CSV line: {error}",
        "rejected.memo_refused": "refused: {what}; MeMo messages have none, and entities are never expanded",
        "rejected.memo_dtd": "the file declares a DTD",
        "rejected.memo_entities": "the file declares entities",
        "rejected.memo_external": "the file refers to an external resource",
        "rejected.memo_too_deep": "not a MeMo message: elements nest deeper than {depth} levels",
    }
)
