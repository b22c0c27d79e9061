"""A real browser for the tests: headless Chromium (the Debian package) driven over the DevTools protocol.

One visit opens a page and records everything a person's browser would complain about — console
messages, uncaught exceptions, failed loads (Log.entryAdded) — and every request the page made,
then counts the charts, takes the DOM, and photographs the first A4 page as print media renders
it. Chromium runs with no network (host names resolve to nothing) and a throw-away profile.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import tempfile
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest

from streams.contract.errors import UnusableInput
from streams.generators.status.pdf import browser_flags, find_chromium

A4_PX = (794, 1123)  # 210 × 297 mm at 96 px per inch
PAGE_MARGINS = "15mm 14mm"  # the report's @page margins, so the screenshot looks like the printed page


@dataclass
class Visit:
    url: str
    problems: list[str] = field(default_factory=list)  # console messages, exceptions, failed loads
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    charts: int = 0  # charts: elements with data-chart (an <svg>, or a <div> of one SVG per target)
    dom: str = ""
    first_page_png: bytes = b""


def chromium() -> str:
    try:
        return find_chromium()
    except UnusableInput as exc:
        pytest.fail(f"{exc} (`make test` installs it)")


class _Session:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        my = self.next_id
        await self.ws.send_json({"id": my, "method": method, "params": params})
        while True:
            message = await self.ws.receive_json()
            if message.get("id") == my:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    async def until(self, method: str, timeout_s: float) -> None:
        async def wait() -> None:
            while not any(e.get("method") == method for e in self.events):
                self.events.append(await self.ws.receive_json())

        await asyncio.wait_for(wait(), timeout_s)

    async def drain(self, seconds: float) -> None:
        try:
            while True:
                self.events.append(await asyncio.wait_for(self.ws.receive_json(), seconds))
        except TimeoutError:
            return


def _problems(events: list[dict[str, Any]]) -> list[str]:
    out = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled":
            out.append(f"console.{params['type']}: {json.dumps(params.get('args'))[:300]}")
        elif method == "Runtime.exceptionThrown":
            out.append(f"exception: {json.dumps(params.get('exceptionDetails'))[:300]}")
        elif method == "Log.entryAdded":
            entry = params["entry"]
            out.append(f"log {entry['level']} ({entry['source']}): {entry['text']} {entry.get('url', '')}")
    return out


async def _visit(url: str, timeout_s: float) -> Visit:
    with tempfile.TemporaryDirectory(prefix="komhen-test-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            chromium(),
            *browser_flags(profile),
            "--remote-debugging-port=0",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            assert process.stderr is not None
            endpoint = None
            while endpoint is None:
                line = (await asyncio.wait_for(process.stderr.readline(), timeout_s)).decode()
                if not line:
                    raise RuntimeError("Chromium ended before it offered the DevTools protocol")
                match = re.search(r"DevTools listening on ws://([^/]+)/", line)
                endpoint = match.group(1) if match else None
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://{endpoint}/json/list") as response:
                    targets = await response.json()
                page = next(t for t in targets if t["type"] == "page")
                async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    return await _record(_Session(ws), url, timeout_s)
        finally:
            if process.returncode is None:
                process.terminate()
            await process.wait()


async def _record(s: _Session, url: str, timeout_s: float) -> Visit:
    for domain in ("Page", "Runtime", "Log", "Network"):
        await s.call(f"{domain}.enable")
    await s.call("Page.navigate", url=url)
    await s.until("Page.loadEventFired", timeout_s)
    await s.drain(0.5)  # late console messages or loads
    visit = Visit(url)
    visit.requests = [e["params"]["request"]["url"] for e in s.events if e.get("method") == "Network.requestWillBeSent"]
    visit.problems = _problems(s.events)
    counted = await s.call(
        "Runtime.evaluate", expression="document.querySelectorAll('[data-chart]').length", returnByValue=True
    )
    visit.charts = int(counted["result"]["value"])
    dom = await s.call("Runtime.evaluate", expression="document.documentElement.outerHTML", returnByValue=True)
    visit.dom = str(dom["result"]["value"])
    width, height = A4_PX
    await s.call("Emulation.setEmulatedMedia", media="print")
    await s.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
    await s.call(
        "Runtime.evaluate",
        expression=f"document.body.style.padding = '{PAGE_MARGINS}'; document.body.style.background = '#fff'",
    )
    shot = await s.call(
        "Page.captureScreenshot", format="png", clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    )
    visit.first_page_png = base64.b64decode(shot["data"])
    return visit


def visit(url: str, timeout_s: float = 60) -> Visit:
    """Open `url` in headless Chromium and record what happened."""
    return asyncio.run(_visit(url, timeout_s))


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF as Chromium writes it (one /Type /Page object per page)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
