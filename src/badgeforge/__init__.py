"""badgeforge: Open Badges 2.0 and 3.0 issuing and verification."""

__version__ = "0.1.0"
