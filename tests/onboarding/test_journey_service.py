"""The journey state machine over real storage (SQLite and PostgreSQL): order, time limits, pauses, audit, encryption."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from barrierfree.errors import BadInput, Conflict, NotFound
from barrierfree.onboarding.journey.service import JourneyService
from barrierfree.onboarding.journey.steps import Step
from barrierfree.onboarding.storage import upgrade
from barrierfree.onboarding.storage.crypto import KeyRing, bind_keyring
from barrierfree.onboarding.storage.models import AuditEvent
from barrierfree.settings.onboarding import OnboardingSettings


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.t

    def tick(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


@pytest.fixture
def service(db_engine):
    bind_keyring(db_engine, KeyRing.from_spec(KeyRing.generate_spec()))
    upgrade(db_engine)
    clock = Clock()
    svc = JourneyService(db_engine, OnboardingSettings(), now=clock)
    svc.clock_ = clock
    return svc


def service_engine(service: JourneyService):
    return service.sessions.kw["bind"]


def _to_review(service: JourneyService, fields: dict) -> str:
    journey = service.start("en")
    service.consent(journey.id, True)
    service.choose_assistance(journey.id, "screen_reader")
    with service.at_step(journey.id, Step.CARD_FRONT) as (session, record):
        record.fields_sealed = json.dumps(fields, ensure_ascii=False)
        service.advance(session, record, to=Step.REVIEW, reason="test-shortcut")
    return journey.id


def test_steps_come_in_order_and_out_of_order_posts_are_refused(service):
    journey = service.start("zh-CN")
    assert journey.step == "consent" and journey.camera is None
    with pytest.raises(Conflict) as refused:
        service.choose_assistance(journey.id, "self_voicing")
    assert refused.value.code == "wrong-step" and refused.value.extra["step"] == "consent"
    assert service.consent(journey.id, True).step == "assistance"
    view = service.choose_assistance(journey.id, "self_voicing", photosensitive=True, liveness_mode="flash", timeout_multiplier=3)
    assert (view.step, view.camera, view.liveness_mode, view.timeout_multiplier) == ("card_front", "environment", "no_flash", 3)


def test_refused_consent_ends_the_journey(service):
    journey = service.start("en")
    assert service.consent(journey.id, False).step == "declined"
    with pytest.raises(Conflict):
        service.consent(journey.id, True)


def test_unknown_journey_and_bad_choices_are_clear_errors(service):
    with pytest.raises(NotFound):
        service.get("0" * 32)
    journey = service.start("en")
    service.consent(journey.id, True)
    for kwargs in ({"mode": "telepathy"}, {"mode": "screen_reader", "timeout_multiplier": 50}):
        with pytest.raises(BadInput):
            service.choose_assistance(journey.id, **kwargs)
    with pytest.raises(BadInput):
        service.start("fr")


def test_time_limit_warns_ahead_expires_and_extends_ten_times_without_losing_the_step(service):
    journey = service.start("en")
    service.consent(journey.id, True)
    view = service.choose_assistance(journey.id, "screen_reader", timeout_multiplier=2)
    assert (view.deadline - view.warn_at).total_seconds() >= 20
    assert (view.deadline - service.clock_()).total_seconds() == 2 * OnboardingSettings().step_time_limit_s
    service.clock_.tick((view.deadline - service.clock_()).total_seconds() + 1)
    expired = service.get(journey.id)
    assert expired.expired and expired.step == "card_front"
    with pytest.raises(Conflict) as refused:
        service.record_failure(journey.id, Step.CARD_FRONT, "blurred")
    assert refused.value.code == "step-expired"
    resumed = service.extend(journey.id)
    assert not resumed.expired and resumed.step == "card_front"
    assert (resumed.deadline - service.clock_()).total_seconds() == pytest.approx(2 * OnboardingSettings().step_time_limit_s)
    for _ in range(resumed.extensions_left):
        service.extend(journey.id)
    with pytest.raises(Conflict) as used_up:
        service.extend(journey.id)
    assert used_up.value.code == "no-extensions-left"
    assert OnboardingSettings().max_extensions >= 10


def test_five_failures_in_three_minutes_pause_and_offer_human_help(service):
    journey = service.start("en")
    service.consent(journey.id, True)
    service.choose_assistance(journey.id, "screen_reader")
    for _ in range(4):
        view = service.record_failure(journey.id, Step.CARD_FRONT, "card-not-found")
        service.clock_.tick(40)
    assert view.paused_reason is None and view.failures_in_window == 4
    view = service.record_failure(journey.id, Step.CARD_FRONT, "card-not-found")
    assert view.paused_reason == "too-many-failures" and "sign_language" in view.help_options
    with pytest.raises(Conflict) as paused:
        service.record_failure(journey.id, Step.CARD_FRONT, "card-not-found")
    assert paused.value.code == "step-paused"
    helped = service.request_help(journey.id, "sign_language")
    assert helped.help_requested == "sign_language" and helped.help_url.startswith("/sign-language/queue/")
    from barrierfree.onboarding.scheduler.queue import queue_status

    with Session(service_engine(service)) as session:
        assert queue_status(session, helped.help_url.rsplit("/", 1)[1]).status == "waiting"
    resumed = service.request_help(journey.id, "retry")
    assert resumed.paused_reason is None and resumed.failures_in_window == 0


def test_failures_spread_over_more_than_the_window_do_not_pause(service):
    journey = service.start("en")
    service.consent(journey.id, True)
    service.choose_assistance(journey.id, "screen_reader", timeout_multiplier=10)
    for _ in range(6):
        view = service.record_failure(journey.id, Step.CARD_FRONT, "blurred")
        service.clock_.tick(50)
    assert view.paused_reason is None


def test_review_edit_confirm_opens_an_account_and_pii_is_ciphertext_at_rest(service, db_engine):
    journey_id = _to_review(service, {
        "name": {"value": "张三", "confidence": 0.97, "side": "front"},
        "id_number": {"value": "110105194912310021", "confidence": 0.6, "side": "front"},
        "address": {"value": "北京市朝阳区建国路1号", "confidence": 0.9, "side": "front"},
    })
    fields = {f.name: f for f in service.review(journey_id)}
    assert [f.name for f in service.review(journey_id)] == ["name", "address", "id_number"]
    assert not fields["id_number"].valid
    with pytest.raises(Conflict) as refused:
        service.confirm(journey_id)
    assert refused.value.extra["fields"] == ["id_number"]
    with pytest.raises(BadInput):
        service.edit_field(journey_id, "id_number", "110105194912310022")
    edited = {f.name: f for f in service.edit_field(journey_id, "id_number", "11010519491231002X")}
    assert edited["id_number"].valid and edited["id_number"].source == "edited"
    # A corrected identity field goes to a staff member before the account opens (issue 17 item 4).
    assert service.confirm(journey_id).step == "pending_review"
    from barrierfree.onboarding.journey import review

    review.decide(service, journey_id, approve=True)
    summary = service.summary(journey_id)
    assert summary.holder_name == "张三" and len(summary.account_number) == 16
    assert service.get(journey_id).step == "opened"
    with db_engine.connect() as connection:
        raw = connection.execute(text("SELECT fields_sealed FROM journeys")).scalar_one()
    assert raw.startswith("v2.") and "张三" not in raw and "11010519491231002X" not in raw  # sealed to column and row
    with Session(db_engine) as session:
        kinds = [e.kind for e in session.scalars(select(AuditEvent).where(AuditEvent.subject == f"journey:{journey_id}").order_by(AuditEvent.id))]
        details = json.dumps([e.details for e in session.scalars(select(AuditEvent))], ensure_ascii=False)
    assert kinds[0] == "journey.started" and kinds[-3:] == ["journey.step", "journey.account-opened", "journey.staff-decision"]
    assert "journey.field-edited" in kinds
    assert "张三" not in details and "1101051949" not in details


def test_a_stale_concurrent_write_is_refused_not_half_applied(service):
    journey = service.start("en")
    with pytest.raises(Conflict) as lost:
        with service.at_step(journey.id, Step.CONSENT) as (session, record):
            # What a racing request would leave behind: the row's version moved on after we read it.
            session.execute(text("UPDATE journeys SET version = version + 1 WHERE id = :id"), {"id": journey.id})
            service.advance(session, record, reason="consent-given")
    assert lost.value.code == "journey-busy"
    assert service.get(journey.id).step == "consent"


def test_a_failure_inside_a_decision_leaves_nothing_half_written(service, monkeypatch):
    import numpy as np

    from barrierfree.onboarding.journey import results

    journey = service.start("en")
    service.consent(journey.id, True)
    service.choose_assistance(journey.id, "screen_reader")

    def connection_dropped(_rgb):  # the request dies after the fields were set, before the commit
        raise ConnectionResetError("client went away")

    monkeypatch.setattr(results, "encode_jpeg", connection_dropped)
    with pytest.raises(ConnectionResetError):
        results.accept_card(service, journey.id, Step.CARD_FRONT, document_type="cn_resident_id_front", valid=True,
                            fields={"name": "张三"}, confidence={}, checks=[("x", True)], portrait=np.zeros((32, 32, 3), np.uint8))
    after = service.get(journey.id)
    assert after.step == "card_front" and after.failures_in_window == 0
    assert service.review(journey.id) == []
