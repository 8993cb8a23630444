"""Issuer signing keys: generation, public forms, and private keys encrypted at rest.

Two algorithms: Ed25519 for Data Integrity proofs (``eddsa-rdfc-2022``) and RSA-2048+
for OB 2.0 JWS and VC-JWT (``RS256``). Private keys exist in memory only while signing;
at rest they are Fernet tokens under a list of master keys (:class:`KeyVault`): the first
master key encrypts, every key decrypts, so master keys can be rotated.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256

from badgeforge.core.errors import InvalidProof, KeyUnavailable, SigningError
from badgeforge.core.multibase import base64url_encode, ed25519_multikey

RSA_KEY_BITS = 2048


class KeyAlgorithm(enum.StrEnum):
    """What a signing key is for: Ed25519 (Data Integrity) or RSA (JWS / VC-JWT RS256)."""

    ED25519 = "Ed25519"
    RSA = "RSA"


PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
PublicKey = ed25519.Ed25519PublicKey | rsa.RSAPublicKey


def generate_private_key(algorithm: KeyAlgorithm) -> PrivateKey:
    """A new private key of ``algorithm`` (RSA keys have 2048 bits and exponent 65537)."""
    if algorithm is KeyAlgorithm.ED25519:
        return ed25519.Ed25519PrivateKey.generate()
    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)


def private_key_pem(key: PrivateKey) -> bytes:
    """PKCS#8 PEM of ``key`` without a password (only ever stored encrypted by a vault)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(pem: bytes, *, trusted: bool = False) -> PrivateKey:
    """Parse a PKCS#8 PEM private key of a supported algorithm.

    ``trusted`` skips OpenSSL's RSA key consistency check (about 40 ms per key): only for
    keys this service generated, read back from an authenticated vault token.
    """
    key = serialization.load_pem_private_key(
        pem, password=None, unsafe_skip_rsa_key_validation=trusted
    )
    if isinstance(key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey):
        return key
    raise SigningError("only Ed25519 and RSA signing keys are supported")


def public_key_pem(key: PublicKey) -> str:
    """SubjectPublicKeyInfo PEM text (OB 2.0 ``CryptographicKey.publicKeyPem``)."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key_pem(pem: str | bytes) -> PublicKey:
    """Parse a PEM public key of a supported algorithm; InvalidProof otherwise."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as error:
        raise InvalidProof("the public key PEM cannot be read") from error
    if isinstance(key, ed25519.Ed25519PublicKey | rsa.RSAPublicKey):
        return key
    raise InvalidProof("only Ed25519 and RSA public keys are supported")


def ed25519_public_bytes(key: ed25519.Ed25519PublicKey) -> bytes:
    """The raw 32 bytes of an Ed25519 public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_multikey(key: ed25519.Ed25519PublicKey) -> str:
    """``publicKeyMultibase`` of an Ed25519 public key (``z6Mk…``)."""
    return ed25519_multikey(ed25519_public_bytes(key))


def public_jwk(key: PublicKey, kid: str | None = None) -> dict[str, str]:
    """The public JWK (RFC 7517/8037) of ``key``, never with private members."""
    jwk: dict[str, str]
    if isinstance(key, ed25519.Ed25519PublicKey):
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": base64url_encode(ed25519_public_bytes(key))}
    else:
        numbers = key.public_numbers()
        jwk = {
            "kty": "RSA",
            "n": base64url_encode(_int_bytes(numbers.n)),
            "e": base64url_encode(_int_bytes(numbers.e)),
        }
    if kid is not None:
        jwk["kid"] = kid
    return jwk


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def sign_bytes(key: PrivateKey, data: bytes) -> bytes:
    """Ed25519 signature, or RSASSA-PKCS1-v1_5 with SHA-256 for RSA (JOSE ``RS256``)."""
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(data)
    return key.sign(data, padding.PKCS1v15(), SHA256())


@dataclass(frozen=True)
class KeyVault:
    """Encrypts private keys at rest with a list of master keys (Fernet keys).

    The first master key encrypts; all of them decrypt, so a new master key is put
    first and :meth:`rotate` re-encrypts existing tokens under it.
    """

    master_keys: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.master_keys:
            raise KeyUnavailable("at least one master key is needed")
        try:
            for master_key in self.master_keys:
                Fernet(master_key)
        except (ValueError, TypeError) as error:
            raise KeyUnavailable(
                "a master key is not a Fernet key (32 url-safe base64-encoded bytes)"
            ) from error

    @staticmethod
    def generate_master_key() -> str:
        """A new random master key."""
        return Fernet.generate_key().decode("ascii")

    def _fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(master_key) for master_key in self.master_keys])

    def seal(self, key: PrivateKey) -> bytes:
        """The encrypted form of ``key`` to store."""
        return self._fernet().encrypt(private_key_pem(key))

    def open(self, token: bytes) -> PrivateKey:
        """The private key inside ``token``; KeyUnavailable if no master key opens it.

        Fernet tokens are authenticated (HMAC-SHA256 under a master key), so the PEM is
        exactly what :meth:`seal` stored, a key from :func:`generate_private_key`: RSA's
        consistency check is not run again at each signing (it cost ~40 ms per award).
        """
        try:
            return load_private_key(self._fernet().decrypt(token), trusted=True)
        except InvalidToken as error:
            raise KeyUnavailable(
                "a private key cannot be decrypted with the configured master keys"
            ) from error

    def rotate(self, token: bytes) -> bytes:
        """``token`` re-encrypted under the first master key."""
        try:
            return self._fernet().rotate(token)
        except InvalidToken as error:
            raise KeyUnavailable(
                "a private key cannot be decrypted with the configured master keys"
            ) from error
