"""The root settings object; each area's thresholds are a section of their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from barrierfree.settings.device import DeviceSettings
from barrierfree.settings.document import DocumentSettings
from barrierfree.settings.face import FaceSettings
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.settings.onboarding import MOVED_FROM_WEB as ONBOARDING_FROM_WEB
from barrierfree.settings.onboarding import OnboardingSettings
from barrierfree.settings.scheduler import SchedulerSettings
from barrierfree.settings.voice import MOVED_FROM_WEB as VOICE_FROM_WEB
from barrierfree.settings.voice import VoiceSettings
from barrierfree.settings.web import WebSettings

#: Sections that took over fields of the web section, with the fields each took.
_MOVED_FROM_WEB = {"onboarding": ONBOARDING_FROM_WEB, "voice": VOICE_FROM_WEB}


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "barrierfree"


class Settings(BaseSettings):
    """Everything configurable, with defaults that work for the demo."""

    model_config = SettingsConfigDict(
        env_prefix="BARRIERFREE_", env_nested_delimiter="__", frozen=True, extra="forbid"
    )

    #: Where the demo keeps its SQLite database, keys and (if configured) images.
    data_dir: Path = Field(default_factory=_default_data_dir)
    #: SQLAlchemy URL; empty means ``sqlite:///<data_dir>/barrierfree.db``.
    database_url: str = ""
    #: Comma-separated ``key_id:base64(32 bytes)``; the first encrypts, all decrypt.
    #: Empty means the demo generates one key into ``<data_dir>/keys``.
    encryption_keys: str = ""
    #: Threads each ONNX/OCR session may use (1 keeps latency steady under load).
    ocr_threads: int = Field(default=1, ge=1, le=64)
    #: The OCR engine: ``pp-ocrv4`` (rapidocr-onnxruntime 1.4.4, the default) or ``pp-ocrv6`` (rapidocr
    #: 3.10, the optional extra ocr-v6). benchmarks/documents_engines.py, 40 photos: v6 read 178/180 fields,
    #: v4 176/180 (no significant difference) at about 15% more CPU per card, so v4 stays the default.
    ocr_engine: Literal["pp-ocrv4", "pp-ocrv6"] = "pp-ocrv4"
    #: Largest image accepted, in megapixels; bigger ones are refused before decoding.
    max_image_megapixels: float = Field(default=40.0, gt=0)
    #: Largest encoded image accepted, in bytes.
    max_image_bytes: int = Field(default=20_000_000, gt=0)
    log_level: str = "INFO"

    device: DeviceSettings = Field(default_factory=DeviceSettings)
    document: DocumentSettings = Field(default_factory=DocumentSettings)
    face: FaceSettings = Field(default_factory=FaceSettings)
    guidance: GuidanceSettings = Field(default_factory=GuidanceSettings)
    onboarding: OnboardingSettings = Field(default_factory=OnboardingSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    voice: VoiceSettings = Field(default_factory=VoiceSettings)
    web: WebSettings = Field(default_factory=WebSettings)

    @model_validator(mode="before")
    @classmethod
    def _moved_from_web(cls, data: Any) -> Any:
        """Keep the old names working: ``BARRIERFREE_WEB__STEP_TIME_LIMIT_S`` (or ``web={...}``) still
        sets ``onboarding.step_time_limit_s``; the new name wins when both are given."""
        if not isinstance(data, dict) or not isinstance(data.get("web"), dict):
            return data
        web = dict(data["web"])
        data = dict(data)
        for section, names in _MOVED_FROM_WEB.items():
            moved = {name: web.pop(name) for name in list(web) if name in names}
            if moved:
                current = data.get(section) or {}
                if isinstance(current, dict):
                    data[section] = {**moved, **current}
                else:  # a section object was passed: it wins, as a new-name setting would
                    data[section] = current
        data["web"] = web
        return data

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'barrierfree.db'}"
