"""Entity tags of editable resources, and ``If-Match`` to avoid lost updates.

GET of an issuer or badge class answers an ``ETag`` naming the row's version (a counter
bumped by every change). A PATCH may send it back in ``If-Match``: if the row changed
meanwhile the PATCH answers ``412 Precondition Failed`` and changes nothing. Without
``If-Match`` a PATCH applies as before (last write wins), for compatibility.
"""

import hashlib
import re
from typing import Annotated
from uuid import UUID

from fastapi import Header, Response

from badgeforge.problems import PreconditionFailed

_TAG = re.compile(r'\s*(W/)?("[\x21\x23-\x7e]*")\s*')

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=1024,
        description="The `ETag` of the version you edited; if the resource changed since, "
        "the update is refused with 412 (nothing is changed). Optional.",
    ),
]

ETAG_HEADER = {
    "ETag": {
        "description": "The version of the resource; send it in `If-Match` to update it.",
        "schema": {"type": "string"},
    }
}


def entity_tag(resource_id: UUID, version: int) -> str:
    """The strong ETag of version ``version`` of a resource: opaque, quoted."""
    digest = hashlib.sha256(f"{resource_id}:{version}".encode()).hexdigest()[:20]
    return f'"{digest}"'


def _listed_tags(header: str) -> list[tuple[bool, str]] | None:
    """(weak, tag) of each entity tag of an If-Match list, or None if malformed."""
    tags = []
    for part in header.split(","):
        match = _TAG.fullmatch(part)
        if match is None:
            return None
        tags.append((match.group(1) is not None, match.group(2)))
    return tags


def check_if_match(header: str | None, resource_id: UUID, version: int) -> None:
    """Raise PreconditionFailed unless ``header`` (If-Match) allows changing this version.

    ``*`` matches any existing resource; weak tags never match (RFC 9110 §13.1.1 uses the
    strong comparison); an unparsable header matches nothing.
    """
    if header is None or header.strip() == "*":
        return
    current = entity_tag(resource_id, version)
    tags = _listed_tags(header)
    if tags is None or not any(not weak and tag == current for weak, tag in tags):
        raise PreconditionFailed(
            "The resource changed since the version in If-Match (or the header is not a "
            "list of ETags); read it again and reapply your change.",
            current_etag=current,
        )


def set_etag(response: Response, resource_id: UUID, version: int) -> None:
    """Put the resource's ETag on ``response`` (GET, PATCH, image upload)."""
    response.headers["ETag"] = entity_tag(resource_id, version)
