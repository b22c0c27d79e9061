"""`komhen demo`: the whole pipeline on one machine with nothing installed but Python.

Starts the embedded broker (unless KAFKA_BOOTSTRAP_SERVERS is set), a worker and a
simulator as child processes that die with the demo, and draws the live share table
from the worker's /metrics until Ctrl-C or --duration.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from streams.broker.topics import ensure_topics
from streams.config import Settings, settings_env
from streams.dev.embedded import EmbeddedBroker, die_with_parent
from streams.dev.live_table import render, scrape
from streams.dev.simulator import load_profile


def _child_env(settings: Settings) -> dict[str, str]:
    return {**os.environ, **settings_env(settings)}


def _spawn(args: list[str], settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "streams", *args],
            env=_child_env(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_demo(settings: Settings, args: argparse.Namespace) -> int:
    logs = Path(settings.data_dir) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    profile = load_profile(args.profile)
    names = {d.slug: d.name for d in profile.departments}
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with ExitStack() as stack:
        if not settings.bootstrap_servers:
            broker = stack.enter_context(EmbeddedBroker(port=args.broker_port, log_path=logs / "broker.log"))
            settings = replace(settings, bootstrap_servers=broker.bootstrap_servers)
            print(f"Embedded broker (Tansu) on {broker.bootstrap_servers}; logs in {logs}/")
        ensure_topics(settings)
        worker = _spawn(["worker"], settings, logs / "worker.log")
        stack.callback(_stop, worker)
        if args.rate > 0:
            sim_args = ["simulate", "--rate", str(args.rate), "--backfill-days", str(args.backfill_days)]
            if args.profile:
                sim_args += ["--profile", str(args.profile)]
            simulator = _spawn(sim_args, settings, logs / "simulator.log")
            stack.callback(_stop, simulator)
        url = f"http://{settings.web_host}:{settings.web_port}/metrics"
        print(f"Worker metrics on {url} (Prometheus format). Ctrl-C stops the demo.")
        deadline = None if args.duration is None else time.monotonic() + args.duration
        interactive = sys.stdout.isatty()
        try:
            while deadline is None or time.monotonic() < deadline:
                if worker.poll() is not None:
                    print(f"The worker stopped (exit {worker.returncode}); see {logs / 'worker.log'}", file=sys.stderr)
                    return 1
                try:
                    table = render(scrape(url, args.window), args.window, names)
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    table = "Venter på at workeren starter …"
                print(("\x1b[H\x1b[2J" if interactive else "\n") + table, flush=True)
                time.sleep(2.0 if interactive else 5.0)
        except KeyboardInterrupt:
            print("\nStopping …")
    return 0
