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


class BakingError(CoreError):
    """An image cannot be baked or unbaked."""
