"""Compact JWS (RFC 7515): OB 2.0 signed assertions and VC-JWT credentials.

Signing uses ``RS256`` (RSA) or ``EdDSA`` (Ed25519). Verification accepts exactly
``RS256``, ``ES256`` and ``EdDSA``: ``none`` and every other algorithm are refused, and
the key type must match the algorithm (no RSA key used as an HMAC secret).
"""

import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256

from badgeforge.core.errors import InvalidDocument, InvalidProof, SigningError
from badgeforge.core.keys import PrivateKey, sign_bytes
from badgeforge.core.multibase import base64url_decode, base64url_encode

VerifyingKey = ed25519.Ed25519PublicKey | rsa.RSAPublicKey | ec.EllipticCurvePublicKey
ALGORITHMS = ("RS256", "ES256", "EdDSA")
MAX_JWS_LENGTH = 1_048_576


@dataclass(frozen=True)
class DecodedJws:
    """A compact JWS split into its parts; the signature is not checked yet."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def _json_segment(value: dict[str, Any]) -> str:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return base64url_encode(text.encode("utf-8"))


def algorithm_for(key: PrivateKey) -> str:
    """The JOSE ``alg`` that ``key`` signs with."""
    return "EdDSA" if isinstance(key, ed25519.Ed25519PrivateKey) else "RS256"


def sign_compact(
    payload: dict[str, Any], key: PrivateKey, header: dict[str, Any] | None = None
) -> str:
    """``header.payload.signature`` for a JSON payload; ``alg`` is set from the key."""
    full_header = {"alg": algorithm_for(key), **(header or {})}
    if full_header["alg"] != algorithm_for(key):
        raise SigningError("the JWS header's alg does not match the signing key")
    signing_input = f"{_json_segment(full_header)}.{_json_segment(payload)}"
    signature = sign_bytes(key, signing_input.encode("ascii"))
    return f"{signing_input}.{base64url_encode(signature)}"


def decode_compact(token: str) -> DecodedJws:
    """Split and parse a compact JWS; InvalidProof when it is not one."""
    if not isinstance(token, str) or len(token) > MAX_JWS_LENGTH:
        raise InvalidProof("not a compact JWS (or larger than 1 MiB)")
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts):
        raise InvalidProof("a compact JWS has three non-empty parts separated by dots")
    try:
        header = json.loads(base64url_decode(parts[0]))
        payload = json.loads(base64url_decode(parts[1]))
    except (ValueError, UnicodeDecodeError, InvalidDocument) as error:
        raise InvalidProof("the JWS header or payload is not base64url JSON") from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise InvalidProof("the JWS header and payload must be JSON objects")
    if header.get("alg") not in ALGORITHMS:
        raise InvalidProof(f"JWS algorithm {header.get('alg')!r} is not accepted")
    if "crit" in header:
        raise InvalidProof("JWS critical header extensions are not supported")
    try:
        signature = base64url_decode(parts[2])
    except (ValueError, InvalidDocument) as error:
        raise InvalidProof("the JWS signature is not base64url") from error
    return DecodedJws(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def verify_decoded(decoded: DecodedJws, key: VerifyingKey) -> None:
    """Check the signature of ``decoded`` with ``key``; raises InvalidProof."""
    algorithm = decoded.header["alg"]
    try:
        if algorithm == "RS256" and isinstance(key, rsa.RSAPublicKey):
            if key.key_size < 2048:
                raise InvalidProof("RSA keys shorter than 2048 bits are not accepted")
            key.verify(decoded.signature, decoded.signing_input, padding.PKCS1v15(), SHA256())
        elif algorithm == "EdDSA" and isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(decoded.signature, decoded.signing_input)
        elif (
            algorithm == "ES256"
            and isinstance(key, ec.EllipticCurvePublicKey)
            and isinstance(key.curve, ec.SECP256R1)
        ):
            key.verify(_der_signature(decoded.signature), decoded.signing_input, ec.ECDSA(SHA256()))
        else:
            raise InvalidProof(f"the key does not fit the JWS algorithm {algorithm}")
    except InvalidSignature as error:
        raise InvalidProof("the JWS signature does not verify") from error


def _der_signature(raw: bytes) -> bytes:
    if len(raw) != 64:
        raise InvalidProof("an ES256 signature is 64 bytes")
    return encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))


def verify_compact(token: str, key: VerifyingKey) -> DecodedJws:
    """Decode ``token`` and check its signature with ``key``; raises InvalidProof."""
    decoded = decode_compact(token)
    verify_decoded(decoded, key)
    return decoded
