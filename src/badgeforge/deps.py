"""Request-scoped access to the app's settings and public URL layout."""

from typing import Annotated

from fastapi import Depends, Request

from badgeforge.public.links import PublicLinks
from badgeforge.settings import Settings


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_links(request: Request) -> PublicLinks:
    """Public URLs under the configured base URL."""
    return PublicLinks(get_settings(request).base_url)


SettingsDep = Annotated[Settings, Depends(get_settings)]
LinksDep = Annotated[PublicLinks, Depends(get_links)]
