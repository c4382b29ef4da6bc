"""The device path's server load: journeys in guidance posting telemetry batches, from a cheap client.

The client shares the machine's 2 cores with the server, so it is kept cheap, or its own cost
shows up as the server's tail:

- one body, serialised once (the SDK's batch: 80 events; every batch of every journey is the same bytes);
- one dispatcher thread sends each batch when it is due (each journey at its own phase of a
  ``every_s`` cadence), to a small pool of sender threads sharing urllib3 keep-alive connections:
  no thread, session or TCP handshake per journey, no JSON encoding on the clock.

A call's latency is timed by its sender, from putting the request on the wire to the whole answer.
The client's own lag (batch due -> sender starts it) is reported beside it, so a client that falls
behind shows instead of hiding load the server never saw.
"""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from time import perf_counter, sleep

import urllib3

from benchmarks.bounds import percentile

#: Sender threads (and keep-alive connections): the server has 2 x 8 threads, more would only queue here.
SENDERS = 16


def telemetry_body(events_per_batch: int, step: str = "card_front") -> bytes:
    """One batch as the SDK sends it: a frame timing per frame at 8 fps, in time order."""
    events = [{"kind": "timing", "t": round(i / 8, 3), "name": "frame", "ms": 21.5} for i in range(events_per_batch)]
    return json.dumps({"step": step, "events": events}).encode()


def run_level(base: str, journeys: list[tuple[str, dict]], seconds: float, every_s: float, body: bytes,
              senders: int = SENDERS, seed: int = 0) -> dict:
    """Each journey posts ``body`` every ``every_s`` seconds (from a random phase) for ``seconds``:
    calls a second, p50/p99 latency (ms), the client's p99 lag (ms), the errors and the calls sent twice."""
    rng = random.Random(seed)
    due: list[tuple[float, int]] = []
    for index in range(len(journeys)):
        at = rng.uniform(0, every_s)  # journeys are at different moments of their steps
        while at < seconds:
            due.append((at, index))
            at += every_s
    due.sort()
    headers = [{**auth, "Content-Type": "application/json"} for _jid, auth in journeys]
    urls = [f"{base}/api/v1/journeys/{jid}/device/telemetry" for jid, _auth in journeys]
    pool = urllib3.PoolManager(maxsize=senders, block=True, retries=False)
    latencies: list[float] = []
    lags: list[float] = []
    errors: list[str] = []
    resent: list[int] = []

    def send(index: int, at: float) -> None:
        sent = perf_counter()
        lags.append((sent - at) * 1000)
        for attempt in (1, 2):
            try:
                response = pool.request("POST", urls[index], body=body, headers=headers[index])
                break
            except urllib3.exceptions.ProtocolError:
                # The server closed an idle keep-alive connection as it was reused (gunicorn keeps one 2 s):
                # sent again once, as browsers do; the time of both tries counts, and the retry is reported.
                if attempt == 2:
                    errors.append("ProtocolError (twice)")
                    return
                resent.append(index)
            except urllib3.exceptions.HTTPError as error:
                errors.append(type(error).__name__)
                return
        took = (perf_counter() - sent) * 1000
        if response.status == 202:
            latencies.append(took)
        else:
            errors.append(f"{response.status} {response.data[:120]!r}")

    with ThreadPoolExecutor(senders) as executor:
        start = perf_counter()
        for offset, index in due:
            sleep(max(0.0, start + offset - perf_counter()))
            executor.submit(send, index, start + offset)
    pool.clear()
    if errors:
        print("  errors:", *sorted(set(errors))[:3], sep="\n    ")
    return {"calls_s": len(latencies) / seconds, "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
            "lag_p99": percentile(lags, 0.99), "errors": len(errors), "resent": len(resent)}


