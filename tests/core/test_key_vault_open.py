"""Opening sealed keys, which happens at every award: no RSA re-check of the vault's own keys."""

import pytest
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256

from badgeforge.core.keys import KeyVault, load_private_key, private_key_pem


def _inconsistent_rsa_key() -> rsa.RSAPrivateKey:
    """A 2048-bit RSA key whose CRT exponent dP is wrong (OpenSSL's check refuses it)."""
    numbers = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_numbers()
    broken = rsa.RSAPrivateNumbers(
        p=numbers.p,
        q=numbers.q,
        d=numbers.d,
        dmp1=numbers.dmp1 + 2,
        dmq1=numbers.dmq1,
        iqmp=numbers.iqmp,
        public_numbers=numbers.public_numbers,
    )
    return broken.private_key(unsafe_skip_rsa_key_validation=True)


def test_untrusted_pem_is_still_checked() -> None:
    with pytest.raises(ValueError, match="Invalid private key"):
        load_private_key(private_key_pem(_inconsistent_rsa_key()))


def test_the_vault_does_not_recheck_the_keys_it_sealed() -> None:
    """A token authenticates its PEM, so opening skips the ~40 ms RSA consistency check:
    even a key that check would refuse comes back as sealed (the old code raised)."""
    vault = KeyVault((KeyVault.generate_master_key(),))
    key = _inconsistent_rsa_key()
    assert private_key_pem(vault.open(vault.seal(key))) == private_key_pem(key)


def test_opened_rsa_keys_sign_verifiably() -> None:
    vault = KeyVault((KeyVault.generate_master_key(),))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    opened = vault.open(vault.seal(key))
    assert isinstance(opened, rsa.RSAPrivateKey)
    signature = opened.sign(b"badge", padding.PKCS1v15(), SHA256())
    key.public_key().verify(signature, b"badge", padding.PKCS1v15(), SHA256())
