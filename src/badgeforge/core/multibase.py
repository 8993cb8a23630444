"""Multibase and multicodec encodings used by Data Integrity keys, proofs and status lists.

``z`` + base58btc carries Ed25519 keys (``publicKeyMultibase``) and signatures
(``proofValue``); ``u`` + base64url without padding carries status list bitstrings.
"""

import base64

from badgeforge.core.errors import InvalidDocument

_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {character: index for index, character in enumerate(_BASE58_ALPHABET)}

ED25519_PUBLIC_CODEC = b"\xed\x01"
P256_PUBLIC_CODEC = b"\x80\x24"
P384_PUBLIC_CODEC = b"\x81\x24"


def base58btc_encode(data: bytes) -> str:
    """Bitcoin-alphabet base58 of ``data`` (leading zero bytes become ``1``)."""
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(_BASE58_ALPHABET[remainder])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    """Inverse of :func:`base58btc_encode`; InvalidDocument on a foreign character."""
    number = 0
    for character in text:
        index = _BASE58_INDEX.get(character)
        if index is None:
            raise InvalidDocument(f"{character!r} is not a base58btc character")
        number = number * 58 + index
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def base64url_encode(data: bytes) -> str:
    """base64url without padding (RFC 4648 §5), as JOSE and multibase ``u`` use it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def base64url_decode(text: str) -> bytes:
    """Inverse of :func:`base64url_encode`; InvalidDocument on bad input."""
    if not isinstance(text, str) or any(c in text for c in "=+/ \n"):
        raise InvalidDocument("not unpadded base64url text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise InvalidDocument("not unpadded base64url text") from error


def multibase_encode(data: bytes, base: str = "z") -> str:
    """``z`` + base58btc or ``u`` + base64url of ``data``."""
    if base == "z":
        return "z" + base58btc_encode(data)
    if base == "u":
        return "u" + base64url_encode(data)
    raise InvalidDocument(f"unsupported multibase prefix {base!r}")


def multibase_decode(text: str) -> bytes:
    """Decode a ``z`` (base58btc) or ``u`` (base64url) multibase string."""
    if not isinstance(text, str) or not text:
        raise InvalidDocument("a multibase value must be a non-empty string")
    if text[0] == "z":
        return base58btc_decode(text[1:])
    if text[0] == "u":
        return base64url_decode(text[1:])
    raise InvalidDocument(f"unsupported multibase prefix {text[0]!r}")


def ed25519_multikey(public_key: bytes) -> str:
    """The ``publicKeyMultibase`` of a raw 32-byte Ed25519 public key (``z6Mk…``)."""
    if len(public_key) != 32:
        raise InvalidDocument("an Ed25519 public key is 32 bytes")
    return multibase_encode(ED25519_PUBLIC_CODEC + public_key)


def decode_multikey(value: str) -> tuple[str, bytes]:
    """Split a ``publicKeyMultibase`` into its key type and raw key bytes.

    Key types: ``Ed25519`` (32 bytes), ``P-256`` and ``P-384`` (compressed points).
    """
    raw = multibase_decode(value)
    for name, codec, sizes in (
        ("Ed25519", ED25519_PUBLIC_CODEC, {32}),
        ("P-256", P256_PUBLIC_CODEC, {33}),
        ("P-384", P384_PUBLIC_CODEC, {49}),
    ):
        if raw.startswith(codec) and len(raw) - len(codec) in sizes:
            return name, raw[len(codec) :]
    raise InvalidDocument("unsupported or malformed multikey")
