"""journey: seal personal data to its row as well as its column (AES-GCM associated data).

Re-seals every ``v1`` (column-only) token of the journey tables as a ``v2``
token bound to its journey (see ``barrierfree.onboarding.storage.sealing``).
Needs the encryption keys only when such rows exist.

Revision ID: 0003r_journey_row_bound
Revises: 0003_journey
"""

from alembic import op

from barrierfree.onboarding.storage.sealing import reseal_table

revision = "0003r_journey_row_bound"
down_revision = "0003_journey"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    reseal_table(connection, "journeys", "id", ("id",),
                 {"fields_sealed": "journey.fields", "portrait_sealed": "journey.portrait", "selfie_sealed": "journey.selfie"})
    reseal_table(connection, "journey_images", "id", ("journey_id",), {"data_sealed": "journey.image"})


def downgrade() -> None:
    """Row-bound tokens stay readable by this version only; there is no going back to column-only seals."""
    raise RuntimeError("0003r_journey_row_bound cannot be downgraded: it would weaken the seal of stored personal data.")
