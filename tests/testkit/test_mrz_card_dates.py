"""The MRZ card renderer prints any valid expiry's issue line (29 February included)."""

from __future__ import annotations

from testkit.cards_flat import render_card
from testkit.cards_people import MrzDocument


def test_a_td1_card_expiring_on_29_february_renders_its_issue_date():
    # The issue line is the expiry's day in 2015, which has no 29 February: it raised ValueError.
    fields = {"expiry_date": "2028-02-29"}
    lines = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F2802296UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
    image = render_card(MrzDocument("td1", lines, fields), px_per_mm=4.0)
    assert image.ndim == 3 and image.shape[2] == 3 and image.std() > 10
