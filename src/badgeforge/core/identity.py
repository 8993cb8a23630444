"""Recipient identity hashing (Open Badges 2.0 IdentityHash, also used by OB 3.0).

``identity = "<algorithm>$" + hex(HASH(utf8(value) + utf8(salt)))``: the salt is appended
with no separator. Email addresses are lower-cased before hashing so that the address a
learner adds to a wallet such as Open Badge Passport matches whatever case it was typed in.
"""

import hashlib
import hmac
import re

from badgeforge.core.errors import InvalidIdentity

HASH_ALGORITHMS = ("sha256", "sha512", "sha1", "md5")
_IDENTITY_HASH = re.compile(r"^(sha256|sha512|sha1|md5)\$([0-9a-fA-F]+)$")


def normalise_email(email: str) -> str:
    """The canonical form of an email address used for hashing: stripped, lower case."""
    return email.strip().lower()


def hash_identity(value: str, salt: str, algorithm: str = "sha256") -> str:
    """The IdentityHash ``<algorithm>$<lowercase hex>`` of ``value`` followed by ``salt``.

    Raises InvalidIdentity for an algorithm outside ``HASH_ALGORITHMS`` and for text that
    has no UTF-8 form (a lone surrogate).
    """
    if algorithm not in HASH_ALGORITHMS:
        raise InvalidIdentity(f"unsupported identity hash algorithm {algorithm!r}")
    try:
        data = (value + salt).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidIdentity("the identity or salt is not valid Unicode text") from exc
    digest = hashlib.new(algorithm, data).hexdigest()
    return f"{algorithm}${digest}"


def identity_matches(identity_hash: str, value: str, salt: str | None) -> bool:
    """Whether ``identity_hash`` is the hash of ``value`` (as given or lower-cased) + salt.

    Hex digits compare case-insensitively, as 1EdTech's validator does.
    """
    match = _IDENTITY_HASH.match(identity_hash)
    if match is None:
        return False
    algorithm, expected = match.group(1), match.group(2).lower()
    for candidate in dict.fromkeys((value, value.lower())):
        try:
            computed = hash_identity(candidate, salt or "", algorithm).split("$", 1)[1]
        except InvalidIdentity:
            return False
        if hmac.compare_digest(computed, expected):
            return True
    return False
