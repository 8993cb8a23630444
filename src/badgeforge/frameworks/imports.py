"""Importing a framework (JSON or CSV) and copying one (``extend``) into a catalogue.

The file is read and checked whole by ``badgeforge.core`` first: any bad row or field and
nothing is stored. Every problem is listed in the 422 answer (``errors``, with CSV lines).
"""

from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from badgeforge.core import frameworks as core
from badgeforge.core.framework_csv import parse_csv
from badgeforge.db import RowLock
from badgeforge.frameworks import service
from badgeforge.frameworks.models import CompetencyFramework
from badgeforge.frameworks.repository import FrameworkRepository
from badgeforge.frameworks.schemas import FrameworkExtend, FrameworkImport
from badgeforge.problems import UnprocessableContent
from badgeforge.security import Principal

IMPORT_CHECK = "framework-file"
"""The ``check`` of a 422 listing an import's problems: what a file or a framework document
holds (rows, codes used twice, levels described but not declared) no JSON Schema states."""


def import_problem(error: core.FrameworkImportError) -> UnprocessableContent:
    """The 422 problem listing every problem of an import (``line`` for CSV rows)."""
    errors = [
        {"field": problem.where, "message": problem.message}
        | ({"line": problem.line} if problem.line is not None else {})
        for problem in error.problems
    ]
    count = len(error.problems)
    detail = f"The framework was not imported: {count} problem{'s' * (count > 1)}; first: {error}"
    return UnprocessableContent(detail, errors=errors, check=IMPORT_CHECK)


def from_json_body(body: FrameworkImport) -> core.Framework:
    """The core framework of a JSON import (cross-field rules checked), or a 422 problem."""
    document: dict[str, Any] = body.model_dump(mode="json")
    try:
        return core.framework_from_mapping(document)
    except core.FrameworkImportError as error:
        raise import_problem(error) from None


def from_csv(data: bytes, fields: dict[str, Any]) -> core.Framework:
    """The framework of a CSV file of items and levels and the form's fields, or a 422."""
    try:
        parsed = parse_csv(data)
    except core.FrameworkImportError as error:
        raise import_problem(error) from None
    return core.Framework(
        slug=fields["slug"],
        name=fields["name"],
        url=fields["url"],
        description=fields.get("description"),
        language=fields.get("language") or "fr",
        levels=parsed.levels,
        items=parsed.items,
    )


def store(session: Session, principal: Principal, framework: core.Framework) -> CompetencyFramework:
    """Store an imported framework and its items in the caller's catalogue."""
    row = CompetencyFramework(
        slug=framework.slug,
        name=framework.name,
        description=framework.description,
        url=framework.url,
        language=framework.language,
        levels=service.levels_json(framework.levels),
        translations=service.translations_json(dict(framework.translations)),
    )
    FrameworkRepository(session, principal).add(row)
    service.add_items(session, row, framework.items)
    return row


def extend(
    session: Session, principal: Principal, framework_id: UUID, data: FrameworkExtend
) -> CompetencyFramework:
    """Copy a framework the caller can read (built in or its own) into its catalogue.

    The copy keeps the levels and items (with new ids) and remembers its source; a copy of
    a built-in framework keeps aligning to the built-in's public page until given a URL.
    """
    repository = FrameworkRepository(session, principal)
    source = repository.get(framework_id)
    if source.organisation_id is not None:
        source = repository.get_own(framework_id, lock=RowLock.KEY_SHARE)
    copy = CompetencyFramework(
        slug=data.slug or source.slug,
        name=data.name or source.name,
        description=source.description,
        url=None if source.organisation_id is None else source.url,
        language=source.language,
        levels=list(source.levels),
        translations=dict(source.translations),
        extends_id=source.id,
    )
    repository.add(copy)
    items = [_core_item(item) for item in repository.all_items(source.id)]
    service.add_items(session, copy, items)
    return copy


def _core_item(item: Any) -> core.Item:
    return core.Item(
        code=item.code,
        name=item.name,
        description=item.description,
        url=item.url,
        group=item.group_name,
        levels=tuple(core.LevelDescriptor(d["level"], d["description"]) for d in item.levels),
        translations={
            tag: core.Translation(value["name"], value.get("description"))
            for tag, value in item.translations.items()
        },
    )
