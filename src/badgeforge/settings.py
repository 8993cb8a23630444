"""Typed settings, read from ``BADGEFORGE_*`` environment variables (and ``.env``).

Settings are passed to :func:`badgeforge.app.create_app`; nothing imports a global instance.
"""

from pathlib import Path

from pydantic import AnyHttpUrl, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from badgeforge.resources import resource_dir

DEFAULT_DATA_DIR = Path("data")


class Settings(BaseSettings):
    """Every knob of the service, with defaults that run a demo on SQLite."""

    model_config = SettingsConfigDict(env_prefix="BADGEFORGE_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=DEFAULT_DATA_DIR,
        description="Where the embedded SQLite database lives (created on first start).",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means SQLite at <data_dir>/badgeforge.db.",
    )
    public_base_url: AnyHttpUrl = Field(
        default=AnyHttpUrl("http://localhost:8000"),
        description="Scheme, host and port under which public badge URLs are served.",
    )
    max_request_bytes: int = Field(default=1_048_576, gt=0, description="JSON body size cap.")
    max_image_bytes: int = Field(default=524_288, gt=0, description="Uploaded image size cap.")
    max_image_side: int = Field(default=2048, gt=0, description="Largest image width or height.")
    max_image_pixels: int = Field(default=4_194_304, gt=0, description="Largest width x height.")
    metrics_enabled: bool = Field(
        default=True,
        description="Serve Prometheus metrics at /metrics (bind the service to an internal "
        "network, or set a metrics token, when the metrics must stay private).",
    )
    metrics_token: SecretStr = Field(
        default=SecretStr(""),
        description="When set, /metrics needs 'Authorization: Bearer <this token>'.",
    )
    rate_limit_api: str = Field(
        default="3000/minute",
        description="Requests per API key to /api/v1 (all its routes together; per client "
        "address without a valid key), like '1200/minute'; answered 429 with Retry-After "
        "beyond. Each counted request costs one counter write. Empty: no per-key quota.",
    )
    render_workers: int = Field(
        default=2, gt=0, le=64, description="SVG render worker processes (started on demand)."
    )
    render_timeout_seconds: float = Field(
        default=5.0, gt=0, le=300, description="Wall-clock limit of one SVG render."
    )
    render_memory_bytes: int = Field(
        default=512 * 2**20,
        ge=64 * 2**20,
        description="Address-space limit (RLIMIT_AS) of a render worker process.",
    )
    badge_templates_dir: Path = Field(
        default=resource_dir("badge_templates"),
        description="Folder of SVG badge designs issuers can start from.",
    )
    master_keys: str = Field(
        default="",
        description="Comma-separated Fernet keys sealing issuers' private keys, newest first "
        "(the first encrypts, all decrypt). Empty: a key generated in <data_dir>/master.key, "
        "for the demo only.",
    )
    redis_url: str = Field(
        default="",
        description="Redis URL (redis://host:6379/0) for rate limit counters; empty: counted "
        "in the database. Either way every process and instance shares them.",
    )
    rate_limits: bool = Field(
        default=True,
        description="Enforce rate limits; false when a reverse proxy limits instead.",
    )
    rate_limit_verify: str = Field(
        default="300/minute",
        description="Anonymous verification requests per client address, like '120/minute'.",
    )
    rate_limit_verify_with_key: str = Field(
        default="3000/minute",
        description="Verification requests per API key (a valid key raises the limit).",
    )
    swagger_persist_authorization: bool = Field(
        default=False,
        description="Let Swagger UI keep the API key in the browser's localStorage across "
        "reloads. Off by default: the same origin serves user-uploaded images.",
    )
    outbound_allow_loopback: bool = Field(
        default=False,
        description="Let outbound fetches (verification of other badges, keys, DID documents, "
        "status lists) reach loopback (127.0.0.0/8, ::1): local development and tests only. "
        "Private, link-local and other internal addresses stay refused.",
    )
    outbound_connect_timeout_seconds: float = Field(
        default=5.0, gt=0, le=60, description="Outbound fetch: resolving and connecting."
    )
    outbound_read_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, description="Outbound fetch: longest wait for data."
    )
    outbound_total_timeout_seconds: float = Field(
        default=20.0, gt=0, le=300, description="Outbound fetch: wall clock, redirects included."
    )
    outbound_max_bytes: int = Field(
        default=2 * 1024 * 1024, gt=0, description="Outbound fetch: default response size cap."
    )
    outbound_max_redirects: int = Field(
        default=5, ge=0, le=5, description="Outbound fetch: redirects followed (each re-checked)."
    )
    outbound_per_host_concurrency: int = Field(
        default=4, gt=0, le=64, description="Outbound fetch: simultaneous fetches per host."
    )
    outbound_cache_entries: int = Field(
        default=256, ge=0, description="Outbound fetch: documents kept in memory (0: no cache)."
    )
    outbound_cache_max_seconds: float = Field(
        default=300.0,
        ge=0,
        le=86_400,
        description="Outbound fetch: longest reuse of a fetched document, whatever its "
        "Cache-Control says (so a revocation is seen within this delay).",
    )

    inprocess_worker: bool | None = Field(
        default=None,
        description="Run one background worker thread (webhook deliveries, periodic jobs) "
        "inside `badgeforge serve`/`demo`. Default: yes on SQLite, no on PostgreSQL (run "
        "`badgeforge worker` processes there).",
    )
    worker_poll_seconds: float = Field(
        default=1.0, gt=0, le=60, description="Worker: pause when no work source had work."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, description="Webhook delivery: wall clock of one attempt."
    )
    webhook_retry_delays_seconds: list[float] = Field(
        default=[5, 300, 1800, 7200, 18000, 36000, 36000, 36000, 36000, 36000, 36000],
        min_length=1,
        description="Webhook delivery: wait before each retry (jittered by +/-20%); after "
        "the last one fails, the endpoint is disabled. Default: about 2.8 days in all.",
    )
    webhook_concurrency: int = Field(
        default=8, gt=0, le=64, description="Webhook deliveries a worker sends at once."
    )
    expiry_scan_seconds: float = Field(
        default=60.0, gt=0, description="Worker: how often expired awards are looked for."
    )

    @field_validator("public_base_url")
    @classmethod
    def _no_path(cls, value: AnyHttpUrl) -> AnyHttpUrl:
        if value.path not in (None, "", "/") or value.query or value.fragment:
            raise ValueError("public_base_url must be scheme://host[:port] with no path")
        return value

    @property
    def base_url(self) -> str:
        """The public base URL without a trailing slash."""
        return str(self.public_base_url).rstrip("/")

    @property
    def resolved_database_url(self) -> str:
        """The database URL to connect to, defaulting to the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'badgeforge.db').resolve()}"
