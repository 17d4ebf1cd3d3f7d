"""SQLite: adverts are added to the full-text index once per batch, not by a row trigger.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

The insert trigger indexed each advert inside the statement that inserted it, so a batch had
to be staged in a temporary table and copied with one ``INSERT ... SELECT`` (FTS5 writes a
segment per statement). The writer now inserts a batch straight into ``ads`` and indexes it
with one ``INSERT INTO ads_fts ... SELECT`` over the new rows, in the same transaction; the
copy through the staging table is gone. Deletes and updates keep their triggers. PostgreSQL's
generated ``tsv`` column is unaffected.
"""

from __future__ import annotations

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ads_fts_insert")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER ads_fts_insert AFTER INSERT ON ads BEGIN "
            "INSERT INTO ads_fts(rowid, title, body) VALUES (new.seq, new.title, new.body); END"
        )
