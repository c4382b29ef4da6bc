"""The test kit's blind-user sessions take their engines from a Runtime, so its settings reach them."""

from __future__ import annotations

from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from barrierfree.settings.document import DocumentSettings
from barrierfree.settings.guidance import GuidanceSettings
from testkit.blind_users.people import draw_main, population
from testkit.blind_users.phone import Path
from testkit.blind_users.session import Conditions, Session


def _runtime() -> Runtime:
    return Runtime.from_settings(Settings(document=DocumentSettings(finder_width_px=320),
                                          guidance=GuidanceSettings(say_two_way_moves=False)))


def test_a_card_session_uses_the_runtimes_finder_and_guide_settings():
    runtime = _runtime()
    person = population(draw_main, 2026, 300, 1)[0]
    session = Session(person, "card", Conditions(Path("server", 0.0), read=False, limit_s=3), 300, runtime)
    assert session.setup.observe.__self__ is runtime.card_finder
    assert runtime.card_finder.settings.finder_width_px == 320
    assert session.guide.settings is runtime.settings.guidance and not session.guide.settings.say_two_way_moves
    assert session.settings is runtime.settings


def test_each_face_session_gets_a_tracker_of_its_own():
    runtime = _runtime()
    person = population(draw_main, 2026, 300, 1)[0]
    sessions = [Session(person, "face", Conditions(Path("server", 0.0), read=False, limit_s=3), 300, runtime)
                for _ in range(2)]
    try:
        first, second = (s.setup.observe.__self__ for s in sessions)
        assert first is not second
    finally:
        for session in sessions:
            session.setup.close()
