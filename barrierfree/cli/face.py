"""``barrierfree liveness``, ``barrierfree challenge`` and ``barrierfree match``.

A clip for ``liveness`` is a video file, a folder of frames, or one image
(which never passes: one frame cannot show life). In a folder, frames are
taken in file-name order; their timestamps come from ``timestamps.csv``
(``file name,seconds`` per line) when present, else from ``--fps``, else from
the last number in each file name, read as milliseconds (``frame_0133.png``).
Flash-challenge timestamps are seconds since the first colour appeared.

Exit status is 0 whenever a verdict is printed, passed or not; bad input
(an unreadable clip or challenge) exits 2.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the engines load lazily, at the command that needs them
    from barrierfree.vision.frames import Frame

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}
#: Longest clip accepted, in frames (a 3 s challenge at 30 fps is 90).
MAX_FRAMES = 900


def load_clip(path: str | Path, fps: float | None = None) -> list:
    """Frames (with timestamps in seconds) from a video file, a folder of images, or one image."""
    from barrierfree.errors import BadInput
    from barrierfree.vision import frames as frame_io

    path = Path(path)
    if not path.exists():
        raise BadInput("file-not-found", f"No such file or folder: {path}")
    if path.is_dir():
        return _load_folder(path, fps)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return [frame_io.read(path, 0.0)]
    return _load_video(path, fps)


def _load_folder(folder: Path, fps: float | None) -> list:
    from barrierfree.errors import BadInput
    from barrierfree.vision import frames as frame_io

    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise BadInput("empty-clip", f"{folder} holds no PNG, JPEG, WebP or BMP frames.")
    if len(files) > MAX_FRAMES:
        raise BadInput("clip-too-long", f"{folder} holds {len(files)} frames; at most {MAX_FRAMES} are read.")
    stamps: dict[str, float] = {}
    listing = folder / "timestamps.csv"
    if listing.exists():
        with open(listing, newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                if len(row) >= 2 and not row[0].startswith("#"):
                    try:
                        stamps[row[0].strip()] = float(row[1])
                    except ValueError:
                        raise BadInput("bad-timestamps", f"timestamps.csv: {row[1]!r} is not a number of seconds.") from None
    clip = []
    for index, file in enumerate(files):
        if stamps:
            if file.name not in stamps:
                raise BadInput("bad-timestamps", f"timestamps.csv has no time for {file.name}.")
            t = stamps[file.name]
        elif fps:
            t = index / fps
        else:
            numbers = re.findall(r"\d+(?:\.\d+)?", file.stem)
            if not numbers:
                raise BadInput("bad-timestamps", f"{file.name} has no number to read as milliseconds; add timestamps.csv or pass --fps.")
            t = float(numbers[-1]) / 1000.0
        clip.append(frame_io.read(file, t))
    return clip


def _load_video(path: Path, fps: float | None) -> list:
    import cv2

    from barrierfree.errors import BadInput
    from barrierfree.vision.frames import from_array

    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise BadInput("not-a-video", f"{path} is not a video, an image or a folder of frames.")
    rate = fps or capture.get(cv2.CAP_PROP_FPS) or 0.0
    clip: list[Frame] = []
    try:
        while True:
            ok, bgr = capture.read()
            if not ok:
                break
            if len(clip) >= MAX_FRAMES:
                raise BadInput("clip-too-long", f"{path} is longer than {MAX_FRAMES} frames.")
            t = len(clip) / rate if rate > 0 else capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            clip.append(from_array(bgr[:, :, ::-1], t))
    finally:
        capture.release()
    if not clip:
        raise BadInput("not-a-video", f"No frames could be decoded from {path}.")
    return clip


def _read_challenge(path: str):  # noqa: ANN202 - the challenge document (a mode reads it: vision.liveness.modes)
    import json

    from barrierfree.errors import BadInput

    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput("file-not-found", f"No such challenge file: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadInput("bad-challenge", f"{path} is not a JSON challenge; issue one with `barrierfree challenge`.") from None
    return doc


@click.command()
@click.argument("clip", metavar="INPUT")
@click.option("--challenge", "challenge_path", metavar="CHALLENGE.json", help="The challenge the clip answers (flash or active).")
@click.option("--session", "session_id", help="The session answering; a challenge issued for another session is refused.")
@click.option("--fps", type=float, help="Frame rate, for a folder without timestamps.")
@click.option("--timeout-multiplier", type=float, default=1.0, show_default=True, help="Extends active-challenge time windows.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def liveness(clip: str, challenge_path: str | None, session_id: str | None, fps: float | None,
             timeout_multiplier: float, as_json: bool) -> None:
    """Is INPUT (video, folder of frames, or image) a live face? Without --challenge, passive checks only."""
    from barrierfree.cli import emit_json, runtime
    from barrierfree.vision.liveness.flash import JsonFileNonceStore
    from barrierfree.vision.liveness.modes import challenge_from

    engines = runtime()
    frames = load_clip(clip, fps)
    store = JsonFileNonceStore(engines.settings.data_dir / "face" / "used-nonces.json")
    if challenge_path is None:
        verdict = engines.liveness["passive"].verify(None, frames)
    else:
        mode, challenge = challenge_from(engines.liveness, _read_challenge(challenge_path))
        verdict = mode.verify(challenge, frames, session_id=session_id, store=store, timeout_multiplier=timeout_multiplier)
    if as_json:
        emit_json(verdict.to_dict())
    else:
        status = "passed" if verdict.passed else "not passed"
        click.echo(f"{verdict.mode} liveness {status} (score {verdict.score:.2f})" + (f": {', '.join(verdict.reasons)}" if verdict.reasons else ""))


@click.command()
@click.option("--kind", type=click.Choice(["flash", "active", "passive"]), default="flash", show_default=True)
@click.option("--session", "session_id", default="cli", show_default=True, help="The session the challenge is for.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the challenge here instead of stdout.")
def challenge(kind: str, session_id: str, output: str | None) -> None:
    """Issue a liveness challenge (JSON) for testing `barrierfree liveness --challenge`."""
    import json

    from barrierfree.cli import runtime

    doc = runtime().liveness[kind].issue(session_id).to_dict()
    doc.setdefault("kind", kind)
    text = json.dumps(doc, indent=2)
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@click.command()
@click.argument("selfie", metavar="IMAGE")
@click.argument("portrait", metavar="IMAGE")
@click.option("--lang", default="en", show_default=True, help="Language of a refusal's advice (prompt catalog).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def match(selfie: str, portrait: str, lang: str, as_json: bool) -> None:
    """Are the faces in the two images (a selfie and an ID portrait) the same person? same, different or unsure.

    Each image must show exactly one usable face; otherwise the match is
    refused (exit 2, nothing on stdout) with one line naming the code (no-face,
    several-faces, face-too-small, face-turned, eyes-closed, face-too-dark,
    face-too-bright, face-blurred), the image, and what to do about it.
    """
    from barrierfree.cli import emit_json, runtime
    from barrierfree.errors import BadInput
    from barrierfree.vision.frames import read

    engines = runtime()
    settings = engines.settings
    limits = {"max_megapixels": settings.max_image_megapixels, "max_bytes": settings.max_image_bytes}
    try:
        result = engines.match_faces(read(selfie, **limits).pixels, read(portrait, **limits).pixels)
    except BadInput as error:
        raise _refused(error, lang) from None
    if as_json:
        emit_json(result.to_dict())
    else:
        verdict = {"same": "same person", "different": "different people", "unsure": "unsure (a person should check)"}[result.outcome]
        click.echo(f"{verdict} (similarity {result.similarity:.3f}; same at ≥ {result.threshold:.3f}, "
                   f"unsure band {result.band_low:.3f}–{result.threshold:.3f})")


def _refused(error, lang: str):  # noqa: ANN001, ANN202 - BadInput in, BadInput out
    """A face-match refusal as one line: the code, which image, what was measured, and what to do (prompt catalog)."""
    from barrierfree.errors import BadInput
    from barrierfree.voice.prompts import render

    message_id = error.extra.get("message_id")
    advice = render(message_id, lang) if message_id else ""
    return BadInput(error.code, f"{error.code} ({error.extra.get('image', 'image')}): {error.detail} {advice}".strip(), **error.extra)


def register(group: click.Group) -> None:
    group.add_command(liveness)
    group.add_command(challenge)
    group.add_command(match)
