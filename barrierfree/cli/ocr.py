"""``barrierfree ocr IMAGE... [--json]``: read identity documents from photos.

Each image is read on its own: a file that is missing, empty, truncated, not an
image, too large or a decompression bomb gets an ``error`` object with a
stable ``code`` and what to do, a photo with no readable card gets
``document_type: "unknown"`` and a ``reason``; either way the rest of the batch
is still read. ``--json`` prints one JSON list, an object per image, in order:
``file``, ``document_type``, ``fields``, ``checks`` (``{name, passed, detail,
severity, field}``), ``valid``, ``confidence``, ``field_confidence``, ``timing_ms``.
The exit status is 2 when any file was bad input, else 0.
"""

from __future__ import annotations

import time
from datetime import date

import click


def _read_one(path: str, engines, today: date | None) -> dict[str, object]:  # noqa: ANN001 - Runtime
    from barrierfree.errors import BarrierFreeError
    from barrierfree.vision.frames import read

    settings = engines.settings
    started = time.perf_counter()
    try:
        frame = read(path, max_megapixels=settings.max_image_megapixels, max_bytes=settings.max_image_bytes)
        reading = engines.read_document(frame, today=today)
    except BarrierFreeError as error:
        if error.exit_code == 3:  # an engine that cannot run fails the whole batch the same way
            raise
        return {"file": path, "document_type": "unknown", "fields": {}, "checks": [], "valid": False,
                "confidence": 0.0, "timing_ms": round((time.perf_counter() - started) * 1000, 1),
                "error": {"code": error.code, "detail": error.detail}}
    document = {"file": path, **reading.to_json()}
    document["timing_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return document


def _line(document: dict[str, object]) -> str:
    if "error" in document:
        error = document["error"]
        assert isinstance(error, dict)
        return f"{document['file']}: error {error['code']}: {error['detail']}"
    if document["document_type"] == "unknown":
        return f"{document['file']}: unknown: {document.get('reason', '')}"
    fields = document["fields"]
    assert isinstance(fields, dict)
    checks = document["checks"]
    assert isinstance(checks, list)
    failed = [c["name"] for c in checks if not c["passed"] and c["severity"] == "error"]
    verdict = "valid" if document["valid"] else f"NOT valid ({', '.join(failed)})"
    values = "; ".join(f"{name}={value}" for name, value in fields.items())
    return f"{document['file']}: {document['document_type']} {verdict} [{document['timing_ms']} ms] {values}"


@click.command()
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list, an object per image.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date for the expiry checks (default: today).")
def ocr(images: tuple[str, ...], as_json: bool, today) -> None:  # noqa: ANN001 - click's datetime
    """Read ID cards (PRC resident ID, both sides) and ICAO 9303 MRZ documents from photos."""
    from barrierfree.cli import emit_json, runtime

    engines = runtime()
    day = today.date() if today else None
    documents = []
    for path in images:
        document = _read_one(path, engines, day)
        documents.append(document)
        if not as_json:
            click.echo(_line(document))
    if as_json:
        emit_json(documents)
    bad = sum("error" in document for document in documents)
    if bad:
        # BadInput rather than click's Exit: the entry point turns it into one stderr line and status 2.
        from barrierfree.errors import BadInput

        raise BadInput("bad-images", f"{bad} of {len(documents)} file(s) could not be read as images; see their 'error' entries.")


def register(group: click.Group) -> None:
    group.add_command(ocr)
