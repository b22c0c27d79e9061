"""Target files (schemas/targets.v1.json): load, validate and freeze a channel strategy.

The JSON Schema checks the shape; this module adds what needs the code table or several
fields at once. A file with any problem is refused as a whole, with every problem named by
file, field path and reason, so a worker never starts on half a strategy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from streams.contract.errors import UnusableInput
from streams.contract.identifiers import ALL_DEPARTMENTS, NATIONAL
from streams.documents.reading import YamlFileError, read_yaml
from streams.documents.shipped import schema
from streams.domain.events.codes import code_table
from streams.domain.measures.measures import Measure, Selector, resolve


class TargetFileError(UnusableInput):
    """A target file that cannot be used; the message names the file, each field and what is wrong."""

    def __init__(self, path: Path, problems: Sequence[tuple[str, str]]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{path}: {field}: {what}" for field, what in self.problems))


@dataclass(frozen=True)
class Owner:
    team: str | None
    email: str | None

    @property
    def label(self) -> str:
        """The `owner` label Alertmanager routes on: the team, else the e-mail address."""
        return self.team or self.email or ""


@dataclass(frozen=True)
class Baseline:
    value: float
    date: date


DEFAULT_MIN_INQUIRIES = 30  # a target file's minimum when it does not give one


@dataclass(frozen=True)
class BaselineVolume:
    """What a volume target's selection counted in a baseline period (e.g. the counting weeks)."""

    inquiries: int
    first: date
    last: date  # inclusive

    @property
    def days(self) -> int:
        return self.last.toordinal() - self.first.toordinal() + 1

    @property
    def per_day(self) -> float:
        return self.inquiries / self.days


def is_pattern(scope: str) -> bool:
    """A scope entry naming departments by pattern (`*`, `skole-*`) rather than one slug."""
    return "*" in scope


def scope_matches(scope: str, department: str) -> bool:
    """Whether a scope entry covers a department; a pattern never covers `_all` (the whole municipality)."""
    if is_pattern(scope):
        return department != ALL_DEPARTMENTS and fnmatchcase(department, scope)
    return scope == department


@dataclass(frozen=True)
class Target:
    """One target, its selectors already resolved against the measure's defaults."""

    id: str
    title: str
    measure: Measure
    numerator: Selector
    denominator: Selector
    scope: tuple[str, ...]  # `_all`, department slugs and patterns (see scope_matches)
    comparator: str
    threshold: float
    window: str
    deadline: date | None
    baseline: Baseline | None
    severity: str
    owner: Owner
    min_inquiries: int = DEFAULT_MIN_INQUIRIES  # no verdict below this many inquiries of the population
    baseline_volume: BaselineVolume | None = None  # the volume measure's reference

    @property
    def selection(self) -> Selector:
        """What a volume target counts (its denominator; see measures.py)."""
        return self.denominator

    def meets(self, value: float, bar: float) -> bool:
        """Whether `value` is on the right side of `bar` (the threshold or the glide path)."""
        return value >= bar if self.comparator == ">=" else value <= bar


@dataclass(frozen=True)
class TargetFile:
    path: Path
    municipality: str  # a number, or NATIONAL for the whole deployment
    targets: tuple[Target, ...]
    min_inquiries: int = DEFAULT_MIN_INQUIRIES

    @property
    def national(self) -> bool:
        return self.municipality == NATIONAL


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schema("targets.v1.json"), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def field_path(parts: Iterable[str | int]) -> str:
    """`targets[2].threshold` from the parts ("targets", 2, "threshold")."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


def _schema_problems(data: Any) -> list[tuple[str, str]]:
    return schema_problems(_validator(), data)


def schema_problems(validator: jsonschema.Draft202012Validator, data: Any) -> list[tuple[str, str]]:
    """(field path, what is wrong) for every way `data` breaks the validator's schema, in words for people."""
    problems: list[tuple[str, str]] = []
    for error in validator.iter_errors(data):
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
            problems.append((field_path(path), f"{error.instance!r} is not {error.schema['x-expected']}"))
        else:
            problems.append((field_path(path), error.message))
    return sorted(set(problems))


def _selector(raw: dict[str, Any] | None) -> Selector:
    raw = raw or {}
    return Selector(
        channels=frozenset(raw["channels"]) if "channels" in raw else None,
        direction=raw.get("direction"),
        inquiry_types=frozenset(raw["inquiry_types"]) if "inquiry_types" in raw else None,
        kle=tuple(raw["kle"]) if "kle" in raw else None,
    )


def _semantic_problems(raw: dict[str, Any]) -> Iterator[tuple[str, str]]:
    codes = code_table()
    first_seen: dict[str, int] = {}
    for i, t in enumerate(raw["targets"]):
        at = f"targets[{i}]"
        if t["id"] in first_seen:
            yield f"{at}.id", f"duplicate id {t['id']!r} (also targets[{first_seen[t['id']]}])"
        first_seen.setdefault(t["id"], i)
        measure = Measure(t["measure"])
        if raw["municipality"] == NATIONAL and t["scope"] != [ALL_DEPARTMENTS]:
            yield f"{at}.scope", f"a national target file ({NATIONAL}) covers the whole deployment: scope [_all] only"
        if measure is Measure.VOLUME:
            yield from _volume_problems(t, at)
            continue
        for field in ("selection", "baseline_volume"):
            if field in t:
                yield f"{at}.{field}", f"{field} is for the volume measure only"
        for part in ("numerator", "denominator"):
            sel = t.get(part, {})
            for k, name in enumerate(sel.get("channels", [])):
                if name not in codes.channels:
                    yield f"{at}.{part}.channels[{k}]", f"unknown channel {name!r}; known: {', '.join(codes.channels)}"
            for k, code in enumerate(sel.get("inquiry_types", [])):
                if code not in codes.inquiry_types:
                    known = ", ".join(codes.inquiry_types)
                    yield f"{at}.{part}.inquiry_types[{k}]", f"unknown inquiry type {code!r}; known: {known}"
        numerator, denominator = resolve(measure, _selector(t.get("numerator")), _selector(t.get("denominator")))
        direction = numerator.direction or denominator.direction
        for k, name in enumerate(t.get("numerator", {}).get("channels", [])):
            channel = codes.channels.get(name)
            if channel is not None and direction is not None and direction not in channel.directions:
                yield f"{at}.numerator.channels[{k}]", f"channel {name} has no direction {direction}"
        if measure is Measure.CHANNEL_SHARE and "channels" not in t.get("numerator", {}):
            yield f"{at}.numerator.channels", "channel_share needs the channels to count"
        if measure is Measure.SELF_SERVICE_RATE and denominator.kle is None:
            yield f"{at}.denominator.kle", "self_service_rate needs the KLE tasks that have a self-service solution"
        if measure is Measure.COST_PER_INQUIRY and "numerator" in t:
            yield f"{at}.numerator", "cost_per_inquiry has no numerator; select inquiries with denominator"
        if measure is Measure.FIRST_CONTACT_RESOLUTION:
            for name in sorted(denominator.channels or ()):
                if not codes.channels[name].immediate_allowed:
                    yield f"{at}.denominator.channels", f"channel {name} cannot be resolved at first contact (STRAKS)"
        if measure.is_rate:
            if t["threshold"] > 1:
                got = t["threshold"]
                yield f"{at}.threshold", f"{measure} is a rate between 0 and 1, got {got} (write 40 % as 0.4)"
            if "baseline" in t and t["baseline"]["value"] > 1:
                value = t["baseline"]["value"]
                yield f"{at}.baseline.value", f"{measure} is a rate between 0 and 1, got {value}"
        if "baseline" in t:
            if "deadline" not in t:
                yield f"{at}.baseline", "a baseline needs a deadline (the glide path ends there)"
            elif t["baseline"]["date"] >= t["deadline"]:
                yield f"{at}.baseline.date", f"{t['baseline']['date']} is not before the deadline {t['deadline']}"


def _volume_problems(t: dict[str, Any], at: str) -> Iterator[tuple[str, str]]:
    """A volume target counts a selection against a baseline volume; it has no numerator or denominator."""
    codes = code_table()
    for part in ("numerator", "denominator"):
        if part in t:
            yield f"{at}.{part}", "volume has no numerator or denominator; say what it counts with selection"
    if "selection" not in t:
        yield f"{at}.selection", "volume needs the inquiries it counts (selection)"
    sel = t.get("selection", {})
    for k, name in enumerate(sel.get("channels", [])):
        channel = codes.channels.get(name)
        if channel is None:
            yield f"{at}.selection.channels[{k}]", f"unknown channel {name!r}; known: {', '.join(codes.channels)}"
        elif "direction" in sel and sel["direction"] not in channel.directions:
            yield f"{at}.selection.channels[{k}]", f"channel {name} has no direction {sel['direction']}"
    for k, code in enumerate(sel.get("inquiry_types", [])):
        if code not in codes.inquiry_types:
            known = ", ".join(codes.inquiry_types)
            yield f"{at}.selection.inquiry_types[{k}]", f"unknown inquiry type {code!r}; known: {known}"
    volume = t.get("baseline_volume")
    if volume is None:
        yield f"{at}.baseline_volume", "volume needs the baseline volume it is compared with"
        return
    if volume["from"] > volume["to"]:
        yield f"{at}.baseline_volume.from", f"{volume['from']} is after the end of the period {volume['to']}"
    if "deadline" in t and volume["to"] >= t["deadline"]:
        yield f"{at}.baseline_volume.to", f"{volume['to']} is not before the deadline {t['deadline']}"
    if "baseline" in t and "deadline" not in t:
        yield f"{at}.baseline", "a baseline needs a deadline (the glide path ends there)"
    elif "baseline" in t and t["baseline"]["date"] >= t["deadline"]:
        yield f"{at}.baseline.date", f"{t['baseline']['date']} is not before the deadline {t['deadline']}"


def _baseline(t: dict[str, Any], volume: BaselineVolume | None) -> Baseline | None:
    """Where the glide path starts: the file's baseline, or for a volume 1 (the baseline volume) at its end."""
    if "baseline" in t:
        return Baseline(float(t["baseline"]["value"]), date.fromisoformat(t["baseline"]["date"]))
    if volume is not None and "deadline" in t:
        return Baseline(1.0, volume.last)
    return None


def _target(t: dict[str, Any], file_minimum: int) -> Target:
    measure = Measure(t["measure"])
    if measure is Measure.VOLUME:
        numerator, denominator = Selector(), _selector(t["selection"])
        raw = t["baseline_volume"]
        volume: BaselineVolume | None = BaselineVolume(
            int(raw["inquiries"]), date.fromisoformat(raw["from"]), date.fromisoformat(raw["to"])
        )
    else:
        numerator, denominator = resolve(measure, _selector(t.get("numerator")), _selector(t.get("denominator")))
        volume = None
    return Target(
        id=t["id"],
        title=t["title"],
        measure=measure,
        numerator=numerator,
        denominator=denominator,
        scope=tuple(t["scope"]),
        comparator=t["comparator"],
        threshold=float(t["threshold"]),
        window=t["window"],
        deadline=date.fromisoformat(t["deadline"]) if "deadline" in t else None,
        baseline=_baseline(t, volume),
        severity=t["severity"],
        owner=Owner(team=t["owner"].get("team"), email=t["owner"].get("email")),
        min_inquiries=int(t.get("min_inquiries", file_minimum)),
        baseline_volume=volume,
    )


def load_target_file(path: Path) -> TargetFile:
    """Read, validate and freeze one target file, or raise TargetFileError."""
    try:
        data = read_yaml(path)
    except YamlFileError as exc:
        raise TargetFileError(path, [(exc.where, exc.problem)]) from None
    problems = _schema_problems(data) or list(_semantic_problems(data))
    if problems:
        raise TargetFileError(path, problems)
    minimum = int(data.get("min_inquiries", DEFAULT_MIN_INQUIRIES))
    return TargetFile(
        path=path,
        municipality=data["municipality"],
        targets=tuple(_target(t, minimum) for t in data["targets"]),
        min_inquiries=minimum,
    )


def load_target_files(paths: Iterable[Path]) -> tuple[TargetFile, ...]:
    """Load several files; a target id may be defined once per municipality across them."""
    files = tuple(load_target_file(p) for p in paths)
    owner: dict[tuple[str, str], Path] = {}
    for f in files:
        for i, t in enumerate(f.targets):
            other = owner.setdefault((f.municipality, t.id), f.path)
            if other != f.path:
                raise TargetFileError(
                    f.path, [(f"targets[{i}].id", f"{t.id!r} of municipality {f.municipality} is also in {other}")]
                )
    return files
