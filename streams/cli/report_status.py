"""`komhen report status`: the status report a committee reads, from Kafka or from KOMHEN files."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from streams.cli.common import add_topic, input_file, require_kafka, say
from streams.cli.exit import ExitCode
from streams.contract.errors import UnusableInput
from streams.documents.reference import measure_book, municipality_table
from streams.documents.report_inputs import load_reference, load_units
from streams.documents.settings import Settings
from streams.documents.shipped import shipped_reference, shipped_references
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
        help="the status report on digitalisation and channel strategy (HTML, CSV, PDF)",
        description="Writes the status report for a municipality (or some of its departments) and a period, "
        "compared with the period of the same length before it or a baseline: key figures, channel mix, trend, "
        "targets, per-unit tables and findings by documented rules, in Danish; where the data holds other "
        "municipalities, the municipality's place among them on each league measure (KOMHEN_LEAGUE_MIN_INQUIRIES). "
        "Output: a folder with status.html (self-contained, prints on A4), csv/*.csv (the tables, for Excel) "
        "and, with --pdf, status.pdf. Reads the counted state from Kafka, or KOMHEN export files with --from-file "
        "(no broker).",
    )
    period = parser.add_argument_group("period (one of)")
    period.add_argument("--from", dest="first", type=_date, metavar="YYYY-MM-DD", help="first day of the period")
    period.add_argument("--to", dest="last", type=_date, metavar="YYYY-MM-DD", help="last day of the period")
    period.add_argument("--counting-weeks", metavar="YEAR-WNN:WNN", help="ISO weeks, e.g. 2015-W45:W47")
    baseline = parser.add_argument_group("compared with (default: the period of the same length just before)")
    baseline.add_argument("--baseline-from", type=_date, metavar="YYYY-MM-DD")
    baseline.add_argument("--baseline-to", type=_date, metavar="YYYY-MM-DD")
    baseline.add_argument("--baseline-counting-weeks", metavar="YEAR-WNN:WNN", help="e.g. 2014-W45:W47")
    parser.add_argument(
        "--municipality", metavar="NNN|NAME", help="municipality number or name (needed if the data has several)"
    )
    parser.add_argument(
        "--department", action="append", default=[], metavar="SLUG", help="only this department (repeatable)"
    )
    parser.add_argument("--units", type=Path, metavar="FILE", help="display names and groups (report-units.v1)")
    parser.add_argument("--group", metavar="ID", help="only the departments of this group of --units (a forvaltning)")
    parser.add_argument(
        "--reference",
        metavar="FILE",
        help="values to compare with (report-reference.v1), or a shipped one by name: landsgennemsnit-2013; "
        "or from the counted state over the same period: landet (all municipalities' sums), gennemsnitskommunen "
        "or mediankommunen (of the municipalities with enough inquiries)",
    )
    parser.add_argument("--targets", nargs="+", type=Path, metavar="FILE", help="target files (KOMHEN_TARGETS)")
    parser.add_argument(
        "--min-inquiries",
        type=int,
        default=MIN_INQUIRIES,
        metavar="N",
        help=f"no verdict on a target or a share-based finding below N inquiries (default {MIN_INQUIRIES})",
    )
    parser.add_argument("--trend", choices=["auto", "week", "month"], default="auto", help="trend by week or month")
    parser.add_argument(
        "--from-file", nargs="+", type=Path, metavar="FILE", help="KOMHEN export files instead of Kafka"
    )
    parser.add_argument("--output", "-o", type=Path, metavar="DIR", help="folder to write (default: status-NNN-…)")
    parser.add_argument("--pdf", action="store_true", help="also print status.pdf with headless Chromium")
    parser.add_argument("--chromium", metavar="PATH", help="the Chromium to print with (default: found on PATH)")
    add_topic(parser)
    parser.set_defaults(run=run)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD, e.g. 2015-11-02") from None


def period_from(args: argparse.Namespace) -> tuple[Period, Period, str]:
    """(period, comparison, comparison kind) from the flags; PeriodError saying which flags are missing."""
    if args.counting_weeks and (args.first or args.last):
        raise PeriodError("give either --from/--to or --counting-weeks, not both")
    if args.counting_weeks:
        period = counting_weeks(args.counting_weeks)
    elif args.first and args.last:
        period = Period(args.first, args.last)
    else:
        raise PeriodError("give the period: --from YYYY-MM-DD --to YYYY-MM-DD, or --counting-weeks 2015-W45:W47")
    if args.baseline_counting_weeks and (args.baseline_from or args.baseline_to):
        raise PeriodError("give either --baseline-from/--baseline-to or --baseline-counting-weeks, not both")
    if args.baseline_counting_weeks:
        return period, counting_weeks(args.baseline_counting_weeks), "baseline"
    if args.baseline_from or args.baseline_to:
        if not (args.baseline_from and args.baseline_to):
            raise PeriodError("give both --baseline-from and --baseline-to")
        return period, Period(args.baseline_from, args.baseline_to), "baseline"
    return period, preceding(period), "preceding"


# References computed from the counted state (the national view) rather than read from a file.
NATIONAL_REFERENCES = {"landet": "national", "gennemsnitskommunen": "mean", "mediankommunen": "median"}


def _reference_path(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        shipped = shipped_reference(text)
        if shipped is not None:
            return shipped
        if path.suffix.lower() not in (".yaml", ".yml"):  # a name, not a file
            known = ", ".join([*shipped_references(), *NATIONAL_REFERENCES])
            raise UnusableInput(f"--reference {text}: no such file or reference; the references by name are {known}")
    return input_file(path)


def _municipality(wanted: str | None, state: list[Aggregation], where: str) -> str:
    if wanted is not None:
        found_one = municipality_table().resolve(wanted)
        if found_one is None:
            raise UnusableInput(
                f"--municipality {wanted}: not one of the 98 municipalities; give its number or name, e.g. 183 or Ishøj"
            )
        return found_one.number
    found = municipalities(state)
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnusableInput(f"{where} no inquiries; give --municipality NNN for an empty report")
    raise UnusableInput(f"{where} several municipalities ({', '.join(found)}); choose one with --municipality")


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Read the state (Kafka or files), build the model, write the folder; 1 if file rows were rejected."""
    from streams.generators.status import write_report
    from streams.generators.status.live import SOURCE_COUNTED
    from streams.generators.status.pdf import find_chromium

    period, comparison, kind = period_from(args)
    if args.min_inquiries < 1:
        raise UnusableInput(f"--min-inquiries {args.min_inquiries}: give a whole number of at least 1, e.g. 30")
    chromium = find_chromium(args.chromium) if args.pdf else None
    computed = NATIONAL_REFERENCES.get(args.reference or "")
    reference = load_reference(_reference_path(args.reference)) if args.reference and not computed else None
    targets = load_target_files(settings.target_files)
    rejected = 0
    if args.from_file:
        from streams.ingress.komhen.counting import count_files

        paths = [input_file(p) for p in args.from_file]
        state, summary, rejections = count_files(paths, tz=settings.tz, retention_days=settings.retention_days)
        for row in rejections:
            print(row.format(), file=sys.stderr)
        say(summary.format())
        rejected = summary.rejected_total
        names = ", ".join(p.name for p in paths)
        source = f"KOMHEN-{'fil' if len(paths) == 1 else 'filer'} {names}"
        where = "the files hold"
    else:
        import asyncio

        from streams.broker.reading import counted_state

        state = asyncio.run(counted_state(require_kafka(settings)))
        source = SOURCE_COUNTED
        where = f"the counted state ({settings.summary_topic}) holds"
    municipality = _municipality(args.municipality, [state], where)
    if computed:
        if not set(municipalities([state])) - {municipality}:
            raise UnusableInput(
                f"--reference {args.reference} compares with the other municipalities, but {where} only "
                f"{municipality_table().label_of(municipality)}; give a reference file or landsgennemsnit-2013"
            )
        reference = national_reference(
            [state], period.first.toordinal(), period.last.toordinal(), computed, book=measure_book()
        )
    units = load_units(input_file(args.units), municipality) if args.units else None
    request = ReportRequest(
        municipality=municipality,
        period=period,
        comparison=comparison,
        comparison_kind="baseline" if kind == "baseline" else "preceding",
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
    head = f"Advarsel: ingen henvendelser fra {scope} i perioden {report.period.dates}"
    if not days:
        held = ", ".join(municipality_table().label_of(m) for m in municipalities([state])[:5])
        more = " …" if len(municipalities([state])) > 5 else ""
        return f"{head}, og ingen i data overhovedet (data har {held}{more}); rapporten er tom."
    span = Period(date.fromordinal(min(days)), date.fromordinal(max(days)))
    return f"{head}; data har kommunens henvendelser fra {span.dates}. Rapporten er tom."


def _say_written(report: StatusReport, html: Path, pdf: Path | None, csv_files: int) -> None:
    parts = [str(html), f"{csv_files} CSV-filer i {html.parent / 'csv'}"]
    if pdf is not None:
        parts.append(str(pdf))
    say(
        f"Statusrapport for {report.municipality_name}, {report.period.dates}: {len(report.units)} enheder, "
        f"{len(report.goals)} mål, {len(report.findings)} fund. Skrev " + ", ".join(parts) + "."
    )
