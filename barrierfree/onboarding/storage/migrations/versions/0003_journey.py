"""journey: account-opening journeys, their liveness challenges and (if configured) kept images.

Revision ID: 0003_journey
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_journey"
down_revision = "0001_core"
branch_labels = ("journey",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journeys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("assistance", sa.String(16)),
        sa.Column("photosensitive", sa.Boolean, nullable=False),
        sa.Column("liveness_mode", sa.String(16), nullable=False),
        sa.Column("timeout_multiplier", sa.Float, nullable=False),
        sa.Column("step_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extensions", sa.Integer, nullable=False),
        sa.Column("failures", sa.JSON, nullable=False),
        sa.Column("paused_reason", sa.String(32)),
        sa.Column("help_requested", sa.String(32)),
        sa.Column("help_ticket", sa.String(64)),
        sa.Column("fields_sealed", sa.Text),
        sa.Column("checks", sa.JSON, nullable=False),
        sa.Column("document_types", sa.JSON, nullable=False),
        sa.Column("portrait_sealed", sa.Text),
        sa.Column("selfie_sealed", sa.Text),
        sa.Column("liveness", sa.JSON, nullable=False),
        sa.Column("match", sa.JSON, nullable=False),
        sa.Column("account_number", sa.String(32), unique=True),
        sa.Column("opened_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "journey_challenges",
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("journey_id", sa.String(32), sa.ForeignKey("journeys.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("spec", sa.JSON, nullable=False),
    )
    op.create_table(
        "journey_images",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("journey_id", sa.String(32), sa.ForeignKey("journeys.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delete_after", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("data_sealed", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("journey_images")
    op.drop_table("journey_challenges")
    op.drop_table("journeys")
