"""How long espeak-ng takes to say a cue, the same whatever was said before it.

espeak-ng carries state from one rendering to the next: the same sentence at the same
rate comes out up to about 15 ms longer or shorter depending on what it said earlier
(``Initialize`` does not reset it; a fresh process reproduces exactly). The simulation
caches each length on first use, so a cached length depended on which cues, of this
session or of an earlier one, had been rendered before: a person's result depended on
who ran before them, and a 10 ms shift moves every later frame of a session.

So each length is rendered by a fresh copy of one process in which espeak-ng has been
started but has never spoken: a small single-threaded server (a process of its own,
started once, so it shares no threads or engine state with the simulation) forks a child
per sentence, and the child renders it from that untouched state. About 20 ms a
sentence; each sentence and rate is asked for once per process (:func:`hearing_s`
caches it).
"""

from __future__ import annotations

import functools
import io
import json
import os
import struct
import subprocess
import sys
import wave
from pathlib import Path


def _render_s(text: str, rate_wpm: int) -> float:
    from barrierfree.voice.tts import default_speaker

    with wave.open(io.BytesIO(default_speaker().synthesize(text, "zh-CN", rate_wpm))) as wav:
        return wav.getnframes() / wav.getframerate()


def serve() -> None:
    """The server's loop, on its stdin/stdout: a JSON ``[text, rate]`` line in, seconds (or ``null``) out."""
    from barrierfree.voice.tts import default_speaker

    default_speaker()  # started here, never used here: every child starts from this state
    for line in sys.stdin:
        text, rate_wpm = json.loads(line)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: render once, report, leave without running any cleanup
            os.close(read_end)
            try:
                os.write(write_end, struct.pack("d", _render_s(text, rate_wpm)))
            finally:
                os._exit(0)
        os.close(write_end)
        data = os.read(read_end, 8)
        os.close(read_end)
        os.waitpid(pid, 0)
        print(json.dumps(struct.unpack("d", data)[0] if len(data) == 8 else None), flush=True)


@functools.cache
def _server() -> subprocess.Popen:
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
    return subprocess.Popen([sys.executable, "-c", "from testkit.blind_users.speech_lengths import serve; serve()"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=root)


@functools.cache
def hearing_s(text: str, rate_wpm: int) -> float:
    """How long a cue takes to say: the real espeak-ng rendering of its Chinese ``text`` at ``rate_wpm``,
    seconds, from espeak-ng's untouched state (see the module docstring)."""
    server = _server()
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(json.dumps([text, rate_wpm], ensure_ascii=False) + "\n")
    server.stdin.flush()
    seconds = json.loads(server.stdout.readline() or "null")
    if seconds is None:  # the child failed: say which sentence rather than time it as silence
        raise RuntimeError(f"espeak-ng could not render a cue at {rate_wpm} wpm: {text!r}")
    return float(seconds)
