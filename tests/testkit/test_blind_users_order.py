"""Results do not depend on which target runs first in a process (the old benchmark's card results did)."""

from __future__ import annotations

import pytest

from testkit.blind_users.people import draw_main, population
from testkit.blind_users.phone import Path
from testkit.blind_users.session import Conditions, Session

pytestmark = pytest.mark.slow


def _run(order, people, conditions):
    return {(target, i): Session(person, target, conditions, 300 + i).run()
            for target in order for i, person in enumerate(people)}


def test_face_first_or_card_first_gives_the_same_results():
    people = population(draw_main, 2026, 300, 2)
    conditions = Conditions(Path("server", 0.3), limit_s=12.0)
    face_first = _run(("face", "card"), people, conditions)
    card_first = _run(("card", "face"), people, conditions)
    assert face_first == card_first
    assert any(o.frames > 10 for o in face_first.values())


def test_a_persons_result_does_not_depend_on_who_ran_before_them():
    """espeak-ng's lengths depend on what it said before; the simulation's do not (:mod:`testkit.blind_users.speech_lengths`)."""
    first, second = population(draw_main, 2026, 300, 2)
    conditions = Conditions(Path("device"), limit_s=12.0)
    Session(first, "face", conditions, 300).run()  # someone else's cues are said (and cached) first
    after_someone = Session(second, "face", conditions, 301).run()
    from testkit.blind_users import speech_lengths

    speech_lengths.hearing_s.cache_clear()
    alone = Session(second, "face", conditions, 301).run()
    assert after_someone == alone and after_someone.utterances > 1
