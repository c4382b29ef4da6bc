"""scheduler: seal customers' personal data to its row as well as its column (AES-GCM associated data).

Re-seals every ``v1`` (column-only) token of the scheduler tables as a ``v2``
token bound to its booking, waitlist entry, queue ticket, room or message
(see ``barrierfree.onboarding.storage.sealing``). Needs the encryption keys
only when such rows exist.

Revision ID: 0002r_scheduler_row_bound
Revises: 0002a_scheduler_agent_tokens
"""

from alembic import op

from barrierfree.onboarding.storage.sealing import reseal_table

revision = "0002r_scheduler_row_bound"
down_revision = "0002a_scheduler_agent_tokens"
branch_labels = None
depends_on = None

CUSTOMER = {"customer_name": "{table}.customer_name", "customer_contact": "{table}.customer_contact"}


def upgrade() -> None:
    connection = op.get_bind()
    for table in ("sl_bookings", "sl_waitlist"):
        reseal_table(connection, table, "id", ("id",), {column: context.format(table=table) for column, context in CUSTOMER.items()})
    reseal_table(connection, "sl_queue", "id", ("id",),
                 {"customer_name": "sl_queue.customer_name", "customer_contact": "sl_queue.customer_contact", "reason": "sl_queue.reason"})
    reseal_table(connection, "sl_chat", "id", ("room_id",), {"body": "sl_chat.body"})
    reseal_table(connection, "sl_outbox", "id", ("booking_id", "reminder_id"), {"recipient": "sl_outbox.recipient"})


def downgrade() -> None:
    """Row-bound tokens stay readable by this version only; there is no going back to column-only seals."""
    raise RuntimeError("0002r_scheduler_row_bound cannot be downgraded: it would weaken the seal of stored personal data.")
