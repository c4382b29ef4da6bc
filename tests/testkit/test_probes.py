"""The probe images ``barrierfree doctor`` ships are the ones the test kit makes from code."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from testkit import probes


def test_the_shipped_probes_are_what_testkit_probes_writes(tmp_path):
    written = probes.write(tmp_path)
    shipped = Path(str(resources.files("barrierfree") / "assets" / "probe"))
    assert sorted(p.name for p in written) == sorted(p.name for p in shipped.iterdir())
    for path in written:
        assert path.read_bytes() == (shipped / path.name).read_bytes(), f"{path.name}: run python -m testkit.probes"


def test_doctor_reads_its_probes_from_the_package():
    from barrierfree.doctor import probe_image

    face, line = probe_image("face.jpg"), probe_image("ocr-line.png")
    assert face.shape == (probes.FACE_SIDE_PX, probes.FACE_SIDE_PX, 3)
    assert line.ndim == 3 and line.shape[2] == 3 and line.shape[1] > line.shape[0]
