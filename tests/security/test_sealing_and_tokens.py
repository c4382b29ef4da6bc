"""Issue 17 item 11: ciphertexts bound to their row (with a migration of old rows), journey tokens revoked
at the end, e-mail addresses checked by email-validator."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from barrierfree.errors import BadInput, InternalError
from barrierfree.onboarding.journey.models import JourneyRecord
from barrierfree.onboarding.scheduler.models import ChatLine, OutboxMessage
from barrierfree.onboarding.scheduler.types import Customer
from barrierfree.onboarding.storage import upgrade
from barrierfree.onboarding.storage.crypto import KeyRing, bind_keyring
from barrierfree.settings import Settings
from barrierfree.web import create_app
from tests.security.journeys import READ_CONFIDENCE, html_journey_at_review, matched, read_cards, start

API = "/api/v1/sign-language"


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(data_dir=tmp_path / "data"))


def test_a_sealed_value_moved_to_another_row_does_not_decrypt(app):
    client = app.test_client()
    victim, victim_auth = start(client)
    read_cards(app, victim)
    attacker, attacker_auth = start(client)
    read_cards(app, attacker, fields={"name": "李四", "sex": "女", "birth_date": "1990-03-07", "id_number": "110101199003070012"})
    engine = app.extensions["barrierfree.engine"]
    with engine.begin() as connection:  # someone with write access to the database pastes the victim's identity over theirs
        stolen = connection.execute(text("SELECT fields_sealed FROM journeys WHERE id = :id"), {"id": victim}).scalar_one()
        connection.execute(text("UPDATE journeys SET fields_sealed = :v WHERE id = :id"), {"v": stolen, "id": attacker})
    with pytest.raises(InternalError) as refused:
        app.extensions["barrierfree.journeys"].review(attacker)
    assert refused.value.code == "undecryptable"
    answer = client.get(f"/api/v1/journeys/{attacker}/review", headers=attacker_auth)
    assert answer.status_code == 500 and answer.mimetype == "application/problem+json" and "张三" not in answer.get_data(as_text=True)
    assert client.get(f"/api/v1/journeys/{victim}/review", headers=victim_auth).status_code == 200  # the original still reads


def test_a_customer_contact_moved_to_another_booking_does_not_decrypt(app):
    from barrierfree.web.app import seed_demo

    seed_demo(app)
    client = app.test_client()
    first, last = (date.today() + timedelta(days=1)).isoformat(), (date.today() + timedelta(days=7)).isoformat()
    slots = client.get(f"{API}/availability?from={first}&to={last}&skill=csl").get_json()["slots"][:2]
    ids = [client.post(f"{API}/bookings", json={"agent_id": s["agent_id"], "start": s["start"], "skill": "csl",
                                                "customer": {"name": f"客户{k}", "contact": f"c{k}@example.cn"}}).get_json()["id"]
           for k, s in enumerate(slots)]
    with app.extensions["barrierfree.engine"].begin() as connection:
        contact = connection.execute(text("SELECT customer_contact FROM sl_bookings WHERE id = :id"), {"id": ids[0]}).scalar_one()
        connection.execute(text("UPDATE sl_bookings SET customer_contact = :v WHERE id = :id"), {"v": contact, "id": ids[1]})
    assert client.get(f"{API}/bookings/{ids[0]}").status_code == 200
    assert client.get(f"{API}/bookings/{ids[1]}").status_code == 500


def test_the_migration_reseals_old_format_rows_to_their_row(db_engine):
    """A database written before this change (``v1`` tokens bound to the column only) is upgraded in place."""
    ring = KeyRing.from_spec(KeyRing.generate_spec("old"))
    bind_keyring(db_engine, ring)
    upgrade(db_engine, "0003_journey")
    upgrade(db_engine, "0002a_scheduler_agent_tokens")
    now = datetime(2026, 3, 1, tzinfo=timezone.utc)
    fields = '{"name": {"value": "张三", "confidence": 0.9, "source": "ocr", "side": "front"}}'
    with db_engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO journeys (id, created_at, updated_at, version, step, lang, photosensitive, liveness_mode, timeout_multiplier,"
            " step_started_at, extensions, failures, checks, document_types, liveness, match, fields_sealed) VALUES"
            " (:id, :now, :now, 1, 'review', 'en', false, 'flash', 1.0, :now, 0, '[]', '[]', '{}', '{}', '{}', :fields)"),
            {"id": "j" * 32, "now": now, "fields": ring.encrypt(fields, context="journey.fields")})
        connection.execute(text("INSERT INTO sl_chat (room_id, sender, body, created_at) VALUES ('room1', 'customer', :b, :now)"),
                           {"b": ring.encrypt("我的卡号是6217…", context="sl_chat.body"), "now": now})
        connection.execute(text("INSERT INTO sl_outbox (channel, recipient, subject, body, booking_id, reminder_id, created_at)"
                                " VALUES ('email', :r, 's', 'b', 'bk1', 7, :now)"),
                           {"r": ring.encrypt("zhang@example.cn", context="sl_outbox.recipient"), "now": now})
    upgrade(db_engine)
    with db_engine.connect() as connection:
        raw = [connection.execute(text(f"SELECT {column} FROM {table}")).scalar_one()
               for table, column in (("journeys", "fields_sealed"), ("sl_chat", "body"), ("sl_outbox", "recipient"))]
    assert all(token.startswith("v2.old.") for token in raw)
    with Session(db_engine) as session:
        assert session.get(JourneyRecord, "j" * 32).fields_sealed == fields
        assert session.scalars(select(ChatLine)).one().body == "我的卡号是6217…"
        assert session.scalars(select(OutboxMessage)).one().recipient == "zhang@example.cn"
    upgrade(db_engine)  # idempotent: nothing left in the old format
    with db_engine.connect() as connection:
        assert connection.execute(text("SELECT fields_sealed FROM journeys")).scalar_one() == raw[0]


def test_old_format_tokens_are_refused_after_the_migration(db_engine):
    """A column-only token pasted in later (e.g. from an old backup) is not accepted in place of a row-bound one."""
    ring = KeyRing.from_spec(KeyRing.generate_spec())
    bind_keyring(db_engine, ring)
    upgrade(db_engine)
    with db_engine.begin() as connection:
        connection.execute(text("INSERT INTO sl_chat (room_id, sender, body, created_at) VALUES ('r', 'agent', :b, :now)"),
                           {"b": ring.encrypt("send your PIN", context="sl_chat.body"), "now": datetime.now(timezone.utc)})
    with Session(db_engine) as session, pytest.raises(InternalError, match="old, column-only format"):
        session.scalars(select(ChatLine)).one()


def test_journey_tokens_are_revoked_when_the_account_opens_and_the_account_needs_a_fresh_account_token(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", web={"account_token_max_age_s": 2}))
    client = app.test_client()
    jid, auth = start(client)
    read_cards(app, jid)
    matched(app, jid)
    opened = client.post(f"/api/v1/journeys/{jid}/confirm", headers=auth)
    assert opened.status_code == 201
    account_auth = {"Authorization": f"Bearer {opened.get_json()['account_token']}"}
    for method, path in (("get", ""), ("get", "/review"), ("post", "/extend"), ("get", "/account")):
        refused = getattr(client, method)(f"/api/v1/journeys/{jid}{path}", headers=auth)
        assert refused.status_code == 401, path
    assert client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()["type"] == "/problems/token-revoked"
    account = client.get(f"/api/v1/journeys/{jid}/account", headers=account_auth)
    assert account.status_code == 200 and account.get_json()["account_number"] == opened.get_json()["account_number"]
    assert client.get(f"/api/v1/journeys/{jid}/review", headers=account_auth).status_code == 401  # good for the account only
    other, other_auth = start(client)
    assert client.get(f"/api/v1/journeys/{other}/account", headers=account_auth).status_code == 403
    time.sleep(3.1)  # past account_token_max_age_s: the account token has expired too
    expired = client.get(f"/api/v1/journeys/{jid}/account", headers=account_auth)
    assert (expired.status_code, expired.get_json()["type"]) == (401, "/problems/token-expired")


def test_a_journey_a_staff_approval_ended_tells_its_waiting_caller_and_gives_an_account_token_while_new(app):
    """The ``202`` of ``confirm`` says "wait for staff": the caller polls the journey with its own token.
    Once staff approve, that token reads how it ended (and an account token to read the account, while
    the account is new) and nothing else; an account long opened gives no account token."""
    from barrierfree.onboarding.journey import review

    client = app.test_client()
    jid, auth = start(client)
    read_cards(app, jid, confidence={**READ_CONFIDENCE, "name": 0.4})
    matched(app, jid)
    client.patch(f"/api/v1/journeys/{jid}/review", json={"name": "name", "value": "张三丰"}, headers=auth)
    assert client.post(f"/api/v1/journeys/{jid}/confirm", headers=auth).status_code == 202
    waiting = client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()
    assert waiting["step"] == "pending_review" and waiting.get("account_token") is None
    service = app.extensions["barrierfree.journeys"]
    review.decide(service, jid, approve=True)
    told = client.get(f"/api/v1/journeys/{jid}", headers=auth)
    body = told.get_json()
    assert told.status_code == 200 and body["step"] == "opened" and body["account_token"]
    assert body["account_token_max_age_s"] == app.extensions["barrierfree.settings"].web.account_token_max_age_s
    account = client.get(f"/api/v1/journeys/{jid}/account", headers={"Authorization": f"Bearer {body['account_token']}"})
    assert account.status_code == 200 and account.get_json()["holder_name"] == "张三丰"
    for method, path in (("get", "/review"), ("post", "/extend"), ("post", "/confirm")):
        refused = getattr(client, method)(f"/api/v1/journeys/{jid}{path}", headers=auth)
        assert (refused.status_code, refused.get_json()["type"]) == (401, "/problems/token-revoked"), path
    assert client.get(f"/api/v1/journeys/{jid}/account", headers=auth).get_json()["type"] == "/problems/bad-token"  # not an account token
    with app.extensions["barrierfree.sessions"]() as session, session.begin():
        session.get(JourneyRecord, jid).opened_at = datetime.now(timezone.utc) - timedelta(hours=1)
    later = client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()
    assert later["step"] == "opened" and later.get("account_token") is None  # the account is no longer new


def test_a_declined_journey_revokes_its_token(app):
    client = app.test_client()
    started = client.post("/api/v1/journeys", json={"lang": "en"}).get_json()
    auth = {"Authorization": f"Bearer {started['token']}"}
    assert client.post(f"/api/v1/journeys/{started['id']}/consent", json={"accepted": False}, headers=auth).status_code == 200
    assert client.get(f"/api/v1/journeys/{started['id']}", headers=auth).get_json()["type"] == "/problems/token-revoked"


@pytest.mark.parametrize("contact", ["a@b.cn,evil@attacker.example", "a,b@example.cn", "Zhang <z@example.cn>", "z@example.cn\nBcc: e@x.cn",
                                     "z@@example.cn", "z@example"])
def test_an_email_contact_holds_exactly_one_valid_address(app, contact):
    from barrierfree.web.app import seed_demo

    seed_demo(app)
    client = app.test_client()
    refused = client.post(f"{API}/queue", json={"skill": "csl", "customer": {"name": "张三", "contact": contact}})
    assert refused.status_code == 400 and refused.get_json()["type"] in ("/problems/bad-email", "/problems/bad-text")
    with pytest.raises(BadInput):
        Customer.parse({"name": "张三", "contact": contact})


def test_valid_addresses_phones_and_handles_still_work():
    assert Customer.parse({"name": "张三", "contact": "Zhang.San@Example.CN"}).channel == "email"
    assert Customer.parse({"name": "张三", "contact": "+86 138-0013-8000"}).channel == "sms"
    assert Customer.parse({"name": "张三", "contact": "in-app user 42"}).channel == "in_app"
    # A contact stored before this check (not one address) is never mailed.
    assert Customer(name="张三", contact="a,b@example.cn").channel != "email"


def test_the_opened_page_shows_the_account_only_shortly_after_it_opened(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", web={"account_token_max_age_s": 2}))
    client, csrf, jid = html_journey_at_review(app, "screen_reader")
    service = app.extensions["barrierfree.journeys"]
    client.post("/journey/confirm", data={"csrf_token": csrf})
    number = service.get(jid).account_number
    assert number in client.get("/journey/step").get_data(as_text=True)
    time.sleep(3.1)
    later = client.get("/journey/step")
    assert later.status_code == 303 and number not in client.get(later.headers["Location"]).get_data(as_text=True)
