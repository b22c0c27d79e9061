"""`komhen demo`: the whole pipeline on one machine with nothing installed but Python.

Starts the embedded broker (unless KAFKA_BOOTSTRAP_SERVERS is set), a worker and a simulator
as child processes that die with the demo, and draws the live share table from the worker's
/metrics until Ctrl-C or --duration, with what a newcomer needs to know above and below it.
Each run logs into a folder of its own. The children run in their own sessions, so Ctrl-C
reaches the demo alone, which stops them in order (simulator, worker, broker) within seconds. They log in
the demo's language.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from streams.broker.topics import ensure_topics
from streams.contract.texts import LANGUAGE_VARIABLE, language, number, text
from streams.dev.embedded import EmbeddedBroker, die_with_parent
from streams.dev.live_table import render, render_national, scrape, scrape_national
from streams.documents.profiles import load_national_profile, load_profile
from streams.documents.settings import Settings, settings_env
from streams.documents.shipped import schemas

STOP_WAIT_S = 8.0  # a child that has not stopped by then is killed


@dataclass(frozen=True)
class DemoOptions:
    rate: float
    duration: float | None
    broker_port: int
    backfill_days: int
    window: str
    profile: Path | None
    national: bool = False  # all 98 municipalities (deploy/simulator/national.yaml) and the national table


def _spawn(args: list[str], settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "streams", *args],
            env={
                **os.environ,
                **settings_env(settings),
                LANGUAGE_VARIABLE: language(),
            },  # the children speak as the demo
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in the terminal reaches the demo only; it stops the children
            preexec_fn=die_with_parent,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_folder(data_dir: str) -> Path:
    """A new folder for this run's logs: .komhen/logs/<start time>/."""
    folder = Path(data_dir) / "logs" / datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def komhen_command() -> str:
    """`komhen` as another terminal can run it: the name if PATH finds this very program, else the path of
    the one beside this Python (a venv's bin/, which `make demo` does not put on PATH), else `python -m streams`."""
    beside = Path(sys.executable).parent / "komhen"
    if not beside.is_file():
        return f"{shlex.quote(sys.executable)} -m streams"
    found = shutil.which("komhen")
    if found is not None and Path(found).resolve() == beside.resolve():
        return "komhen"
    return shlex.quote(str(beside))


def guide(settings: Settings, logs: Path, rate: float) -> str:
    """The lines kept above the table: where everything is, how to send events, how to stop. The command
    runs as printed, and shows the sample in the 7-day table on any day (its dates moved to the last week)."""
    sample = schemas() / "samples" / "inquiry-events.ndjson"
    metrics = f"http://{settings.web_host}:{settings.web_port}/metrics"
    lines = [
        text("demo.head", servers=settings.bootstrap_servers, metrics=metrics, logs=logs),
        text("demo.no_simulator") if rate <= 0 else text("demo.simulating", rate=number(rate)),
    ]
    lines.append(
        f"  KAFKA_BOOTSTRAP_SERVERS={settings.bootstrap_servers} {komhen_command()} publish --shift-to-today "
        f"{shlex.quote(str(sample))}"
    )
    return "\n".join(lines)


def run_demo(settings: Settings, options: DemoOptions) -> int:
    logs = log_folder(settings.data_dir)
    if options.national and settings.department_series == Settings().department_series:
        settings = replace(settings, department_series="lean")  # 98 municipalities: see docs/scale.md
    # A broken profile stops the demo here, before anything starts.
    load_national_profile(options.profile) if options.national else load_profile(options.profile)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started with SIGINT ignored (`&`)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with ExitStack() as stack:
        if not settings.bootstrap_servers:
            broker = stack.enter_context(EmbeddedBroker(port=options.broker_port, log_path=logs / "broker.log"))
            settings = replace(settings, bootstrap_servers=broker.bootstrap_servers)
            print(text("demo.broker", servers=broker.bootstrap_servers), flush=True)
        ensure_topics(settings)
        worker = _spawn(["worker"], settings, logs / "worker.log")
        stack.callback(_stop, worker)
        if options.rate > 0:
            sim_args = ["simulate", "--rate", str(options.rate), "--backfill-days", str(options.backfill_days)]
            if options.profile:
                sim_args += ["--profile", str(options.profile)]
            if options.national:
                sim_args.append("--national")
            stack.callback(_stop, _spawn(sim_args, settings, logs / "simulator.log"))
        return _show(settings, options, worker, guide(settings, logs, options.rate), logs)


def _show(
    settings: Settings,
    options: DemoOptions,
    worker: subprocess.Popen[bytes],
    header: str,
    logs: Path,
) -> int:
    """Redraw header, table and footer until the deadline or Ctrl-C; 1 if the worker died."""
    url = f"http://{settings.web_host}:{settings.web_port}/metrics"
    deadline = None if options.duration is None else time.monotonic() + options.duration
    interactive = sys.stdout.isatty()
    footer = text("demo.footer")
    try:
        while deadline is None or time.monotonic() < deadline:
            if worker.poll() is not None:
                print(
                    text("demo.worker_stopped", code=str(worker.returncode), log=logs / "worker.log"), file=sys.stderr
                )
                return 1
            try:
                if options.national:
                    table = render_national(scrape_national(url, options.window), options.window)
                else:
                    table = render(scrape(url, options.window), options.window)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                table = text("demo.waiting")
            screen = f"{header}\n\n{table}\n\n{footer}"
            print(("\x1b[H\x1b[2J" if interactive else "\n") + screen, flush=True)
            time.sleep(2.0 if interactive else 5.0)
    except KeyboardInterrupt:
        print("\n" + text("demo.stopping"), flush=True)
    return 0
