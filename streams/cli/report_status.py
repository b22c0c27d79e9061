"""`komhen report status`: the status report a committee reads, from Kafka or from KOMHEN files.

From files, the period defaults to the files' own: the first to the last day with inquiries of the
municipality, said in one line. The report itself is Danish (the committee's); what the command says
is in the person's language.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from streams.cli.common import (
    REFERENCE,
    TARGETS,
    add_topic,
    day,
    input_file,
    output_folder,
    require_kafka,
    say,
    shipped_or_path,
    whole_number,
)
from streams.cli.exit import ExitCode
from streams.contract.errors import UnusableInput
from streams.contract.texts import language, text
from streams.documents.reference import measure_book, municipality_table
from streams.documents.report_inputs import load_reference, load_units
from streams.documents.settings import Settings
from streams.documents.shipped import shipped_document, shipped_names
from streams.documents.targets import load_target_files
from streams.domain.counting.aggregation import Aggregation
from streams.domain.report.findings import MIN_INQUIRIES, FindingRules
from streams.domain.report.inputs import DisplayNames, selection
from streams.domain.report.model import ReportRequest, StatusReport, build_status_report, municipalities
from streams.domain.report.national_section import national_reference
from streams.domain.report.periods import Period, PeriodError, counting_weeks, preceding


def register(reports: Any) -> None:
    parser = reports.add_parser(
        "status",
        help=text("help.status"),
        description=text("help.status.about"),
    )
    period = parser.add_argument_group(text("help.status.period"))
    period.add_argument("--from", dest="first", type=day, metavar="YYYY-MM-DD", help=text("help.status.from"))
    period.add_argument("--to", dest="last", type=day, metavar="YYYY-MM-DD", help=text("help.status.to"))
    period.add_argument("--counting-weeks", metavar="YEAR-WNN:WNN", help=text("help.status.counting_weeks"))
    baseline = parser.add_argument_group(text("help.status.baseline"))
    baseline.add_argument("--baseline-from", type=day, metavar="YYYY-MM-DD", help=text("help.status.baseline_from"))
    baseline.add_argument("--baseline-to", type=day, metavar="YYYY-MM-DD", help=text("help.status.baseline_to"))
    baseline.add_argument(
        "--baseline-counting-weeks", metavar="YEAR-WNN:WNN", help=text("help.status.baseline_counting_weeks")
    )
    parser.add_argument("--municipality", metavar="NNN|NAME", help=text("help.status.municipality"))
    parser.add_argument(
        "--department", action="append", default=[], metavar="SLUG", help=text("help.status.department")
    )
    parser.add_argument("--units", type=Path, metavar="FILE", help=text("help.status.units"))
    parser.add_argument("--group", metavar="ID", help=text("help.status.group"))
    parser.add_argument(
        "--reference",
        metavar="FILE",
        help=text("help.status.reference"),
    )
    parser.add_argument(
        "--targets",
        nargs="+",
        type=shipped_or_path(TARGETS),
        metavar="FILE",
        help=text("help.status.targets"),
    )
    parser.add_argument(
        "--min-inquiries",
        type=whole_number,
        default=MIN_INQUIRIES,
        metavar="N",
        help=text("help.status.min_inquiries", n=MIN_INQUIRIES),
    )
    parser.add_argument("--trend", choices=["auto", "week", "month"], default="auto", help=text("help.status.trend"))
    parser.add_argument("--from-file", nargs="+", type=Path, metavar="FILE", help=text("help.status.from_file"))
    parser.add_argument("--output", "-o", type=Path, metavar="DIR", help=text("help.status.output"))
    parser.add_argument("--pdf", action="store_true", help=text("help.status.pdf"))
    parser.add_argument("--chromium", metavar="PATH", help=text("help.status.chromium"))
    add_topic(parser)
    parser.set_defaults(run=run)


def period_from(args: argparse.Namespace) -> tuple[Period | None, Period | None]:
    """(the period, the baseline) the flags give, each None where none is given; PeriodError saying which
    flags clash or are missing."""
    if args.counting_weeks and (args.first or args.last):
        raise PeriodError(text("report.period_both"))
    period = None
    if args.counting_weeks:
        period = counting_weeks(args.counting_weeks)
    elif args.first and args.last:
        period = Period(args.first, args.last)
    elif args.first or args.last or not args.from_file:  # half a period; or Kafka, which has no period of its own
        raise PeriodError(text("report.period_missing"))
    if args.baseline_counting_weeks and (args.baseline_from or args.baseline_to):
        raise PeriodError(text("report.baseline_both"))
    if args.baseline_counting_weeks:
        return period, counting_weeks(args.baseline_counting_weeks)
    if args.baseline_from or args.baseline_to:
        if not (args.baseline_from and args.baseline_to):
            raise PeriodError(text("report.baseline_pair"))
        return period, Period(args.baseline_from, args.baseline_to)
    return period, None


def _files_period(state: Aggregation, municipality: str) -> Period | None:
    """The first to the last day with inquiries of the municipality, said in one line; None if it has none."""
    days = [day for (m, _), day, _ in state.days() if m == municipality]
    if not days:
        return None
    period = Period(date.fromordinal(min(days)), date.fromordinal(max(days)))
    label = municipality_table().label_of(municipality)
    say(text("report.period_from_files", municipality=label, dates=_dates(period)))
    return period


def _dates(period: Period) -> str:
    """A period's dates in a line: as the report writes them in Danish, as ISO dates in English."""
    return period.dates if language() == "da" else f"{period.first.isoformat()} – {period.last.isoformat()}"


# References computed from the counted state (the national view) rather than read from a file.
NATIONAL_REFERENCES = {"landet": "national", "gennemsnitskommunen": "mean", "mediankommunen": "median"}


def _reference_path(name: str) -> Path:
    """A reference file, or a shipped one by name; an unknown name lists every reference by name."""
    path = Path(name)
    if not path.exists():
        shipped = shipped_document(REFERENCE, name)
        if shipped is not None:
            return shipped
        if path.suffix.lower() not in (".yaml", ".yml") and len(path.parts) == 1:  # a name, not a file
            known = ", ".join([*shipped_names(REFERENCE), *NATIONAL_REFERENCES])
            raise UnusableInput(text("shipped.unknown.reference", name=f"--reference {name}", names=known))
    return input_file(path)


def _municipality(wanted: str | None, state: list[Aggregation], where: str) -> str:
    if wanted is not None:
        found_one = municipality_table().resolve(wanted)
        if found_one is None:
            raise UnusableInput(text("report.municipality", value=wanted))
        return found_one.number
    found = municipalities(state)
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnusableInput(text("report.no_inquiries", where=where))
    raise UnusableInput(text("report.several", where=where, found=", ".join(found)))


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Read the state (Kafka or files), build the model, write the folder; 1 if file rows were rejected."""
    from streams.generators.status import write_report
    from streams.generators.status.live import SOURCE_COUNTED
    from streams.generators.status.pdf import find_chromium

    period, baseline = period_from(args)
    if args.min_inquiries < 1:
        raise UnusableInput(text("report.min_inquiries", value=str(args.min_inquiries)))
    chromium = find_chromium(args.chromium) if args.pdf else None
    computed = NATIONAL_REFERENCES.get(args.reference or "")
    reference = load_reference(_reference_path(args.reference)) if args.reference and not computed else None
    units_file = input_file(args.units) if args.units else None
    paths = [input_file(p) for p in args.from_file or []]
    if args.output is not None:
        output_folder(args.output)
    targets = load_target_files(settings.target_files)
    rejected = 0
    if paths:
        from streams.ingress.komhen.counting import count_files

        state, summary, rejections = count_files(paths, tz=settings.tz, retention_days=settings.retention_days)
        for row in rejections:
            print(row.format(language()), file=sys.stderr)
        say(summary.format(language()))
        rejected = summary.rejected_total
        names = ", ".join(p.name for p in paths)
        source = f"KOMHEN-{'fil' if len(paths) == 1 else 'filer'} {names}"  # the report's words: Danish
        where = text("report.where_files")
    else:
        import asyncio

        from streams.broker.reading import counted_state

        state = asyncio.run(counted_state(require_kafka(settings)))
        source = SOURCE_COUNTED
        where = text("report.where_state", topic=settings.summary_topic)
    municipality = _municipality(args.municipality, [state], where)
    if period is None:  # from files without a period: the files' own days
        period = _files_period(state, municipality)
        if period is None:
            raise UnusableInput(text("report.no_inquiries", where=where))
    comparison = baseline or preceding(period)
    if computed:
        if not set(municipalities([state])) - {municipality}:
            raise UnusableInput(
                text(
                    "report.national_alone",
                    reference=args.reference,
                    where=where,
                    municipality=municipality_table().label_of(municipality),
                )
            )
        reference = national_reference(
            [state], period.first.toordinal(), period.last.toordinal(), computed, book=measure_book()
        )
    units = load_units(units_file, municipality) if units_file else None
    request = ReportRequest(
        municipality=municipality,
        period=period,
        comparison=comparison,
        comparison_kind="baseline" if baseline is not None else "preceding",
        selection=selection(units, args.group, args.department),
        names=units.names if units is not None else DisplayNames(),
        reference=reference,
        targets=targets,
        rules=FindingRules(min_inquiries=args.min_inquiries),
        trend=args.trend,
        league_min_inquiries=settings.league_min_inquiries,
        official_name=municipality_table().official_name_of(municipality),
        book=measure_book(),
    )
    report = build_status_report([state], request)
    if not any(u.inquiries for u in report.units):
        say(_nothing_counted(state, report))
    folder = args.output or Path(f"status-{municipality}-{period.first.isoformat()}-{period.last.isoformat()}")
    written = write_report(report, folder, source=source, generated=datetime.now(settings.tz), chromium=chromium)
    _say_written(report, written.html, written.pdf, len(written.csv))
    return ExitCode.REJECTED if rejected else ExitCode.OK


def _nothing_counted(state: Aggregation, report: StatusReport) -> str:
    """A warning that the period holds no inquiries of the municipality, and which days do."""
    days = [day for (m, _), day, _ in state.days() if m == report.municipality]
    scope = report.municipality_name
    if report.selection.departments is not None:
        scope += f" – {report.selection.title}"
    dates = _dates(report.period)
    if not days:
        held = ", ".join(municipality_table().label_of(m) for m in municipalities([state])[:5])
        more = " …" if len(municipalities([state])) > 5 else ""
        return text("report.nothing_anywhere", scope=scope, dates=dates, held=held + more)
    span = Period(date.fromordinal(min(days)), date.fromordinal(max(days)))
    return text("report.nothing_in_period", scope=scope, dates=dates, span=_dates(span))


def _say_written(report: StatusReport, html: Path, pdf: Path | None, csv_files: int) -> None:
    parts = [str(html), text("report.csv_files", n=csv_files, folder=html.parent / "csv")]
    if pdf is not None:
        parts.append(str(pdf))
    say(
        text(
            "report.written",
            municipality=report.municipality_name,
            dates=_dates(report.period),
            units=len(report.units),
            goals=len(report.goals),
            findings=len(report.findings),
            files=", ".join(parts),
        )
    )
