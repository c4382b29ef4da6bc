"""The gunicorn entry, ``barrierfree.web.wsgi:app``: the environment's app, with its start-up
objects frozen out of the garbage collector's full collections (the long tail of API calls)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json
frozen_before = gc.get_freeze_count()
from barrierfree.web.wsgi import app
client = app.test_client()
print(json.dumps({"before": frozen_before, "frozen": gc.get_freeze_count(),
                  "health": client.get("/healthz").status_code,
                  "started": client.post("/api/v1/journeys", json={"lang": "en"}).status_code}))
"""


def test_the_wsgi_app_serves_and_its_start_up_objects_are_frozen(tmp_path):
    # A fresh interpreter (the freeze is process-wide), with the environment conftest gives every app.
    env = dict(os.environ, BARRIERFREE_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["health"], result["started"]) == (200, 201)
    # The imported modules, the app and its engines: tens of thousands of objects no full collection walks.
    assert result["before"] == 0 and result["frozen"] > 10_000
