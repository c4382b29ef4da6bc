"""From where the target sits in the frame to what the person does with the phone.

Frames are as the camera captured them, never mirrored (what ``getUserMedia``
delivers). Image coordinates: x to the right, y down. The person's frame:
their own right, and up (for a phone held flat over a table, the phone's top
edge points away from them, so "up" in the image is "away from you").

- Back camera (it looks where the person looks): what is on the person's right
  is on the image's right. A target on the image's right means the phone must
  move right.
- Front camera (it looks back at the person): the person's right is on the
  image's *left*. A face on the image's right means the phone sits too far to
  the person's right, so it must move to their *left*.
- Up/down are the same for both cameras: a target low in the image means the
  phone must move down.

>>> needed_move(0.2, 0.0, "back")
(0.2, 0.0)
>>> needed_move(0.2, 0.0, "front")
(-0.2, 0.0)
>>> needed_move(0.0, 0.3, "front")
(0.0, -0.3)
"""

from __future__ import annotations

from barrierfree.accessibility.guidance.model import Camera, Direction

#: Image-side sign of each frame edge: (x, y) offset of a target that crosses it.
EDGE_OFFSET = {"left": (-1.0, 0.0), "right": (1.0, 0.0), "top": (0.0, -1.0), "bottom": (0.0, 1.0)}


def needed_move(offset_x: float, offset_y: float, camera: Camera) -> tuple[float, float]:
    """The phone move (right +, up +) that brings a target at image offset
    (``offset_x`` right +, ``offset_y`` down +) back towards the centre."""
    # "+ 0.0" turns -0.0 into 0.0 so JSON and doctests show a plain zero.
    horizontal = (offset_x if camera == "back" else -offset_x) + 0.0
    return horizontal, -offset_y + 0.0


def word(horizontal: float, vertical: float, flat: bool = False) -> Direction:
    """The direction word of the larger component of a needed move.

    ``flat`` phrases the vertical as "away from you" / "towards you" (phone held flat over a table).

    >>> word(-0.3, 0.1), word(0.0, 0.2), word(0.0, 0.2, flat=True), word(0.1, -0.4, flat=True)
    ('left', 'up', 'away', 'toward')
    """
    if abs(horizontal) >= abs(vertical):
        return "right" if horizontal > 0 else "left"
    if flat:
        return "away" if vertical > 0 else "toward"
    return "up" if vertical > 0 else "down"


def edge_direction(edges: frozenset[str], camera: Camera, flat: bool = False) -> Direction | None:
    """Which way to move the phone when the target crosses these frame edges.

    Opposite edges both cut means the target is too big for the frame, which is
    a distance problem, not a direction; then the other axis decides, or ``None``.
    """
    x = sum(EDGE_OFFSET[e][0] for e in edges if e in EDGE_OFFSET)
    y = sum(EDGE_OFFSET[e][1] for e in edges if e in EDGE_OFFSET)
    if x == 0 and y == 0:
        return None
    horizontal, vertical = needed_move(x, y, camera)
    return word(horizontal, vertical, flat)
