"""Encryption at rest for personal data (names, ID numbers, addresses, contacts).

AES-256-GCM from ``cryptography``. A :class:`KeyRing` holds named keys; the
first one encrypts, every one decrypts, so keys rotate by putting a new key
first and re-encrypting rows at leisure (:meth:`KeyRing.needs_rotation`).
A token is ``v1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>``; the column
name is bound in as associated data, so a value moved to another column fails
to decrypt rather than leaking.

:class:`EncryptedText` is the SQLAlchemy column type that does this
transparently with the keyring bound to the database engine (:func:`bind_keyring`,
or ``make_engine(url, keyring=...)``): an object passed in by whoever opens the
database, not a process-wide global, so two apps in one process may hold different keys.

>>> ring = KeyRing.from_spec("k1:" + "A" * 43 + "=")
>>> token = ring.encrypt("张三", context="name")
>>> token.startswith("v1.k1.") and ring.decrypt(token, context="name")
'张三'
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from barrierfree.errors import BadInput, InternalError

_NONCE_BYTES = 12
_VERSION = "v1"
#: Tokens whose associated data binds the row as well as the column (:mod:`.sealing`).
ROW_BOUND_VERSION = "v2"
_VERSIONS = (_VERSION, ROW_BOUND_VERSION)


class KeyRing:
    """Named AES-256 keys; ``keys[0]`` is the one that encrypts."""

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise BadInput("no-encryption-key", "No encryption key is configured; set BARRIERFREE_ENCRYPTION_KEYS.")
        for key_id, key in keys:
            if len(key) != 32 or not key_id.isalnum():
                raise BadInput(
                    "bad-encryption-key",
                    "Each key in BARRIERFREE_ENCRYPTION_KEYS must be 'id:base64' with an alphanumeric id and 32 bytes of key.",
                )
        self.primary_id = keys[0][0]
        self._keys = {key_id: AESGCM(key) for key_id, key in keys}

    @classmethod
    def from_spec(cls, spec: str) -> KeyRing:
        """Parse ``id:base64key,id2:base64key2`` (the setting's format)."""
        keys = []
        for item in filter(None, (part.strip() for part in spec.split(","))):
            key_id, _, encoded = item.partition(":")
            try:
                keys.append((key_id, base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))))
            except ValueError:
                raise BadInput("bad-encryption-key", f"Key {key_id!r} in BARRIERFREE_ENCRYPTION_KEYS is not base64.") from None
        return cls(keys)

    @staticmethod
    def generate_spec(key_id: str = "k1") -> str:
        """A new random key in the setting's format."""
        return f"{key_id}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"

    def encrypt(self, plaintext: str, *, context: str = "", version: str = _VERSION) -> str:
        """Seal ``plaintext`` with ``context`` as associated data; ``version`` only labels what the context binds."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._keys[self.primary_id].encrypt(nonce, plaintext.encode("utf-8"), context.encode())
        return f"{version}.{self.primary_id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, context: str = "") -> str:
        try:
            version, key_id, payload = token.split(".", 2)
            raw = base64.urlsafe_b64decode(payload)
            cipher = self._keys[key_id]
        except (ValueError, KeyError):
            raise InternalError("undecryptable", "A stored value uses an unknown key or format; was a key removed?") from None
        if version not in _VERSIONS:
            raise InternalError("undecryptable", f"Unknown encryption format {version!r}.")
        try:
            return cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode()).decode("utf-8")
        except InvalidTag:
            raise InternalError("undecryptable", "A stored value failed authentication; it was altered or moved.") from None

    def needs_rotation(self, token: str) -> bool:
        """True when ``token`` was sealed with a key other than the primary one."""
        return token.split(".", 2)[1] != self.primary_id


#: The attribute of an engine's dialect that holds its keyring (a column type sees only the dialect).
_DIALECT_KEYRING = "barrierfree_keyring"


def bind_keyring(engine: Engine, keyring: KeyRing) -> Engine:
    """Let ``engine``'s :class:`EncryptedText` columns (and every engine derived from it) use ``keyring``."""
    setattr(engine.dialect, _DIALECT_KEYRING, keyring)
    return engine


def keyring_of(dialect: Dialect) -> KeyRing:
    """The keyring bound to the engine whose dialect this is; refused when none was."""
    keyring = getattr(dialect, _DIALECT_KEYRING, None)
    if keyring is None:
        raise BadInput("no-encryption-key", "No encryption key is configured; set BARRIERFREE_ENCRYPTION_KEYS.")
    return keyring


def keyring_from_settings(encryption_keys: str, data_dir: Path) -> KeyRing:
    """The configured keys, or the key ``barrierfree demo`` generated into ``data_dir/keys``.

    Nothing here generates a key: only the demo does (a key made up by a command
    would encrypt data that the server's configured key cannot read).
    """
    if encryption_keys:
        return KeyRing.from_spec(encryption_keys)
    demo_key = data_dir / "keys"
    if demo_key.is_file():
        return KeyRing.from_spec(demo_key.read_text().strip())
    raise BadInput("no-encryption-key", "No encryption key is configured; set BARRIERFREE_ENCRYPTION_KEYS.")


class EncryptedText(TypeDecorator):
    """A text column stored AES-GCM-encrypted; ``context`` binds it to its column."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201
        return None if value is None else keyring_of(dialect).encrypt(value, context=self.context)

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201
        return None if value is None else keyring_of(dialect).decrypt(value, context=self.context)
