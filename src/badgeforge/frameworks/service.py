"""The competency framework catalogue: browse, create, change, add items, align badges.

Scoped to the caller's organisation, plus the built-in frameworks every organisation reads.
Services flush, the request commits. Badge classes use :func:`resolve_items` and
:func:`framework_levels` to align to items and to declare mastery levels.
"""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func
from sqlalchemy.orm import Session

from badgeforge.core import frameworks as core
from badgeforge.core.records import Alignment
from badgeforge.db import RowLock
from badgeforge.etags import check_if_match
from badgeforge.frameworks.models import CompetencyFramework, FrameworkItem, precise_now
from badgeforge.frameworks.repository import FrameworkRepository
from badgeforge.frameworks.schemas import (
    FrameworkCreate,
    FrameworkUpdate,
    ItemCreate,
    ItemLevelIn,
    ItemUpdate,
)
from badgeforge.pagination import PageParams, Slice, keyset_page
from badgeforge.problems import Conflict, NotFound, UnprocessableContent
from badgeforge.security import Principal

PUBLIC_PATH = "/frameworks/{slug}"
CONSISTENCY_CHECK = "framework-consistency"
"""The ``check`` of a 422 for fields that disagree with each other (two levels numbered
alike), which no JSON Schema can state."""


def list_frameworks(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    slug: str | None = None,
    name: str | None = None,
    built_in: bool | None = None,
) -> Slice[CompetencyFramework]:
    """Built-in frameworks and the organisation's, oldest first, filtered."""
    statement = FrameworkRepository(session, principal).visible()
    if slug is not None:
        statement = statement.where(CompetencyFramework.slug == slug)
    if name is not None:
        lowered = func.lower(CompetencyFramework.name)
        statement = statement.where(lowered.contains(name.lower(), autoescape=True))
    if built_in is not None:
        owner = CompetencyFramework.organisation_id
        statement = statement.where(owner.is_(None) if built_in else owner.is_not(None))
    filters = {"slug": slug, "name": name, "built_in": built_in}
    return keyset_page(
        session,
        statement,
        params,
        created_at=CompetencyFramework.created_at,
        id=CompetencyFramework.id,
        list_key="frameworks",
        filters=filters,
    )


def get(session: Session, principal: Principal, framework_id: UUID) -> CompetencyFramework:
    """A framework the caller may read, or NotFound."""
    return FrameworkRepository(session, principal).get(framework_id)


def item_counts(session: Session, principal: Principal, ids: list[UUID]) -> dict[UUID, int]:
    """How many items each of these frameworks has."""
    return FrameworkRepository(session, principal).item_counts(ids)


def levels_json(levels: Iterable[Any]) -> list[dict[str, Any]]:
    """Levels (request models or core levels) as stored, lowest first."""
    rows = [
        {
            "level": getattr(level, "level", None) or level.number,
            "name": level.name,
            "description": level.description,
        }
        for level in levels
    ]
    numbers = [row["level"] for row in rows]
    if len(set(numbers)) != len(numbers):
        raise UnprocessableContent("Two levels have the same number.", check=CONSISTENCY_CHECK)
    return sorted(rows, key=lambda row: int(row["level"]))


def translations_json(translations: dict[str, Any]) -> dict[str, Any]:
    """Translations (request models or core ones) as stored."""
    return {
        tag: {"name": value.name, "description": value.description}
        for tag, value in translations.items()
    }


def create(session: Session, principal: Principal, data: FrameworkCreate) -> CompetencyFramework:
    """A new, empty framework in the caller's catalogue (Conflict if its slug is taken)."""
    framework = CompetencyFramework(
        slug=data.slug,
        name=data.name,
        description=data.description,
        url=data.url,
        language=data.language,
        levels=levels_json(data.levels),
        translations=translations_json(data.translations),
    )
    return FrameworkRepository(session, principal).add(framework)


def update(
    session: Session,
    principal: Principal,
    framework_id: UUID,
    data: FrameworkUpdate,
    *,
    if_match: str | None = None,
) -> CompetencyFramework:
    """Change the given fields of one of the caller's frameworks, if still at ``if_match``."""
    repository = FrameworkRepository(session, principal)
    framework = repository.get_own(framework_id, lock=RowLock.NO_KEY_UPDATE)
    check_if_match(if_match, framework.id, framework.version)
    changes = data.model_dump(exclude_unset=True)
    if "levels" in changes and data.levels is not None:
        changes["levels"] = levels_json(data.levels)
        _check_levels_kept(repository.all_items(framework.id), changes["levels"])
    if "translations" in changes and data.translations is not None:
        changes["translations"] = translations_json(data.translations)
    for field, value in changes.items():
        setattr(framework, field, value)
    framework.version += 1
    session.flush()
    return framework


def _check_levels_kept(items: list[FrameworkItem], levels: list[dict[str, Any]]) -> None:
    numbers = {level["level"] for level in levels}
    for item in items:
        used = {descriptor["level"] for descriptor in item.levels} - numbers
        if used:
            raise Conflict(
                f"Item {item.code} describes level {min(used)}, which the new levels lack; "
                "keep that level or change the item first."
            )


def delete(session: Session, principal: Principal, framework_id: UUID) -> None:
    """Delete one of the caller's frameworks and its items."""
    framework = FrameworkRepository(session, principal).get_own(framework_id, lock=RowLock.UPDATE)
    session.delete(framework)
    session.flush()


def list_items(
    session: Session,
    principal: Principal,
    framework_id: UUID,
    params: PageParams,
    *,
    group: str | None = None,
    code: str | None = None,
) -> Slice[FrameworkItem]:
    """A framework's items in the order they were added (codes C1, C2…), filtered."""
    repository = FrameworkRepository(session, principal)
    repository.get(framework_id)
    statement = repository.items(framework_id)
    if group is not None:
        statement = statement.where(FrameworkItem.group_name == group)
    if code is not None:
        statement = statement.where(FrameworkItem.code == code)
    return keyset_page(
        session,
        statement,
        params,
        created_at=FrameworkItem.created_at,
        id=FrameworkItem.id,
        list_key=f"framework-items:{framework_id}",
        filters={"group": group, "code": code},
    )


def add_item(
    session: Session, principal: Principal, framework_id: UUID, data: ItemCreate
) -> FrameworkItem:
    """A new item of one of the caller's frameworks (Conflict if its code is taken)."""
    repository = FrameworkRepository(session, principal)
    framework = repository.get_own(framework_id, lock=RowLock.NO_KEY_UPDATE)
    if repository.code_taken(framework.id, data.code):
        raise Conflict(f"The framework already has an item with the code {data.code!r}.")
    descriptors = _descriptors(framework, data.levels)
    item = FrameworkItem(
        framework_id=framework.id,
        code=data.code,
        name=data.name,
        description=data.description,
        url=data.url,
        group_name=data.group,
        levels=descriptors,
        translations=translations_json(data.translations),
    )
    session.add(item)
    framework.version += 1
    session.flush()
    return item


def _descriptors(framework: CompetencyFramework, levels: list[ItemLevelIn]) -> list[dict[str, Any]]:
    """Per-level descriptors as stored, checked against the framework's levels."""
    known = {level["level"] for level in framework.levels}
    numbers = [descriptor.level for descriptor in levels]
    unknown = sorted(set(numbers) - known)
    if unknown:
        raise Conflict(
            f"Level {unknown[0]} is not a level of this framework; add it to the framework's "
            "levels first."
        )
    if len(set(numbers)) != len(numbers):
        raise UnprocessableContent("A level is described twice.", check=CONSISTENCY_CHECK)
    rows = [{"level": d.level, "description": d.description} for d in levels]
    return sorted(rows, key=lambda row: int(row["level"]))


def update_item(
    session: Session,
    principal: Principal,
    framework_id: UUID,
    item_id: UUID,
    data: ItemUpdate,
    *,
    if_match: str | None = None,
) -> FrameworkItem:
    """Change the given fields of an item of one of the caller's frameworks, if the
    framework (whose version every item change bumps) is still at ``if_match``."""
    repository = FrameworkRepository(session, principal)
    framework = repository.get_own(framework_id, lock=RowLock.NO_KEY_UPDATE)
    check_if_match(if_match, framework.id, framework.version)
    item = session.scalar(repository.items(framework.id).where(FrameworkItem.id == item_id))
    if item is None:
        raise NotFound(f"No item with id {item_id} in this framework.")
    changes = data.model_dump(exclude_unset=True)
    if data.levels is not None:
        changes["levels"] = _descriptors(framework, data.levels)
    if data.translations is not None:
        changes["translations"] = translations_json(data.translations)
    if "group" in changes:
        changes["group_name"] = changes.pop("group")
    for field, value in changes.items():
        setattr(item, field, value)
    framework.version += 1
    session.flush()
    return item


def add_items(session: Session, framework: CompetencyFramework, items: Iterable[Any]) -> int:
    """Store core items under ``framework``, keeping their order; returns how many."""
    start = precise_now()
    count = 0
    for position, item in enumerate(items):
        session.add(
            FrameworkItem(
                framework_id=framework.id,
                code=item.code,
                name=item.name,
                description=item.description,
                url=item.url,
                group_name=item.group,
                levels=[{"level": d.number, "description": d.description} for d in item.levels],
                translations=translations_json(dict(item.translations)),
                created_at=start + timedelta(microseconds=position),
            )
        )
        count += 1
    session.flush()
    return count


def public_url(framework: CompetencyFramework, base_url: str) -> str | None:
    """The public page of a built-in framework; None for an organisation's."""
    if framework.organisation_id is not None:
        return None
    return base_url + PUBLIC_PATH.format(slug=framework.slug)


def target_url(
    item: FrameworkItem,
    framework: CompetencyFramework,
    base_url: str,
    extended: CompetencyFramework | None = None,
) -> str:
    """The URL an alignment to ``item`` points at.

    The item's own URL; else, for a built-in framework, its public page with the code as
    fragment; else the framework's URL (a copy of a built-in one without a URL of its own:
    the built-in's page, ``extended``) with the code.
    """
    if item.url:
        return item.url
    page = public_url(framework, base_url)
    if page is None and framework.url is None and extended is not None:
        page = public_url(extended, base_url)
    origin = page or framework.url or base_url
    return origin if "#" in origin else f"{origin}#{item.code}"


def resolve_items(
    session: Session, principal: Principal, item_ids: Iterable[UUID], *, base_url: str
) -> dict[UUID, Alignment]:
    """The alignment to each item (OB 2.0 ``alignment``, OB 3.0 ``Alignment``).

    Raises NotFound naming every id that is unknown or not visible to the caller.
    """
    wanted = list(dict.fromkeys(item_ids))
    repository = FrameworkRepository(session, principal)
    found = repository.visible_items(wanted)
    missing = set(wanted) - {item.id for item, _ in found}
    if missing:
        listed = ", ".join(sorted(str(item_id) for item_id in missing))
        raise NotFound(f"No competency framework item with id {listed}.", item_ids=sorted(missing))
    sources = repository.built_in_by_id(framework.extends_id for _, framework in found)
    return {
        item.id: Alignment(
            target_name=item.name,
            target_url=target_url(item, framework, base_url, _source(sources, framework)),
            target_description=item.description,
            target_framework=framework.name,
            target_code=item.code,
        )
        for item, framework in found
    }


def _source(
    sources: dict[UUID, CompetencyFramework], framework: CompetencyFramework
) -> CompetencyFramework | None:
    return sources.get(framework.extends_id) if framework.extends_id else None


def framework_levels(
    session: Session, principal: Principal, framework_id: UUID
) -> tuple[core.Level, ...]:
    """The mastery levels of a framework the caller may read, lowest first."""
    framework = FrameworkRepository(session, principal).get(framework_id)
    return tuple(
        core.Level(level["level"], level["name"], level.get("description"))
        for level in framework.levels
    )
