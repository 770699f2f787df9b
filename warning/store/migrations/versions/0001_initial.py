"""Initial schema: crises, alerts, escalation state, timers, outbox, delivery attempts,
acknowledgements, checklist items, statement approvals, detector feedback, workers and
the append-only, hash-chained audit log (with triggers refusing changes to it).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Every instant is stored with its zone (SQLite: naive UTC text, see warning.store.types).
TS = sa.DateTime(timezone=True)
GENESIS = "0" * 64

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END",
)
_PG_TRIGGERS = (
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)


def _append_only() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _PG_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "crises",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=False),
        sa.Column("crisis_type", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("closed_by", sa.String(length=100), nullable=True),
        sa.Column("playbook_version", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crises")),
    )
    op.create_index(
        "uq_crises_open_brand_type",
        "crises",
        ["brand", "crisis_type"],
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.create_table(
        "scheduler_state",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_state")),
    )
    op.create_table(
        "workers",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("heartbeat_at", TS, nullable=False),
        sa.Column("stopped_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workers")),
    )
    op.create_table(
        "acknowledgements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("crisis_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("person", sa.String(length=100), nullable=True),
        sa.Column("slack_user", sa.String(length=100), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("promise_until", TS, nullable=True),
        sa.Column("item", sa.String(length=200), nullable=True),
        sa.Column("request_id", sa.String(length=300), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_acknowledgements_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgements")),
        sa.UniqueConstraint("request_id", name=op.f("uq_acknowledgements_request_id")),
    )
    op.create_index(
        op.f("ix_acknowledgements_crisis_id"), "acknowledgements", ["crisis_id"], unique=False
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("crisis_id", sa.Integer(), nullable=True),
        sa.Column("dedup_key", sa.String(length=300), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("fired_at", TS, nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_alerts_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint(
            "dedup_key", "severity", "fired_at", name=op.f("uq_alerts_dedup_key_severity_fired_at")
        ),
    )
    op.create_index(op.f("ix_alerts_crisis_id"), "alerts", ["crisis_id"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("crisis_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_audit_log_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_log_prev_hash")),
    )
    op.create_index(op.f("ix_audit_log_crisis_id"), "audit_log", ["crisis_id"], unique=False)
    op.create_table(
        "checklist_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("crisis_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=100), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("owners", sa.JSON(), nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("done_at", TS, nullable=True),
        sa.Column("done_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_checklist_items_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_items")),
        sa.UniqueConstraint(
            "crisis_id", "item_key", name=op.f("uq_checklist_items_crisis_id_item_key")
        ),
    )
    op.create_index(
        op.f("ix_checklist_items_crisis_id"), "checklist_items", ["crisis_id"], unique=False
    )
    op.create_table(
        "escalation_state",
        sa.Column("crisis_id", sa.Integer(), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("episode", sa.Integer(), nullable=False),
        sa.Column("level_index", sa.Integer(), nullable=False),
        sa.Column("shift_seconds", sa.Double(), nullable=False),
        sa.Column("acked_by", sa.String(length=100), nullable=True),
        sa.Column("acked_at", TS, nullable=True),
        sa.Column("promise_until", TS, nullable=True),
        sa.Column("ack_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_escalation_state_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("crisis_id", name=op.f("pk_escalation_state")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(length=300), nullable=False),
        sa.Column("crisis_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("blocks", sa.JSON(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("thread_of", sa.String(length=300), nullable=True),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("person", sa.String(length=100), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("round", sa.Integer(), nullable=True),
        sa.Column("episode", sa.Integer(), nullable=True),
        sa.Column("fallback_address", sa.String(length=300), nullable=True),
        sa.Column("enqueued_at", TS, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", TS, nullable=True),
        sa.Column("first_failure_at", TS, nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("fallback_sent", sa.Boolean(), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", TS, nullable=True),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("slack_channel", sa.String(length=100), nullable=True),
        sa.Column("slack_ts", sa.String(length=100), nullable=True),
        sa.Column("closed_reason", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_outbox_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_idempotency_key")),
    )
    op.create_index(op.f("ix_outbox_crisis_id"), "outbox", ["crisis_id"], unique=False)
    op.create_index("ix_outbox_status_priority", "outbox", ["status", "priority"], unique=False)
    op.create_table(
        "statement_approvals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("crisis_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.String(length=200), nullable=False),
        sa.Column("person", sa.String(length=100), nullable=False),
        sa.Column("slack_user", sa.String(length=100), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_statement_approvals_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_approvals")),
        sa.UniqueConstraint(
            "crisis_id",
            "statement_id",
            "person",
            name=op.f("uq_statement_approvals_crisis_id_statement_id_person"),
        ),
    )
    op.create_index(
        op.f("ix_statement_approvals_crisis_id"), "statement_approvals", ["crisis_id"], unique=False
    )
    op.create_table(
        "timers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("crisis_id", sa.Integer(), nullable=True),
        sa.Column("episode", sa.Integer(), nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("fired_at", TS, nullable=True),
        sa.Column("fired_by", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_timers_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timers")),
        sa.UniqueConstraint("key", name=op.f("uq_timers_key")),
    )
    op.create_index(op.f("ix_timers_crisis_id"), "timers", ["crisis_id"], unique=False)
    op.create_index("ix_timers_status_due_at", "timers", ["status", "due_at"], unique=False)
    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.Column("reconcile", sa.Boolean(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("retry_after", sa.Double(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_delivery_attempts_outbox_id_outbox")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempts")),
    )
    op.create_index(
        op.f("ix_delivery_attempts_outbox_id"), "delivery_attempts", ["outbox_id"], unique=False
    )
    op.create_table(
        "detector_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("crisis_id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=False),
        sa.Column("crisis_type", sa.String(length=100), nullable=False),
        sa.Column("detector", sa.String(length=200), nullable=False),
        sa.Column("detector_params", sa.JSON(), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("fired_at", TS, nullable=False),
        sa.Column("dedup_key", sa.String(length=300), nullable=False),
        sa.Column("verdict", sa.String(length=30), nullable=False),
        sa.Column("marked_by", sa.String(length=100), nullable=False),
        sa.Column("marked_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_detector_feedback_alert_id_alerts")
        ),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_detector_feedback_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detector_feedback")),
        sa.UniqueConstraint(
            "alert_id", "verdict", name=op.f("uq_detector_feedback_alert_id_verdict")
        ),
    )
    op.create_index(
        op.f("ix_detector_feedback_crisis_id"), "detector_feedback", ["crisis_id"], unique=False
    )
    head = sa.table(
        "audit_head",
        sa.column("id", sa.Integer),
        sa.column("seq", sa.Integer),
        sa.column("hash", sa.String),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])
    _append_only()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.drop_index(op.f("ix_detector_feedback_crisis_id"), table_name="detector_feedback")
    op.drop_table("detector_feedback")
    op.drop_index(op.f("ix_delivery_attempts_outbox_id"), table_name="delivery_attempts")
    op.drop_table("delivery_attempts")
    op.drop_index("ix_timers_status_due_at", table_name="timers")
    op.drop_index(op.f("ix_timers_crisis_id"), table_name="timers")
    op.drop_table("timers")
    op.drop_index(op.f("ix_statement_approvals_crisis_id"), table_name="statement_approvals")
    op.drop_table("statement_approvals")
    op.drop_index("ix_outbox_status_priority", table_name="outbox")
    op.drop_index(op.f("ix_outbox_crisis_id"), table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("escalation_state")
    op.drop_index(op.f("ix_checklist_items_crisis_id"), table_name="checklist_items")
    op.drop_table("checklist_items")
    op.drop_index(op.f("ix_audit_log_crisis_id"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_alerts_crisis_id"), table_name="alerts")
    op.drop_table("alerts")
    op.drop_index(op.f("ix_acknowledgements_crisis_id"), table_name="acknowledgements")
    op.drop_table("acknowledgements")
    op.drop_table("workers")
    op.drop_table("scheduler_state")
    op.drop_index(
        "uq_crises_open_brand_type",
        table_name="crises",
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.drop_table("crises")
    op.drop_table("audit_head")
