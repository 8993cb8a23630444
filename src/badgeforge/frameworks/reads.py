"""Response bodies of frameworks and items, built from the rows."""

from uuid import UUID

from sqlalchemy.orm import Session

from badgeforge.frameworks import service
from badgeforge.frameworks.models import CompetencyFramework, FrameworkItem
from badgeforge.frameworks.repository import FrameworkRepository
from badgeforge.frameworks.schemas import FrameworkRead, ItemRead
from badgeforge.security import Principal


def framework_read(
    session: Session,
    principal: Principal,
    framework: CompetencyFramework,
    base_url: str,
    item_count: int | None = None,
) -> FrameworkRead:
    """The API view of a framework (``item_count`` counted unless given)."""
    if item_count is None:
        item_count = service.item_counts(session, principal, [framework.id])[framework.id]
    return FrameworkRead(
        id=framework.id,
        slug=framework.slug,
        name=framework.name,
        description=framework.description,
        url=framework.url,
        language=framework.language,
        levels=framework.levels,
        translations=framework.translations,
        built_in=framework.built_in,
        extends_id=framework.extends_id,
        item_count=item_count,
        public_url=service.public_url(framework, base_url),
        created_at=framework.created_at,
        updated_at=framework.updated_at,
    )


def item_reads(
    session: Session,
    principal: Principal,
    framework: CompetencyFramework,
    items: list[FrameworkItem],
    base_url: str,
) -> list[ItemRead]:
    """The API view of items of one framework, with their alignment URLs."""
    extends: list[UUID] = [framework.extends_id] if framework.extends_id else []
    source = FrameworkRepository(session, principal).built_in_by_id(extends)
    extended = source.get(framework.extends_id) if framework.extends_id else None
    return [
        ItemRead.model_validate(
            {
                "id": item.id,
                "framework_id": item.framework_id,
                "code": item.code,
                "name": item.name,
                "description": item.description,
                "url": item.url,
                "group": item.group_name,
                "levels": item.levels,
                "translations": item.translations,
                "target_url": service.target_url(item, framework, base_url, extended),
                "created_at": item.created_at,
            }
        )
        for item in items
    ]
