"""Revocation status for OB 3.0: W3C Bitstring Status List and the 1EdTech Revocation List.

A bitstring status list holds at least 131,072 entries (16 KiB); index 0 is the most
significant bit of the first byte and a set bit means revoked. ``encodedList`` is the
GZIP of the bitstring in multibase base64url without padding (prefix ``u``).
"""

import gzip
import secrets
import zlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from badgeforge.core.errors import InvalidDocument
from badgeforge.core.multibase import multibase_decode, multibase_encode
from badgeforge.core.ob2 import format_datetime

STATUS_LIST_ENTRIES = 131_072
MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024
"""Largest bitstring accepted when decoding someone else's list (gzip-bomb guard)."""

Document = dict[str, Any]


def empty_bitstring(entries: int = STATUS_LIST_ENTRIES) -> bytearray:
    """A bitstring of ``entries`` cleared bits (rounded up to whole bytes)."""
    if entries < STATUS_LIST_ENTRIES:
        raise InvalidDocument(f"a status list holds at least {STATUS_LIST_ENTRIES} entries")
    return bytearray((entries + 7) // 8)


def set_bit(bitstring: bytearray, index: int, value: bool = True) -> None:
    """Set (or clear) the status bit at ``index``."""
    byte, bit = _position(bitstring, index)
    if value:
        bitstring[byte] |= 0x80 >> bit
    else:
        bitstring[byte] &= ~(0x80 >> bit) & 0xFF


def bit_is_set(bitstring: bytes | bytearray, index: int) -> bool:
    """Whether the status bit at ``index`` is set."""
    byte, bit = _position(bitstring, index)
    return bool(bitstring[byte] & (0x80 >> bit))


def _position(bitstring: bytes | bytearray, index: int) -> tuple[int, int]:
    if not 0 <= index < len(bitstring) * 8:
        raise InvalidDocument(f"status list index {index} is out of range")
    return divmod(index, 8)


def bitstring_with(indexes: Iterable[int], entries: int = STATUS_LIST_ENTRIES) -> bytearray:
    """A bitstring whose bits at ``indexes`` are set."""
    bitstring = empty_bitstring(entries)
    for index in indexes:
        set_bit(bitstring, index)
    return bitstring


def encode_list(bitstring: bytes | bytearray) -> str:
    """``encodedList``: multibase base64url of the GZIP-compressed bitstring."""
    return multibase_encode(gzip.compress(bytes(bitstring), mtime=0), "u")


def decode_list(encoded: str) -> bytes:
    """The bitstring inside ``encodedList``; refuses lists that inflate past 16 MiB."""
    compressed = multibase_decode(encoded)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        bitstring = inflater.decompress(compressed, MAX_STATUS_LIST_BYTES + 1)
    except zlib.error as error:
        raise InvalidDocument("encodedList is not GZIP data") from error
    if len(bitstring) > MAX_STATUS_LIST_BYTES or inflater.unconsumed_tail:
        raise InvalidDocument("the status list is larger than 16 MiB")
    if len(bitstring) * 8 < STATUS_LIST_ENTRIES:
        raise InvalidDocument(f"the status list holds fewer than {STATUS_LIST_ENTRIES} entries")
    return bitstring


def random_free_index(taken: set[int], entries: int = STATUS_LIST_ENTRIES) -> int:
    """A random index not in ``taken`` (indexes are random so they reveal no order)."""
    if len(taken) >= entries:
        raise InvalidDocument("the status list is full")
    while True:
        index = secrets.randbelow(entries)
        if index not in taken:
            return index


def status_entry(list_credential_url: str, index: int, purpose: str = "revocation") -> Document:
    """The ``credentialStatus`` of a credential at ``index`` of a status list."""
    return {
        "id": f"{list_credential_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_credential_url,
    }


def status_list_credential(
    list_credential_url: str,
    issuer_id: str,
    bitstring: bytes | bytearray,
    valid_from: datetime,
    purpose: str = "revocation",
) -> Document:
    """The unsigned ``BitstringStatusListCredential`` publishing ``bitstring``."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_credential_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": format_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_credential_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(bitstring),
        },
    }


def revocation_list_entry(list_url: str) -> Document:
    """The ``credentialStatus`` pointing at a 1EdTech Revocation List."""
    return {"id": list_url, "type": "1EdTechRevocationList"}


def revocation_list_document(list_url: str, revoked: Iterable[tuple[str, str | None]]) -> Document:
    """A 1EdTech Revocation List (VCRL 1.0) of ``(credential id, reason)`` pairs."""
    return {
        "id": list_url,
        "revokedCredential": [
            {"id": credential_id, "revoked": True, "revocationReason": reason}
            if reason
            else {"id": credential_id, "revoked": True}
            for credential_id, reason in revoked
        ],
    }
