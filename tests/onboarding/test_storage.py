"""Storage: migrations, a round trip on SQLite and PostgreSQL, encryption at rest."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select, text
from sqlalchemy.orm import Session

from barrierfree.errors import BadInput, InternalError
from barrierfree.onboarding.storage import make_engine, upgrade
from barrierfree.onboarding.storage.crypto import EncryptedText, KeyRing, bind_keyring
from barrierfree.onboarding.storage.models import AuditEvent


def test_audit_event_survives_a_round_trip(db_engine):
    upgrade(db_engine)
    with Session(db_engine) as session:
        session.add(AuditEvent(subject="journey:abc", kind="card.read", details={"checks": ["mod11"], "passed": True}))
        session.commit()
    with Session(db_engine) as session:
        event = session.scalars(select(AuditEvent)).one()
        assert (event.subject, event.kind, event.details) == ("journey:abc", "card.read", {"checks": ["mod11"], "passed": True})
        assert event.at.tzinfo is not None or db_engine.dialect.name == "sqlite"


def test_upgrade_is_idempotent(db_engine):
    upgrade(db_engine)
    upgrade(db_engine)
    with db_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_events")).scalar_one() == 0


def test_encrypted_column_is_ciphertext_at_rest_and_survives_key_rotation(db_engine):
    old_key, new_key = KeyRing.generate_spec("old"), KeyRing.generate_spec("new")
    bind_keyring(db_engine, KeyRing.from_spec(old_key))
    table = Table("people", MetaData(), Column("id", Integer, primary_key=True), Column("name", EncryptedText("people.name")))
    table.metadata.create_all(db_engine)
    with db_engine.begin() as connection:
        connection.execute(table.insert().values(id=1, name="张三"))
    with db_engine.connect() as connection:
        raw = connection.execute(text("SELECT name FROM people")).scalar_one()
        assert "张三" not in raw and raw.startswith("v1.old.")
        assert connection.execute(select(table.c.name)).scalar_one() == "张三"
    # Rotation: the new key goes first and encrypts; the old one still decrypts.
    rotated = KeyRing.from_spec(f"{new_key},{old_key}")
    bind_keyring(db_engine, rotated)
    with db_engine.begin() as connection:
        assert connection.execute(select(table.c.name)).scalar_one() == "张三"
        assert rotated.needs_rotation(raw)
        connection.execute(table.update().values(name="张三"))
        assert connection.execute(text("SELECT name FROM people")).scalar_one().startswith("v1.new.")


def test_ciphertext_moved_to_another_column_does_not_decrypt():
    ring = KeyRing.from_spec(KeyRing.generate_spec())
    token = ring.encrypt("110105194912310021", context="id_number")
    with pytest.raises(InternalError, match="altered or moved"):
        ring.decrypt(token, context="name")


def test_bad_keys_and_urls_are_clear_errors():
    with pytest.raises(BadInput, match="32 bytes"):
        KeyRing.from_spec("k1:c2hvcnQ=")
    with pytest.raises(BadInput, match="not a SQLAlchemy URL"):
        make_engine("not a url")


def test_an_sqlite_file_is_in_wal_mode_without_an_fsync_at_every_commit(tmp_path):
    # WAL with synchronous=NORMAL: consistent after a crash, and a commit does not wait for the disk
    # (at FULL, every journey write waited for an fsync, the long tail on a shared disk).
    engine = make_engine(f"sqlite:///{tmp_path / 'bf.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1  # NORMAL
    engine.dispose()
