"""A rejected record's sentence: English as the contract had it before the catalogue said it (the dead letter's
and the ingest's `detail`, which source systems read), in the operator's language where a command shows it."""

from __future__ import annotations

import json

import pytest

from streams.contract.texts import CATALOGUES, Worded, either, speaking
from streams.domain.events.descriptive import Finding, FindingReason
from streams.domain.events.inquiry import InvalidEvent, Reason
from streams.domain.organisation.departments import NoSlug
from streams.domain.organisation.source_registry import SourceRegistry
from streams.ingress.komhen.results import RejectedRow

# Every key of the "rejected records" block, with parameters as the code passes them, and the English literal
# the code wrote before its sentences moved into the catalogue.
ENGLISH: dict[str, tuple[dict[str, object], str]] = {
    "rejected.too_deep": ({}, "nested too deeply to be read as JSON (an event is a flat object)"),
    "rejected.null": ({"name": "source"}, "source must be a string, got null"),
    "rejected.not_string": ({"name": "source", "got": "int"}, "source must be a string, got int"),
    "rejected.not_text": ({"name": "unit", "got": "list"}, "unit must be text, got list"),
    "rejected.too_long": (
        {"name": "event_id", "length": "1290", "limit": "128"},
        "event_id is 1290 characters, at most 128 allowed",
    ),
    "rejected.not_expected": (
        {"name": "kle", "value": "'23-05'", "expected": Worded("a KLE number NN.NN.NN, e.g. 23.05.10", "et KLE")},
        "kle '23-05' is not a KLE number NN.NN.NN, e.g. 23.05.10",
    ),
    "rejected.municipality": (
        {"value": "'999'", "count": "98"},
        "municipality '999' is not one of Denmark's 98 municipality numbers (e.g. 183 for Ishøj)",
    ),
    "rejected.cpr_in_name": ({}, "a field name contains a CPR-like number; events must not carry personal data"),
    "rejected.cpr": ({"name": "kle"}, "kle contains a CPR-like number; events must not carry personal data"),
    "rejected.not_object": ({"got": "list"}, "an event must be a JSON object, got list"),
    "rejected.service_not_object": ({"got": "str"}, "a service event must be a JSON object, got str"),
    "rejected.not_one_of": (
        {"name": "channel", "value": "'fax'", "allowed": "chat, web"},
        "channel 'fax' is not one of chat, web",
    ),
    "rejected.required": ({"name": "schema_version"}, "schema_version is required"),
    "rejected.missing": ({"name": "uuid"}, "uuid is missing"),
    "rejected.missing_channel": ({"name": "medium"}, "medium (the channel) is missing"),
    "rejected.missing_direction": ({"name": "way"}, "way (the direction) is missing"),
    "rejected.missing_time": ({"names": either(["start", "created", "sent"])}, "start or created or sent is missing"),
    "rejected.version": ({"value": "2"}, "schema_version 2 is not supported (expected 1)"),
    "rejected.unknown_field": ({"name": "'colour'"}, "unknown field 'colour'"),
    "rejected.direction": (
        {"channel": "phone", "allowed": either(["in", "out"]), "direction": "sideways"},
        "channel phone allows direction in or out, got sideways",
    ),
    "rejected.future": (
        {"value": "2026-12-07T10:00:00+01:00", "received": "2026-12-07T08:00:00+00:00"},
        "occurred_at 2026-12-07T10:00:00+01:00 is more than 5 minutes after the message time 2026-12-07T08:00:00+00:00",
    ),
    "rejected.service_future": ({}, "occurred_at is more than 5 minutes after the message time"),
    "rejected.too_old": (
        {"value": "2020-01-01T08:00:00+01:00", "days": "1400"},
        "occurred_at 2020-01-01T08:00:00+01:00 is older than the retention of 1400 days",
    ),
    "rejected.service_too_old": ({"days": "400"}, "occurred_at is older than the retention of 400 days"),
    "rejected.not_moment": (
        {"name": "occurred_at", "value": "'2026-13-01'"},
        "occurred_at '2026-13-01' is not a real date and time",
    ),
    "rejected.not_time": (
        {"name": "timestamp", "value": "'igår'"},
        "timestamp 'igår' is not a date and time like 2026-11-16T08:02:11+01:00",
    ),
    "rejected.not_format": (
        {"name": "Tid", "value": "'kl. 8'", "formats": either(["%d-%m-%Y %H:%M", "%Y-%m-%d"])},
        "Tid 'kl. 8' is not a time in the format %d-%m-%Y %H:%M or %Y-%m-%d",
    ),
    "rejected.not_flag": ({"name": "resolved", "value": "'måske'"}, "resolved 'måske' is not true or false"),
    "rejected.not_uuid": ({"value": "'abc'"}, "'abc' is not a UUID"),
    "rejected.list": ({"name": "unit", "path": "case.unit"}, "unit (case.unit) is a list, not a value"),
    "rejected.object": ({"name": "unit", "path": "case.unit"}, "unit (case.unit) is an object, not a value"),
    "rejected.key": (
        {"message_key": "'101'", "municipality": "'183'", "department": "'183/borgerservice'"},
        "message key '101' is neither the event's municipality '183' nor '183/borgerservice'",
    ),
    "rejected.batch_field": ({"name": "'extra'"}, "unknown field 'extra' in batch envelope"),
    "rejected.batch_fields": ({}, "a batch needs schema_version and events"),
    "rejected.batch_version": ({"value": "2"}, "batch schema_version 2 is not supported"),
    "rejected.batch_empty": ({}, "events must be a non-empty array"),
    "rejected.batch_size": ({"size": "10001", "limit": "10000"}, "batch has 10001 events, at most 10000"),
    "rejected.unprocessable": (
        {"error": "KeyError"},
        "the worker could not process this input (KeyError); it is kept here to be looked into",
    ),
    "rejected.source_unknown": ({"source": "reception"}, "source reception is not in the sources registry"),
    "rejected.source_elsewhere": (
        {"source": "os2forms", "municipality": "101", "n": 3, "numbers": "147, 165", "last": "183"},
        "source os2forms may write for municipalities 147, 165 and 183 only, not 101",
    ),
    "rejected.no_slug": ({"unit": "'???'"}, "unit '???' has no letter or digit to name a department by"),
    "rejected.no_rule": (
        {"file": "sag.yaml", "tested": Worded("status 'kladde', type missing", "status 'kladde', type mangler")},
        "no rule of sag.yaml takes this record (status 'kladde', type missing)",
    ),
    "rejected.no_task": (
        {"name": "kle", "form": "'flytning'"},
        "kle is missing and the mapping has no task for form 'flytning'",
    ),
    "rejected.transaction": ({"value": "'KLAGE'"}, "a completed transaction is OPRET or STATUS, not 'KLAGE'"),
    "rejected.teams_sessions": ({}, "the call record has no sessions: fetch it with ?$expand=sessions"),
    "rejected.digitalpost_route": ({}, "incoming Digital Post has route digital_mailbox or none"),
    "rejected.memo_version_missing": ({}, "memoVersion is missing on Message"),
    "rejected.callback": ({}, "a call back (callback_of) must go out"),
    "rejected.komhen_no_municipality": (
        {},
        "Kommune is blank; give the municipality's number or name (e.g. 183 or Ishøj)",
    ),
    "rejected.komhen_municipality": (
        {"value": "'Atlantis'", "count": "98"},
        "Kommune 'Atlantis' is neither one of the 98 municipality numbers nor a municipality's name "
        "(e.g. 183 or Ishøj)",
    ),
    "rejected.komhen_unit": (
        {"unit": Worded("'259 ???'", "'???'")},
        "unit '259 ???' has no letter or digit to name a department by",
    ),
    "rejected.komhen_no_channel": ({}, "Kanal is blank; give a KOMHEN channel code (e.g. TLFIND)"),
    "rejected.komhen_channel": ({"value": "'FAX'"}, "Kanal 'FAX' is not a KOMHEN channel code"),
    "rejected.komhen_no_date": ({}, "Dato is blank; give the date as DD-MM-YYYY HH:MM:SS"),
    "rejected.komhen_date": ({"value": "'31-11-2014'"}, "Dato '31-11-2014' is not a date DD-MM-YYYY HH:MM:SS"),
    "rejected.komhen_too_old": (
        {"value": "03-11-2014 08:00:00", "days": "1000"},
        "Dato 03-11-2014 08:00:00 is older than the retention of 1000 days: a worker with the wall clock would reject "
        "it (import with --clock event)",
    ),
    "rejected.fields": ({"fields": "10", "header": "9"}, "the line has 10 fields, the header 9"),
    "rejected.record_not_object": ({"got": "int"}, "a record must be a JSON object, got int"),
    "rejected.not_encoding": ({"encoding": "cp1252"}, "the file is not cp1252 text"),
    "rejected.no_records": (
        {"paths": either(["data.items", "items"])},
        "the document holds no records at data.items or items",
    ),
    "rejected.graph_not_object": ({}, "a Graph response is a JSON object"),
    "rejected.graph_error": (
        {"code": "'InvalidAuthenticationToken'"},
        "a Graph error response ('InvalidAuthenticationToken'), no calls",
    ),
    "rejected.graph_value": ({}, "value must be a list of call log rows or call records"),
    "rejected.graph_record": ({"number": "3"}, "record 3 of value is not a JSON object"),
    "rejected.graph_kind": ({}, "neither a call log row nor a call record"),
    "rejected.cdr_fields": (
        {"fields": "12"},
        "a cdr_csv line has 16 to 21 fields, this one 12; for cdr_custom name the columns in the mapping's "
        "asterisk.columns",
    ),
    "rejected.cdr_columns": (
        {"fields": "12", "columns": "14"},
        "the line has 12 fields, the mapping's asterisk.columns 14",
    ),
    "rejected.cdr_start": ({"value": "'igår'"}, "start 'igår' is not a time like 2026-11-16 08:02:11"),
    "rejected.cdr_call": ({}, "the line has no linkedid, uniqueid or channel"),
    "rejected.memo_no_message": (
        {"namespace": "https://DigitalPost.dk/MeMo-1"},
        "not a MeMo message: no Message element in https://DigitalPost.dk/MeMo-1",
    ),
    # a file or record a source adapter cannot read at all
    "rejected.not_json": (
        {"error": Worded("Expecting value: line 1 column 5 (char 4)", "kolonne 5")},
        "not valid JSON: Expecting value: line 1 column 5 (char 4)",
    ),
    "rejected.file_unreadable": ({"reason": "Permission denied"}, "the file cannot be read (Permission denied)"),
    "rejected.memo_unreadable": ({"reason": "Permission denied"}, "cannot be read: Permission denied"),
    "rejected.not_xml": ({"error": "mismatched tag"}, "not well-formed XML: mismatched tag"),
    "rejected.not_csv_line": (
        {"error": "field larger than field limit"},
        "not a CSV line: field larger than field limit",
    ),
    "rejected.memo_refused": (
        {"what": Worded("the file declares a DTD", "filen erklærer en DTD")},
        "refused: the file declares a DTD; MeMo messages have none, and entities are never expanded",
    ),
    "rejected.memo_dtd": ({}, "the file declares a DTD"),
    "rejected.memo_entities": ({}, "the file declares entities"),
    "rejected.memo_external": ({}, "the file refers to an external resource"),
    "rejected.memo_too_deep": ({"depth": "64"}, "not a MeMo message: elements nest deeper than 64 levels"),
    # a descriptive value's finding (streams.domain.events.descriptive.Finding): the inquiry counts
    "finding.read_as": (
        {"name": "kle", "value": "'23.05.10 Flytning'", "kept": "'23.05.10'"},
        "kle '23.05.10 Flytning' read as '23.05.10'",
    ),
    "finding.left_out": (
        {"name": "form", "value": Worded("of type list", "af typen list"), "expected": Worded("true or false", "-")},
        "form of type list is not true or false; left out, the inquiry is counted",
    ),
    "finding.other_department": (
        {"value": "'Jobcenter'", "named": Worded("jobcenter", "jobcenter"), "department": "borgerservice"},
        "department_name 'Jobcenter' is the name of department jobcenter, not borgerservice; left out, the inquiry "
        "is counted",
    ),
    "finding.blank_name": (
        {"value": "'\\u200b'", "what": Worded("invisible characters removed", "usynlige tegn fjernet")},
        "department_name '\\u200b' is blank once invisible characters removed; left out, the inquiry is counted",
    ),
    "finding.name_read_as": (
        {"value": "'Jоbcenter'", "kept": "'Jobcenter'", "what": Worded("look-alike letters read as Latin", "-")},
        "department_name 'Jоbcenter' read as 'Jobcenter': look-alike letters read as Latin",
    ),
    "finding.no_duration": (
        {"problem": InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_time", "end", name="end", value="'igår'")},
        "end 'igår' is not a date and time like 2026-11-16T08:02:11+01:00; duration left out",
    ),
    "finding.end_before_start": ({"end": "end", "start": "start"}, "end is before start; duration left out"),
    "finding.no_completion": (
        {"problem": InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_flag", "resolved", name="resolved", value="'?'")},
        "resolved '?' is not true or false; left out",
    ),
    "finding.not_seconds": (
        {"name": "varighed", "value": "'lang'"},
        "varighed 'lang' is not a number of seconds; duration left out",
    ),
}


def test_every_rejection_and_finding_is_in_the_table() -> None:
    assert sorted(ENGLISH) == sorted(k for k in CATALOGUES["en"] if k.startswith(("rejected.", "finding.")))


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_the_english_detail_is_the_contracts_sentence_whatever_the_operator_speaks(key: str) -> None:
    params, literal = ENGLISH[key]
    said: InvalidEvent | Finding = (
        Finding("kle", FindingReason.INVALID_FORMAT, key, params)
        if key.startswith("finding.")
        else InvalidEvent(Reason.INVALID_FORMAT, key, "field", **params)
    )
    with speaking("da"):
        assert said.detail == literal
        danish = said.said()
    with speaking("en"):
        assert said.said() == literal
    assert danish == said.said("da") != literal


def test_a_rejection_is_its_english_sentence_as_an_exception() -> None:
    rejection = InvalidEvent(Reason.MISSING_FIELD, "rejected.required", "channel", name="channel")
    with speaking("da"):
        assert (str(rejection), rejection.said()) == ("channel is required", "channel er påkrævet, men mangler")


def test_a_finding_says_the_rejection_it_holds_in_the_line_s_language() -> None:
    problem = InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_flag", "resolved", name="resolved", value="'?'")
    finding = Finding("completion", FindingReason.UNKNOWN_CODE, "finding.no_completion", {"problem": problem})
    assert finding.said("da") == "resolved '?' er hverken true eller false; udeladt"


def test_a_rejection_is_said_in_the_operators_language_with_its_values_as_they_came() -> None:
    rejection = InvalidEvent(
        Reason.DIRECTION_NOT_ALLOWED,
        "rejected.direction",
        "direction",
        channel="phone",
        allowed=either(["in", "out"]),
        direction="x",
    )
    with speaking("da"):
        assert rejection.said() == "kanalen phone tillader retningen in eller out, men hændelsen har x"
    with speaking("en"):
        assert rejection.said() == "channel phone allows direction in or out, got x"
    assert (rejection.reason, rejection.field) == (Reason.DIRECTION_NOT_ALLOWED, "direction")


def test_a_refusal_of_the_registry_and_a_unit_without_a_slug_keep_their_english() -> None:
    registry = SourceRegistry.of({"os2forms": ["183", "165", "147"], "telephony-183": ["183"]})
    assert (
        registry.refusal("os2forms", "101")
        == "source os2forms may write for municipalities 147, 165 and 183 only, not 101"
    )
    assert (
        registry.refusal("telephony-183", "165") == "source telephony-183 may write for municipality 183 only, not 165"
    )
    assert NoSlug("???").detail == "unit '???' has no letter or digit to name a department by"


def test_a_record_that_is_not_json_says_where_in_danish_and_keeps_the_parsers_sentence_in_english() -> None:
    with pytest.raises(json.JSONDecodeError) as line:
        json.loads('{"a": }')
    with pytest.raises(json.JSONDecodeError) as document:
        json.loads('[\n{"a": 1}\n{"b": 2}]')
    one, whole = RejectedRow.not_json("a.ndjson", 3, line.value), RejectedRow.not_json("b.json", 1, document.value)
    hint = (
        "; tjek kommaerne (intet efter det sidste), kolonerne, klammerne og de dobbelte anførselstegn der eller "
        "lige før"
    )
    assert one.format("da") == "a.ndjson:3: afvist (ugyldig JSON): ikke gyldig JSON (kolonne 7)" + hint
    assert one.format("en") == "a.ndjson:3: malformed_json: not valid JSON: Expecting value: line 1 column 7 (char 6)"
    assert whole.format("da") == "b.json:1: afvist (ugyldig JSON): ikke gyldig JSON (linje 3, kolonne 1)" + hint
    assert whole.format("en") == (
        "b.json:1: malformed_json: not valid JSON: Expecting ',' delimiter: line 3 column 1 (char 11)"
    )
