"""A card capture the server accepts ends the session, as the product does ("captured", the next step): a
misread is not a second chance but a failure, counted as warned (every wrong field flagged for the person to
confirm at review) or silent (a wrong field with no flag: issue 18's worst failure)."""

from __future__ import annotations

import pytest

from barrierfree.settings import Settings
from barrierfree.vision.idcard.reading import Check, DocumentReading
from testkit.blind_users.judge import Verdict, flagged
from testkit.blind_users.people import draw_main, population
from testkit.blind_users.phone import Path
from testkit.blind_users.report import silent_misreads, summarise
from testkit.blind_users.session import Conditions, Outcome, Session

ID = "11010519491231002X"


def _reading(**overrides) -> DocumentReading:
    values = {"fields": {"name": "张三", "id_number": ID}, "field_confidence": {"name": 0.95, "id_number": 0.95}, "checks": ()}
    values.update(overrides)
    return DocumentReading("cn_ric_front", **values)


def test_a_field_is_flagged_by_a_failed_check_about_it_or_a_low_confidence_and_otherwise_silent():
    settings = Settings()
    assert not flagged(_reading(), "name", settings)
    assert not flagged(_reading(), "id_number", settings)
    warned = _reading(checks=(Check("name_marks", False, "a mark dropped", severity="warning", field="name"),))
    assert flagged(warned, "name", settings) and not flagged(warned, "id_number", settings)
    by_name = _reading(checks=(Check("id_number_region", False, "retired code", severity="warning"),))
    assert flagged(by_name, "id_number", settings)
    unsure = _reading(field_confidence={"name": settings.onboarding.review_unsure_confidence - 0.01, "id_number": 0.95})
    assert flagged(unsure, "name", settings) and not flagged(unsure, "id_number", settings)
    assert flagged(_reading(fields={"name": "张三"}), "id_number", settings)  # not read at all


def test_the_summary_counts_warned_and_silent_misreads_and_names_the_silent_ones():
    good = Verdict(True, True)
    warned = Verdict(True, False, "misread:name", None, ("name",), ())
    silent = Verdict(True, False, "misread:address,name", None, ("name",), ("address",))
    outcomes = [Outcome(5.0, (good,), 3, 6.0, 10), Outcome(None, (warned,), 3, 60.0, 10),
                Outcome(None, (Verdict(True, False, "reading-once-more", "reading-once-more"), silent), 3, 60.0, 10)]
    summary = summarise(outcomes)
    assert (summary.warned_misreads, summary.silent_misreads) == (1, 1)
    assert silent_misreads(outcomes, first=40) == [(42, ("address",))]


@pytest.mark.slow
def test_an_accepted_misread_ends_the_session_there_as_a_failure():
    """The reader is real; only what the simulation expects of the card is changed, so that every fused
    reading the server accepts is a misread of the name. The old session said a retry cue and guided on."""
    person = population(draw_main, 2026, 0, 1)[0]
    session = Session(person, "card", Conditions(Path("server", 0.0)), 0)
    session.setup.expected = dict(session.setup.expected, name=session.setup.expected["name"] + "一")
    outcome = session.run()
    accepted = [v for v in outcome.verdicts if v.refusal is None]
    assert outcome.time_s is None
    assert len(accepted) == 1 and outcome.verdicts[-1] is accepted[0], outcome.verdicts
    assert "name" in accepted[0].warned + accepted[0].silent
    assert outcome.steps[-1].t < session.conditions.limit_s - 1.0  # it ended at the acceptance, not at the limit
    assert outcome.ended_s is not None and outcome.steps[-1].t <= outcome.ended_s < session.conditions.limit_s
