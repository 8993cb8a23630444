"""Where badgeforge's non-Python folders are: migrations, badge designs and Swagger UI.

In a checkout (and an editable install) they sit next to ``src/``. A wheel built by
``scripts/wheel`` (as the Docker image is) carries them inside the package, under
``badgeforge/_data/``, so a non-editable install needs no source tree.
"""

from pathlib import Path

PACKAGED = Path(__file__).resolve().parent / "_data"
SOURCE_TREE = Path(__file__).resolve().parents[2]


def resource_dir(*parts: str) -> Path:
    """The folder ``parts`` (``"vendor", "swagger-ui"``): the packaged copy, else the tree's."""
    packaged = PACKAGED.joinpath(*parts)
    return packaged if packaged.is_dir() else SOURCE_TREE.joinpath(*parts)
