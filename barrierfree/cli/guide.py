"""``barrierfree guide --target face|card INPUT``: the guidance for each frame of a video or folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # the engines load lazily, at the command that needs them
    pass

#: Image files read from a folder, in name order.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp")


@click.command()
@click.option("--target", type=click.Choice(["face", "card"]), required=True)
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--lang", default="zh-CN", show_default=True, help="Language of the cue texts (unknown: zh-CN, and says so).")
@click.option("--camera", type=click.Choice(["front", "back"]), default=None,
              help="Camera facing (default: front for face, back for card). Frames must be as captured, not mirrored.")
@click.option("--side", type=click.Choice(["portrait", "emblem", "mrz"]), default=None, help="Card side expected.")
@click.option("--fps", type=float, default=10.0, show_default=True, help="Frame rate of a folder of frames.")
@click.option("--timeout-multiplier", type=float, default=1.0, show_default=True, help="Stretch every time limit.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def guide(target: str, source: Path, lang: str, camera: str | None, side: str | None, fps: float,
          timeout_multiplier: float, as_json: bool) -> None:
    """Print the phase, cue id, cue text and signal for each frame of SOURCE (a video or a folder of frames)."""
    from barrierfree.accessibility.profile import Profile
    from barrierfree.cli import emit_json, runtime
    from barrierfree.errors import BadInput

    if not fps > 0:
        raise BadInput("bad-fps", "--fps must be a positive number of frames a second.")
    if not source.exists():
        raise BadInput("file-not-found", f"No such file or folder: {source}")
    engines = runtime()
    the_guide = engines.guide(target, Profile(language=lang, timeout_multiplier=timeout_multiplier), camera=camera, expected_side=side)
    observe = engines.face_analyzer().observe if target == "face" else engines.card_finder.observe
    rows: list[dict[str, Any]] = []
    for index, name, frame, error in _frames(source, fps):
        if error is not None:
            row: dict[str, Any] = {"frame": index, "file": name, "error": error}
        else:
            guidance = the_guide.step(observe(frame), None, now_s=frame.timestamp_s)
            row = {"frame": index, "file": name, **guidance.to_dict()}
        rows.append(row)
        if not as_json:
            click.echo(_line(row))
    if not rows:
        raise BadInput("no-frames", f"{source} holds no frames (JPEG/PNG/WebP/BMP files, or a readable video).")
    captured = next((row["frame"] for row in rows if row.get("captured")), None)
    if as_json:
        emit_json({"target": target, "camera": the_guide.camera, "language": the_guide.language,
                   "frames": rows, "captured_frame": captured})


def _line(row: dict[str, Any]) -> str:
    if "error" in row:
        return f"{row['frame']:>5}  error {row['error']}"
    speak = row["speak"]["text"] if row["speak"] else ""
    signal = row["signal"]
    interval = "-" if signal["interval_s"] is None else f"{signal['interval_s']:.2f}s"
    return (f"{row['frame']:>5} {row['timestamp_s']:7.2f}s {row['phase']:<10} {row['cue']['id'] if row['cue'] else '-':<24} "
            f"{signal['mode']:<9} {interval:>6} {signal['pitch_hz']:6.0f}Hz pan {signal['pan']:+.2f}  {speak}")


def _frames(source: Path, fps: float) -> Iterator[tuple[int, str, Any, str | None]]:
    """(index, name, Frame or None, error code or None) for each frame, with timestamps in seconds."""
    from barrierfree.errors import BadInput
    from barrierfree.vision import frames

    if not source.exists():
        raise BadInput("file-not-found", f"No such file or folder: {source}")
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        for index, path in enumerate(files):
            try:
                yield index, path.name, frames.read(path, timestamp_s=index / fps), None
            except BadInput as error:  # one bad frame is reported, the rest still guided
                yield index, path.name, None, error.code
        return
    yield from _video(source)


def _video(path: Path) -> Iterator[tuple[int, str, Any, str | None]]:
    import cv2

    from barrierfree.errors import BadInput
    from barrierfree.vision import frames

    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise BadInput("not-a-video", f"{path} is neither a folder of frames nor a video OpenCV can read.")
    rate = capture.get(cv2.CAP_PROP_FPS) or 30.0
    index = 0
    try:
        while True:
            ok, bgr = capture.read()
            if not ok:
                break
            yield index, path.name, frames.from_array(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), index / rate), None
            index += 1
    finally:
        capture.release()


def register(group: click.Group) -> None:
    group.add_command(guide)
