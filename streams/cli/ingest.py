"""`komhen ingest`: the HTTP endpoint for source systems that cannot speak Kafka."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streams.cli.common import add_topic, finite, free_port, input_file, port_number, whole_number
from streams.contract.texts import text
from streams.documents.settings import ConfigError, Settings

if TYPE_CHECKING:
    from streams.ingress.http.sources import PushedSource


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "ingest",
        help=text("help.ingest"),
        description=text("help.ingest.about"),
    )
    parser.add_argument("--host", default="127.0.0.1", help=text("help.ingest.host"))
    parser.add_argument("--port", type=port_number, default=8080, help=text("help.ingest.port"))
    parser.add_argument(
        "--tokens",
        type=Path,
        required=True,
        help=text("help.ingest.tokens"),
    )
    parser.add_argument(
        "--metrics-token",
        type=Path,
        metavar="FILE",
        help=text("help.ingest.metrics_token"),
    )
    parser.add_argument(
        "--max-body-bytes",
        type=whole_number,
        default=5_000_000,
        help=text("help.ingest.max_body_bytes"),
    )
    parser.add_argument("--header-timeout", type=finite, default=10.0, help=text("help.ingest.header_timeout"))
    parser.add_argument("--body-timeout", type=finite, default=30.0, help=text("help.ingest.body_timeout"))
    parser.add_argument("--max-connections", type=whole_number, default=256, help=text("help.ingest.max_connections"))
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME=MAPPING",
        help=text("help.ingest.source"),
    )
    add_topic(parser)
    parser.set_defaults(run=run)


def pushed_sources(specs: list[str], settings: Settings) -> dict[str, PushedSource]:
    """The --source options as sources that post their records, by source id."""
    from streams.documents.source_mappings import load_mapping
    from streams.ingress.adapters import source_adapter
    from streams.ingress.http.sources import PushedSource

    sources: dict[str, PushedSource] = {}
    for spec in specs:
        name, _, mapping_file = spec.partition("=")
        adapter, own_units = source_adapter(name, tz=settings.tz)
        mapping = (
            load_mapping(input_file(Path(mapping_file)), tz=settings.tz, sections=adapter.sections)
            if mapping_file
            else own_units
        )
        if mapping is None:
            raise ConfigError(text("ingest.source_mapping", spec=spec, name=name))
        if adapter.source in sources:
            raise ConfigError(text("ingest.source_twice", spec=spec, source=adapter.source))
        sources[adapter.source] = PushedSource(adapter, mapping)
    return sources


def run(settings: Settings, args: argparse.Namespace) -> int:
    from streams.ingress.http.ingest import run_ingest
    from streams.ingress.http.limits import Limits

    for flag, value in (
        ("--max-body-bytes", args.max_body_bytes),
        ("--header-timeout", args.header_timeout),
        ("--body-timeout", args.body_timeout),
        ("--max-connections", args.max_connections),
    ):
        if value <= 0:
            raise ConfigError(text("ingest.positive", flag=flag, value=str(value)))
    if not settings.bootstrap_servers:  # it runs while Kafka is down (answering 503), but it must know where
        raise ConfigError(text("kafka.not_set_ingest"))
    tokens = input_file(args.tokens)
    metrics_token = input_file(args.metrics_token) if args.metrics_token is not None else None
    sources = pushed_sources(args.source, settings)
    free_port(args.port, args.host, "--port")
    return run_ingest(
        settings,
        host=args.host,
        port=args.port,
        tokens_path=tokens,
        metrics_token_path=metrics_token,
        sources=sources,
        limits=Limits(
            max_body_bytes=args.max_body_bytes,
            header_timeout_s=args.header_timeout,
            body_timeout_s=args.body_timeout,
            max_connections=args.max_connections,
        ),
    )
