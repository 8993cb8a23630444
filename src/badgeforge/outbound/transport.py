"""An httpx transport over an httpcore connection pool that connects through our backend.

httpx's own ``HTTPTransport`` has no public way to choose the network backend, so this is
its small equivalent: requests go to an ``httpcore.ConnectionPool`` built with
:class:`~badgeforge.outbound.network.GuardedBackend`. No proxy, no Unix socket, HTTP/1.1.
httpcore's exceptions are left as they are; the fetcher maps them to typed fetch errors.
"""

import ssl
from collections.abc import Iterator

import httpcore
import httpx


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()


class GuardedTransport(httpx.BaseTransport):
    """Sends httpx requests through a pool whose every connection the backend checked."""

    def __init__(
        self,
        backend: httpcore.NetworkBackend,
        *,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = 32,
        max_keepalive_connections: int = 8,
        keepalive_expiry: float = 30.0,
    ) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive_connections,
            keepalive_expiry=keepalive_expiry,
            network_backend=backend,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and return the response with its body still unread."""
        assert isinstance(request.stream, httpx.SyncByteStream)  # noqa: S101 (sync client)
        response = self._pool.handle_request(
            httpcore.Request(
                method=request.method,
                url=httpcore.URL(
                    scheme=request.url.raw_scheme,
                    host=request.url.raw_host,
                    port=request.url.port,
                    target=request.url.raw_path,
                ),
                headers=request.headers.raw,
                content=request.stream,
                extensions=request.extensions,
            )
        )
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response),
            extensions=response.extensions,
        )

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()
