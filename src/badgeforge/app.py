"""The application factory: routers, problem handlers, edge guards, OpenAPI."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from badgeforge import __version__
from badgeforge.access.api import router as access_router
from badgeforge.access.keys import ApiKeyStore
from badgeforge.audit.api import router as audit_router
from badgeforge.awards.api import router as awards_router
from badgeforge.badge_classes.api import router as badge_classes_router
from badgeforge.badge_classes.api import templates_router
from badgeforge.badge_classes.design_api import router as badge_class_design_router
from badgeforge.batches.api import router as batches_router
from badgeforge.caching import ConditionalRequests
from badgeforge.class_templates.api import router as class_templates_router
from badgeforge.codesign.api import router as codesign_router
from badgeforge.codesign.page import router as codesign_page_router
from badgeforge.contract import build_openapi
from badgeforge.db import HeldReads, make_engine, make_sessionmaker, read_engine
from badgeforge.designs.api import router as designs_router
from badgeforge.direct import DirectRoutes
from badgeforge.frameworks.api import router as frameworks_router
from badgeforge.frameworks.page import router as framework_page_router
from badgeforge.issuers.api import router as issuers_router
from badgeforge.meta import SWAGGER_UI_DIR
from badgeforge.meta import router as meta_router
from badgeforge.middleware import HeadAsGet, RequestGuard, install_response_headers
from badgeforge.observability import install_observability, metrics_router
from badgeforge.outbound import fetcher_from_settings
from badgeforge.pages.api import router as pages_router
from badgeforge.pages.templating import STATIC_DIR as PAGES_STATIC_DIR
from badgeforge.pages.templating import STATIC_PATH as PAGES_STATIC_PATH
from badgeforge.problems import install_problem_handlers
from badgeforge.public.api import router as public_router
from badgeforge.public.ob3_api import router as ob3_public_router
from badgeforge.ratelimit import rate_limiter_from_settings
from badgeforge.settings import Settings
from badgeforge.signing.api import router as signing_router
from badgeforge.signing.vault import vault_from_settings
from badgeforge.vcapi.api import router as vcapi_router
from badgeforge.verification.api import router as verification_router
from badgeforge.verification.pages import router as verify_page_router
from badgeforge.webhooks.api import router as webhooks_router

DESCRIPTION = """
Issue and host **Open Badges 2.0** that import into wallets such as Open Badge Passport and
pass the 1EdTech validator.

1. Click **Authorize** and paste your API key (`bf_…`).
2. Create an issuer, then a badge class, then award it to a learner's email.
3. The award's `assertion_url` is the public, verifiable badge; `baked_png_url` and
   `baked_svg_url` are the images to upload to a wallet.

Every error is an RFC 9457 `application/problem+json` document with a human `detail`.
"""

TAGS = [
    {"name": "issuers", "description": "Issuing profiles of your organisation."},
    {"name": "badge classes", "description": "What a badge recognises, its criteria and image."},
    {
        "name": "badge class templates",
        "description": "Ready-made badge classes to start from (safety, RECTEC competencies).",
    },
    {
        "name": "co-design",
        "description": "Invite learners, educators and tutors to co-design a badge class.",
    },
    {"name": "competency frameworks", "description": "RECTEC and your frameworks to align to."},
    {"name": "awards", "description": "Badges awarded to learners; revocation."},
    {"name": "award batches", "description": "One badge to a whole group (JSON or CSV)."},
    {"name": "verification", "description": "Verify any Open Badge, from any issuer."},
    {"name": "signing keys", "description": "Issuers' signing keys: rotation and retirement."},
    {"name": "access", "description": "Your organisation and its API keys."},
    {"name": "webhooks", "description": "Signed event notifications (Standard Webhooks)."},
    {"name": "public", "description": "Unauthenticated hosted badges, for wallets and verifiers."},
    {"name": "service", "description": "Health and problem type documentation."},
]


DIRECT_ROUTERS = (public_router, ob3_public_router, pages_router, meta_router)
"""The routers whose eligible GET routes ``badgeforge.direct`` answers (public documents,
images and pages; ``/health``)."""


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Build the service for ``settings`` (and an existing engine, if given)."""
    settings = settings or Settings()
    owns_engine = engine is None
    engine = engine or make_engine(settings.resolved_database_url)
    held_reads = HeldReads(engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        held_reads.close()
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        title="badgeforge",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.writer_sessionmaker = make_sessionmaker(engine, writer=True)
    app.state.read_engine = read_engine(engine)  # single-statement reads (db.get_reads)
    app.state.held_reads = held_reads  # the same, held by the thread that uses them
    app.state.vault = vault_from_settings(settings)
    app.state.rate_limiter = rate_limiter_from_settings(settings, engine)
    app.state.fetcher = fetcher_from_settings(settings)
    app.state.key_store = ApiKeyStore()  # what security, key_usage and ratelimit read
    install_problem_handlers(app)
    # Innermost: the public GET routes answered without the router walk and DI (direct.py).
    app.add_middleware(DirectRoutes, routers=DIRECT_ROUTERS)
    app.add_middleware(RequestGuard, max_body_bytes=settings.max_request_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(ConditionalRequests)  # If-None-Match -> 304 (public documents)
    install_response_headers(app)  # nosniff, CSP, canonical names
    install_observability(app)  # outermost: X-Request-Id, JSON access log, latency metric
    # The public routes first: wallets, employers and verifiers hit them most, and routing
    # tries routes in order (a quarter of a public request's time was route matching).
    for router in (
        public_router,
        ob3_public_router,
        pages_router,
        framework_page_router,
        codesign_page_router,
        meta_router,
        issuers_router,
        badge_classes_router,
        badge_class_design_router,
        codesign_router,
        templates_router,
        designs_router,
        class_templates_router,
        frameworks_router,
        awards_router,
        batches_router,
        access_router,
        audit_router,
        signing_router,
        vcapi_router,
        webhooks_router,
        metrics_router,
        verification_router,
        verify_page_router,
    ):
        app.include_router(router)
    app.mount("/static/swagger-ui", StaticFiles(directory=SWAGGER_UI_DIR), name="swagger-ui")
    app.mount(PAGES_STATIC_PATH, StaticFiles(directory=PAGES_STATIC_DIR), name="pages-static")
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    return app


def import_all_models() -> None:
    """Import every domain's models so ``Base.metadata`` is complete (Alembic, tests).

    It lives here, in the composition root, because the platform modules must not know the
    domains (dependencies point platform <- domains).
    """
    from badgeforge import idempotency, ratelimit
    from badgeforge.access import models as access_models
    from badgeforge.audit import models as audit_models
    from badgeforge.awards import models as award_models
    from badgeforge.badge_classes import models as badge_class_models
    from badgeforge.batches import models as batch_models
    from badgeforge.codesign import models as codesign_models
    from badgeforge.frameworks import models as framework_models
    from badgeforge.issuance import models as issuance_models
    from badgeforge.issuers import models as issuer_models
    from badgeforge.jobs import models as job_models
    from badgeforge.signing import models as signing_models
    from badgeforge.webhooks import models as webhook_models

    del idempotency, ratelimit, access_models, audit_models, award_models, badge_class_models
    del framework_models, codesign_models
    del batch_models, issuance_models, issuer_models, job_models, signing_models, webhook_models
