"""`komhen publish`: NDJSON and JSON arrays through the CLI into a worker, rejects listed by line."""

from __future__ import annotations

import json
from pathlib import Path

from streams.config import Settings
from tests.integration.test_counting_end_to_end import known_events
from tests.integration.test_komhen_files_cli import komhen
from tests.integration.workers import WorkerProcess, wait_for


def counted(worker: WorkerProcess) -> float:
    return sum(worker.metrics().get("komhen_inquiries_total", {}).values())


def test_publish_sends_valid_lines_and_lists_the_rest(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    events = known_events(300)
    lines = [json.dumps(e) for e in events]
    lines.insert(10, "{not json")
    lines.insert(20, json.dumps({**events[0], "event_id": "bad-1", "channel": "fax"}))
    lines.insert(30, "   ")
    ndjson = tmp_path / "events.ndjson"
    ndjson.write_text("\n".join(lines) + "\n")
    result = komhen(settings, "publish", str(ndjson))
    assert result.returncode == 1
    assert result.stdout.strip() == f"published {len(events)} events to {settings.topic}, rejected 2"
    assert result.stderr.splitlines() == [
        f"{ndjson}: line 11: rejected (malformed_json): Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
        f"{ndjson}: line 21: rejected (unknown_code): channel 'fax' is not one of chat, digital_post, email, letter, "
        "output_manager, personal, phone, remote_print, self_service, sms, social_media, system, web",
    ]
    wait_for(lambda: counted(worker) == len(events), 60, "every valid line to be counted")

    array = tmp_path / "more.json"
    more = [{**e, "event_id": f"array-{i}"} for i, e in enumerate(events[:50])]
    array.write_text(json.dumps(more, indent=2))
    again = komhen(settings, "publish", str(array))
    assert again.returncode == 0 and again.stdout.strip() == f"published 50 events to {settings.topic}, rejected 0"
    wait_for(lambda: counted(worker) == len(events) + 50, 60, "the array's events to be counted")
