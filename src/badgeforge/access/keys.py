"""Where API keys are stored, for the platform's authentication (``security.KeyStore``).

``security`` (authentication), ``key_usage`` (last use) and ``ratelimit`` (the per-key
quota) are platform modules: they must not know the access domain's tables, so the app
gives them this store (``app.state.key_store``).
"""

from datetime import datetime
from uuid import UUID

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from badgeforge.access.models import ApiKey


class ApiKeyStore:
    """The ``api_key`` table, as :class:`badgeforge.security.KeyStore`."""

    def find(self, session: Session, prefix: str) -> ApiKey | None:
        """The key with this visible prefix (revoked ones included), or None."""
        key: ApiKey | None = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        return key

    def record_use(self, session: Session, key_id: UUID, now: datetime, since: datetime) -> None:
        """Set the key's last use to ``now`` unless one at ``since`` or later is recorded."""
        session.execute(
            update(ApiKey)
            .where(
                ApiKey.id == key_id,
                or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at <= since),
            )
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
