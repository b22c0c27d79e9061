"""A document checked against its JSON Schema in `schemas/`, every problem in words for people.

The words come from the catalogue (streams.contract.texts): Danish by default, English with
`--language en`, where they are jsonschema's own sentences. A schema's `x-expected` says what a
pattern wants in English, its `x-expected-da` in Danish.

The schemas are the contract with the people and systems that write the documents; a loader
checks the shape here and then what needs several fields or the code table at once.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema

from streams.contract.danish import whole
from streams.contract.texts import language, text
from streams.documents.problems import Problem, excerpt, field_path
from streams.documents.shipped import schema
from streams.domain.events.privacy import truncated


@cache
def validator(schema_name: str) -> jsonschema.Draft202012Validator:
    """The validator of a schema in `schemas/` (read once), with its formats (`date`) checked."""
    return jsonschema.Draft202012Validator(
        schema(schema_name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def schema_problems(schema_name: str, data: Any, *, quote: bool = True) -> list[Problem]:
    """(field path, what is wrong) for every way `data` breaks the schema, sorted; `quote=False` for a
    secret document, whose values are then named only by what they are."""
    problems: list[Problem] = []
    for error in validator(schema_name).iter_errors(data):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            for name in sorted(set(error.instance) - set(allowed), key=str):
                problems.append((field_path([*path, name]), text("doc.unknown_field", allowed=", ".join(allowed))))
        elif error.validator == "required" and isinstance(error.instance, dict):
            for name in error.validator_value:
                if name not in error.instance:
                    problems.append((field_path([*path, name]), text("doc.required")))
        elif error.validator == "pattern" and "x-expected" in error.schema:
            expected = error.schema.get(f"x-expected-{language()}", error.schema["x-expected"])
            problems.append(
                (
                    field_path(path),
                    text("doc.not_expected", value=excerpt(error.instance, quote=quote), expected=expected),
                )
            )
        else:
            problems.append((field_path(path), _message(error, quote)))
    return sorted(set(problems))


_LIMITS = {
    "minimum": "doc.minimum",
    "maximum": "doc.maximum",
    "exclusiveMinimum": "doc.exclusive_minimum",
    "exclusiveMaximum": "doc.exclusive_maximum",
}


def _message(error: jsonschema.ValidationError, quote: bool) -> str:
    """What is wrong, in the chosen language, the value named by an excerpt; a validator no schema here
    uses keeps jsonschema's sentence, the value it starts with replaced by an excerpt."""
    value = excerpt(error.instance, quote=quote)
    rule = error.validator
    wanted: Any = error.validator_value
    if rule == "type":
        types = [wanted] if isinstance(wanted, str) else list(wanted)
        return text("doc.type", value=value, types=text("doc.or").join(text(f"doc.type.{t}") for t in types))
    if rule == "enum":
        choices = ", ".join(_written(c) for c in wanted) if language() == "da" else repr(wanted)
        return text("doc.enum", value=value, choices=choices)
    if rule == "const":
        return text("doc.const", expected=_written(wanted))
    if rule in _LIMITS:
        return text(_LIMITS[rule], value=value, limit=_number(wanted))
    if rule == "pattern":
        return text("doc.pattern", value=value, pattern=repr(wanted))
    if rule in ("minItems", "minLength"):
        return text("doc.non_empty" if wanted == 1 else "doc.too_short", value=value, limit=_number(wanted))
    if rule == "minProperties":
        return text("doc.non_empty" if wanted == 1 else "doc.too_few_fields", value=value, limit=_number(wanted))
    if rule in ("maxItems", "maxLength"):
        return text("doc.expected_empty" if wanted == 0 else "doc.too_long", value=value, limit=_number(wanted))
    if rule == "uniqueItems":
        return text("doc.unique", value=value)
    if rule == "format" and wanted in ("date", "date-time"):
        return text("doc.format", value=value, format=text(f"doc.format.{wanted}"))
    if rule == "oneOf":
        return text("doc.one_of", value=value)
    written = repr(error.instance)
    if error.message.startswith(written):
        return value + error.message[len(written) :]
    return truncated(error.message, 120)


def _written(choice: Any) -> str:
    """A choice as it is written in the document: `'>='`, `30`, `true`."""
    return repr(choice) if isinstance(choice, str) else json.dumps(choice)


def _number(n: float) -> str:
    """A schema's bound as the language writes it: 1.000 and 0,5 in Danish, as written in English."""
    if language() == "da" and not isinstance(n, bool):
        return whole(n) if isinstance(n, int) else repr(n).replace(".", ",")
    return repr(n)
