"""``serve --workers N``: N processes; the parent accepts connections and deals them out.

uvicorn's supervisor binds one socket and shares it, and whichever worker wakes first
accepts every pending connection (libuv accepts until the queue is empty): a client or a
reverse proxy that opens its keep-alive connections at once had them all served by one
process while the others idled. One ``SO_REUSEPORT`` socket per worker spreads them by a
hash of the addresses instead, which with a few connections still gives one worker all of
them now and then (with 4 connections and 2 workers, 1 time in 8: the row ran at the
one-worker rate, ``bench/README.md``, "Serving at scale").

Here the parent listens on the port and hands each accepted connection to the next worker
in turn, over a Unix socket pair (``SCM_RIGHTS``), then closes its own copy. A worker
serves the connections it receives exactly as uvicorn serves those it accepts. The cost is
per connection, not per request (keep-alive connections stay with their worker).

The parent starts the workers, starts again one that dies (a worker that dies within its
first seconds stops the service: it would only die again), skips a worker whose channel is
closed or full, and on SIGINT or SIGTERM stops accepting, asks the workers to stop, waits
for them, then kills what is left. A worker whose parent is gone stops too.
"""

import asyncio
import logging
import multiprocessing
import selectors
import signal
import socket
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn

logger = logging.getLogger("badgeforge.supervisor")
BACKLOG = 2048
EARLY_DEATH_SECONDS = 5.0
STOP_SECONDS = 20.0
FDS_PER_MESSAGE = 64


def listening_socket(host: str, port: int) -> socket.socket:
    """A non-blocking TCP socket listening on ``host``:``port``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


class DealtConnections:
    """A worker's source of connections: the ones its parent sends over ``channel``.

    It stands where uvicorn keeps its listening servers (``close`` stops it). When the
    channel closes (the parent is gone), the worker is asked to exit.
    """

    def __init__(self, server: "DealtServer", channel: socket.socket) -> None:
        self.server = server
        self.channel = channel
        self.loop = asyncio.get_running_loop()
        channel.setblocking(False)
        self.loop.add_reader(channel.fileno(), self._receive)

    def _receive(self) -> None:
        try:
            data, fds, _, _ = socket.recv_fds(self.channel, FDS_PER_MESSAGE, FDS_PER_MESSAGE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data, fds = b"", []
        for fd in fds:
            connection = socket.socket(fileno=fd)
            connection.setblocking(False)
            self.loop.create_task(self._serve(connection))
        if not data and not fds:  # the parent closed the channel: it is gone
            self.close()
            self.server.should_exit = True

    async def _serve(self, connection: socket.socket) -> None:
        try:
            await self.loop.connect_accepted_socket(self.server.create_protocol, connection)
        except OSError:  # the client left before the worker took the connection
            connection.close()

    def close(self) -> None:
        if self.channel.fileno() != -1:
            self.loop.remove_reader(self.channel.fileno())
            self.channel.close()

    async def wait_closed(self) -> None:
        """Closed at once (uvicorn waits for its servers at shutdown)."""


class DealtServer(uvicorn.Server):
    """uvicorn's server, serving the connections its parent deals it (no socket of its own)."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel = channel

    def create_protocol(self, _loop: asyncio.AbstractEventLoop | None = None) -> asyncio.Protocol:
        """A connection's protocol, made as uvicorn makes it for the connections it accepts."""
        protocol: asyncio.Protocol = self.config.http_protocol_class(  # type: ignore[call-arg]
            config=self.config,
            server_state=self.server_state,
            app_state=self.lifespan.state,
            _loop=_loop,
        )
        return protocol

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])
        if self.started:
            self.servers.append(DealtConnections(self, self.channel))  # type: ignore[arg-type]


def _worker(channel: socket.socket, host: str, port: int, options: dict[str, Any]) -> None:
    """One worker process: its own app (settings from the environment), fed by ``channel``."""
    from badgeforge.serving import uvicorn_config, worker_app

    DealtServer(uvicorn_config(worker_app(), host=host, port=port, **options), channel).run()


@dataclass
class _Worker:
    process: BaseProcess
    channel: socket.socket
    started: float


class Supervisor:
    """Runs ``workers`` worker processes on ``host``:``port`` until SIGINT or SIGTERM."""

    def __init__(self, host: str, port: int, workers: int, options: dict[str, Any]) -> None:
        self.host, self.port, self.workers, self.options = host, port, workers, options
        self._context = multiprocessing.get_context("spawn")
        self._stopping = False
        self._next = 0

    def run(self) -> int:
        """Serve until asked to stop; the exit status (1 when a worker failed to start)."""
        listener = listening_socket(self.host, self.port)
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        workers: list[_Worker] = []
        try:
            workers = [self._start() for _ in range(self.workers)]
            logger.info("serving on %s:%d with %d workers", self.host, self.port, self.workers)
            with selectors.DefaultSelector() as selector:
                selector.register(listener, selectors.EVENT_READ)
                status = 0
                while not self._stopping and status == 0:
                    if selector.select(timeout=0.2):
                        self._deal(listener, workers)
                    status = self._replace_dead(workers)
            return status
        finally:
            listener.close()  # new connections are refused while the workers finish
            self._stop_all(workers)
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _deal(self, listener: socket.socket, workers: list[_Worker]) -> None:
        """Accept every pending connection and hand each to the next worker in turn."""
        while True:
            try:
                connection, _ = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:  # out of descriptors, a connection reset while queued
                logger.warning("accept failed: %s", error)
                return
            with connection:
                self._hand_over(connection, workers)

    def _hand_over(self, connection: socket.socket, workers: list[_Worker]) -> None:
        for _ in range(len(workers)):
            worker = workers[self._next % len(workers)]
            self._next += 1
            try:
                socket.send_fds(worker.channel, [b"c"], [connection.fileno()])
                return
            except OSError:  # a worker gone (replaced soon) or too far behind: the next one
                continue
        logger.error("no worker could take a connection; it is closed")

    def _replace_dead(self, workers: list[_Worker]) -> int:
        """Start a worker in place of each one that died; 1 if one died at its start."""
        for index, worker in enumerate(workers):
            if self._stopping or worker.process.is_alive():
                continue
            code = worker.process.exitcode
            worker.channel.close()
            if time.monotonic() - worker.started < EARLY_DEATH_SECONDS:
                logger.error("worker %s exited at start (status %s)", worker.process.pid, code)
                return 1
            logger.warning(
                "worker %s exited (status %s); starting another", worker.process.pid, code
            )
            workers[index] = self._start()
        return 0

    def _start(self) -> _Worker:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        ours.setblocking(False)
        process = self._context.Process(
            target=_worker,
            args=(theirs, self.host, self.port, self.options),
            name="badgeforge-worker",
        )
        try:
            process.start()
        finally:
            theirs.close()  # the worker has its own copy; the channel closes when it dies
        return _Worker(process, ours, time.monotonic())

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def _stop_all(self, workers: list[_Worker]) -> None:
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        deadline = time.monotonic() + STOP_SECONDS
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.channel.close()
