"""Headless Chromium for the tests, driven over the DevTools protocol on a pipe.

Chromium's ``--remote-debugging-pipe`` reads JSON commands on file descriptor 3
and writes replies and events on 4, each message ended by a NUL byte: enough
to load a page, press keys, evaluate script and take screenshots with only the
standard library.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--force-color-profile=srgb", "--force-device-scale-factor=1",
         "--hide-scrollbars", "--window-size=1400,1400")


def executable() -> str | None:
    """The Chromium on this machine, or None."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


class Browser:
    """One headless Chromium with one page, closed with the ``with`` block."""

    def __init__(self, timeout: float = 30.0) -> None:
        binary = executable()
        if binary is None:
            raise RuntimeError("no Chromium on this machine")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="convgif-chromium-")
        ours_in, theirs_out = os.pipe()  # Chromium writes on its fd 4
        theirs_in, ours_out = os.pipe()  # Chromium reads on its fd 3

        def pipes() -> None:
            read, write = os.dup(theirs_in), os.dup(theirs_out)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [binary, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
             "about:blank"],
            preexec_fn=pipes, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(theirs_in)
        os.close(theirs_out)
        self.reader, self.writer = ours_in, ours_out
        self.buffer, self.next_id, self.events = b"", 0, []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        self.page("Page.enable")

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.reader)
        os.close(self.writer)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.reader], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.reader, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its result (events meanwhile are kept)."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self.writer, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the page."""
        return self.call(method, self.session, **params)

    def open(self, url: str) -> None:
        """Load ``url`` and wait for its load event."""
        self.events.clear()
        self.page("Page.navigate", url=url)
        deadline = time.monotonic() + self.timeout
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._message(deadline))

    def child_frame(self) -> int:
        """An execution context in the page's first iframe (a file:// iframe is another
        origin, so the page's own script cannot reach into it; the debugger can)."""
        tree = self.page("Page.getFrameTree")["frameTree"]
        frame = tree["childFrames"][0]["frame"]["id"]
        return int(self.page("Page.createIsolatedWorld", frameId=frame,
                             worldName="tests")["executionContextId"])

    def evaluate(self, expression: str, context: int | None = None) -> Any:
        """The value of a script expression (promises awaited), in the page or in
        ``context`` (see :meth:`child_frame`)."""
        where = {} if context is None else {"contextId": context}
        result = self.page("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True, **where)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, context: int | None = None) -> Any:
        """Wait until a script expression is truthy; its value."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression, context)
            if value:
                return value
            time.sleep(0.05)
        raise TimeoutError(f"{expression} stayed false")

    def press(self, key: str, code: int) -> None:
        """Press and release a key (``key`` as in KeyboardEvent.key; ``code`` its virtual
        key code)."""
        for kind in ("keyDown", "keyUp"):
            self.page("Input.dispatchKeyEvent", type=kind, key=key, code=key,
                      windowsVirtualKeyCode=code)

    def screenshot(self, clip: dict[str, float], path: Path) -> Path:
        """Save the page area ``clip`` (x, y, width, height in CSS px) as a PNG."""
        shot = self.page("Page.captureScreenshot", format="png",
                         clip={**clip, "scale": 1}, captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
