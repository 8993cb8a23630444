"""The master keys that seal issuers' private keys, from settings or the demo's key file.

Production sets ``BADGEFORGE_MASTER_KEYS`` (comma-separated Fernet keys, newest first).
Without it, a master key is generated once into ``<data dir>/master.key`` (owner-only)
and a warning says that production must set one: the demo then needs no configuration.
"""

import logging
import os
from pathlib import Path

from badgeforge.core.keys import KeyVault
from badgeforge.settings import Settings

logger = logging.getLogger(__name__)
MASTER_KEY_FILE = "master.key"
_WARNED: set[str] = set()


def _key_file_master_key(data_dir: Path) -> str:
    path = data_dir / MASTER_KEY_FILE
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    master_key = KeyVault.generate_master_key()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(master_key + "\n")
    return master_key


def vault_from_settings(settings: Settings) -> KeyVault:
    """The key vault for ``settings`` (KeyUnavailable if a configured key is malformed)."""
    configured = tuple(key.strip() for key in settings.master_keys.split(",") if key.strip())
    if configured:
        return KeyVault(configured)
    path = str(settings.data_dir / MASTER_KEY_FILE)
    if path not in _WARNED:  # once per process and key file, not at every use
        _WARNED.add(path)
        logger.warning(
            "BADGEFORGE_MASTER_KEYS is not set: signing keys are sealed with %s. "
            "Production must set BADGEFORGE_MASTER_KEYS and keep it out of the data directory.",
            path,
        )
    return KeyVault((_key_file_master_key(settings.data_dir),))
