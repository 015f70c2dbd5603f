"""An interrupted render leaves the earlier file and nothing else, whatever it writes.

Every writer (GIF, WebP, APNG, MP4, the HTML player) and stills run in a
subprocess, all at once, and get SIGINT (Ctrl-C) or SIGTERM (``kill``, a
process manager stopping them) once their first frame is drawn: each exits
with one line, the file that was there is untouched, and no temporary file is
left beside it (the MP4's encoder writes through a named one); stills already
written are whole PNG images.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

# 784 frames, one per step: a few seconds, long enough to be interrupted mid-way.
LONG = ["render", "--in-channels", "1", "--out-channels", "1", "--size", "28", "-k", "3",
        "-p", "1", "-s", "1", "-d", "1", "--max-frames", "1000", "--every-step"]
TARGETS = {".gif": "out.gif", ".webp": "out.webp", ".png": "out.png", ".html": "out.html",
           **({".mp4": "out.mp4"} if importlib.util.find_spec("imageio_ffmpeg") else {}),
           "stills": "still-784.png"}  # stills: the last of --frame 1:784, never reached
EARLIER = b"an earlier file"
EXITS = {signal.SIGINT: (130, "convgif: error: interrupted"),
         signal.SIGTERM: (143, "convgif: error: terminated")}


def command(name: str) -> list[str]:
    if name == "stills":
        return [sys.executable, "-m", "convgif", *LONG, "--frame", "1:784", "-o", "still.png"]
    return [sys.executable, "-m", "convgif", *LONG, "-o", TARGETS[name]]


@pytest.mark.parametrize("sent", list(EXITS), ids=lambda sent: sent.name)
def test_an_interrupted_writer_leaves_the_earlier_file_and_nothing_else(
        sent: signal.Signals, tmp_path: Path) -> None:
    processes = {}
    for name, target in TARGETS.items():
        folder = tmp_path / name.strip(".")
        folder.mkdir()
        (folder / target).write_bytes(EARLIER)
        processes[name] = subprocess.Popen(command(name), cwd=folder, text=True,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for name, process in processes.items():
        assert process.stderr is not None
        # The progress bar's label is written once the first frame is done.
        assert process.stderr.readline().startswith(("rendering", "drawing")), name
        process.send_signal(sent)
    code, line = EXITS[sent]
    for name, process in processes.items():
        _, err = process.communicate(timeout=60)
        assert (process.returncode, err.strip().splitlines()[-1]) == (code, line), (name, err)
        folder = tmp_path / name.strip(".")
        assert (folder / TARGETS[name]).read_bytes() == EARLIER, name
        others = sorted(p.name for p in folder.iterdir() if p.name != TARGETS[name])
        if name != "stills":
            assert others == [], name
            continue
        assert others == [f"still-{n:03d}.png" for n in range(1, len(others) + 1)]
        for still in others:
            with Image.open(folder / still) as image:
                image.load()
                assert image.size[0] > 0
