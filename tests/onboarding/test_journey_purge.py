"""Retention: kept images and abandoned journeys are purged on schedule; opened accounts keep their fields."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from barrierfree.cli import main
from barrierfree.onboarding.journey import results
from barrierfree.onboarding.journey.models import JourneyImage, JourneyRecord
from barrierfree.onboarding.journey.purge import purge
from barrierfree.onboarding.journey.service import JourneyService
from barrierfree.onboarding.journey.steps import Step
from barrierfree.onboarding.storage import upgrade
from barrierfree.onboarding.storage.crypto import KeyRing, bind_keyring
from barrierfree.settings.onboarding import OnboardingSettings
from testkit.photos import load


def test_images_are_kept_only_when_configured_and_purged_after_retention(db_engine):
    bind_keyring(db_engine, KeyRing.from_spec(KeyRing.generate_spec()))
    upgrade(db_engine)
    settings = OnboardingSettings(keep_images=True, image_retention_days=2, journey_retention_days=10)
    service = JourneyService(db_engine, settings)
    kept = service.start("en")
    service.consent(kept.id, True)
    service.choose_assistance(kept.id, "screen_reader")
    portrait = load("obama")[:120, :100]
    accepted, code, view = results.accept_card(
        service, kept.id, Step.CARD_FRONT, document_type="cn_resident_id_front", valid=True,
        fields={"name": "张三"}, confidence={"name": 0.9}, checks=[("id_number_check_digit", True)], portrait=portrait,
    )
    assert accepted and view.step == "card_back"
    abandoned = service.start("zh-CN")
    with db_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(JourneyImage)).scalar_one() == 1
        sealed = connection.execute(text("SELECT data_sealed FROM journey_images")).scalar_one()
    assert sealed.startswith("v2.")  # sealed to its column and its journey
    now = service.now()
    assert purge(db_engine, settings, now).images_deleted == 0
    report = purge(db_engine, settings, now + timedelta(days=11))
    assert (report.images_deleted, report.journeys_deleted) == (1, 2)
    with Session(db_engine) as session:
        assert session.scalar(select(func.count()).select_from(JourneyRecord)) == 0
    assert abandoned.id


def test_images_are_not_kept_by_default(db_engine):
    bind_keyring(db_engine, KeyRing.from_spec(KeyRing.generate_spec()))
    upgrade(db_engine)
    service = JourneyService(db_engine, OnboardingSettings())
    journey = service.start("en")
    service.consent(journey.id, True)
    service.choose_assistance(journey.id, "screen_reader")
    results.accept_card(
        service, journey.id, Step.CARD_FRONT, document_type="cn_resident_id_front", valid=True,
        fields={"name": "张三"}, confidence={}, checks=[], portrait=np.zeros((64, 48, 3), np.uint8),
    )
    with db_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(JourneyImage)).scalar_one() == 0


def test_purge_command_prints_one_json_document(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BARRIERFREE_DATA_DIR", str(tmp_path))
    from barrierfree.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["journey", "purge", "--json"]) == 0
    finally:
        get_settings.cache_clear()
    assert json.loads(capsys.readouterr().out) == {"images_deleted": 0, "journeys_deleted": 0, "challenges_deleted": 0, "images_cleared": 0}
