"""Personal data sealed to its row as well as its column (AES-GCM associated data).

:class:`~barrierfree.onboarding.storage.crypto.EncryptedText` binds a value
to its column, so a value moved to another column fails to decrypt. A value
moved to another *row* of the same column (one journey's identity fields
pasted into another journey, one customer's contact into another's booking)
would still decrypt. :class:`RowSealedText` closes that: its associated data
is ``<column context> \\x1f <row key>``, where the row key is the row's id (or,
for rows numbered by the database, the id of what they belong to: a
journey's image is bound to its journey, a chat line to its room). Tokens are
labelled ``v2``; the ``0002r``/``0003r`` migrations re-seal older ``v1`` rows.

The binding happens in ORM events, because a column type alone never sees
the row: :func:`seal_rows` wraps a model's new values as :class:`RowBound`
strings just before they are written, and opens the stored tokens when a row
is loaded or refreshed. Writing a sealed column with a Core statement (no row
known) is refused rather than sealed without a row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.attributes import set_committed_value

from barrierfree.errors import InternalError
from barrierfree.onboarding.storage.crypto import ROW_BOUND_VERSION, EncryptedText, KeyRing, keyring_of

#: Separates the column context from the row key in the associated data.
SEPARATOR = "\x1f"


class RowBound(str):
    """A plaintext string that knows the row it belongs to (it compares and prints as the plain string)."""

    row: str

    def __new__(cls, value: str, row: str) -> RowBound:
        bound = super().__new__(cls, value)
        bound.row = row
        return bound


class Sealed(str):
    """A stored token not opened yet (the ORM's load event opens it with the row's key)."""


def associated_data(context: str, row: str) -> str:
    return f"{context}{SEPARATOR}{row}"


def row_key(values: Sequence[object]) -> str:
    """The row key from the key columns' values (``None`` as empty).

    >>> row_key(["b1", None]), row_key(["j1"])
    ('b1/', 'j1')
    """
    return "/".join("" if value is None else str(value) for value in values)


def seal(ring: KeyRing, plaintext: str, context: str, row: str) -> str:
    return ring.encrypt(plaintext, context=associated_data(context, row), version=ROW_BOUND_VERSION)


def open_sealed(ring: KeyRing, token: str, context: str, row: str) -> str:
    if not token.startswith(ROW_BOUND_VERSION + "."):
        raise InternalError("undecryptable", "A stored value is in the old, column-only format; run `barrierfree db upgrade`.")
    return ring.decrypt(token, context=associated_data(context, row))


class RowSealedText(EncryptedText):
    """A text column sealed to its column (``context``) and its row (see :func:`seal_rows`)."""

    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201
        if value is None:
            return None
        if isinstance(value, Sealed):
            return str(value)  # an unopened token written back unchanged
        if not isinstance(value, RowBound):
            raise InternalError("unbound-sealed-value", f"{self.context} is sealed to its row: write it through the ORM model.")
        return seal(keyring_of(dialect), str(value), self.context, value.row)

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201
        return None if value is None else Sealed(value)


def seal_rows(model: type, key_columns: Sequence[str], before_insert: Callable[[object], None] | None = None) -> None:
    """Bind ``model``'s :class:`RowSealedText` columns to the row key made of ``key_columns``.

    ``before_insert`` may fill a key column the database would otherwise fill too late (a generated id).
    """
    mapper: Mapper[Any] = inspect(model)
    sealed = {attr.key: attr.columns[0].type.context for attr in mapper.column_attrs
              if isinstance(attr.columns[0].type, RowSealedText)}

    def key_of(target: object) -> str:
        return row_key([getattr(target, name) for name in key_columns])

    def bind(target: object, only_changed: bool) -> None:
        row = key_of(target)
        state = inspect(target)
        for name in sealed:
            value = getattr(target, name)
            if value is None or isinstance(value, Sealed):
                continue
            if only_changed and not state.attrs[name].history.has_changes() and getattr(value, "row", None) == row:
                continue
            if not (isinstance(value, RowBound) and value.row == row):
                setattr(target, name, RowBound(str(value), row))

    def on_insert(_mapper, _connection, target) -> None:  # noqa: ANN001
        if before_insert is not None:
            before_insert(target)
        bind(target, only_changed=False)

    def on_update(_mapper, _connection, target) -> None:  # noqa: ANN001
        bind(target, only_changed=True)

    def open_all(target, query, *_args) -> None:  # noqa: ANN001, ANN002 - the instance and its QueryContext
        row, ring = key_of(target), None
        for name, context in sealed.items():
            value = target.__dict__.get(name)
            if isinstance(value, Sealed):
                ring = ring or keyring_of(query.session.get_bind().dialect)
                set_committed_value(target, name, RowBound(open_sealed(ring, value, context, row), row))

    event.listen(model, "before_insert", on_insert)
    event.listen(model, "before_update", on_update)
    event.listen(model, "load", open_all)
    event.listen(model, "refresh", open_all)


def reseal_table(connection, table: str, primary_key: str, key_columns: Sequence[str], contexts: dict[str, str]) -> int:  # noqa: ANN001
    """Re-seal a table's ``v1`` (column-only) tokens as row-bound ``v2`` tokens; the number of values re-sealed.

    For migrations: reads and writes raw tokens with Core, so it needs no model.
    The keyring is asked for only when there is something to re-seal.
    """
    from sqlalchemy import text

    columns = ", ".join(dict.fromkeys([primary_key, *key_columns, *contexts]))
    rows = connection.execute(text(f"SELECT {columns} FROM {table}")).mappings().all()
    done, ring = 0, None
    for row in rows:
        changes = {}
        for column, context in contexts.items():
            token = row[column]
            if token and token.startswith("v1."):
                ring = ring or keyring_of(connection.dialect)
                changes[column] = seal(ring, ring.decrypt(token, context=context), context, row_key([row[k] for k in key_columns]))
        if changes:
            assignments = ", ".join(f"{column} = :{column}" for column in changes)
            connection.execute(text(f"UPDATE {table} SET {assignments} WHERE {primary_key} = :pk"), {**changes, "pk": row[primary_key]})
            done += len(changes)
    return done
