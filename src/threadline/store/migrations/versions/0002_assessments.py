"""Assessments: each advert's risk score and its explanation, apart from its flags.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Flags are what an advert states; an assessment is what Threadline infers from them (EU Law
Enforcement Directive, art. 7), so it has a table of its own. One row per advert and scoring
stage; ``contributions`` keeps the whole explanation as JSON, in the order it is shown.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("ad_id", sa.Text(), nullable=False),
        sa.Column("domain", sa.Text(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column("job_fraud", sa.Double()),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("contributions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_assessments"),
        sa.ForeignKeyConstraint(
            ["ad_id"], ["ads.id"], name="fk_assessments_ad_id_ads", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_assessments_ad_id", "assessments", ["ad_id"])
    # the triage order: highest risk first
    op.create_index("ix_assessments_score", "assessments", ["score"])
    op.create_index("ix_flags_category", "flags", ["category"])


def downgrade() -> None:
    op.drop_index("ix_flags_category", table_name="flags")
    op.drop_table("assessments")
