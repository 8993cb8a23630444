"""``serve --workers N``: N processes, each listening on the port with its own socket.

uvicorn's supervisor binds one socket and shares it, and whichever worker wakes first
accepts every pending connection (libuv accepts until the queue is empty). A client or a
reverse proxy that opens its keep-alive connections at once then has them all served by
one process while the others idle: under wrk, two workers ran at the one-worker rate
(``bench/README.md``, "Serving at scale"). Here each worker binds its own listening socket
with ``SO_REUSEPORT``, and the kernel spreads new connections over them.

The parent holds the port (bound with ``SO_REUSEPORT``, never listening, so no connection
waits on it), starts the workers, starts again one that dies (a worker that dies within
its first seconds stops the service: it would only die again), and on SIGINT or SIGTERM
asks the workers to stop, waits for them, then kills what is left.
"""

import logging
import multiprocessing
import signal
import socket
import time
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn

logger = logging.getLogger("badgeforge.supervisor")
BACKLOG = 2048
EARLY_DEATH_SECONDS = 5.0
STOP_SECONDS = 20.0


def reuse_port_socket(host: str, port: int, *, listen: bool) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` with ``SO_REUSEPORT`` (listening if asked)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        if listen:
            sock.listen(BACKLOG)
    except BaseException:
        sock.close()
        raise
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    """One worker process: its own socket, its own app (settings from the environment)."""
    from badgeforge.serving import uvicorn_config, worker_app

    sock = reuse_port_socket(host, port, listen=True)
    uvicorn.Server(uvicorn_config(worker_app(), host=host, port=port, **options)).run([sock])


class Supervisor:
    """Runs ``workers`` worker processes on ``host``:``port`` until SIGINT or SIGTERM."""

    def __init__(self, host: str, port: int, workers: int, options: dict[str, Any]) -> None:
        self.host, self.port, self.workers, self.options = host, port, workers, options
        self._context = multiprocessing.get_context("spawn")
        self._stopping = False

    def run(self) -> int:
        """Serve until asked to stop; the exit status (1 when a worker failed to start)."""
        holder = reuse_port_socket(self.host, self.port, listen=False)  # the port is ours
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        processes: list[tuple[BaseProcess, float]] = []
        try:
            processes = [self._start() for _ in range(self.workers)]
            logger.info("serving on %s:%d with %d workers", self.host, self.port, self.workers)
            status = 0
            while not self._stopping and status == 0:
                time.sleep(0.2)
                status = self._replace_dead(processes)
            return status
        finally:
            self._stop_all([process for process, _ in processes])
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            holder.close()

    def _replace_dead(self, processes: list[tuple[BaseProcess, float]]) -> int:
        """Start a worker in place of each one that died; 1 if one died at its start."""
        for index, (process, started) in enumerate(processes):
            if self._stopping or process.is_alive():
                continue
            code = process.exitcode
            if time.monotonic() - started < EARLY_DEATH_SECONDS:
                logger.error("worker %s exited at start (status %s)", process.pid, code)
                return 1
            logger.warning("worker %s exited (status %s); starting another", process.pid, code)
            processes[index] = self._start()
        return 0

    def _start(self) -> tuple[BaseProcess, float]:
        process = self._context.Process(
            target=_worker, args=(self.host, self.port, self.options), name="badgeforge-worker"
        )
        process.start()
        return process, time.monotonic()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def _stop_all(self, processes: list[BaseProcess]) -> None:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        deadline = time.monotonic() + STOP_SECONDS
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
