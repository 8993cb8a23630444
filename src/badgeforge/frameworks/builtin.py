"""The built-in frameworks shipped with badgeforge (``data/*.json``), seeded by migrations.

Migration 0009 inserts them with their stable ids (``core.frameworks.builtin_framework_id``
and ``builtin_item_id``); a later change of their data ships with a migration that updates
the rows. They are read-only for every organisation.
"""

from importlib.resources import files

from badgeforge.core.frameworks import Framework, parse_json

BUILTIN_FILES = ("rectec.json",)


def load_builtins() -> list[Framework]:
    """The built-in frameworks, parsed and checked like any import."""
    data = files("badgeforge.frameworks") / "data"
    return [parse_json(data.joinpath(name).read_bytes()) for name in BUILTIN_FILES]
