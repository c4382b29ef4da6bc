"""No 5xx from malformed input: deep JSON, a non-ASCII CSRF token, and fuzzed forms, queries and bodies.

The fuzzing walks the app's own URL map, so a route added later is fuzzed
too: every HTML page and form, the sign-language API (customers' and
agents'), the pages' endpoints and the catalog. (The journey API is fuzzed
from its OpenAPI document by ``tests/web/test_api_schemathesis.py``.) Path
parameters are real ids most of the time, so the requests reach past the
lookups; bodies are forms (with the real CSRF token or not), JSON of any
shape or raw bytes of any declared type.
"""

from __future__ import annotations

import os

import tempfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo
from tests.scheduler_app import sign_in_console

API = "/api/v1/sign-language"
UNLIMITED = {"client_requests_per_minute": 1_000_000, "client_journeys_per_hour": 1_000_000,
             "client_signups_per_hour": 1_000_000, "journey_requests_per_minute": 1_000_000}
DEEP = [("[" * 5000 + "]" * 5000).encode(), ('{"a":' * 40 + "1" + "}" * 40).encode()]


@pytest.fixture(scope="module")
def site():
    """The demo app with a booking, queue tickets (one claimed), a waitlist entry and a journey; its client, real ids and CSRF token.

    Made by a fixture, not at import: the encryption keyring is process-wide, and apps that other
    test modules create would otherwise replace it before these tests read the customer's data.
    """
    app = create_app(Settings(data_dir=Path(tempfile.mkdtemp(prefix="bf-fuzz-")) / "data", web=UNLIMITED))
    seed_demo(app)
    client = app.test_client()
    day = (date.today() + timedelta(days=1)).isoformat()
    slots = client.get(f"{API}/availability", query_string={"from": day, "to": day, "skill": "csl"}).get_json()["slots"]
    customer = {"name": "张三", "contact": "zhang@example.cn"}
    booking = client.post(f"{API}/bookings", json={**{k: slots[0][k] for k in ("agent_id", "start")}, "skill": "csl", "customer": customer}).get_json()
    ticket = client.post(f"{API}/queue", json={"skill": "csl", "customer": customer}).get_json()
    claimed = client.post(f"{API}/agents/li-na/claim", headers={"X-Agent-Token": os.environ["BARRIERFREE_SCHEDULER__AGENT_TOKEN"]}).get_json()["ticket"]
    entry = client.post(f"{API}/waitlist", json={"skill": "csl", "from": slots[0]["start"], "to": slots[-1]["end"], "customer": customer}).get_json()
    sign_in_console(client, "li-na", os.environ["BARRIERFREE_SCHEDULER__AGENT_TOKEN"])  # the console's forms need a session
    csrf = client.get("/journey/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/journey/start", data={"csrf_token": csrf, "lang": "en"})
    ids = {"booking_id": [booking["id"]], "ticket_id": [ticket["id"], claimed["id"]], "room_id": [claimed["room_id"], booking["room_id"]],
           "entry_id": [entry["id"]], "agent_id": ["li-na", "wang-qiang"], "off_id": ["1"], "lang": ["en", "zh-CN"],
           "name": ["lock", "captured"], "code": ["bad-json"]}
    return client, ids, csrf


def _rules():
    """Every route and method of the app (collected from an empty app at import, for the parameters)."""
    app = create_app(Settings(data_dir=Path(tempfile.mkdtemp(prefix="bf-routes-")) / "data"))
    return sorted(
        (rule.rule, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
        if rule.endpoint != "static" and not rule.rule.startswith("/api/v1/journeys")
    )


ROUTES = _rules()
JSON_ROUTES = [(path, method) for path, method in ROUTES if method in ("POST", "PUT", "PATCH", "DELETE")]
FORM_ROUTES = [(path, method) for path, method in JSON_ROUTES if not path.startswith("/api/")]
FIELDS = ["csrf_token", "name", "contact", "skill", "slot", "hold_id", "date", "reason", "outcome", "accepted", "mode", "choice",
          "timeout_multiplier", "photosensitive", "liveness_mode", "lang", "field-name", "field-id_number", "idempotency_key", "token",
          "customer", "agent_id", "start", "from", "to", "tz", "hold", "text", "role", "kind", "payload", "after", "as", "id", "params"]
_text = st.text(max_size=40)
_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | _text,
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS) | _text, inner, max_size=5),
                     max_leaves=12)


def _path(rule: str, ids: dict, draw) -> str:
    parts = rule.split("<")
    path = parts[0]
    for part in parts[1:]:
        name, rest = part.split(">", 1)
        name = name.split(":")[-1]
        value = draw(st.sampled_from(ids.get(name, ["x"])) | _text.filter(bool))
        path += quote(value, safe="") + rest
    return path


@st.composite
def requests_for(draw, rule: str, method: str, ids: dict, csrf: str) -> dict:
    query = draw(st.dictionaries(st.sampled_from(FIELDS) | _text, _text, max_size=4))
    kind = draw(st.sampled_from(["form", "json", "raw", "none"]))
    request: dict = {"method": method, "path": _path(rule, ids, draw), "query_string": query,
                     "headers": draw(st.dictionaries(st.sampled_from(["X-Agent-Token", "Idempotency-Key", "Accept-Language"]),
                                                     st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30), max_size=2))}
    if kind == "form":
        form = draw(st.dictionaries(st.sampled_from(FIELDS), _text, max_size=6))
        if draw(st.booleans()):
            form["csrf_token"] = csrf
        request["data"] = form
    elif kind == "json":
        request["json"] = draw(_json)
    elif kind == "raw":
        request["data"] = draw(st.binary(max_size=200))
        request["content_type"] = draw(st.sampled_from(["application/json", "multipart/form-data", "text/plain", "image/png",
                                                         "application/x-www-form-urlencoded", "application/json; charset=latin-1"]))
    return request


@pytest.mark.slow
@pytest.mark.parametrize(("rule", "method"), ROUTES)
def test_fuzzed_requests_never_get_a_server_error(site, rule, method):
    client, ids, csrf = site

    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(requests_for(rule, method, ids, csrf))
    def check(request: dict) -> None:
        response = client.open(**request)
        assert response.status_code < 500, (request, response.status_code, response.get_data(as_text=True)[:300])

    check()


@pytest.mark.parametrize(("rule", "method"), JSON_ROUTES)
def test_deeply_nested_json_gets_400_on_every_endpoint_that_takes_a_body(site, rule, method):
    client, ids, _ = site
    path = rule
    for name, values in ids.items():
        path = path.replace(f"<{name}>", values[0]).replace(f"<int:{name}>", values[0])
    for body in DEEP:
        response = client.open(path, method=method, data=body, content_type="application/json")
        assert (response.status_code, response.get_json()["type"]) == (400, "/problems/json-too-deep"), (path, body[:20])


def test_deeply_nested_json_gets_400_on_the_journey_api_too(site):
    client = site[0]
    started = client.post("/api/v1/journeys", json={"lang": "en"}).get_json()
    auth = {"Authorization": f"Bearer {started['token']}"}
    for path, method in (("/api/v1/journeys", "POST"), (f"/api/v1/journeys/{started['id']}/consent", "POST"),
                         (f"/api/v1/journeys/{started['id']}/review", "PATCH"), (f"/api/v1/journeys/{started['id']}/assistance", "POST")):
        for body in DEEP:
            response = client.open(path, method=method, data=body, content_type="application/json", headers=auth)
            assert (response.status_code, response.get_json()["type"]) == (400, "/problems/json-too-deep"), path
    speech = client.get("/api/v1/speech", query_string={"id": "card.hold_still", "lang": "en", "params": DEEP[0].decode()})
    assert speech.status_code == 400


#: Forms that show a refusal on the page itself, keeping what was typed (their convention: 422 and a role=alert box).
IN_PAGE_ERRORS = ("/sign-language/book", "/sign-language/queue", "/sign-language/waitlist", "/sign-language/bookings/<booking_id>/reschedule",
                  "/sign-language/agent/sign-in")
#: The staff pages answer only staff (401 before anything else); the CSRF check is for a signed-in member of staff.
STAFF = {"X-Staff-Token": os.environ["BARRIERFREE_WEB__STAFF_TOKEN"]}


@pytest.mark.parametrize(("rule", "method"), FORM_ROUTES)
def test_a_non_ascii_csrf_token_is_refused_as_a_csrf_failure_on_every_form(site, rule, method):
    client, ids, csrf = site
    path = rule
    for name, values in ids.items():
        path = path.replace(f"<{name}>", values[0])
    for token in ("令牌", "é" * 43, csrf[:-1] + "é"):
        response = client.open(f"{path}?lang=en", method=method, data={"csrf_token": token, "name": "张三", "contact": "a@b.cn"},
                               headers=STAFF if rule.startswith("/staff/") else {})
        if rule in IN_PAGE_ERRORS:
            page = response.get_data(as_text=True)
            assert response.status_code == 422 and 'role="alert"' in page and "did not come from this site" in page, (path, token)
        else:
            assert (response.status_code, response.get_json()["type"]) == (400, "/problems/csrf-failed"), (path, token)
