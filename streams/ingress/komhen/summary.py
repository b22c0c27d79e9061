"""What an import run did, in the few lines people read at the end of `komhen import`, in Danish or English.

A module of its own because it is the report of a run over many files, not the reading of one:
it counts results, keeps a few examples per reason, and words the advice about old rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from streams.contract.danish import whole
from streams.domain.events.descriptive import FindingReason
from streams.domain.events.inquiry import Reason
from streams.ingress.komhen.columns import COLUMN_OF
from streams.ingress.komhen.export_file import ExportFile
from streams.ingress.komhen.results import Imported, Language, RejectedRow, RowResult
from streams.ingress.komhen.texts import FINDINGS_DA, FINDINGS_EN, REASONS_DA

EXAMPLES_PER_REASON = 3


def _number(n: int, language: Language) -> str:
    return whole(n) if language == "da" else f"{n:,}"


@dataclass
class ImportSummary:
    """What an import run did, for the lines people read at the end.

    >>> s = ImportSummary()
    >>> s.add(RejectedRow("a.csv", 7, Reason.UNKNOWN_CODE, "Kanal 'FAX' is not a KOMHEN channel code"))
    >>> print(s.format("en"))
    Read 0 files, 1 row: 0 events, 1 rejected.
    Rejected by reason:
      unknown_code: 1 (e.g. a.csv:7)
    """

    files: int = 0
    total_rows: int = 0  # data rows of the files added so far
    rows: int = 0
    events: int = 0
    published: int | None = None  # set by a caller that publishes; None = not published
    blank_lines: int = 0
    retention_days: int | None = None  # set when rows older than it were held back (wall clock)
    rejected: Counter[Reason] = field(default_factory=Counter)
    examples: dict[Reason, list[RejectedRow]] = field(default_factory=dict)
    findings: Counter[tuple[str, FindingReason]] = field(default_factory=Counter)
    finding_examples: dict[tuple[str, FindingReason], list[str]] = field(default_factory=dict)
    findings_by_row: int = 0  # counted rows with at least one finding

    def add_file(self, export: ExportFile) -> None:
        self.files += 1
        self.total_rows += export.rows
        self.blank_lines += export.blank_lines

    def add(self, result: RowResult) -> None:
        self.rows += 1
        if isinstance(result, Imported):
            self.events += 1
            self.findings_by_row += bool(result.findings)
            for finding in result.findings:
                key = (finding.field, finding.reason)
                self.findings[key] += 1
                where = self.finding_examples.setdefault(key, [])
                if len(where) < EXAMPLES_PER_REASON:
                    where.append(f"{result.file}:{result.line}")
            return
        self.rejected[result.reason] += 1
        examples = self.examples.setdefault(result.reason, [])
        if len(examples) < EXAMPLES_PER_REASON:
            examples.append(result)

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def interrupted(self, language: Language = "da") -> str:
        """The line for Ctrl-C: how far the import got, and that running it again is safe."""
        done, total = _number(self.rows, language), _number(self.total_rows, language)
        if language == "da":
            return (
                f"Afbrudt efter {done} af {total} rækker. Kør den samme import igen: "
                "rækker, der allerede er talt, tælles kun én gang."
            )
        return f"Interrupted after {done} of {total} rows. Run the same import again: rows already counted count once."

    def format(self, language: Language = "da") -> str:
        """A few lines for the end of `komhen import`, in Danish (default) or English."""

        def n(count: int) -> str:
            return _number(count, language)

        da = language == "da"
        if da:
            head = (
                f"Læst {n(self.files)} {'fil' if self.files == 1 else 'filer'}, {n(self.rows)} "
                f"{'række' if self.rows == 1 else 'rækker'}: {n(self.events)} "
                f"{'henvendelse' if self.events == 1 else 'henvendelser'}, {n(self.rejected_total)} afvist"
            )
        else:
            head = (
                f"Read {n(self.files)} {'file' if self.files == 1 else 'files'}, {n(self.rows)} "
                f"{'row' if self.rows == 1 else 'rows'}: {n(self.events)} "
                f"{'event' if self.events == 1 else 'events'}, {n(self.rejected_total)} rejected"
            )
        if self.published is not None:
            head += f", {n(self.published)} {'sendt' if da else 'published'}"
        lines = [head + "."]
        if self.blank_lines:
            one = self.blank_lines == 1
            if da:
                lines.append(f"{n(self.blank_lines)} {'tom linje' if one else 'tomme linjer'} sprunget over.")
            else:
                lines.append(f"{n(self.blank_lines)} blank {'line' if one else 'lines'} skipped.")
        if self.rejected:
            lines.append("Afvist pr. årsag:" if da else "Rejected by reason:")
            for reason, count in sorted(self.rejected.items(), key=lambda item: (-item[1], item[0].value)):
                label = f"{reason.value} ({REASONS_DA[reason]})" if da and reason in REASONS_DA else reason.value
                where = ", ".join(f"{r.file}:{r.line}" for r in self.examples.get(reason, []))
                lines.append(f"  {label}: {n(count)} ({'fx' if da else 'e.g.'} {where})")
        if self.findings:
            rows = n(self.findings_by_row)
            lines.append(
                f"Beskrivende felter rettet eller udeladt i {rows} {'række' if self.findings_by_row == 1 else 'rækker'}"
                " (de er talt med):"
                if da
                else f"Descriptive fields normalised or left out in {rows} "
                f"{'row' if self.findings_by_row == 1 else 'rows'} (they are counted):"
            )
            for (field_name, finding), count in sorted(
                self.findings.items(), key=lambda item: (-item[1], item[0][0], item[0][1].value)
            ):
                what = FINDINGS_DA[finding] if da else FINDINGS_EN[finding]
                column = COLUMN_OF[field_name] if da else f"{field_name} ({COLUMN_OF[field_name]})"
                lines_at = ", ".join(self.finding_examples[(field_name, finding)])
                lines.append(f"  {column}, {what}: {n(count)} ({'fx' if da else 'e.g.'} {lines_at})")
        if self.rejected.get(Reason.TOO_OLD):
            lines.append(too_old_advice(self.retention_days, language))
        return "\n".join(lines)


def too_old_advice(retention_days: int | None, language: Language) -> str:
    """What to do about rows older than the retention, in one line."""
    days = whole(retention_days) if retention_days is not None else "400"
    if language == "da":
        return (
            f"Rækker ældre end {days} dage er ikke sendt: en worker med vægur (--clock wall) afviser dem som too_old. "
            "Kør workeren og importen med --clock event (KOMHEN_CLOCK=event) for at tælle gamle tælleuger."
        )
    return (
        f"Rows older than {days} days were not sent: a worker with the wall clock (--clock wall) rejects them as "
        "too_old. Run the worker and the import with --clock event (KOMHEN_CLOCK=event) to count old counting weeks."
    )
