"""Errors raised by the framework-free core.

They carry a human message and never depend on HTTP; ``badgeforge.problems`` maps them
to RFC 9457 responses at the edge.
"""


class CoreError(Exception):
    """Base class of every error the core raises on bad input."""


class InvalidDocument(CoreError):
    """A document does not follow the Open Badges data model."""


class InvalidImage(CoreError):
    """Image bytes are not an acceptable badge image (type, size, pixels or content)."""


class UnsupportedImageType(InvalidImage):
    """The bytes are not a PNG or SVG image (Open Badges accepts no other type)."""


class ImageTooComplex(InvalidImage):
    """Rendering an image would take more work, memory or time than allowed."""


class BakingError(CoreError):
    """An image cannot be baked or unbaked."""


class SigningError(CoreError):
    """A document cannot be signed (an undefined JSON-LD term, a wrong key type...)."""


class InvalidProof(CoreError):
    """A signature or proof does not verify, or is malformed."""


class UnresolvedKey(InvalidProof):
    """A proof's verification method cannot be resolved offline to a usable public key."""


class KeyUnavailable(CoreError):
    """A private key cannot be decrypted with any configured master key."""


class PngChunkTooLarge(BakingError):
    """Data does not fit in one PNG chunk (more than 2**31 - 1 bytes)."""


class InvalidIdentity(CoreError):
    """A recipient identity cannot be hashed: unknown algorithm, or text that is not Unicode."""
