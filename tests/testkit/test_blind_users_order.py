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
