"""badgeforge's framework-free Open Badges library.

No web framework, database or network: documents (``ob2``), recipient identity hashing
(``identity``), baking (``baking``), image checks (``images``, built on ``png``, ``svg``
and ``svg_sanitizer``) and offline JSON-LD (``jsonld``) take everything they need as
arguments, so they can be used and tested alone.
"""
