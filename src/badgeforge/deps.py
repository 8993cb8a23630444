"""Request-scoped access to the app's settings and key vault (the public URL layout's
dependency, ``LinksDep``, lives with it in ``public.links``)."""

from typing import Annotated

from fastapi import Depends, Request

from badgeforge.core.keys import KeyVault
from badgeforge.settings import Settings

# These are ``async`` on purpose: they only read app state, and a sync dependency would cost
# a thread-pool hop on every request (measured: about 0.1 ms each on the public routes).


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_vault(request: Request) -> KeyVault:
    """The vault that unseals issuers' private keys (made once, at app creation)."""
    vault: KeyVault = request.app.state.vault
    return vault


SettingsDep = Annotated[Settings, Depends(get_settings)]
VaultDep = Annotated[KeyVault, Depends(get_vault)]
