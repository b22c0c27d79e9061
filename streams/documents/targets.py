"""Target files (schemas/targets.v1.json): read, check and map to the frozen model of
streams.domain.measures.targets.

The JSON Schema checks the shape; this module adds what needs the code table or several
fields at once. A file with any problem is refused as a whole, with every problem named by
file, field path and reason, so a worker never starts on half a strategy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from streams.contract.errors import UnusableInput
from streams.contract.identifiers import ALL_DEPARTMENTS, NATIONAL
from streams.contract.texts import language
from streams.contract.texts import text as said
from streams.documents.problems import Problem, one_line
from streams.documents.reading import DocumentError, read_document
from streams.documents.reference import measure_book
from streams.documents.validation import schema_problems
from streams.domain.events.codes import CodeTable
from streams.domain.measures.measures import Measure, MeasureBook, Selector
from streams.domain.measures.targets import (
    DEFAULT_MIN_INQUIRIES,
    Baseline,
    BaselineVolume,
    Owner,
    Target,
    TargetFile,
)

KIND = "target file"


class TargetFileError(UnusableInput):
    """A target file that cannot be used; the message names the file, each field and what is wrong."""

    def __init__(self, path: Path | str, problems: Sequence[Problem]) -> None:
        self.path = str(path)
        self.problems = tuple(problems)
        super().__init__(one_line(self.path, self.problems))


def _selector(raw: dict[str, Any] | None) -> Selector:
    raw = raw or {}
    return Selector(
        channels=frozenset(raw["channels"]) if "channels" in raw else None,
        direction=raw.get("direction"),
        inquiry_types=frozenset(raw["inquiry_types"]) if "inquiry_types" in raw else None,
        kle=tuple(raw["kle"]) if "kle" in raw else None,
    )


def _semantic_problems(raw: dict[str, Any], book: MeasureBook) -> Iterator[Problem]:
    codes = book.codes
    first_seen: dict[str, int] = {}
    for i, t in enumerate(raw["targets"]):
        at = f"targets[{i}]"
        if t["id"] in first_seen:
            yield f"{at}.id", said("target.duplicate_id", id=repr(t["id"]), first=f"targets[{first_seen[t['id']]}]")
        first_seen.setdefault(t["id"], i)
        measure = Measure(t["measure"])
        if raw["municipality"] == NATIONAL and t["scope"] != [ALL_DEPARTMENTS]:
            yield f"{at}.scope", said("target.national_scope", national=NATIONAL)
        if measure is Measure.VOLUME:
            yield from _volume_problems(t, at, codes)
            continue
        for field in ("selection", "baseline_volume"):
            if field in t:
                yield f"{at}.{field}", said("target.volume_only", field=field)
        for part in ("numerator", "denominator"):
            sel = t.get(part, {})
            for k, name in enumerate(sel.get("channels", [])):
                if name not in codes.channels:
                    yield (
                        f"{at}.{part}.channels[{k}]",
                        said("target.unknown_channel", name=repr(name), known=", ".join(codes.channels)),
                    )
            for k, code in enumerate(sel.get("inquiry_types", [])):
                if code not in codes.inquiry_types:
                    known = ", ".join(codes.inquiry_types)
                    yield f"{at}.{part}.inquiry_types[{k}]", said("target.unknown_type", code=repr(code), known=known)
        numerator, denominator = book.resolve(measure, _selector(t.get("numerator")), _selector(t.get("denominator")))
        direction = numerator.direction or denominator.direction
        for k, name in enumerate(t.get("numerator", {}).get("channels", [])):
            channel = codes.channels.get(name)
            if channel is not None and direction is not None and direction not in channel.directions:
                yield f"{at}.numerator.channels[{k}]", said("target.no_direction", name=name, direction=direction)
        if measure is Measure.CHANNEL_SHARE and "channels" not in t.get("numerator", {}):
            yield f"{at}.numerator.channels", said("target.share_channels")
        if measure is Measure.SELF_SERVICE_RATE and denominator.kle is None:
            yield f"{at}.denominator.kle", said("target.rate_kle")
        if measure is Measure.COST_PER_INQUIRY and "numerator" in t:
            yield f"{at}.numerator", said("target.cost_numerator")
        if measure is Measure.FIRST_CONTACT_RESOLUTION:
            for name in sorted(denominator.channels or ()):
                if not codes.channels[name].immediate_allowed:
                    yield f"{at}.denominator.channels", said("target.straks", name=name)
        if measure.is_rate:
            if t["threshold"] > 1:
                got = t["threshold"]
                yield f"{at}.threshold", said("target.rate_threshold", measure=str(measure), got=_written(got))
            if "baseline" in t and t["baseline"]["value"] > 1:
                value = t["baseline"]["value"]
                yield f"{at}.baseline.value", said("target.rate_value", measure=str(measure), got=_written(value))
        if "baseline" in t:
            if "deadline" not in t:
                yield f"{at}.baseline", said("target.baseline_deadline")
            elif t["baseline"]["date"] >= t["deadline"]:
                yield (
                    f"{at}.baseline.date",
                    said("target.not_before", day=t["baseline"]["date"], deadline=t["deadline"]),
                )


def _volume_problems(t: dict[str, Any], at: str, codes: CodeTable) -> Iterator[Problem]:
    """A volume target counts a selection against a baseline volume; it has no numerator or denominator."""
    for part in ("numerator", "denominator"):
        if part in t:
            yield f"{at}.{part}", said("target.volume_parts")
    if "selection" not in t:
        yield f"{at}.selection", said("target.volume_selection")
    sel = t.get("selection", {})
    for k, name in enumerate(sel.get("channels", [])):
        channel = codes.channels.get(name)
        if channel is None:
            yield (
                f"{at}.selection.channels[{k}]",
                said("target.unknown_channel", name=repr(name), known=", ".join(codes.channels)),
            )
        elif "direction" in sel and sel["direction"] not in channel.directions:
            yield f"{at}.selection.channels[{k}]", said("target.no_direction", name=name, direction=sel["direction"])
    for k, code in enumerate(sel.get("inquiry_types", [])):
        if code not in codes.inquiry_types:
            known = ", ".join(codes.inquiry_types)
            yield f"{at}.selection.inquiry_types[{k}]", said("target.unknown_type", code=repr(code), known=known)
    volume = t.get("baseline_volume")
    if volume is None:
        yield f"{at}.baseline_volume", said("target.volume_baseline")
        return
    if volume["from"] > volume["to"]:
        yield f"{at}.baseline_volume.from", said("target.after_end", first=volume["from"], last=volume["to"])
    if "deadline" in t and volume["to"] >= t["deadline"]:
        yield f"{at}.baseline_volume.to", said("target.not_before", day=volume["to"], deadline=t["deadline"])
    if "baseline" in t and "deadline" not in t:
        yield f"{at}.baseline", said("target.baseline_deadline")
    elif "baseline" in t and t["baseline"]["date"] >= t["deadline"]:
        yield f"{at}.baseline.date", said("target.not_before", day=t["baseline"]["date"], deadline=t["deadline"])


def _baseline(t: dict[str, Any], volume: BaselineVolume | None) -> Baseline | None:
    """Where the glide path starts: the file's baseline, or for a volume 1 (the baseline volume) at its end."""
    if "baseline" in t:
        return Baseline(float(t["baseline"]["value"]), date.fromisoformat(t["baseline"]["date"]))
    if volume is not None and "deadline" in t:
        return Baseline(1.0, volume.last)
    return None


def _target(t: dict[str, Any], file_minimum: int, book: MeasureBook) -> Target:
    measure = Measure(t["measure"])
    if measure is Measure.VOLUME:
        numerator, denominator = Selector(), _selector(t["selection"])
        raw = t["baseline_volume"]
        volume: BaselineVolume | None = BaselineVolume(
            int(raw["inquiries"]), date.fromisoformat(raw["from"]), date.fromisoformat(raw["to"])
        )
    else:
        numerator, denominator = book.resolve(measure, _selector(t.get("numerator")), _selector(t.get("denominator")))
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
        prices=book.prices_for(measure),
    )


def load_target_file(path: Path) -> TargetFile:
    """Read, check and freeze one target file, or raise TargetFileError."""
    try:
        data = read_document(path, KIND)
    except DocumentError as exc:
        raise TargetFileError(path, [(exc.where, exc.problem)]) from None
    book = measure_book()
    problems = schema_problems("targets.v1.json", data) or list(_semantic_problems(data, book))
    if problems:
        raise TargetFileError(path, problems)
    minimum = int(data.get("min_inquiries", DEFAULT_MIN_INQUIRIES))
    return TargetFile(
        path=str(path),
        municipality=data["municipality"],
        targets=tuple(_target(t, minimum, book) for t in data["targets"]),
        min_inquiries=minimum,
    )


def load_target_files(paths: Iterable[Path]) -> tuple[TargetFile, ...]:
    """Load several files; a target id may be defined once per municipality across them."""
    files = tuple(load_target_file(p) for p in paths)
    owner: dict[tuple[str, str], str] = {}
    for f in files:
        for i, t in enumerate(f.targets):
            other = owner.setdefault((f.municipality, t.id), f.path)
            if other != f.path:
                raise TargetFileError(
                    f.path,
                    [
                        (
                            f"targets[{i}].id",
                            said("target.also_in", id=repr(t.id), municipality=f.municipality, other=other),
                        )
                    ],
                )
    return files


def _written(n: float) -> str:
    """A number from the file as the language writes it: 40 and 0,45 in Danish, 40 and 0.45 in English."""
    written = repr(n)
    return written.replace(".", ",") if language() == "da" else written
