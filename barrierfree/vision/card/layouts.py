"""Where things are printed on each document, in millimetres from its top-left corner.

These follow the printed documents: GB 11643/GA 450 resident ID cards (both sides
on an ISO/IEC 7810 ID-1 card) and ICAO 9303 parts 4–6 (TD3 passport page on
ID-3, TD2 on ID-2, TD1 on ID-1). Boxes are ``(x0, y0, x1, y1)`` in mm; the
finder uses them for cheap side cues, the readers for field regions and the
portrait crop.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]

#: Printed size, millimetres (width, height).
ID1_MM = (85.6, 53.98)
ID2_MM = (105.0, 74.0)
ID3_MM = (125.0, 88.0)


@dataclass(frozen=True)
class Layout:
    """One side of one document type."""

    size_mm: tuple[float, float]
    #: The photo, if the side has one.
    portrait: Box | None = None
    #: The national emblem, if the side has one.
    emblem: Box | None = None
    #: The machine-readable zone, if the side has one.
    mrz: Box | None = None
    #: Where the variable text is (for glare over text).
    text: Box | None = None
    #: Number of MRZ lines.
    mrz_lines: int = 0
    #: The document number's line, where it runs outside ``text`` (the resident ID's 18 digits
    #: run on under the photo).
    number: Box | None = None

    @property
    def glare_boxes(self) -> tuple[Box, ...]:
        """Where glare spoils a reading or the face match: the text, the number and the photo."""
        return tuple(box for box in (self.text, self.number, self.portrait) if box is not None)


LAYOUTS: dict[str, Layout] = {
    "cn_resident_id_front": Layout(ID1_MM, portrait=(55.0, 4.5, 82.5, 40.5), text=(3.0, 3.0, 55.0, 51.0),
                                   number=(24.5, 42.0, 84.0, 52.5)),
    "cn_resident_id_back": Layout(ID1_MM, emblem=(5.0, 4.0, 23.0, 22.0), text=(12.0, 36.0, 80.0, 52.0)),
    "mrz_td1": Layout(ID1_MM, mrz=(2.0, 37.0, 83.6, 53.0), text=(2.0, 37.0, 83.6, 53.0), mrz_lines=3),
    "mrz_td2": Layout(ID2_MM, portrait=(4.0, 10.0, 31.0, 44.0), mrz=(2.0, 59.0, 103.0, 73.0), text=(2.0, 59.0, 103.0, 73.0), mrz_lines=2),
    "mrz_td3": Layout(ID3_MM, portrait=(4.0, 10.0, 37.0, 52.0), mrz=(2.0, 72.0, 123.0, 87.0), text=(2.0, 72.0, 123.0, 87.0), mrz_lines=2),
}


def mirrored(box: Box, size_mm: tuple[float, float]) -> Box:
    """The same box on a card turned by 180 degrees.

    >>> mirrored((0.0, 0.0, 10.0, 5.0), (85.6, 53.98))
    (75.6, 48.98, 85.6, 53.98)
    """
    w, h = size_mm
    x0, y0, x1, y1 = box
    return (round(w - x1, 6), round(h - y1, 6), round(w - x0, 6), round(h - y0, 6))
