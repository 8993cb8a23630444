"""What badge classes use: alignments to framework items and a framework's levels."""

from uuid import uuid4

import pytest
from sqlalchemy.orm import Session

from badgeforge.core.frameworks import builtin_framework_id, builtin_item_id
from badgeforge.core.records import Alignment
from badgeforge.frameworks import imports, service
from badgeforge.frameworks.schemas import FrameworkCreate, FrameworkExtend, ItemCreate
from badgeforge.pagination import PageParams
from badgeforge.problems import NotFound
from tests.factories import create_tenant

BASE = "https://badges.example.fr"
RECTEC = builtin_framework_id("rectec")


class TestResolveItems:
    def test_built_in_items_align_to_the_public_page(self, session: Session) -> None:
        tenant = create_tenant(session)
        c3, c11 = builtin_item_id("rectec", "C3"), builtin_item_id("rectec", "C11")
        found = service.resolve_items(session, tenant.principal, [c3, c11, c3], base_url=BASE)
        assert found == {
            c3: Alignment(
                target_name="Travailler en équipe",
                target_url=f"{BASE}/frameworks/rectec#C3",
                target_framework="RECTEC",
                target_code="C3",
            ),
            c11: Alignment(
                target_name="Construire son parcours professionnel",
                target_url=f"{BASE}/frameworks/rectec#C11",
                target_framework="RECTEC",
                target_code="C11",
            ),
        }

    def test_own_items_and_copies(self, session: Session) -> None:
        tenant = create_tenant(session)
        data = FrameworkCreate(slug="pro", name="Pro", url="https://pro.example.org/ref")
        framework = service.create(session, tenant.principal, data)
        item = service.add_item(
            session,
            tenant.principal,
            framework.id,
            ItemCreate(code="P1", name="Accueillir", description="Accueille le public."),
        )
        copy = imports.extend(session, tenant.principal, RECTEC, FrameworkExtend())
        c1 = service.list_items(session, tenant.principal, copy.id, PageParams()).rows[0]
        found = service.resolve_items(session, tenant.principal, [item.id, c1.id], base_url=BASE)
        assert found[item.id].target_url == "https://pro.example.org/ref#P1"
        assert found[item.id].target_description == "Accueille le public."
        assert found[c1.id].target_url == f"{BASE}/frameworks/rectec#C1"
        assert found[c1.id].target_framework == "RECTEC"

    def test_unknown_and_invisible_items_are_not_found(self, session: Session) -> None:
        owner, other = create_tenant(session, "Owner"), create_tenant(session, "Other")
        data = FrameworkCreate(slug="pro", name="Pro", url="https://pro.example.org/ref")
        framework = service.create(session, owner.principal, data)
        item = service.add_item(
            session, owner.principal, framework.id, ItemCreate(code="P1", name="Accueillir")
        )
        unknown = uuid4()
        with pytest.raises(NotFound) as raised:
            service.resolve_items(
                session,
                other.principal,
                [item.id, unknown, builtin_item_id("rectec", "C1")],
                base_url=BASE,
            )
        assert str(item.id) in raised.value.detail
        assert str(unknown) in raised.value.detail
        assert set(raised.value.extensions["item_ids"]) == {item.id, unknown}
        assert service.resolve_items(session, owner.principal, [item.id], base_url=BASE)


class TestFrameworkLevels:
    def test_rectec_levels_lowest_first(self, session: Session) -> None:
        tenant = create_tenant(session)
        levels = service.framework_levels(session, tenant.principal, RECTEC)
        assert [(level.number, level.name) for level in levels] == [
            (n, f"Cercle {n}") for n in range(1, 5)
        ]
        assert levels[0].description == "Identifie…"

    def test_someone_elses_framework_is_not_found(self, session: Session) -> None:
        owner, other = create_tenant(session, "Owner"), create_tenant(session, "Other")
        data = FrameworkCreate(
            slug="pro",
            name="Pro",
            url="https://pro.example.org/ref",
            levels=[{"level": 2, "name": "Deux"}, {"level": 1, "name": "Un"}],  # type: ignore[list-item]
        )
        framework = service.create(session, owner.principal, data)
        levels = service.framework_levels(session, owner.principal, framework.id)
        assert [level.name for level in levels] == ["Un", "Deux"]
        with pytest.raises(NotFound):
            service.framework_levels(session, other.principal, framework.id)
