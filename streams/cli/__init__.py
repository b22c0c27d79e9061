"""The `komhen` command: demo, worker, simulate, publish.

Each sub-command reads settings from the environment (and KOMHEN_CONFIG), lets flags
override them, and reports configuration errors in one clear line with exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from streams.config import ConfigError, Settings, load_settings

EXIT_CONFIG = 2


def _common_kafka(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", help="input topic (env KOMHEN_TOPIC, default inquiries)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="komhen",
        description="komhen-live: count a municipality's inquiries per channel and department, live (KOMHEN).",
        epilog="Settings come from environment variables (KAFKA_BOOTSTRAP_SERVERS, KOMHEN_*) "
        "and an optional YAML file named by KOMHEN_CONFIG; flags override both.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="run broker, worker, simulator and metrics on this machine, with a live table",
        description="Without KAFKA_BOOTSTRAP_SERVERS: starts the embedded broker on loopback, creates the topics, "
        "runs one worker and a traffic simulator, serves /metrics, and shows channel shares per department. "
        "Ctrl-C stops everything.",
    )
    demo.add_argument(
        "--rate", type=float, default=20.0, help="simulated events per second; 0 runs no simulator (default 20)"
    )
    demo.add_argument("--duration", type=float, help="stop after this many seconds (default: run until Ctrl-C)")
    demo.add_argument("--broker-port", type=int, default=9092, help="embedded broker port (default 9092)")
    demo.add_argument("--web-port", type=int, help="worker web port for /metrics (default 6066)")
    demo.add_argument(
        "--clock", choices=["wall", "event"], help="windows end now (wall) or at the newest event (event)"
    )
    demo.add_argument("--backfill-days", type=int, default=28, help="simulate this many past days first (default 28)")
    demo.add_argument("--window", choices=["7d", "28d", "365d", "ytd"], default="7d", help="window shown in the table")
    demo.add_argument("--profile", type=Path, help="traffic profile YAML (default deploy/simulator/ishoej.yaml)")
    demo.add_argument("--targets", nargs="+", type=Path, metavar="FILE", help="target files to track (KOMHEN_TARGETS)")

    worker = sub.add_parser(
        "worker",
        help="run a counting worker against KAFKA_BOOTSTRAP_SERVERS",
        description="Consumes the input topic in the consumer group KOMHEN_GROUP_ID, keeps day buckets per "
        "department, and serves /metrics and /health on the web port. Run several for more throughput.",
    )
    worker.add_argument(
        "--web-port", type=int, help="port for /metrics and /health (env KOMHEN_WEB_PORT, default 6066)"
    )
    worker.add_argument("--web-host", help="address to listen on (env KOMHEN_WEB_HOST, default 127.0.0.1)")
    worker.add_argument(
        "--clock", choices=["wall", "event"], help="window end: wall clock or newest event (KOMHEN_CLOCK)"
    )
    worker.add_argument(
        "--targets", nargs="+", type=Path, metavar="FILE", help="target files to track (KOMHEN_TARGETS)"
    )
    worker.add_argument("--loglevel", default="info", choices=["debug", "info", "warn", "error"])
    _common_kafka(worker)

    simulate = sub.add_parser(
        "simulate",
        help="publish realistic, reproducible traffic for a municipality",
        description="Publishes simulated inquiries from a profile (departments, channel mix, opening hours). "
        "The same --seed gives the same events.",
    )
    simulate.add_argument("--rate", type=float, required=True, help="events per second (live, event time = now)")
    simulate.add_argument("--duration", type=float, help="seconds to run (default: until Ctrl-C)")
    simulate.add_argument("--profile", type=Path, help="traffic profile YAML (default deploy/simulator/ishoej.yaml)")
    simulate.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    simulate.add_argument("--backfill-days", type=int, default=0, help="first publish this many whole past days")
    _common_kafka(simulate)

    publish = sub.add_parser(
        "publish",
        help="validate and publish events from a JSON or NDJSON file",
        description="Reads one JSON event, a JSON array of events, or NDJSON (one event per line) from FILE or "
        "standard input, validates every event, publishes the valid ones batched per department, and "
        "lists the invalid ones with their reason. Exit status 1 if any event was rejected.",
    )
    publish.add_argument("file", nargs="?", default="-", help="file to read, or - for standard input (default)")
    _common_kafka(publish)

    importer = sub.add_parser(
        "import",
        help="import KOMHEN counting-week files (TraceTool / Det Digitale Landkort exports)",
        description="Reads ;-separated KOMHEN exports (Latin-1 or UTF-8, CRLF, local columns, blank units) and "
        "publishes one event per row with ids derived from the file, so importing a file twice counts it once. "
        "Rows that cannot be mapped are listed with file, line and reason. Use --clock event on the worker to "
        "see old counting weeks in the windows. Exit status 1 if any row was rejected.",
    )
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.add_argument("--dry-run", action="store_true", help="check and summarise, publish nothing")
    importer.add_argument("--language", choices=["da", "en"], default="da", help="language of the summary")
    _common_kafka(importer)

    exporter = sub.add_parser(
        "export",
        help="write KL's KOMHEN upload file from the counted state",
        description="Reads the counted state of all workers (the summaries topic) and writes KL's upload layout "
        "KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;Henvendelses type;Afslutning;Blanket;Dato, one row "
        "per inquiry, dated by day.",
    )
    exporter.add_argument("--format", choices=["komhen-csv"], default="komhen-csv")
    exporter.add_argument("--from", dest="first", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    exporter.add_argument("--to", dest="last", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    exporter.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    exporter.add_argument("--encoding", default="utf-8", help="utf-8 (default), utf-8-sig or latin-1")
    exporter.add_argument("--municipality", help="only this municipality number")
    _common_kafka(exporter)

    source = sub.add_parser(
        "source",
        help="publish a source system's records (telephony, selfservice, digitalpost, reception)",
        description="Maps a system's native records to inquiry events (and service measures such as abandoned "
        "calls) and publishes them. Samples of every input and mapping file are in schemas/samples/.",
    )
    source.add_argument("system", choices=["telephony", "selfservice", "digitalpost", "reception"])
    source.add_argument("files", nargs="*", type=Path, metavar="FILE", help="files to publish")
    source.add_argument("--follow", type=Path, metavar="DIR", help="then keep publishing new files in DIR")
    source.add_argument("--mapping", type=Path, required=True, help="YAML: municipality and queue/unit -> department")
    _common_kafka(source)

    report = sub.add_parser(
        "report",
        help="reports that need KLE tasks (not in Prometheus)",
        description="selfservice: completed / started self-service attempts per department and KLE task, "
        "from the counted state of all workers.",
    )
    report.add_argument("report", choices=["selfservice"])
    report.add_argument("--from", dest="first", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="last", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    _common_kafka(report)

    ingest = sub.add_parser(
        "ingest",
        help="HTTP endpoint for source systems that cannot speak Kafka",
        description="Serves POST /v1/events (one JSON event, a JSON array, or NDJSON) with a bearer token per "
        "source (schemas/ingest-openapi.v1.yaml). Answers 202 only after Kafka acknowledged every accepted "
        "event, 503 if it cannot confirm, and lists each invalid event with its index and reason.",
    )
    ingest.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ingest.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    ingest.add_argument("--tokens", type=Path, required=True, help="YAML mapping of source id to bearer token")
    ingest.add_argument("--max-body-bytes", type=int, default=5_000_000, help="largest request body (default 5 MB)")
    _common_kafka(ingest)

    dashboards = sub.add_parser("dashboards", help="Grafana dashboards from code and target files")
    dashboards_sub = dashboards.add_subparsers(dest="dashboards_command", required=True, metavar="ACTION")
    build = dashboards_sub.add_parser(
        "build",
        help="write the dashboards' JSON",
        description="Writes Kanalstrategi – overblik (one per municipality with target files), Afdeling and "
        "Datakilder og drift into the dashboards folder, checked against schemas/grafana-dashboard.subset.json.",
    )
    build.add_argument(
        "target_files",
        nargs="*",
        type=Path,
        metavar="TARGET_FILE",
        help="target files (default: deploy/targets/*.yaml)",
    )
    build.add_argument("--out", type=Path, default=Path("dashboards"), help="folder to write to (default dashboards)")

    grafana = sub.add_parser("grafana", help="put the dashboards into an existing Grafana")
    grafana_sub = grafana.add_subparsers(dest="grafana_command", required=True, metavar="ACTION")
    push = grafana_sub.add_parser(
        "push",
        help="create or update the folder, the datasource (optional) and every dashboard",
        description="Idempotent: compares with what Grafana has and writes only what differs; a second run "
        "changes nothing and says so. Needs a service-account token with the Editor role (Admin to create "
        "the datasource).",
    )
    push.add_argument("--url", required=True, help="Grafana's base URL, e.g. https://grafana.kommune.dk")
    push.add_argument("--token", required=True, help="service-account token (or set it in a file and use $(cat …))")
    push.add_argument("--folder", default="Kanalstrategi", help="folder name (default Kanalstrategi)")
    push.add_argument("--datasource-url", help="also create/update the Prometheus datasource pointing here")
    push.add_argument("--dashboards", type=Path, default=Path("dashboards"), help="folder of dashboard JSON")

    rules = sub.add_parser("rules", help="Prometheus rules from target files")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    generate = rules_sub.add_parser(
        "generate",
        help="write recording rules and alerts for target files",
        description="Writes one rule file per target file plus the operations rules. A target file with an "
        "error is refused with the file, the field and what is wrong, and nothing is written.",
    )
    generate.add_argument("target_files", nargs="+", type=Path, metavar="TARGET_FILE")
    generate.add_argument("--out", type=Path, default=Path("deploy/prometheus/rules"), help="folder to write to")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings().with_overrides(
            topic=getattr(args, "topic", None),
            web_port=getattr(args, "web_port", None),
            web_host=getattr(args, "web_host", None),
            clock=getattr(args, "clock", None),
            targets=",".join(str(p) for p in args.targets) if getattr(args, "targets", None) else None,
        )
        if args.command == "demo":
            from streams.dev.demo import run_demo

            return run_demo(settings, args)
        if args.command == "rules":
            return run_rules_generate(args.target_files, args.out)
        if args.command == "dashboards":
            return run_dashboards_build(args.target_files, args.out)
        if args.command == "grafana":
            return run_grafana_push(args)
        if args.command == "import" and args.dry_run:
            from streams.cli.import_ import run_import

            return run_import(settings, args.files, dry_run=True, language=args.language)
        if not settings.bootstrap_servers:
            raise ConfigError(
                "KAFKA_BOOTSTRAP_SERVERS is not set; point it at your Kafka (e.g. localhost:9092) "
                "or use `komhen demo` to run everything locally"
            )
        if args.command == "worker":
            return run_worker(settings, args.loglevel)
        if args.command == "simulate":
            return run_simulate(settings, args)
        if args.command == "publish":
            from streams.cli.publish import run_publish

            return run_publish(settings, args.file)
        if args.command == "import":
            from streams.cli.import_ import run_import

            return run_import(settings, args.files, language=args.language)
        if args.command == "export":
            return run_export(settings, args)
        if args.command == "source":
            from streams.ingress.sources import run_source

            if not args.files and args.follow is None:
                raise ConfigError("komhen source needs FILE arguments or --follow DIR")
            return run_source(settings, args.system, args.files, mapping_path=args.mapping, follow=args.follow)
        if args.command == "report":
            return run_report(settings, args)
        if args.command == "ingest":
            from streams.ingress.ingest import run_ingest

            return run_ingest(
                settings, host=args.host, port=args.port, tokens_path=args.tokens, max_body_bytes=args.max_body_bytes
            )
    except ConfigError as exc:
        print(f"komhen: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    raise AssertionError(args.command)


def run_worker(settings: Settings, loglevel: str) -> int:
    import faust

    from streams.broker.clients import quiet_kafka_client_logs
    from streams.broker.topics import ensure_topics
    from streams.worker.app import create_app

    logging.basicConfig(level=loglevel.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_kafka_client_logs()
    ensure_topics(settings)
    app, _ = create_app(settings)
    worker = faust.Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()


def run_simulate(settings: Settings, args: argparse.Namespace) -> int:
    from streams.broker.topics import ensure_topics
    from streams.dev.simulator import Simulator, load_profile
    from streams.ingress.publisher import Publisher

    simulator = Simulator(load_profile(args.profile), seed=args.seed, tz=settings.tz)
    ensure_topics(settings)
    with Publisher(settings) as publisher:
        today = datetime.now(settings.tz).date()
        for back in range(args.backfill_days, 0, -1):
            publisher.publish(list(simulator.day(today - timedelta(days=back))))
        published = 0
        started = time.monotonic()
        deadline = None if args.duration is None else started + args.duration
        tick = 0.2
        while deadline is None or time.monotonic() < deadline:
            due = int((time.monotonic() - started) * args.rate) - published
            if due > 0:
                now = datetime.now(UTC)
                publisher.publish([simulator.event_at(now) for _ in range(due)])
                published += due
            time.sleep(tick)
    return 0


def run_rules_generate(target_files: list[Path], out: Path) -> int:
    from streams.domain.targets import TargetFileError
    from streams.generators.rules import generate_rule_files

    try:
        written = generate_rule_files(target_files, out)
    except (TargetFileError, ValueError) as exc:
        print(f"komhen rules generate: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    for path in written:
        print(f"wrote {path}")
    return 0


def run_dashboards_build(target_files: list[Path], out: Path) -> int:
    from streams.domain.targets import TargetFileError
    from streams.generators.dashboards.build import build_dashboards
    from streams.resources import shipped_targets

    try:
        written = build_dashboards(target_files or shipped_targets(), out)
    except (TargetFileError, ValueError) as exc:
        print(f"komhen dashboards build: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    for path in written:
        print(f"wrote {path}")
    return 0


def run_grafana_push(args: argparse.Namespace) -> int:
    from streams.generators.grafana_push import GrafanaPushError, push

    try:
        report = push(args.url, args.token, args.folder, args.dashboards, datasource_url=args.datasource_url)
    except GrafanaPushError as exc:
        print(f"komhen grafana push: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def run_export(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from streams.broker.reading import counted_state
    from streams.generators.komhen_export import write_export, write_export_file

    state = asyncio.run(counted_state(settings))
    options = {"encoding": args.encoding, "municipality": args.municipality}
    if args.output is None:
        rows = write_export([state], args.first, args.last, sys.stdout.buffer, **options)
    else:
        rows = write_export_file([state], args.first, args.last, args.output, **options)
    print(f"wrote {rows} rows ({args.first} to {args.last})", file=sys.stderr)
    return 0


def run_report(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from streams.broker.reading import counted_state
    from streams.generators.reports import format_completion, selfservice_completion

    state = asyncio.run(counted_state(settings))
    rows = selfservice_completion([state], args.first.toordinal(), args.last.toordinal())
    print(f"Selvbetjening: gennemførte / startede forsøg pr. afdeling og KLE-opgave, {args.first} – {args.last}")
    print(format_completion(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
