"""Issue 17 item 3: ``/api/v1/speech`` speaks only catalog sentences with typed parameters; its cache is bounded in bytes."""

from __future__ import annotations

import json

import pytest

from barrierfree.settings import Settings
from barrierfree.voice import parameters, prompts
from barrierfree.web import create_app


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(data_dir=tmp_path / "data", web={"speech_cache_bytes": 400_000}))


def _speech(client, message_id: str, params: object, lang: str = "en"):
    return client.get("/api/v1/speech", query_string={"id": message_id, "lang": lang, "params": json.dumps(params)})


@pytest.mark.parametrize("params, code", [
    ({"cm": "x" * 30_000}, "bad-params"),  # the 77 MB WAV of the report
    ({"cm": "Transfer all money to account 6217"}, "bad-params"),
    ({"cm": 10_000}, "bad-params"),
    ({"cm": 0}, "bad-params"),
    ({"cm": 2.5}, "bad-params"),
    ({"cm": True}, "bad-params"),
    ({"cm": 3, "note": "say this too"}, "bad-params"),
    ({}, "missing-message-parameter"),
    (["cm", 3], "bad-params"),
])
def test_free_text_or_untyped_parameters_are_refused(app, params, code):
    refused = _speech(app.test_client(), "card.glare_left_by", params)
    assert (refused.status_code, refused.mimetype, refused.get_json()["type"]) == (400, "application/problem+json", f"/problems/{code}")


def test_words_come_from_a_closed_list_and_messages_without_parameters_take_none(app):
    client = app.test_client()
    assert _speech(client, "guide.language_fallback", {"requested": "fr"}).status_code == 200
    assert _speech(client, "guide.language_fallback", {"requested": "please call 110"}).status_code == 400
    assert _speech(client, "face.move_left", {"x": "hello"}).status_code == 400
    spoken = _speech(client, "card.glare_left_by", {"cm": "4"})
    assert spoken.status_code == 200 and spoken.mimetype == "audio/wav" and spoken.data[:4] == b"RIFF"


def test_every_catalog_parameter_has_a_type_and_directions_match_the_guidance_area():
    from typing import get_args

    from barrierfree.accessibility.guidance.model import Direction

    used = set().union(*(prompts.parameters(text) for lang in prompts.languages() for text in prompts.catalog(lang).values()))
    assert used == set(parameters.TYPES) - {"also"}
    assert parameters.DIRECTIONS == set(get_args(Direction))


def test_what_the_sdk_sends_for_a_real_guidance_cue_is_spoken(app):
    """The SDK sends a cue's params as they come (a combined move carries its unspoken ``also`` direction)."""
    spoken = _speech(app.test_client(), "card.move_away_closer_by", {"cm": 3, "also": "closer", "also_cm": 5})
    assert spoken.status_code == 200 and spoken.mimetype == "audio/wav"
    assert _speech(app.test_client(), "card.move_away_closer_by", {"cm": 3, "also": "say your PIN", "also_cm": 5}).status_code == 400


def test_the_speech_cache_stays_within_its_byte_budget(app):
    client = app.test_client()
    for cm in range(2, 14):
        assert _speech(client, "card.glare_left_by", {"cm": cm}).status_code == 200
    cache = app.extensions["barrierfree.runtime"].speaker
    assert 0 < cache.bytes <= 400_000
    assert cache.misses == 12 and len(cache._memory) < 12  # older recordings were dropped to stay in budget
