"""Names people can trust (issue 24), through the real CLI, broker and worker.

The trial: a right-to-left override, zero-width characters, a stroke drawn over the letters and
Cyrillic look-alikes in a unit name each made a department of their own, and the override reached
/metrics, the page and the export. Imported now, every disguise of Borgerservice counts as
Borgerservice, and no invisible or look-alike character reaches an output.
"""

from __future__ import annotations

import urllib.request
from collections import Counter
from pathlib import Path

from streams.dev.embedded import EmbeddedBroker
from streams.documents.settings import Settings
from tests.fixtures.workers import WorkerProcess, wait_for, whole_municipality
from tests.integration.ingress.test_komhen_files_cli import inquiries, komhen

HEADER = "Kommune;ID;Enhed;Opgave;Kanal;Type;Afslutning;Blanket;Dato;StartTidspunkt;SlutTidspunkt;Datakilde"
DISGUISES = {
    "Borgerservice": 2,
    "\u202eBorgerservice": 1,  # right-to-left override in front
    "Borger\u200bservice": 1,  # zero-width space
    "Borger\u200dservice": 1,  # zero-width joiner
    "Borgerservice\u0336": 1,  # a combining long stroke over the last letter
    "B\u043ergerservice": 1,  # Cyrillic о
    "\u0412orgerservice": 1,  # Cyrillic В
    "\u202eecivresregroB": 1,  # the trial's reversed name: shown reversed now, its own department
}
INVISIBLE_OR_LOOKALIKE = ("\u202e", "\u200b", "\u200d", "\u0336", "\u043e", "\u0412")


def test_every_disguise_of_a_unit_counts_as_that_unit_and_none_reaches_an_output(
    settings: Settings, worker: WorkerProcess, broker: EmbeddedBroker, tmp_path: Path
) -> None:
    rows = [
        f"183;{i};{unit};;TLFIND;VEJL;STRAKS;;0{1 + i % 5}-12-2026 09:00:00;;;Tracetool"
        for i, unit in enumerate(u for u, n in DISGUISES.items() for _ in range(n))
    ]
    export = tmp_path / "navne.csv"
    export.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")

    result = komhen(settings, "import", str(export))
    assert result.returncode == 0, result.stderr
    expected = Counter({("183", "borgerservice", "phone", "in"): 8, ("183", "ecivresregrob", "phone", "in"): 1})
    wait_for(lambda: inquiries(worker) == expected, 60, "every disguise counted as the unit it imitates")

    def names() -> dict[str, str]:
        info = worker.metrics().get("komhen_department_info", {})
        return {dict(k)["department"]: dict(k)["department_name"] for k in info if dict(k)["municipality"] == "183"}

    wait_for(
        lambda: names() == {"borgerservice": "Borgerservice", "ecivresregrob": "ecivresregroB"},
        10,
        "the names as people see them",
    )
    # the export reads the summaries topic: all nine are on it once the whole municipality counts them
    wait_for(lambda: whole_municipality(worker) == 9, 30, "the summaries to reach the global view")
    with urllib.request.urlopen(worker.base_url + "/metrics", timeout=30) as response:
        metrics = response.read().decode()
    with urllib.request.urlopen(worker.base_url + "/?kommune=183", timeout=30) as response:
        page = response.read().decode()
    out = tmp_path / "kl-upload.csv"
    exported = komhen(settings, "export", "--from", "2026-12-01", "--to", "2026-12-31", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    export_text = out.read_bytes().decode("latin-1")
    for output in (metrics, page, export_text, result.stdout, result.stderr):
        assert not any(char in output for char in INVISIBLE_OR_LOOKALIKE)
    assert Counter(line.split(";")[1] for line in export_text.splitlines()[1:]) == {
        "Borgerservice": 8,
        "ecivresregroB": 1,
    }
