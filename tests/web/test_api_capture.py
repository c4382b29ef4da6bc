"""Card steps through the API with the real engines: guidance per frame, capture read by the document area's reader."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from barrierfree.settings import Settings
from testkit import cards
from barrierfree.web import create_app
from tests.e2e_camera import CARD_FRAME, card_photos

pytestmark = pytest.mark.slow


def _jpeg(rgb) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def photos():
    # Seed 23: a card valid until 2045, so the app (on the wall clock) does not see it expire.
    front, back, _table, truth = card_photos(23)
    return _jpeg(front), _jpeg(back), truth


def _journey(client):
    started = client.post("/api/v1/journeys", json={"lang": "zh-CN"}).get_json()
    jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
    client.post(f"/api/v1/journeys/{jid}/consent", json={"accepted": True}, headers=auth)
    client.post(f"/api/v1/journeys/{jid}/assistance", json={"mode": "self_voicing"}, headers=auth)
    return jid, auth


def test_both_card_sides_are_guided_read_and_read_back_for_review(tmp_path, photos):
    front, back, truth = photos
    client = create_app(Settings(data_dir=tmp_path / "data")).test_client()
    jid, auth = _journey(client)
    guidance = client.post(f"/api/v1/journeys/{jid}/frames?t=0.0&beta=5&gamma=-3", data=front, content_type="image/jpeg", headers=auth)
    body = guidance.get_json()
    assert guidance.status_code == 200, body
    assert body["step"] == "card_front" and body["target"] == "card" and body["detected"] is True
    assert body["introduction"] and body["introduction"][0]["id"].startswith("card.start")
    # The short words by default (the tones are explained when the steady tone first sounds on this
    # first camera step); the detailed words, tones and all, on request.
    assert [c["id"] for c in body["introduction"]] == ["card.start_portrait.short"]
    assert [c["id"] for c in body["introduction_full"]] == ["card.start_portrait", "guide.tones_explained"]
    assert all(c["text"] for c in body["introduction"] + body["introduction_full"])
    assert body["speak"] is None or body["speak"]["text"]

    wrong = client.post(f"/api/v1/journeys/{jid}/capture", data=back, content_type="image/jpeg", headers=auth).get_json()
    assert (wrong["accepted"], wrong["code"], wrong["step"]) == (False, "wrong-side", "card_front")
    # The person is turning the card as asked: a wrong side in view is not a failure (issue 18).
    assert wrong["journey"]["failures_in_window"] == 0

    # A good reading is read from a second frame before it is accepted (fused field by field);
    # that is no failure either.
    once = client.post(f"/api/v1/journeys/{jid}/capture", data=front, content_type="image/jpeg", headers=auth).get_json()
    assert (once["accepted"], once["code"], once["journey"]["failures_in_window"]) == (False, "reading-once-more", 0), once
    assert (wrong["message_id"], once["message_id"]) == ("card.turn_over", "card.hold_still")  # what the SDK says
    read = client.post(f"/api/v1/journeys/{jid}/capture", data=front, content_type="image/jpeg", headers=auth).get_json()
    assert (read["accepted"], read["step"]) == (True, "card_back"), read
    assert read["field_agreement"] and all(share == 1.0 for share in read["field_agreement"].values())
    for expected in ((False, "card_back"), (True, "liveness")):
        read = client.post(f"/api/v1/journeys/{jid}/capture", data=back, content_type="image/jpeg", headers=auth).get_json()
        assert (read["accepted"], read["step"]) == expected, read

    app = client.application
    review = {f.name: f for f in app.extensions["barrierfree.journeys"].review(jid)}
    # Every printed field is there to be read back, and read right on this clean, well-lit card
    # (OCR accuracy over many photos is the document area's benchmark).
    assert set(review) == set(truth)
    assert {n: f.value for n, f in review.items() if n != "id_number"} == {n: v for n, v in truth.items() if n != "id_number"}
    # A wrong ID number is never passed on as a valid one: it is either right, or flagged for correction.
    number = review["id_number"]
    assert (number.value == truth["id_number"] and number.valid) or (not number.valid and number.problem)
    listed = client.get(f"/api/v1/journeys/{jid}/review", headers=auth).get_json()["fields"]
    assert [f["name"] for f in listed] == ["name", "sex", "ethnicity", "birth_date", "address", "id_number",
                                                        "issuing_authority", "valid_from", "valid_to"]


def test_a_frame_with_no_card_is_guided_and_a_capture_of_it_counts_as_a_failure(tmp_path):
    client = create_app(Settings(data_dir=tmp_path / "data")).test_client()
    jid, auth = _journey(client)
    table = cards.empty_table(3, CARD_FRAME, kind="wood")
    buffer = io.BytesIO(_jpeg(table))
    body = client.post(f"/api/v1/journeys/{jid}/frames?t=1", data=buffer.getvalue(), content_type="image/jpeg", headers=auth).get_json()
    assert body["phase"] == "searching" and body["detected"] is False
    result = client.post(f"/api/v1/journeys/{jid}/capture", data=buffer.getvalue(), content_type="image/jpeg", headers=auth).get_json()
    assert (result["accepted"], result["code"]) == (False, "no-card")


def test_a_new_camera_run_after_a_reload_gets_a_fresh_guide(tmp_path, photos):
    front, _back, _truth = photos
    client = create_app(Settings(data_dir=tmp_path / "data")).test_client()
    jid, auth = _journey(client)
    url = f"/api/v1/journeys/{jid}/frames"
    first = client.post(f"{url}?t=30.0&stream=a", data=front, content_type="image/jpeg", headers=auth).get_json()
    stale = client.post(f"{url}?t=1.0&stream=a", data=front, content_type="image/jpeg", headers=auth).get_json()
    assert "frame-out-of-order" in stale["notes"]
    # The page was reloaded: its clock starts again, under a new stream id.
    fresh = client.post(f"{url}?t=1.0&stream=b", data=front, content_type="image/jpeg", headers=auth).get_json()
    assert "frame-out-of-order" not in fresh["notes"] and fresh["introduction"] and first["introduction"]


def test_repeated_rejected_captures_make_the_guide_offer_a_person(tmp_path, photos):
    front, back, _truth = photos
    client = create_app(Settings(data_dir=tmp_path / "data")).test_client()
    jid, auth = _journey(client)
    url = f"/api/v1/journeys/{jid}/frames"
    assert client.post(f"{url}?t=0&stream=s", data=front, content_type="image/jpeg", headers=auth).get_json()["human_help_offered"] is False
    for _ in range(2):  # the emblem side shown at the portrait step: no failure, no help offered
        assert client.post(f"/api/v1/journeys/{jid}/capture", data=back, content_type="image/jpeg", headers=auth).get_json()["code"] == "wrong-side"
    assert client.post(f"{url}?t=0.5&stream=s", data=front, content_type="image/jpeg", headers=auth).get_json()["human_help_offered"] is False
    table = _jpeg(cards.empty_table(3, CARD_FRAME, kind="wood"))
    for _ in range(2):  # nothing readable captured, twice: those are failures
        assert client.post(f"/api/v1/journeys/{jid}/capture", data=table, content_type="image/jpeg", headers=auth).get_json()["code"] == "no-card"
    later = client.post(f"{url}?t=1&stream=s", data=front, content_type="image/jpeg", headers=auth).get_json()
    assert later["human_help_offered"] is True


def test_a_contradictory_reading_is_refused_at_capture_and_the_failing_field_is_marked(tmp_path):
    # A card from the second renderer whose printed birth date contradicts its (check-digit-valid) number.
    from dataclasses import replace
    from datetime import date

    import numpy as np

    from testkit import cards_alt

    today = date.today()
    rng = np.random.default_rng(7)
    person = cards_alt.alt_person(rng, today)
    year = int(person.birth_date[:4])
    forged = replace(person, birth_date=f"{year - 3}{person.birth_date[4:]}")
    texture, _ = cards_alt.render_front(forged, rng, row_pitch_mm=6.2)
    settings = Settings(data_dir=tmp_path / "data")
    client = create_app(settings).test_client()
    jid, auth = _journey(client)
    limit = settings.onboarding.card_failed_readings_before_choice
    for attempt in range(limit):
        pixels, _ = cards_alt.photograph(texture, np.random.default_rng(100 + attempt))
        result = client.post(f"/api/v1/journeys/{jid}/capture", data=_jpeg(pixels), content_type="image/jpeg", headers=auth).get_json()
        assert (result["accepted"], result["code"], result["step"]) == (False, "reading-failed", "card_front"), result
        assert "id_number" in result["failing_fields"] or "birth_date" in result["failing_fields"]
        assert ("choices" in result) == (attempt == limit - 1)
    assert result["choices"] == ["type_fields", "ask_person"]
    # The person chose to type: the reading is kept with its failing fields marked, and review
    # refuses those fields until they are typed.
    pixels, _ = cards_alt.photograph(texture, np.random.default_rng(200))
    typed = client.post(f"/api/v1/journeys/{jid}/capture?type_fields=1", data=_jpeg(pixels), content_type="image/jpeg",
                        headers=auth).get_json()
    assert (typed["accepted"], typed["step"]) == (True, "card_back"), typed
    review = {f.name: f for f in client.application.extensions["barrierfree.journeys"].review(jid)}
    marked = [name for name in typed["failing_fields"] if name in review]
    assert marked and all(not review[name].valid and review[name].problem for name in marked)


def test_one_capture_of_two_stills_is_read_fused_and_accepted_in_one_request(tmp_path, photos):
    """The SDK's server path sends one capture's stills together (issue 24): a good capture of two
    agreeing stills is one decision, not "read once more" and a second guided capture. The guidance
    says which frames are worth sending as stills, as the on-device engine does."""
    front, back, _truth = photos
    client = create_app(Settings(data_dir=tmp_path / "data")).test_client()
    jid, auth = _journey(client)
    body = client.post(f"/api/v1/journeys/{jid}/frames?t=0.0", data=front, content_type="image/jpeg", headers=auth).get_json()
    assert body["still_usable"] is True
    emblem = client.post(f"/api/v1/journeys/{jid}/frames?t=0.2", data=back, content_type="image/jpeg", headers=auth).get_json()
    assert emblem["still_usable"] is False  # the other side is no still of this one
    url = f"/api/v1/journeys/{jid}/capture?t=1.0"
    two = {"still": [(io.BytesIO(front), "still-0.jpg", "image/jpeg"), (io.BytesIO(front), "still-1.jpg", "image/jpeg")]}
    read = client.post(url, data=two, content_type="multipart/form-data", headers=auth).get_json()
    assert (read["accepted"], read["code"], read["step"]) == (True, None, "card_back"), read
    assert read["field_agreement"] and all(share == 1.0 for share in read["field_agreement"].values())
    # Bad input: no still, too many, a part that is no image — each a clear problem, nothing read or stored.
    none = client.post(url, data={"other": "x"}, content_type="multipart/form-data", headers=auth)
    many = client.post(url, data={"still": [(io.BytesIO(back), f"s{i}.jpg", "image/jpeg") for i in range(4)]},
                       content_type="multipart/form-data", headers=auth)
    text = client.post(url, data={"still": [(io.BytesIO(b"hello"), "s.txt", "text/plain")]},
                       content_type="multipart/form-data", headers=auth)
    assert [(r.status_code, r.get_json()["type"]) for r in (none, many, text)] == [
        (400, "/problems/no-stills"), (400, "/problems/too-many-stills"), (415, "/problems/unsupported-media-type")]
    assert client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()["step"] == "card_back"
