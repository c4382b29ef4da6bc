"""Security headers and caching: CSP with nonces, framing only by allowlisted embedders, cookies, HSTS, no-store."""

from __future__ import annotations

import os

import re

import pytest

from barrierfree.errors import BadInput
from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo
from tests.scheduler_app import sign_in_console

API = "/api/v1/sign-language"
BANK = "https://bank.example"


def _app(tmp_path, scheduler=None, **web):
    app = create_app(Settings(data_dir=tmp_path / "data", web=web, scheduler=scheduler or {}))
    seed_demo(app)
    return app


def _signed_in(client):
    sign_in_console(client, "li-na", os.environ["BARRIERFREE_SCHEDULER__AGENT_TOKEN"])
    return client


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def _to_camera_page(client) -> str:
    token = _csrf(client.get("/journey/?lang=en").get_data(as_text=True))
    client.post("/journey/start", data={"csrf_token": token, "lang": "en"})
    client.post("/journey/consent", data={"csrf_token": token, "accepted": "yes"})
    client.post("/journey/assistance", data={"csrf_token": token, "mode": "screen_reader", "timeout_multiplier": "1"})
    return token


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in (p.strip() for p in policy.split(";")) if part}


def test_every_response_carries_the_headers(tmp_path):
    client = _app(tmp_path).test_client()
    for path in ("/", "/journey/", "/sign-language/book", f"{API}/skills", "/api/v1/openapi.json", "/problems/x",
                 "/static/base.css", "/no-such-page"):
        response = client.get(path)
        csp = _directives(response)
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"], path
        # 'wasm-unsafe-eval' (WebAssembly compilation for the on-device engines) is allowed; JS eval is not.
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"], path
        assert csp["frame-ancestors"] == "'none'" and response.headers["X-Frame-Options"] == "DENY", path
        assert csp["object-src"] == "'none'" and csp["base-uri"] == "'none'" and csp["default-src"] == "'self'", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "no-referrer", path
        policy = response.headers["Permissions-Policy"]
        assert "camera=(self)" in policy and "gyroscope=(self)" in policy and "accelerometer=(self)" in policy, path
        assert "microphone=()" in policy and "geolocation=()" in policy, path
        assert "Strict-Transport-Security" not in response.headers, path  # plain HTTP


def test_each_page_gets_a_fresh_nonce_and_every_script_and_style_carries_it(tmp_path):
    client = _app(tmp_path).test_client()
    _to_camera_page(client)
    first, second = client.get("/journey/step"), client.get("/journey/step")
    assert 'id="barrierfree"' in first.get_data(as_text=True)
    nonces = []
    for response in (first, second):
        script_src = _directives(response)["script-src"]
        nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9_-]{20,})' 'wasm-unsafe-eval'", script_src).group(1)
        nonces.append(nonce)
        html = response.get_data(as_text=True)
        inline = re.findall(r"<(script|style)(?![^>]*\bsrc=)([^>]*)>", html)
        assert inline, "the camera page has its JSON data blocks"
        assert all(f'nonce="{nonce}"' in attributes for _, attributes in inline)
    assert nonces[0] != nonces[1]


def test_no_page_has_inline_handlers_or_style_attributes(tmp_path):
    app = _app(tmp_path)
    client = app.test_client()
    ticket = client.post(f"{API}/queue", json={"skill": "csl", "customer": {"name": "张三", "contact": "a@b.cn"}}).get_json()
    supervisor = os.environ["BARRIERFREE_SCHEDULER__AGENT_TOKEN"]
    claimed = client.post(f"{API}/agents/li-na/claim", headers={"X-Agent-Token": supervisor}).get_json()["ticket"]
    sign_in_console(client, "li-na", supervisor)  # the console and the agent's side of the room need a credential
    pages = ["/", "/journey/", "/sign-language/", "/sign-language/book", "/sign-language/queue", "/sign-language/waitlist",
             f"/sign-language/queue/{ticket['id']}", f"/sign-language/rooms/{claimed['room_id']}", "/sign-language/agent/li-na",
             "/problems/too-many-requests"]
    camera = app.test_client()
    _to_camera_page(camera)
    for client_, path in [(client, p) for p in pages] + [(camera, "/journey/step")]:
        html = client_.get(path).get_data(as_text=True)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path
        assert not re.search(r"<[^>]+\sstyle\s*=", html), path
        assert "javascript:" not in html, path


def test_framing_is_refused_unless_embed_mode_allowlists_the_embedder(tmp_path):
    embedded = _app(tmp_path / "e", embeddable=True, frame_ancestors=[BANK]).test_client()
    response = embedded.get("/journey/")
    assert _directives(response)["frame-ancestors"] == BANK
    assert "X-Frame-Options" not in response.headers
    assert f'camera=(self "{BANK}")' in response.headers["Permissions-Policy"]
    assert f'gyroscope=(self "{BANK}")' in response.headers["Permissions-Policy"]
    # The allowlist is for embed mode only: listed without it, nobody may frame the pages.
    plain = _app(tmp_path / "p", frame_ancestors=[BANK]).test_client().get("/journey/")
    assert _directives(plain)["frame-ancestors"] == "'none'" and BANK not in plain.headers["Permissions-Policy"]


def test_embed_mode_without_an_allowlist_or_with_a_bad_origin_does_not_start(tmp_path):
    with pytest.raises(BadInput, match="BARRIERFREE_WEB__FRAME_ANCESTORS"):
        create_app(Settings(data_dir=tmp_path / "data", web={"embeddable": True}))
    with pytest.raises(ValueError, match="not an origin"):
        Settings(web={"frame_ancestors": ["https://bank.example; script-src *"]})


def test_session_cookie_is_lax_and_secure_over_https(tmp_path):
    app = _app(tmp_path)
    plain = app.test_client()
    started = plain.post("/journey/start", data={"csrf_token": _csrf(plain.get("/journey/").get_data(as_text=True))})
    cookie = started.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie and "Secure" not in cookie
    https = app.test_client()
    page = https.get("/journey/", base_url="https://localhost")
    assert "Secure" in page.headers["Set-Cookie"] and "SameSite=Lax" in page.headers["Set-Cookie"]
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_https_seen_through_a_trusted_proxy_only(tmp_path):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    trusting = _app(tmp_path / "t", trusted_proxies=1).test_client().get("/journey/", headers=forwarded)
    assert "Strict-Transport-Security" in trusting.headers and "Secure" in trusting.headers["Set-Cookie"]
    direct = _app(tmp_path / "d").test_client().get("/journey/", headers=forwarded)
    assert "Strict-Transport-Security" not in direct.headers and "Secure" not in direct.headers["Set-Cookie"]


def test_only_allowlisted_embedding_gets_a_samesite_none_cookie(tmp_path):
    client = _app(tmp_path, embeddable=True, frame_ancestors=[BANK]).test_client()
    cookie = client.get("/journey/").headers["Set-Cookie"]
    assert "SameSite=None" in cookie and "Secure" in cookie and "Partitioned" in cookie


def test_a_configured_jitsi_server_is_the_only_frame_and_gets_the_camera_and_microphone(tmp_path):
    client = _app(tmp_path, scheduler={"jitsi_base_url": "https://meet.bank.example/rooms/"}).test_client()
    response = client.get("/sign-language/")
    assert _directives(response)["frame-src"] == "https://meet.bank.example"
    policy = response.headers["Permissions-Policy"]
    assert 'camera=(self "https://meet.bank.example")' in policy and 'microphone=("https://meet.bank.example")' in policy
    assert _directives(_app(tmp_path / "b").test_client().get("/")).get("frame-src") == "'none'"


def test_responses_with_personal_data_or_a_token_are_never_stored(tmp_path):
    app = _app(tmp_path)
    client = app.test_client()
    _to_camera_page(client)
    started = client.post("/api/v1/journeys", json={"lang": "en"})
    journey, token = started.get_json()["id"], started.get_json()["token"]
    slot = client.get(f"{API}/availability", query_string={"from": _day(1), "to": _day(7), "skill": "csl"}).get_json()["slots"][0]
    booking = client.post(f"{API}/bookings", json={"agent_id": slot["agent_id"], "start": slot["start"], "skill": "csl",
                                                   "customer": {"name": "张三", "contact": "zhang@example.cn"}}).get_json()
    ticket = client.post(f"{API}/queue", json={"skill": "csl", "customer": {"name": "李四", "contact": "li@example.cn"}}).get_json()
    responses = {
        "camera page (token)": client.get("/journey/step"), "journey start": started,
        "journey state": client.get(f"/api/v1/journeys/{journey}", headers={"Authorization": f"Bearer {token}"}),
        "booking page": client.get(f"/sign-language/bookings/{booking['id']}"),
        "booking document": client.get(f"{API}/bookings/{booking['id']}"),
        "calendar": client.get(f"{API}/bookings/{booking['id']}/calendar.ics"),
        "queue page": client.get(f"/sign-language/queue/{ticket['id']}"),
        "agent console": _signed_in(client).get("/sign-language/agent/li-na"),
        "problem": client.get(f"/api/v1/journeys/{journey}"),
    }
    for name, response in responses.items():
        assert response.status_code < 500 and response.headers.get("Cache-Control") == "no-store", name
    assert "no-store" not in client.get("/static/base.css").headers.get("Cache-Control", "")


def _day(offset: int) -> str:
    from datetime import date, timedelta

    return (date.today() + timedelta(days=offset)).isoformat()
