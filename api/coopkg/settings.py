"""The one settings class. No other module reads the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Gateway settings, from `COOPKG_*` environment variables, a `.env` file, or CLI flags."""

    model_config = SettingsConfigDict(env_prefix="COOPKG_", env_file=".env", extra="ignore")

    host: str = Field("127.0.0.1", description="Interface uvicorn binds to.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port (0 picks a free one).")
    store: Literal["oxigraph", "remote"] = Field("oxigraph", description="Query backend.")
    remote_query_url: str | None = Field(None, description="SPARQL 1.1 query endpoint of the remote store.")
    remote_user: str | None = Field(None, description="User for `coopkg load --to` (Graph Store writes).")
    remote_password: SecretStr | None = Field(None, description="Password of COOPKG_REMOTE_USER.")
    remote_profile: Literal["auto", "oxigraph", "virtuoso", "generic"] = Field(
        "auto",
        description=(
            "Engine behind COOPKG_REMOTE_QUERY_URL; `auto` recognises it from its Server header. Set it only "
            "when a proxy hides that header (docs/remote-backend.md)."
        ),
    )
    data: list[Path] = Field(
        default_factory=list,
        description="RDF files or directories to serve instead of the shipped graph.",
    )
    query_timeout: float = Field(
        10.0, gt=0, le=3600, description="Seconds a query may run before it is stopped."
    )
    max_rows: int = Field(
        10_000, gt=0, description="Rows (or triples) returned at most; the cut is signalled."
    )
    max_body: int = Field(1_000_000, gt=0, description="Bytes a request body (query or upload) may have.")
    service_allow: list[str] = Field(
        default_factory=list,
        description="IRI prefixes SERVICE may call; empty means federation is off.",
    )
    workers: int = Field(2, ge=1, le=64, description="Query worker processes.")
    store_dir: Path | None = Field(
        None,
        description=(
            "Directory of an on-disk store, built at start-up or reused when built from the same data (fast "
            "restarts, small memory). Default: none, the data is held in memory (faster queries)."
        ),
    )
    memory_mb: int | None = Field(
        None,
        ge=0,
        description=(
            "MB the in-memory store may take: data estimated to need more is kept in an on-disk store in a "
            "temporary directory instead (when COOPKG_STORE_DIR is not set). Default: 3/4 of the memory "
            "available at start-up."
        ),
    )
    cache_mb: int = Field(
        64,
        ge=0,
        le=65_536,
        description="MB of rendered answers (SPARQL GETs, IRI pages) kept in memory per process; 0 is off.",
    )
