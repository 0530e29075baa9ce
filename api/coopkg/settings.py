"""The one settings class. No other module reads the environment."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
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
    max_body: int = Field(1_000_000, gt=0, description="Bytes a query request body may have.")
    max_upload: int = Field(
        32 * 1024 * 1024, gt=0, description="Bytes an upload to /validate may have (32 MB by default)."
    )
    validate_timeout: float = Field(
        300.0,
        gt=0,
        le=86_400,
        description="Seconds one validation may run; then its process is killed (freeing the CPU).",
    )
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
    search_dir: Path | None = Field(
        None,
        description=(
            "Directory for the search index files, one per data version, shared by every process that serves "
            "or searches the same data (and kept across restarts). Default: none, the index is built in the "
            "gateway's memory at start-up."
        ),
    )
    catalogue_programmes: int = Field(
        256,
        ge=1,
        le=1_000_000,
        description=(
            "Programmes whose commitments each process keeps in memory for pages and listings, read on "
            "first use (the most recently used are kept). A page or listing spanning more programmes than "
            "this reads every commitment once and keeps them (docs/scaling.md)."
        ),
    )
    cache_mb: int = Field(
        64,
        ge=0,
        le=65_536,
        description="MB of rendered answers (SPARQL GETs, IRI pages) kept in memory per process; 0 is off.",
    )

    # -- a fair public endpoint (SECURITY.md "Per-client limits"; coopkg.store.fair_queue) -------------------
    client_concurrency: int = Field(
        4,
        ge=0,
        le=10_000,
        description=(
            "Requests one client may have with queries waiting or running at once (a page's queries count "
            "once); more are 429. 0 is no limit."
        ),
    )
    client_budget: float = Field(
        60.0,
        ge=0,
        description=(
            "Seconds of query-worker time one client may use per minute (a bucket refilled continuously, "
            "charged with the time each query actually took); past it, 429. 0 is no limit."
        ),
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description=(
            "Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For is believed: the client "
            "is then the nearest hop not in this list. Empty: the client is the connection's address."
        ),
    )
    queue_limit: int = Field(
        64, ge=0, description="Queries that may wait for a worker at once; beyond it, 503 at once."
    )
    light_workers: int = Field(
        1,
        ge=0,
        le=64,
        description=(
            "Workers kept for queries predicted cheap (heavy ones never take the last ones); needs "
            "COOPKG_WORKERS above it."
        ),
    )
    light_query_time: float = Field(
        0.5,
        gt=0,
        description=(
            "Seconds a query predicted cheap may run on a kept worker before it counts as heavy "
            "(it is then moved, or stopped and queued again as heavy)."
        ),
    )
    public_url: str | None = Field(
        None,
        description=(
            "The gateway's public origin (e.g. https://kg.example.org): the base of every absolute link, "
            "Link header and JSON-LD @context URL, whatever Host a request names."
        ),
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "Host names (with :port when not the default port) requests may name besides "
            "COOPKG_PUBLIC_URL's; a request naming another is 400. Empty and no public URL: any host."
        ),
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _trusted_proxies_are_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry.strip(), strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/8)"
                ) from None
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url_is_a_base(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError("must be an http(s) URL without query or fragment, e.g. https://kg.example.org")
        if "@" in parts.netloc:
            raise ValueError("must not contain credentials")
        if parts.path not in ("", "/"):
            raise ValueError(
                "must be an origin without a path (serving under a path prefix is not supported)"
            )
        return value.rstrip("/")
