"""Opening a store: URLs, errors an analyst can act on, migrations on open."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from threadline.errors import StoreError
from threadline.store import Store, open_store
from threadline.store.migrate import VERSION_TABLE, alembic_config, current_revisions
from threadline.store.schema import metadata

TABLES = {
    "ads",
    "identifiers",
    "flags",
    "assessments",
    "quarantine",
    "link_signatures",
    "link_keys",
    "link_verdicts",
    "links",
    "operations",
    "operation_members",
    "judgements",
    VERSION_TABLE,
}


def test_migrations_create_every_table_index_and_search(store_url: str) -> None:
    store = open_store(store_url)
    try:
        found = inspect(store.engine)
        assert set(found.get_table_names()) >= TABLES
        indexes = {ix["name"] for t in TABLES - {VERSION_TABLE} for ix in found.get_indexes(t)}
        assert {
            "ix_ads_posted_at",
            "ix_ads_source",
            "ix_identifiers_kind_value",
            "ix_identifiers_ad_id",
            "ix_flags_ad_id",
            "ix_flags_rule_id",
            "ix_flags_category",
            "ix_assessments_ad_id",
            "ix_assessments_score",
            "ix_link_keys_ad_id",
            "ix_links_b",
            "ix_operations_rank",
            "ix_operation_members_operation_id",
            "ix_judgements_subject",
        } <= indexes
        with store.engine.connect() as conn:
            assert current_revisions(conn) == {"0004"}
            if store.dialect == "sqlite":
                objects = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
                assert {"ads_fts", "ads_fts_delete", "ads_fts_update"} <= objects
                assert "ads_fts_insert" not in objects  # indexed once per batch (0003)
            else:
                tsv = conn.exec_driver_sql(
                    "SELECT is_generated FROM information_schema.columns "
                    "WHERE table_name = 'ads' AND column_name = 'tsv'"
                ).scalar_one()
                assert tsv == "ALWAYS"
                assert "ix_ads_tsv" in indexes | {
                    r[0] for r in conn.exec_driver_sql("SELECT indexname FROM pg_indexes")
                }
    finally:
        store.close()


def test_migrations_agree_with_the_schema_module(store: Store) -> None:
    def ours(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
        # full-text search objects live only in the migrations, by design
        return not (name or "").startswith(("ads_fts", "tsv", "ix_ads_tsv", VERSION_TABLE))

    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        context = MigrationContext.configure(
            conn, opts={"include_object": ours, "compare_type": False}
        )
        assert compare_metadata(context, metadata) == []


def test_reopening_is_idempotent_and_keeps_data(store_url: str, make_ad, make_doc) -> None:
    first = open_store(store_url)
    first.write_batch([make_doc(make_ad())], [])
    first.close()
    for _ in range(2):
        again = open_store(store_url)
        assert again.count_ads() == 1
        with again.engine.connect() as conn:
            assert current_revisions(conn) == {"0004"}
        again.close()


def test_downgrade_to_base_and_back(store_url: str) -> None:
    store = open_store(store_url)
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert not {"ads", "identifiers", "flags", "quarantine"} & set(
        inspect(store.engine).get_table_names()
    )
    store.close()
    reopened = open_store(store_url)
    assert reopened.count_ads() == 0
    assert reopened.search("passport") == []
    reopened.close()


def test_alembic_command_line_path(store_url: str) -> None:
    """``alembic -x url=...`` (no connection handed over) migrates through the same env.py."""
    cfg = alembic_config()
    cfg.cmd_opts = argparse.Namespace(x=[f"url={store_url}"])
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    store = open_store(store_url)
    assert store.count_ads() == 0
    store.close()


def test_a_store_from_a_newer_threadline_is_refused(store_url: str) -> None:
    open_store(store_url).close()
    store = open_store(store_url)
    with store.engine.begin() as conn:
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '9999'"))
    store.close()
    with pytest.raises(StoreError, match="newer Threadline"):
        open_store(store_url)


def test_sqlite_connection_settings(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    with store.engine.connect() as conn:
        pragma = conn.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar_one() == "wal"
        assert pragma("PRAGMA synchronous").scalar_one() == 1  # NORMAL
        assert pragma("PRAGMA foreign_keys").scalar_one() == 1
    store.close()


@pytest.mark.postgres
def test_postgres_scheme_is_rewritten_to_psycopg(pg_url: str) -> None:
    assert pg_url.startswith("postgresql://")
    store = open_store(pg_url)
    assert store.engine.dialect.driver == "psycopg"
    assert store.stats().backend.startswith("postgresql 1")
    store.close()


def test_default_url_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREADLINE_DB", f"sqlite:///{tmp_path / 'from-env.db'}")
    store = open_store()
    store.close()
    assert (tmp_path / "from-env.db").exists()
    monkeypatch.delenv("THREADLINE_DB")
    monkeypatch.chdir(tmp_path)
    open_store().close()
    assert (tmp_path / "threadline.db").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/db", "unsupported store URL scheme 'mysql'"),
        ("postgresql+psycopg2://u@h/db", "unsupported store URL scheme"),
        ("not a url", "not a database URL"),
        ("sqlite:///:memory:", "must be a file"),
        ("sqlite://", "must be a file"),
    ],
)
def test_bad_urls_raise_store_error(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        open_store(url)


def test_missing_sqlite_folder_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    with pytest.raises(StoreError, match=f"folder {missing} does not exist"):
        open_store(f"sqlite:///{missing / 'x.db'}")


def test_unreadable_sqlite_file_is_reported(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the SQLite store"):
        open_store(f"sqlite:///{bogus}")


def test_unreachable_server_says_where_and_why() -> None:
    with pytest.raises(StoreError) as raised:
        open_store("postgresql://postgres:secret@127.0.0.1:1/nothing")
    message = str(raised.value)
    assert "127.0.0.1:1" in message
    assert "server may be down" in message
    assert "secret" not in message


@pytest.mark.postgres
def test_password_is_hidden_in_store_url(pg_url: str) -> None:
    url = pg_url.replace("postgres@", "postgres:hunter2@")  # trust auth ignores it
    store = open_store(url)
    assert "hunter2" not in store.url
    store.close()
