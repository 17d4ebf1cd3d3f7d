"""Typed settings from ``THREADLINE_*`` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings read from the environment (``THREADLINE_DB``, ``THREADLINE_BATCH_SIZE``...)."""

    model_config = SettingsConfigDict(env_prefix="THREADLINE_", extra="ignore")

    db: str = Field(
        default="sqlite:///threadline.db",
        description="SQLAlchemy URL of the store: sqlite:///file.db or postgresql://...",
    )
    batch_size: int = Field(
        default=20_000,
        ge=1,
        description="Records per transaction: large batches amortise index and full-text "
        "updates (an interrupted ingest redoes at most one batch).",
    )
    max_field_chars: int = Field(
        default=1_000_000,
        ge=1000,
        description="A record with a longer text field is quarantined, not stored.",
    )
    default_region: str = Field(
        default="US", description="Region assumed for phone numbers without a country code."
    )


def load_settings() -> Settings:
    return Settings()
