"""CardFinder's search order (issues 18 and 21): edge maps one at a time, strongest first, until it is sure of a card.

The time saved is measured in ``benchmarks/`` (documents_renderers.py, ondevice.py); here, what the
search does: it stops early on a plain card photo and finds the same card, and where it is never
sure (a dim card on a white page) it still reaches the fainter and the dim-frame maps.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from testkit.cards import dim_card, random_photo
from barrierfree.vision.card import CardFinder, edges
from barrierfree.vision.frames import from_array

TODAY = date(2026, 11, 29)


@pytest.fixture
def maps_made(monkeypatch):
    """The edge maps and dim-frame maps the finder asks for, in order (by their kind and count)."""
    made: list[str] = []
    ordinary, dim = edges.edge_maps, edges.dim_maps

    def counted(*args):
        for edge_map in ordinary(*args):
            made.append("edge")
            yield edge_map

    def counted_dim(*args):
        maps = dim(*args)
        made.extend("dim" for _ in maps)
        return maps

    monkeypatch.setattr(edges, "edge_maps", counted)
    monkeypatch.setattr(edges, "dim_maps", counted_dim)
    return made


@pytest.mark.parametrize("seed", [100, 101, 102, 103])
def test_a_plainly_visible_card_ends_the_search_early(maps_made, seed):
    document_type = "cn_resident_id_front" if seed % 2 == 0 else "cn_resident_id_back"
    photo = random_photo(seed, document_type, today=TODAY)
    seen = CardFinder().observe(from_array(photo.pixels))
    assert seen.found and not seen.cut_edges
    assert float(np.abs(seen.quad - photo.quad).max()) < 0.025 * 1280
    assert 1 <= maps_made.count("edge") < len(edges.EDGE_MAPS), maps_made  # the strong-edge maps sufficed
    assert "dim" not in maps_made


def test_a_card_it_is_never_sure_of_gets_every_map(maps_made):
    # A dim card on a white page (a tuning seed of benchmarks/finder_dim_scan.py): its edge ring is
    # open in the ordinary maps, so the search runs through all of them and then the dim-frame maps.
    pixels, quad, _ = dim_card(5004, "front", date(2026, 12, 7))
    seen = CardFinder().observe(from_array(pixels))
    assert seen.found and float(np.abs(seen.quad - quad).max()) < 0.025 * 1280
    assert maps_made.count("edge") >= len(edges.EDGE_MAPS)
    assert maps_made.count("dim") == len(edges.DIM_EDGE_THRESHOLDS)

