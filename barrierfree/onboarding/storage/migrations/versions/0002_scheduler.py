"""scheduler: agents, skills, rules, bookings, queue, waitlist, rooms, reminders, outbox.

No double booking by construction: on PostgreSQL an exclusion constraint
forbids two live bookings (held or confirmed) of one agent whose
``[starts_at, blocked_until)`` ranges overlap (``btree_gist`` provides the
``=`` on the agent id inside a GiST index). On SQLite, which has no such
constraint, every booking runs in a ``BEGIN IMMEDIATE`` transaction with the
overlap check inside it; the partial unique index on (agent, start) of live
bookings is a second line of defence on both.

Revision ID: 0002_scheduler
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_scheduler"
down_revision = "0001_core"
branch_labels = ("scheduler",)
depends_on = None

_T = sa.DateTime(timezone=True)


def _customer() -> list[sa.Column]:
    return [sa.Column("customer_name", sa.Text, nullable=False), sa.Column("customer_contact", sa.Text, nullable=False)]


#: The skills every installation starts with (reference data; add more with a later migration).
_SKILLS = (
    ("csl", "sign_language", "Chinese Sign Language (common)", "中国手语（通用手语）"),
    ("csl-shanghai", "sign_language", "Shanghai sign language", "上海手语"),
    ("csl-cantonese", "sign_language", "Cantonese (Guangzhou) sign language", "广州手语"),
    ("zh-text", "language", "Written Chinese chat", "中文文字聊天"),
    ("en-text", "language", "Written English chat", "英文文字聊天"),
    ("captioning", "captioning", "Live captions", "实时字幕"),
    ("agent-female", "gender", "Female agent", "女性客服"),
    ("agent-male", "gender", "Male agent", "男性客服"),
)


def upgrade() -> None:
    skills = op.create_table(
        "sl_skills",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("label_en", sa.String(120), nullable=False),
        sa.Column("label_zh", sa.String(120), nullable=False),
    )
    op.bulk_insert(skills, [dict(zip(("code", "kind", "label_en", "label_zh"), row)) for row in _SKILLS])
    op.create_table(
        "sl_agents",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "sl_agent_skills",
        sa.Column("agent_id", sa.String(40), sa.ForeignKey("sl_agents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("skill_code", sa.String(40), sa.ForeignKey("sl_skills.code"), primary_key=True),
    )
    op.create_table(
        "sl_rules",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agent_id", sa.String(40), sa.ForeignKey("sl_agents.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("weekday", sa.Integer, nullable=False),
        sa.Column("start_local", sa.String(5), nullable=False),
        sa.Column("end_local", sa.String(5), nullable=False),
    )
    op.create_table(
        "sl_time_off",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agent_id", sa.String(40), sa.ForeignKey("sl_agents.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("starts_at", _T, nullable=False),
        sa.Column("ends_at", _T, nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name="sl_time_off_not_inverted"),
    )
    op.create_table(
        "sl_bookings",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("agent_id", sa.String(40), sa.ForeignKey("sl_agents.id"), nullable=False, index=True),
        sa.Column("skill_code", sa.String(40), sa.ForeignKey("sl_skills.code"), nullable=False),
        sa.Column("starts_at", _T, nullable=False, index=True),
        sa.Column("ends_at", _T, nullable=False),
        sa.Column("blocked_until", _T, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("held_until", _T, nullable=True),
        *_customer(),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=True, unique=True),
        sa.Column("request_fingerprint", sa.String(64), nullable=True),
        sa.Column("room_id", sa.String(32), nullable=False, unique=True),
        sa.Column("waitlist_id", sa.String(32), nullable=True),
        sa.Column("created_at", _T, nullable=False),
        sa.Column("updated_at", _T, nullable=False),
        sa.CheckConstraint("ends_at > starts_at AND blocked_until >= ends_at", name="sl_bookings_not_inverted"),
        sa.CheckConstraint(
            "status IN ('held','confirmed','completed','cancelled','no_show','expired')", name="sl_bookings_status"
        ),
    )
    op.create_index(
        "sl_bookings_live_start",
        "sl_bookings",
        ["agent_id", "starts_at"],
        unique=True,
        sqlite_where=sa.text("status IN ('held','confirmed')"),
        postgresql_where=sa.text("status IN ('held','confirmed')"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # btree_gist is a trusted extension (PostgreSQL 13+): the database owner
        # may create it. It goes into public so that per-schema deployments share it.
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public")
        op.execute(
            "ALTER TABLE sl_bookings ADD CONSTRAINT sl_bookings_no_overlap "
            "EXCLUDE USING gist (agent_id WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&) "
            "WHERE (status IN ('held', 'confirmed'))"
        )
    op.create_table(
        "sl_waitlist",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("skill_code", sa.String(40), sa.ForeignKey("sl_skills.code"), nullable=False),
        sa.Column("window_start", _T, nullable=False, index=True),
        sa.Column("window_end", _T, nullable=False),
        *_customer(),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("booking_id", sa.String(32), nullable=True),
        sa.Column("created_at", _T, nullable=False),
        sa.CheckConstraint("window_end > window_start", name="sl_waitlist_not_inverted"),
    )
    op.create_table(
        "sl_queue",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("skill_code", sa.String(40), sa.ForeignKey("sl_skills.code"), nullable=False, index=True),
        *_customer(),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False, index=True),
        sa.Column("claimed_by", sa.String(40), sa.ForeignKey("sl_agents.id"), nullable=True),
        sa.Column("claimed_at", _T, nullable=True),
        sa.Column("room_id", sa.String(32), nullable=False, unique=True),
        sa.Column("created_at", _T, nullable=False, index=True),
    )
    op.create_table(
        "sl_signals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("room_id", sa.String(32), nullable=False, index=True),
        sa.Column("sender", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", _T, nullable=False),
    )
    op.create_table(
        "sl_chat",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("room_id", sa.String(32), nullable=False, index=True),
        sa.Column("sender", sa.String(10), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", _T, nullable=False),
    )
    op.create_table(
        "sl_reminders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("booking_id", sa.String(32), sa.ForeignKey("sl_bookings.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("due_at", _T, nullable=False, index=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_at", _T, nullable=True),
        sa.Column("sent_at", _T, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
    )
    op.create_table(
        "sl_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("booking_id", sa.String(32), nullable=True, index=True),
        sa.Column("reminder_id", sa.Integer, nullable=True, unique=True),
        sa.Column("created_at", _T, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "sl_outbox", "sl_reminders", "sl_chat", "sl_signals", "sl_queue", "sl_waitlist",
        "sl_bookings", "sl_time_off", "sl_rules", "sl_agent_skills", "sl_agents", "sl_skills",
    ):
        op.drop_table(table)
