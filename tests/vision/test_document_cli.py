"""``barrierfree ocr`` on a batch mixing good photos with every kind of bad input."""

from __future__ import annotations

import json
from datetime import date

from PIL import Image

from barrierfree.cli import main
from testkit.cards import CameraPose, empty_table, random_photo

TODAY = date(2026, 11, 29)  # pinned: the generators' draws depend on the date


def _write_batch(folder):
    files = {}
    files["front.jpg"] = random_photo(1, "cn_resident_id_front", today=TODAY).jpeg()
    files["empty.jpg"] = b""
    files["text.jpg"] = "这不是图片, not an image".encode()
    whole = random_photo(2, "cn_resident_id_back", today=TODAY).jpeg()
    files["truncated.jpg"] = whole[: len(whole) // 3]
    for name, data in files.items():
        (folder / name).write_bytes(data)
    # 7200 × 7000 = 50.4 megapixels (1-bit, so the test stays light); the limit is 40.
    Image.new("1", (7200, 7000)).save(folder / "huge.png")
    # 14000 × 14000 = 196 megapixels: Pillow's decompression-bomb guard fires on the header.
    Image.new("1", (14000, 14000)).save(folder / "bomb.png")
    Image.fromarray(empty_table(3, (1280, 960), "wood")).save(folder / "table.png")
    cut = random_photo(5, "cn_resident_id_front", pose=CameraPose(distance_mm=140, offset_mm=(0, 52), focal_px=1024),
                       background_kind="wood", today=TODAY)
    (folder / "cut.jpg").write_bytes(cut.jpeg())
    (folder / "back.jpg").write_bytes(whole)
    return ["front.jpg", "empty.jpg", "text.jpg", "truncated.jpg", "huge.png", "bomb.png", "table.png",
            "cut.jpg", "missing.jpg", "back.jpg"]


def test_a_bad_batch_reports_each_file_and_reads_the_rest(tmp_path, capsys, monkeypatch):
    names = _write_batch(tmp_path)
    monkeypatch.chdir(tmp_path)
    status = main(["ocr", "--json", *names])
    captured = capsys.readouterr()
    documents = json.loads(captured.out)  # stdout holds exactly one JSON document
    assert [d["file"] for d in documents] == names
    by_name = {d["file"]: d for d in documents}
    assert by_name["front.jpg"]["document_type"] == "cn_resident_id_front" and by_name["front.jpg"]["valid"]
    assert by_name["back.jpg"]["document_type"] == "cn_resident_id_back" and by_name["back.jpg"]["valid"]
    assert by_name["front.jpg"]["fields"]["id_number"] == random_photo(1, "cn_resident_id_front", today=TODAY).fields["id_number"]
    codes = {name: by_name[name].get("error", {}).get("code") for name in names}
    assert codes["empty.jpg"] == "empty-image"
    assert codes["text.jpg"] == "not-an-image"
    assert codes["truncated.jpg"] == "truncated-image"
    assert codes["huge.png"] == "image-too-large" and "MP" in by_name["huge.png"]["error"]["detail"]
    assert codes["bomb.png"] == "image-too-large"
    assert codes["missing.jpg"] == "file-not-found"
    assert by_name["table.png"]["document_type"] == "unknown" and by_name["table.png"]["reason"].startswith("no-card:")
    assert by_name["cut.jpg"]["document_type"] == "unknown" and by_name["cut.jpg"]["reason"].startswith("card-cut-off:")
    for document in documents:
        assert set(document) >= {"file", "document_type", "fields", "checks", "confidence", "timing_ms"}
        for check in document["checks"]:
            assert set(check) >= {"name", "passed", "detail"}
    assert status == 2  # some files were bad input
    assert "6 of 10 file(s) could not be read" in captured.err
    assert "Traceback" not in captured.err


def test_plain_output_is_one_line_per_file(tmp_path, capsys):
    path = tmp_path / "front.jpg"
    path.write_bytes(random_photo(1, "cn_resident_id_front", today=TODAY).jpeg())
    assert main(["ocr", str(path)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "cn_resident_id_front valid" in out[0]
