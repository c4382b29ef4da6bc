"""Write frames as a ``.y4m`` video: the format Chromium's fake camera plays.

``--use-file-for-fake-video-capture=clip.y4m`` makes ``getUserMedia`` return
this video, looped, at the frame rate in its header. Frames are RGB uint8
arrays of one even size (4:2:0 chroma needs even sides); they are converted
to planar I420 with OpenCV's BT.601 conversion, which is what Chromium expects.

>>> import numpy as np, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "grey.y4m"
>>> write_y4m(path, [np.full((48, 64, 3), 128, np.uint8)] * 3, fps=8)
PosixPath('...grey.y4m')
>>> header, frames = read_y4m_header(path)
>>> header, frames
('YUV4MPEG2 W64 H48 F8:1 Ip A1:1 C420jpeg', 3)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from barrierfree.errors import BadInput


def _i420(rgb: np.ndarray) -> bytes:
    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2YUV_I420).tobytes()


def write_y4m(path: str | Path, frames: Iterable[np.ndarray], fps: int = 8) -> Path:
    """Write ``frames`` (RGB uint8, all one even size) to ``path`` at ``fps`` frames a second."""
    path = Path(path)
    size = None
    with path.open("wb") as out:
        for frame in frames:
            frame = np.asarray(frame)
            if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
                raise BadInput("bad-video-frame", f"Frames must be (H, W, 3) uint8 RGB, got {frame.shape} {frame.dtype}.")
            if size is None:
                size = frame.shape[:2]
                if size[0] % 2 or size[1] % 2:
                    raise BadInput("bad-video-frame", f"4:2:0 video needs even sides; got {size[1]}×{size[0]}.")
                out.write(f"YUV4MPEG2 W{size[1]} H{size[0]} F{int(fps)}:1 Ip A1:1 C420jpeg\n".encode())
            elif frame.shape[:2] != size:
                raise BadInput("bad-video-frame", "Every frame of a video must have the same size.")
            out.write(b"FRAME\n" + _i420(frame))
    if size is None:
        raise BadInput("empty-video", "A video needs at least one frame.")
    return path


def read_y4m_header(path: str | Path) -> tuple[str, int]:
    """The header line and the number of frames of a ``.y4m`` file (to check what was written)."""
    data = Path(path).read_bytes()
    header, _, body = data.partition(b"\n")
    fields = {part[:1]: part[1:] for part in header.split(b" ")[1:]}
    width, height = int(fields[b"W"]), int(fields[b"H"])
    frame_bytes = len(b"FRAME\n") + width * height * 3 // 2
    return header.decode(), len(body) // frame_bytes
