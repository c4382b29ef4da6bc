"""Rate limits that hold: counted after the credential, on every blueprint, per real client, never reset, shared through Redis."""

from __future__ import annotations

import pytest

from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo

API = "/api/v1/sign-language"
CUSTOMER = {"name": "张三", "contact": "zhang@example.cn"}


def _app(tmp_path, **web):
    return create_app(Settings(data_dir=tmp_path / "data", web=web))


def _start(client, **headers):
    started = client.post("/api/v1/journeys", json={"lang": "en"}, headers=headers)
    assert started.status_code == 201, started.get_json()
    body = started.get_json()
    return body["id"], {"Authorization": f"Bearer {body['token']}"}


def test_requests_without_the_token_do_not_use_up_the_victims_journey(tmp_path):
    client = _app(tmp_path, journey_requests_per_minute=5).test_client()
    victim, auth = _start(client)
    _, other_auth = _start(client)
    attacks = [client.get(f"/api/v1/journeys/{victim}").status_code for _ in range(8)]
    attacks += [client.get(f"/api/v1/journeys/{victim}", headers={"Authorization": "Bearer forged"}).status_code for _ in range(4)]
    attacks += [client.post(f"/api/v1/journeys/{victim}/extend", headers=other_auth).status_code for _ in range(4)]
    assert attacks == [401] * 12 + [403] * 4
    own = [client.get(f"/api/v1/journeys/{victim}", headers=auth).status_code for _ in range(6)]
    assert own == [200] * 5 + [429]


def test_the_journey_limit_holds_for_the_html_pages_too(tmp_path):
    client = _app(tmp_path, journey_requests_per_minute=4).test_client()
    page = client.get("/journey/")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/journey/start", data={"csrf_token": token, "lang": "en"}).status_code == 303
    statuses = [client.get("/journey/step").status_code for _ in range(5)]
    assert statuses == [200] * 4 + [429]


def test_one_allowance_per_client_over_every_blueprint(tmp_path):
    app = _app(tmp_path, client_requests_per_minute=6)
    seed_demo(app)
    client = app.test_client()
    routes = ["/", "/journey/", "/sign-language/", f"{API}/skills", f"{API}/agents", "/api/v1/prompts/en"]
    assert [client.get(route).status_code for route in routes] == [200] * 6
    refused = [client.get(route) for route in routes + ["/api/v1/openapi.json", "/sign-language/book", "/problems/x"]]
    assert {response.status_code for response in refused} == {429}
    assert all(r.mimetype == "application/problem+json" and int(r.headers["Retry-After"]) >= 1 for r in refused)
    assert refused[0].get_json()["type"] == "/problems/too-many-requests"
    assert client.get("/healthz").status_code == 200  # load balancers' health checks are not counted


def test_new_journeys_share_one_allowance_between_the_api_and_the_form(tmp_path):
    client = _app(tmp_path, client_journeys_per_hour=2).test_client()
    page = client.get("/journey/")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/api/v1/journeys", json={}).status_code == 201
    assert client.post("/journey/start", data={"csrf_token": token, "lang": "en"}).status_code == 303
    assert client.post("/journey/start", data={"csrf_token": token, "lang": "en"}).status_code == 429
    assert client.post("/api/v1/journeys", json={}).status_code == 429
    assert client.get("/journey/").status_code == 200  # reading pages is not starting a journey


def test_sign_language_sign_ups_share_one_allowance_between_the_api_and_the_forms(tmp_path):
    app = _app(tmp_path, client_signups_per_hour=2)
    seed_demo(app)
    client = app.test_client()
    assert client.post(f"{API}/queue", json={"skill": "csl", "customer": CUSTOMER}).status_code == 201
    form = client.get("/sign-language/queue?lang=en").get_data(as_text=True)
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    joined = client.post("/sign-language/queue", data={"csrf_token": token, "skill": "csl", **CUSTOMER})
    assert joined.status_code == 303
    assert client.post("/sign-language/queue", data={"csrf_token": token, "skill": "csl", **CUSTOMER}).status_code == 429
    assert client.post(f"{API}/waitlist", json={}).status_code == 429
    assert client.post(f"{API}/bookings", json={}).status_code == 429
    assert client.get("/sign-language/queue?lang=en").status_code == 200


def test_customers_behind_one_trusted_proxy_each_have_their_own_allowance(tmp_path):
    client = _app(tmp_path, client_requests_per_minute=3, trusted_proxies=1).test_client()
    alice, bob = {"X-Forwarded-For": "203.0.113.7"}, {"X-Forwarded-For": "198.51.100.9"}
    assert [client.get("/", headers=alice).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get("/", headers=bob).status_code == 200
    # Only the nearest proxy's entry is trusted: a client cannot pick a fresh address by prefixing its own.
    spoofed = {"X-Forwarded-For": "192.0.2.1, 203.0.113.7"}
    assert client.get("/", headers=spoofed).status_code == 429


def test_without_trusted_proxies_a_forwarded_header_buys_no_new_allowance(tmp_path):
    client = _app(tmp_path, client_requests_per_minute=3).test_client()
    statuses = [client.get("/", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_a_flood_of_new_clients_never_resets_a_limited_clients_counter(tmp_path):
    client = _app(tmp_path, client_requests_per_minute=2, trusted_proxies=1).test_client()
    limited = {"X-Forwarded-For": "203.0.113.7"}
    assert [client.get("/", headers=limited).status_code for _ in range(3)][-1] == 429
    for n in range(3000):  # many distinct keys: the old in-process limiter cleared every counter at its size cap
        client.get("/problems/x", headers={"X-Forwarded-For": f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"})
    assert client.get("/", headers=limited).status_code == 429


@pytest.mark.redis
def test_instances_sharing_redis_share_one_journey_allowance(tmp_path, redis_url):
    settings = Settings(data_dir=tmp_path / "data", web={"rate_limit_storage_uri": redis_url, "journey_requests_per_minute": 6})
    first, second = create_app(settings).test_client(), create_app(settings).test_client()
    journey, auth = _start(first)
    statuses = [(first if n % 2 else second).get(f"/api/v1/journeys/{journey}", headers=auth).status_code for n in range(8)]
    assert statuses == [200] * 6 + [429] * 2


@pytest.mark.redis
def test_instances_sharing_redis_share_one_client_allowance(tmp_path, redis_url):
    settings = Settings(data_dir=tmp_path / "data", web={"rate_limit_storage_uri": redis_url, "client_requests_per_minute": 5})
    first, second = create_app(settings).test_client(), create_app(settings).test_client()
    statuses = [(first if n % 2 else second).get("/").status_code for n in range(7)]
    assert statuses == [200] * 5 + [429] * 2


def test_an_unreachable_store_still_limits_in_each_process(tmp_path):
    missing = f"redis+unix://{tmp_path}/no-such.sock"
    client = _app(tmp_path, rate_limit_storage_uri=missing, client_requests_per_minute=3, journey_requests_per_minute=2).test_client()
    assert [client.get("/").status_code for _ in range(4)] == [200, 200, 200, 429]
    client = _app(tmp_path, rate_limit_storage_uri=missing, journey_requests_per_minute=2).test_client()
    journey, auth = _start(client)
    assert [client.get(f"/api/v1/journeys/{journey}", headers=auth).status_code for _ in range(3)] == [200, 200, 429]
