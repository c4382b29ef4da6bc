"""schemathesis against the OpenAPI document: generated requests never get a server error.

One journey is started and its id and token are put into every generated
request, so the operations are reached past authentication; the generated
bodies, parameters and media types do the rest. The example count is kept
modest (the suite shares two cores).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from barrierfree.settings import Settings
from barrierfree.web import create_app

pytestmark = pytest.mark.slow

_app = create_app(Settings(
    data_dir=Path(tempfile.mkdtemp(prefix="bf-schemathesis-")) / "data",
    web={"client_requests_per_minute": 1_000_000, "client_journeys_per_hour": 1_000_000, "journey_requests_per_minute": 1_000_000},
))
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _app)
_started = _app.test_client().post("/api/v1/journeys", json={"lang": "en"}).get_json()
JOURNEY_ID, AUTH = _started["id"], {"Authorization": f"Bearer {_started['token']}"}


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case):
    if "journey_id" in (case.path_parameters or {}):
        case.path_parameters["journey_id"] = JOURNEY_ID
    case.call_and_validate(headers=AUTH, checks=[not_a_server_error])


def test_the_document_is_reachable_and_names_every_operation():
    operations = {f"{op.ok().method.upper()} {op.ok().path}" for op in schema.get_all_operations()}
    assert "POST /api/v1/journeys/{journey_id}/frames" in operations and len(operations) >= 18
