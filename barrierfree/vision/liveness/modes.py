"""One protocol for the three liveness modes: ``issue`` a challenge, ``verify`` the answer.

Flash, active and passive liveness differ in what they ask of the person, not in
how a caller uses them: each mode is a :class:`Liveness` with the same two verbs,

- ``issue(session_id) -> challenge`` (a frozen dataclass with ``nonce``,
  ``session_id``, ``expires_at`` and ``to_dict()``; ``challenge_from(doc)`` reads
  one back), and
- ``verify(challenge, frames, session_id=..., store=..., timeout_multiplier=...,
  shown_s=...) -> LivenessVerdict`` (arguments a mode has no use for are ignored).

:func:`liveness_modes` builds the table of all three for one :class:`FaceSettings`,
so a caller (the journey, the CLI, a bank's own code) dispatches by mode name
instead of branching on it. The modes wrap :mod:`.flash`, :mod:`.active` and
:mod:`.passive`, which stay the reference implementations.

>>> modes = liveness_modes(FaceSettings())
>>> sorted(modes), modes["active"].issue("s1").session_id
(['active', 'flash', 'passive'], 's1')
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Protocol

from barrierfree.errors import BadInput
from barrierfree.settings.face import FaceSettings
from barrierfree.vision.frames import Frame
from barrierfree.vision.liveness import active, flash, passive
from barrierfree.vision.liveness.nonces import NonceStore, default_store
from barrierfree.vision.liveness.verdict import LivenessVerdict


class Challenge(Protocol):
    """What every mode's challenge offers (read-only: challenges are frozen)."""

    @property
    def nonce(self) -> str: ...

    @property
    def session_id(self) -> str: ...

    @property
    def expires_at(self) -> float: ...

    def to_dict(self) -> dict[str, Any]: ...


class Liveness(Protocol):
    """One liveness mode: the same verbs for flash, active and passive."""

    @property
    def mode(self) -> str:
        """``flash``, ``active`` or ``passive``: the verdict's mode and the challenge's ``kind``."""

    def issue(self, session_id: str) -> Challenge: ...

    def challenge_from(self, doc: Mapping[str, Any]) -> Challenge: ...

    def verify(self, challenge: Any, frames: Sequence[Frame], *, session_id: str | None = None,
               store: NonceStore | None = None, timeout_multiplier: float = 1.0,
               shown_s: Sequence[float] | None = None) -> LivenessVerdict: ...


@dataclass(frozen=True)
class FlashLiveness:
    """Colour-flash reflection (:mod:`.flash`); ``shown_s`` says when each colour really appeared."""

    settings: FaceSettings
    mode: ClassVar[str] = "flash"

    def issue(self, session_id: str) -> flash.FlashChallenge:
        return flash.issue(session_id, self.settings)

    def challenge_from(self, doc: Mapping[str, Any]) -> flash.FlashChallenge:
        return flash.FlashChallenge.from_dict(doc)

    def verify(self, challenge: flash.FlashChallenge, frames: Sequence[Frame], *, session_id: str | None = None,
               store: NonceStore | None = None, timeout_multiplier: float = 1.0,
               shown_s: Sequence[float] | None = None) -> LivenessVerdict:
        return flash.FlashVerifier(self.settings, store).verify(challenge, frames, session_id, shown_s)


@dataclass(frozen=True)
class ActiveLiveness:
    """Blink / turn / open mouth / nod (:mod:`.active`); ``timeout_multiplier`` widens its time windows."""

    settings: FaceSettings
    mode: ClassVar[str] = "active"

    def issue(self, session_id: str) -> active.ActiveChallenge:
        return active.issue_active(session_id, self.settings)

    def challenge_from(self, doc: Mapping[str, Any]) -> active.ActiveChallenge:
        return active.ActiveChallenge.from_dict(doc)

    def verify(self, challenge: active.ActiveChallenge, frames: Sequence[Frame], *, session_id: str | None = None,
               store: NonceStore | None = None, timeout_multiplier: float = 1.0,
               shown_s: Sequence[float] | None = None) -> LivenessVerdict:
        return active.verify_active(challenge, frames, session_id, settings=self.settings, store=store,
                                    timeout_multiplier=timeout_multiplier)


@dataclass(frozen=True)
class PassiveChallenge:
    """A passive check asks nothing of the person; its challenge only binds the answer to a session, once, in time."""

    nonce: str
    session_id: str
    issued_at: float
    expires_at: float

    def to_dict(self) -> dict[str, Any]:
        return dict(asdict(self), kind="passive", version=1)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> PassiveChallenge:
        try:
            return cls(str(doc["nonce"]), str(doc["session_id"]), float(doc["issued_at"]), float(doc["expires_at"]))
        except (KeyError, TypeError, ValueError):
            raise BadInput("bad-challenge", "The challenge is not a passive-liveness challenge document; issue a new one.") from None


@dataclass(frozen=True)
class PassiveLiveness:
    """Image evidence with no action (:mod:`.passive`). ``verify`` with ``challenge=None`` checks a clip on its own."""

    settings: FaceSettings
    clock: Callable[[], float] = time.time
    mode: ClassVar[str] = "passive"

    def issue(self, session_id: str) -> PassiveChallenge:
        issued = self.clock()
        return PassiveChallenge(secrets.token_urlsafe(16), session_id, issued, issued + self.settings.flash_challenge_ttl_s)

    def challenge_from(self, doc: Mapping[str, Any]) -> PassiveChallenge:
        return PassiveChallenge.from_dict(doc)

    def verify(self, challenge: PassiveChallenge | None, frames: Sequence[Frame], *, session_id: str | None = None,
               store: NonceStore | None = None, timeout_multiplier: float = 1.0,
               shown_s: Sequence[float] | None = None) -> LivenessVerdict:
        if challenge is not None:
            if session_id is not None and not secrets.compare_digest(challenge.session_id, session_id):
                return LivenessVerdict.refused(self.mode, "liveness.challenge_other_session")
            if self.clock() > challenge.expires_at:
                return LivenessVerdict.refused(self.mode, "liveness.challenge_expired")
            if not (store if store is not None else default_store()).claim(challenge.nonce, challenge.expires_at):
                return LivenessVerdict.refused(self.mode, "liveness.challenge_reused")
        return passive.verify_passive(frames, self.settings)


def liveness_modes(settings: FaceSettings) -> dict[str, Liveness]:
    """Every mode, by name, bound to ``settings``."""
    return {"flash": FlashLiveness(settings), "active": ActiveLiveness(settings), "passive": PassiveLiveness(settings)}


def challenge_from(modes: Mapping[str, Liveness], doc: Any) -> tuple[Liveness, Challenge]:
    """The mode a challenge document names (``kind``; a document without one is a flash challenge) and the challenge."""
    kind = doc.get("kind", "flash") if isinstance(doc, Mapping) else "flash"
    mode = modes.get(str(kind))
    if mode is None:
        raise BadInput("bad-challenge", f"Unknown liveness challenge kind {kind!r}; use one of {', '.join(sorted(modes))}.")
    return mode, mode.challenge_from(doc)
