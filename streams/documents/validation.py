"""A document checked against its JSON Schema in `schemas/`, every problem in words for people.

The schemas are the contract with the people and systems that write the documents; a loader
checks the shape here and then what needs several fields or the code table at once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema

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
                problems.append((field_path([*path, name]), f"unknown field; allowed: {', '.join(allowed)}"))
        elif error.validator == "required" and isinstance(error.instance, dict):
            for name in error.validator_value:
                if name not in error.instance:
                    problems.append((field_path([*path, name]), "is required"))
        elif error.validator == "pattern" and "x-expected" in error.schema:
            problems.append(
                (field_path(path), f"{excerpt(error.instance, quote=quote)} is not {error.schema['x-expected']}")
            )
        else:
            problems.append((field_path(path), _message(error, quote)))
    return sorted(set(problems))


def _message(error: jsonschema.ValidationError, quote: bool) -> str:
    """jsonschema's sentence, the value it starts with (`'x' is not one of …`) replaced by an excerpt."""
    written = repr(error.instance)
    if error.message.startswith(written):
        return excerpt(error.instance, quote=quote) + error.message[len(written) :]
    return truncated(error.message, 120)
