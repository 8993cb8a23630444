"""The demo works with no master key configured, and says loudly that production must set one."""

import logging
import stat
from pathlib import Path

import pytest

from badgeforge.core.keys import KeyAlgorithm, generate_private_key
from badgeforge.settings import Settings
from badgeforge.signing import vault


def test_demo_master_key_is_generated_owner_only_and_warned_about_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    with caplog.at_level(logging.WARNING, logger="badgeforge.signing.vault"):
        first = vault.vault_from_settings(settings)
        second = vault.vault_from_settings(settings)
    warnings = [
        r.getMessage() for r in caplog.records if "BADGEFORGE_MASTER_KEYS" in r.getMessage()
    ]
    assert len(warnings) == 1
    assert "Production must set BADGEFORGE_MASTER_KEYS" in warnings[0]
    key_file = tmp_path / "data" / vault.MASTER_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.master_keys == second.master_keys  # the same key on every start
    token = first.seal(generate_private_key(KeyAlgorithm.ED25519))
    second.open(token)


def test_configured_master_keys_are_used_and_no_file_is_written(tmp_path: Path) -> None:
    keys = f"{vault.KeyVault.generate_master_key()},{vault.KeyVault.generate_master_key()}"
    settings = Settings(data_dir=tmp_path, master_keys=keys)
    assert vault.vault_from_settings(settings).master_keys == tuple(keys.split(","))
    assert not (tmp_path / vault.MASTER_KEY_FILE).exists()
