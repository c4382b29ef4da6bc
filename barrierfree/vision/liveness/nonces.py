"""Used challenge nonces: a challenge can be answered once.

:class:`NonceStore` is the interface the web layer implements over its
database (one row per nonce with a unique key makes ``claim`` atomic);
:class:`InMemoryNonceStore` serves one process, :class:`JsonFileNonceStore`
the command line.

>>> store = InMemoryNonceStore()
>>> store.claim("abc", expires_at=4e9), store.claim("abc", expires_at=4e9)
(True, False)
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol


class NonceStore(Protocol):
    """Remembers used nonces. The web layer backs this with its database."""

    def claim(self, nonce: str, expires_at: float) -> bool:
        """Mark ``nonce`` used; True the first time, False ever after (atomically)."""
        ...


class InMemoryNonceStore:
    """A process-local :class:`NonceStore` (forgets nonces once they have expired)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._used: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def claim(self, nonce: str, expires_at: float) -> bool:
        with self._lock:
            now = self._clock()
            for old in [n for n, until in self._used.items() if until < now]:
                del self._used[old]
            if nonce in self._used:
                return False
            self._used[nonce] = expires_at
            return True


class JsonFileNonceStore:
    """A :class:`NonceStore` in a JSON file, for the CLI (one machine; file-locked)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def claim(self, nonce: str, expires_at: float) -> bool:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            try:
                used = json.loads(handle.read() or "{}")
            except json.JSONDecodeError:
                used = {}
            now = time.time()
            used = {n: until for n, until in used.items() if until >= now}
            fresh = nonce not in used
            used[nonce] = expires_at
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(used))
            return fresh


_DEFAULT_STORE = InMemoryNonceStore()


def default_store() -> InMemoryNonceStore:
    """The process's in-memory store, used when a verifier is given none."""
    return _DEFAULT_STORE
