"""How badgeforge is served: one uvicorn configuration for ``badgeforge serve``, demo and tests.

Header names on the wire: uvicorn's h11 protocol writes them as the application spells
them and title-cases the ``Connection``/``Transfer-Encoding`` headers h11 adds, while its
httptools protocol (uvicorn's default whenever httptools is installed, as with
``uvicorn[standard]``) lower-cases every name it writes (uvicorn 0.54,
``httptools_impl.py``). uvicorn's own ``server`` and ``date`` headers are lower case with
either. So the configuration pins h11, turns those two off and adds ``Date`` itself;
``badgeforge.middleware.ResponseHeaders`` spells every other name canonically. Open Badge
Passport's hourly re-check finds ``Content-Type`` only when it is spelled so.
"""

from email.utils import formatdate
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_PROTOCOL = "h11"


def uvicorn_config(app: ASGIApp, *, host: str, port: int, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration serving `app` on `host`:`port`; `options` add to it."""
    return uvicorn.Config(
        DateHeader(app),
        host=host,
        port=port,
        http=HTTP_PROTOCOL,
        server_header=False,
        date_header=False,
        **options,
    )


def serve(app: ASGIApp, *, host: str, port: int, **options: Any) -> None:
    """Serve `app` until interrupted."""
    uvicorn.Server(uvicorn_config(app, host=host, port=port, **options)).run()


class DateHeader:
    """Adds ``Date`` (RFC 9110 §6.6.1) spelled canonically, in place of uvicorn's ``date``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_date(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"date" for name, _ in headers):
                    headers.append((b"Date", formatdate(usegmt=True).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_date)
