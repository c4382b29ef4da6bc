"""scheduler: one-time sign-in links for the agent console.

An agent (or a supervisor) asks for a link; opening it once signs the browser
in with a session cookie, so no agent token is ever put in a URL. Only the
link code's SHA-256 is stored; ``used_at`` makes it single-use.

Revision ID: 0002b_scheduler_console_links
Revises: 0002a_scheduler_agent_tokens
"""

import sqlalchemy as sa
from alembic import op

revision = "0002b_scheduler_console_links"
down_revision = "0002a_scheduler_agent_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sl_console_links",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("agent_id", sa.String(40), sa.ForeignKey("sl_agents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("supervisor", sa.Boolean, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("sl_console_links")
