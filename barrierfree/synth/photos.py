"""Real photos to build test data from.

- ``astronaut``: Eileen Collins, shipped inside scikit-image (public domain).
- ``obama``, ``obama2``, ``obama3`` (one man), ``biden`` (another), and two partial
  faces: the test images of the ``face_recognition==1.3.0`` source distribution
  on PyPI. They are third-party photos, so they are never committed: ``fetch``
  downloads the sdist with pip (a package registry, reachable from the set-up
  step) and caches the images in ``.cache/photos``.

Run ``python -m barrierfree.synth.photos fetch`` (``scripts/setup`` does).
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from barrierfree.errors import EngineUnavailable

FACE_RECOGNITION_SDIST = "face_recognition==1.3.0"
FACE_RECOGNITION_IMAGES = (
    "obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg",
    "obama_partial_face.jpg", "obama_partial_face2.jpg",
)
#: Which photos show the same person, for face-match pairs.
IDENTITIES = {"obama": "obama", "obama2": "obama", "obama3": "obama", "biden": "biden", "astronaut": "collins"}


def cache_dir() -> Path:
    """``<repo>/.cache/photos`` in a checkout, else ``~/.cache/barrierfree/photos``."""
    repo = Path(__file__).resolve().parents[2]
    base = repo / ".cache" if (repo / "pyproject.toml").exists() else Path.home() / ".cache" / "barrierfree"
    return base / "photos"


def fetch(target: Path | None = None) -> Path:
    """Download and unpack the face_recognition test images unless already cached."""
    target = target or cache_dir()
    if all((target / name).exists() for name in FACE_RECOGNITION_IMAGES):
        return target
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
             FACE_RECOGNITION_SDIST, "-d", folder],
            check=True,
        )
        sdist = next(Path(folder).glob("face_recognition-*.tar.gz"))
        with tarfile.open(sdist) as archive:
            for member in archive.getmembers():
                name = Path(member.name).name
                if "/tests/test_images/" in member.name and name in FACE_RECOGNITION_IMAGES:
                    extracted = archive.extractfile(member)
                    assert extracted is not None
                    (target / name).write_bytes(extracted.read())
    return target


def load(name: str) -> np.ndarray:
    """A real photo as an ``(H, W, 3)`` uint8 RGB array.

    >>> load("astronaut").shape
    (512, 512, 3)
    """
    if name == "astronaut":
        from skimage import data

        return np.ascontiguousarray(data.astronaut())
    path = cache_dir() / f"{name}.jpg"
    if not path.exists():
        raise EngineUnavailable("photo-missing", f"{path} is missing; run scripts/setup (or python -m barrierfree.synth.photos fetch).")
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


if __name__ == "__main__":
    if sys.argv[1:] != ["fetch"]:
        sys.exit("usage: python -m barrierfree.synth.photos fetch")
    print(f"photos: {fetch()}")
