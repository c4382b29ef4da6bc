"""The probe images ``barrierfree doctor`` runs its engines on, written into the package's assets.

``doctor`` must work from an installed wheel, where this test kit, scikit-image and
the fonts for rendering are not there, so the probes ship as package data
(``barrierfree/assets/probe/``). They are made here, from code, and committed:

- ``face.jpg``: the face of scikit-image's astronaut photo (Eileen Collins, public
  domain, NASA), cropped, halved and stored as JPEG (a few kB); the face mesh must
  find one face with every landmark on it;
- ``ocr-line.png``: :data:`barrierfree.doctor.OCR_PROBE_TEXT` in Noto Sans CJK, which
  the OCR engine must read back exactly.

Run ``python -m testkit.probes`` after changing either.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PIL import Image

from barrierfree.doctor import OCR_PROBE_TEXT
from testkit.photos import load
from testkit.text import render_line

#: Rows and columns of the astronaut photo kept for the face probe (her head, with some margin).
FACE_CROP = (slice(0, 256), slice(96, 352))
#: Side of the stored face probe, in pixels (the crop halved: the face is still ~90 px wide).
FACE_SIDE_PX = 128
FACE_JPEG_QUALITY = 85


def write(folder: Path) -> list[Path]:
    """Write both probes into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    face = folder / "face.jpg"
    crop = Image.fromarray(load("astronaut")[FACE_CROP]).resize((FACE_SIDE_PX, FACE_SIDE_PX), Image.Resampling.LANCZOS)
    crop.save(face, quality=FACE_JPEG_QUALITY, optimize=True)
    line = folder / "ocr-line.png"
    Image.fromarray(render_line(OCR_PROBE_TEXT)).convert("L").save(line, optimize=True)
    return [face, line]


if __name__ == "__main__":
    for path in write(Path(str(resources.files("barrierfree").joinpath("assets", "probe")))):
        print(f"{path}: {path.stat().st_size} bytes")
