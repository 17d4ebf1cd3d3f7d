"""Linking: per-advert signatures and keys, scored links, operations, analyst judgements.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

``link_signatures`` holds what linking needs of each advert (one row per advert, replaced when
it is re-scanned) and ``link_keys`` its blocking keys, indexed by key: new adverts find the
stored adverts they share a phone or a template band with through that index, without a pass
over the whole store. ``links`` and ``operations`` are the latest linking run's output, replaced
as a whole by a full run and in part by an incremental one; ``link_verdicts`` keeps how a full
run judged the widely shared keys (shared line or not), for incremental runs to reuse.
``judgements`` are analysts' words and are never replaced by a run: they are applied to every
later run.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _time(name: str, *, nullable: bool = True) -> sa.Column[object]:
    # ISO-8601 UTC text on SQLite, as in 0001
    kind = sa.DateTime(timezone=True).with_variant(sa.Text(), "sqlite")
    return sa.Column(name, kind, nullable=nullable)


def _ad_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["ad_id"], ["ads.id"], name=f"fk_{table}_ad_id_ads", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "link_signatures",
        sa.Column("ad_id", sa.Text(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        # a hash of the three above: a re-scan compares it to tell a changed signature
        sa.Column("digest", sa.Text(), nullable=False),
        # false until a linking run has weighed the advert: what an incremental run picks up
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("ad_id", name="pk_link_signatures"),
        _ad_fk("link_signatures"),
    )
    op.create_table(
        "link_keys",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("ad_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", "ad_id", name="pk_link_keys"),
        _ad_fk("link_keys"),
    )
    op.create_index("ix_link_signatures_linked", "link_signatures", ["linked"])
    op.create_index("ix_link_keys_ad_id", "link_keys", ["ad_id"])
    op.create_table(
        "link_verdicts",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("adverts", sa.Integer(), nullable=False),
        sa.Column("groups", sa.Integer(), nullable=False),
        sa.Column("concurrent", sa.Integer(), nullable=False),
        sa.Column("hub", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_link_verdicts"),
    )
    op.create_table(
        "links",
        sa.Column("a", sa.Text(), nullable=False),
        sa.Column("b", sa.Text(), nullable=False),
        sa.Column("weight", sa.Double(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("a", "b", name="pk_links"),
    )
    op.create_index("ix_links_b", "links", ["b"])
    op.create_table(
        "operations",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("risk", sa.Double(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        _time("first_posted"),
        _time("last_posted"),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        _time("linked_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_operations"),
    )
    op.create_index("ix_operations_rank", "operations", ["rank"])
    op.create_table(
        "operation_members",
        sa.Column("ad_id", sa.Text(), nullable=False),
        sa.Column("operation_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("ad_id", name="pk_operation_members"),
    )
    op.create_index("ix_operation_members_operation_id", "operation_members", ["operation_id"])
    op.create_table(
        "judgements",
        sa.Column("seq", _SEQ, primary_key=True),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("verdict", sa.Text(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("analyst", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _time("at", nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_judgements"),
    )
    op.create_index("ix_judgements_subject", "judgements", ["subject"])


def downgrade() -> None:
    for table in (
        "judgements",
        "operation_members",
        "operations",
        "links",
        "link_verdicts",
        "link_keys",
        "link_signatures",
    ):
        op.drop_table(table)
