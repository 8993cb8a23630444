"""Reading JSON columns back: every stored shape is validated before it is used.

Evidence, alignments, tags and image templates are stored as JSON. Reading them by key
(``Evidence(**item)``) turns a shape that drifted (a renamed key, a hand-edited row, a
migration that missed one) into a ``TypeError`` deep in a renderer. Here each column is
validated against the record it becomes; a mismatch is a server-side data problem, not the
client's: it is logged as an error with the table, row and column, and the request is
answered with a 500 problem that names the row, so an operator can repair it.
"""

import logging
from typing import Any, TypeVar
from uuid import UUID

from pydantic import ConfigDict, TypeAdapter, ValidationError

from badgeforge.problems import Problem

T = TypeVar("T")
logger = logging.getLogger(__name__)
STORED_RECORDS = ConfigDict(extra="forbid")
"""TypeAdapter config for stored records (dataclasses): an unknown key is a drift too."""


class CorruptStoredData(Problem):
    """A stored row does not have the shape the code reads (an internal error, logged)."""


def load(adapter: TypeAdapter[T], value: Any, *, table: str, column: str, row_id: UUID) -> T:
    """``value`` read from ``table.column`` of row ``row_id``, checked against ``adapter``.

    Raises CorruptStoredData (and logs the validation errors) when the shape drifted.
    """
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        problems = exc.errors(include_url=False, include_input=False)
        logger.error("stored %s.%s of row %s is invalid: %s", table, column, row_id, problems)
        raise CorruptStoredData(
            f"The stored {column} of {table} {row_id} is not in the expected shape; "
            "the operator has been alerted. Nothing was changed."
        ) from exc
