"""What `komhen source` tells the person at the terminal, in Danish, about a run."""

from __future__ import annotations

from typing import Any

from streams.cli.source import SourceRun
from streams.contract.texts import speaking
from streams.ingress.adapters import source_adapter
from tests.fixtures.factories import TZ
from tests.unit.ingress.sources.golden import SOURCES, source


class Sent:
    """Stands in for the SDK's publisher: only what was handed over is checked here."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def send_valid(self, events: list[dict[str, Any]]) -> None:
        self.events += events


def test_records_skips_rejections_and_unmapped_keys_are_told_with_danish_numbers() -> None:
    folder = SOURCES / "booking"
    adapter, mapping = source(folder)
    sent = Sent()
    run = SourceRun(sent, adapter.skip_reasons_da)  # type: ignore[arg-type]
    for name in ("in-export.csv", "in-edge-times.csv"):
        run.publish(adapter.read(folder / name, mapping))
    assert len(sent.events) == 9
    assert run.summary("source.yaml") == [
        "Læst 13 poster: 7 henvendelser og 2 servicehændelser sendt, 2 poster sprunget over, 2 afvist.",
        "Sprunget over, fordi de ikke er henvendelser: 1 × intern blokering af kalenderen, ingen borger "
        "(internal_block); 1 × booket, endnu ikke afholdt (not_yet_held).",
        "Talt under enheden 'unknown', fordi source.yaml ikke nævner nøglen: 'Familierådgivning' (1); tilføj dem "
        "under departments.",
    ]


def test_records_that_name_no_unit_are_told_apart_and_big_numbers_have_danish_separators() -> None:
    adapter, _ = source_adapter("os2forms", tz=TZ)
    _, mapping = source(SOURCES / "os2forms")
    run = SourceRun(Sent(), adapter.skip_reasons_da)  # type: ignore[arg-type]
    lines = "".join(
        f'{{"uuid": "u-{i}", "completed": "2026-11-16T08:00:00+01:00", "in_draft": 0}}\n' for i in range(1200)
    )
    run.publish(adapter.read_content("many.ndjson", lines.encode(), mapping))
    assert run.summary("forms.yaml") == [
        "Læst 1.200 poster: 1.200 henvendelser og 1.200 servicehændelser sendt, 0 poster sprunget over, 0 afvist.",
        "1.200 poster nævner ingen enhed og er talt under enheden 'unknown'.",
    ]


def test_one_of_a_kind_is_told_in_the_singular_in_danish_and_english() -> None:
    folder = SOURCES / "booking"
    adapter, mapping = source(folder)
    header = (folder / "in-export.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    blocked = "Pension;1002;16-11-2026 11:00;Intern blokering;Fremmøde;;;;60"
    held = "Jobcenter Rådgivning;1001;16-11-2026 08:30;Gennemført;Fremmøde;;;;30"
    lines = {}
    for language in ("da", "en"):
        with speaking(language):
            run = SourceRun(Sent(), adapter.skip_reasons_da)  # type: ignore[arg-type]
            for name, row in (("blocked.csv", blocked), ("held.csv", held)):
                run.publish(adapter.read_content(name, f"{header}\n{row}\n".encode(), mapping))
            lines[language] = run.headline()
    assert lines == {
        "da": "Læst 2 poster: 1 henvendelse og 0 servicehændelser sendt, 1 post sprunget over, 0 afvist.",
        "en": "Read 2 records: 1 inquiry and 0 service measures published, 1 record skipped, 0 rejected.",
    }
