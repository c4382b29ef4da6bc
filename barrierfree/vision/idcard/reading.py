"""What reading one identity document produced: :class:`DocumentReading`.

A reading carries the recognised fields, a confidence per field, and every
validation as a named :class:`Check`. Callers decide with :attr:`DocumentReading.valid`;
a field whose check failed is still returned (the person may correct it), but the
reading is then not valid, so a wrong ID number is never handed on as a right one.

Images are RGB uint8 arrays: ``card_image`` is the card rectified to its printed
shape (upright, reading order), ``portrait`` the photo area of the card (``None``
when the side has no photo). Both are kept out of :meth:`DocumentReading.to_json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

DocumentType = Literal[
    "cn_resident_id_front", "cn_resident_id_back", "mrz_td1", "mrz_td2", "mrz_td3", "unknown"
]
DOCUMENT_TYPES: tuple[str, ...] = (
    "cn_resident_id_front", "cn_resident_id_back", "mrz_td1", "mrz_td2", "mrz_td3", "unknown",
)
#: The two sides of one card (the other side of either is a wrong side, not a wrong document).
CN_RESIDENT_ID_SIDES: frozenset[str] = frozenset({"cn_resident_id_front", "cn_resident_id_back"})
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Check:
    """One named validation: ``passed`` and a PII-free ``detail`` saying why.

    A failed ``"error"`` check makes the reading invalid; a failed ``"warning"``
    (for example a retired region code, which old cards legitimately carry) does not.

    >>> Check("id_number_check_digit", True, "MOD 11-2 check digit matches").as_dict()["passed"]
    True
    """

    name: str
    passed: bool
    detail: str
    severity: Severity = "error"
    #: The reading field the check is about (``id_number``, ``valid_to``...), so that the journey
    #: can mark it without parsing the name; ``None`` for a check on the whole card
    #: (``not_expired``, ``pair_complete``, ``label_rows_consistent``, an MRZ composite digit).
    field: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "passed": self.passed, "detail": self.detail, "severity": self.severity,
                "field": self.field}


@dataclass(frozen=True, eq=False)
class DocumentReading:
    """The result of :func:`barrierfree.vision.idcard.read_document`."""

    document_type: DocumentType
    fields: Mapping[str, str] = field(default_factory=dict)
    #: Recognition confidence per field, 0..1 (the weakest character line behind it).
    field_confidence: Mapping[str, float] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    #: Why the document is ``unknown`` (a stable slug and a sentence), else ``None``.
    reason: str | None = None
    #: The stable slug alone (``no-card``, ``card-cut-off``, ``unreadable``), else ``None``.
    reason_code: str | None = None
    card_image: np.ndarray | None = None
    portrait: np.ndarray | None = None
    timing_ms: float = 0.0
    #: Per field, the share of fused frames that read the value kept (empty for a single frame).
    field_agreement: Mapping[str, float] = field(default_factory=dict)

    @property
    def confidence(self) -> float:
        """The lowest field confidence (0 when nothing was read)."""
        return min(self.field_confidence.values(), default=0.0)

    @property
    def valid(self) -> bool:
        """True when a document was read and every error-severity check passed."""
        return self.document_type != "unknown" and all(
            check.passed for check in self.checks if check.severity == "error"
        )

    def check(self, name: str) -> Check | None:
        """The check called ``name``, if it was run."""
        return next((check for check in self.checks if check.name == name), None)

    def to_json(self) -> dict[str, object]:
        """The CLI/API shape: no images, fields as strings, confidences rounded."""
        document: dict[str, object] = {
            "document_type": self.document_type,
            "fields": dict(self.fields),
            "field_confidence": {name: round(value, 3) for name, value in self.field_confidence.items()},
            "checks": [check.as_dict() for check in self.checks],
            "valid": self.valid,
            "confidence": round(self.confidence, 3),
            "timing_ms": round(self.timing_ms, 1),
        }
        if self.reason:
            document["reason"] = self.reason
        if self.field_agreement:
            document["field_agreement"] = {name: round(value, 3) for name, value in self.field_agreement.items()}
        return document
