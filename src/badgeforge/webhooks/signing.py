"""Endpoint secrets (``whsec_…``) sealed at rest, and Standard Webhooks signatures.

Signing is the ``standardwebhooks`` package's: HMAC-SHA256 over ``id.timestamp.body``,
``v1,<base64>``; during a rotation's overlap each valid secret adds its signature to the
space-separated ``webhook-signature`` header, so receivers holding either secret verify.
"""

import base64
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import select
from sqlalchemy.orm import Session
from standardwebhooks.webhooks import Webhook

from badgeforge.core.keys import KeyVault
from badgeforge.webhooks.models import WebhookEndpoint

SECRET_PREFIX = "whsec_"  # noqa: S105 - the marker of Standard Webhooks secrets


def new_secret() -> str:
    """A new random signing secret (24 bytes), as shown once to the endpoint's owner."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def _fernet(vault: KeyVault) -> MultiFernet:
    return MultiFernet([Fernet(master_key) for master_key in vault.master_keys])


def seal(vault: KeyVault, secret: str) -> bytes:
    """``secret`` encrypted under the first master key."""
    return _fernet(vault).encrypt(secret.encode("ascii"))


def unseal(vault: KeyVault, token: bytes) -> str:
    """The secret inside ``token`` (any configured master key opens it)."""
    return _fernet(vault).decrypt(token).decode("ascii")


def reseal_all(session: Session, vault: KeyVault) -> int:
    """Re-encrypt every endpoint secret under the vault's first master key; the count."""
    count = 0
    for endpoint in session.scalars(select(WebhookEndpoint)):
        endpoint.secret_sealed = vault.rotate(endpoint.secret_sealed)
        count += 1
        if endpoint.previous_secret_sealed is not None:
            endpoint.previous_secret_sealed = vault.rotate(endpoint.previous_secret_sealed)
    session.flush()
    return count


def headers(
    message_id: str, body: str, signing_secrets: Sequence[str], at: datetime | None = None
) -> dict[str, str]:
    """``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` for ``body``."""
    at = at or datetime.now(UTC)
    signatures = [Webhook(secret).sign(message_id, at, body) for secret in signing_secrets]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
