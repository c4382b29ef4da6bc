"""scheduler: each agent has a token of their own, stored as a SHA-256 hash.

The token (256 random bits) identifies the agent who acts on the agents' API
and console, so an agent can act only on their own bookings and tickets. A
fast hash is enough for a value that random: it cannot be guessed, and the
hash can be looked up through a unique index.

Revision ID: 0002a_scheduler_agent_tokens
Revises: 0002_scheduler
"""

import sqlalchemy as sa
from alembic import op

revision = "0002a_scheduler_agent_tokens"
down_revision = "0002_scheduler"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sl_agents", sa.Column("token_hash", sa.String(64), nullable=True))
    op.create_index("sl_agents_token_hash", "sl_agents", ["token_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("sl_agents_token_hash", table_name="sl_agents")
    op.drop_column("sl_agents", "token_hash")
