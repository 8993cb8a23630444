"""The award page's HTML, rendered once per state of the award and kept.

Rendering the page (its named checks in every format) costs more than reading what it
depends on, so the HTML is cached in the process under everything it is made of: the
verification reports' key (``pages.verdict.cache_key``: stored documents, revocation,
status list, issuer and key publication, which side of each date ``now`` is), the award
fields the page shows, the language, the page path and the day (the "checked on" date).
Each request reads those from the database, so every process serves the same page.
"""

import json
from datetime import datetime
from uuid import UUID

from sqlalchemy.orm import Session

from badgeforge.pages import service
from badgeforge.pages.i18n import Language
from badgeforge.pages.templating import render
from badgeforge.pages.verdict import LruCache, cache_key
from badgeforge.public.service import issued_state

PAGES: LruCache[str] = LruCache(512)


def award_page(
    session: Session,
    award_id: UUID,
    language: Language,
    path: str,
    now: datetime,
    *,
    easy: bool = False,
) -> str:
    """The award page in ``language`` at ``now`` (NotFound for an unknown award); ``easy``
    shows the badge's easy-to-read text."""
    state = issued_state(session, award_id)
    award = state.award
    credential = json.loads(state.issued.ob3_credential)
    key = (
        cache_key(session, state, credential, now),
        language,
        path,
        now.date(),
        award.recipient_email,
        award.badge_class_id,
        award.issued_on,
        award.expires_at,
        award.revocation_reason,
        award.badge_class_version_id,
        award.level,
        easy,
    )
    page = PAGES.get(key)
    if page is None:
        view = service.award_view_of(session, state, credential, now, language=language, easy=easy)
        page = render("award.html", language, path, award=view, easy=easy)
        PAGES.put(key, page)
    return page
