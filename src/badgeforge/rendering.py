"""Rasterising SVG out of the request's process: a small pool of render worker processes.

The renderer (resvg) holds the GIL and ignores signals while it works, and a hostile SVG can
make it run for minutes or allocate gigabytes. So the server never renders itself: the
calling thread checks the SVG's cost (``core.images.prepare_render``: clear refusals, no
renderer), then hands it to a worker process that runs with an address-space limit
(``RLIMIT_AS``) and waits for it with a wall-clock timeout, without holding the GIL. A
worker that times out is killed (SIGKILL) and replaced; one that runs out of memory or
crashes is replaced too; either way the image is refused with ImageTooComplex (a 422).

Workers are started from a ``forkserver`` (never ``fork`` from a threaded server), lazily,
up to the configured number; one pool per configuration is shared by every app of the
process (tests build many apps) and closed at interpreter exit. Requests beyond the number
of workers wait for one; each waits at most one timeout per render ahead of it.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import multiprocessing
import resource
import signal
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

from badgeforge.core.errors import CoreError, ImageTooComplex, InvalidImage
from badgeforge.core.images import prepare_render, svg_to_png
from badgeforge.core.svg import serialize_svg
from badgeforge.core.svg_budget import RenderLimits

if TYPE_CHECKING:
    from badgeforge.settings import Settings

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class PoolConfig:
    """How many workers, how long one render may take, how much memory a worker may map."""

    workers: int = 2
    timeout: float = 5.0
    memory_bytes: int = 512 * 2**20


def render_svg(svg: bytes, *, width: int, settings: Settings) -> bytes:
    """Render an SVG to PNG out of process, with the limits and pool sized from `settings`."""
    config = PoolConfig(
        workers=settings.render_workers,
        timeout=settings.render_timeout_seconds,
        memory_bytes=settings.render_memory_bytes,
    )
    limits = RenderLimits(
        max_raster_side=settings.max_image_side, max_raster_pixels=settings.max_image_pixels
    )
    return render_pool(config).render(svg, width=width, limits=limits)


class _WorkerLost(Exception):
    pass


class _RenderTimedOut(Exception):  # not TimeoutError: that is an OSError
    pass


class _Worker:
    def __init__(self, context: ForkServerContext, memory_bytes: int) -> None:
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child, memory_bytes), name="badgeforge-render", daemon=True
        )
        self.process.start()
        child.close()

    def run(self, job: tuple[bytes, int, RenderLimits], timeout: float) -> tuple[str, Any]:
        try:
            self.connection.send(job)
            ready = self.connection.poll(timeout)
            result: tuple[str, Any] = self.connection.recv() if ready else ("", None)
        except (EOFError, OSError) as exc:
            raise _WorkerLost from exc
        if not ready:
            raise _RenderTimedOut
        return result

    def stop(self, *, kill: bool) -> None:
        if kill:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        self.connection.close()  # an idle worker exits when its pipe closes
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=2)


class RenderPool:
    """Worker processes that render SVG with a timeout and a memory limit (thread-safe)."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([__name__])
        self._condition = threading.Condition()
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._starting = 0
        self._closed = False

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._condition:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def render(self, svg: bytes, *, width: int, limits: RenderLimits) -> bytes:
        """Sanitise, check and render `svg` to a PNG `width` pixels wide; raises InvalidImage."""
        tree, _ = prepare_render(svg, width=width, limits=limits)  # clear refusals, no renderer
        worker = self._acquire()
        try:
            kind, value = worker.run((serialize_svg(tree), width, limits), self.config.timeout)
        except _RenderTimedOut:
            self._discard(worker)
            raise ImageTooComplex(
                f"rendering this SVG took longer than {self.config.timeout:g} s and was "
                "stopped; simplify its filters, patterns or embedded images"
            ) from None
        except _WorkerLost:
            self._discard(worker)
            raise self._memory_error() from None
        if kind == "memory":
            self._discard(worker)
            raise self._memory_error()
        self._release(worker)
        if kind == "png":
            return bytes(value)
        if isinstance(value, InvalidImage):
            raise value
        raise InvalidImage(f"SVG cannot be rendered ({value})")

    def close(self) -> None:
        """Stop every worker (killing busy ones); renders after this raise RuntimeError."""
        with self._condition:
            self._closed = True
            workers, self._idle, self._workers = list(self._workers), [], set()
            self._condition.notify_all()
        for worker in workers:
            worker.stop(kill=True)

    def _memory_error(self) -> ImageTooComplex:
        mebibytes = self.config.memory_bytes // 2**20
        return ImageTooComplex(
            f"rendering this SVG needed more than {mebibytes} MiB of memory and was stopped; "
            "use smaller embedded images or fewer effects"
        )

    def _acquire(self) -> _Worker:
        with self._condition:
            while True:
                if self._closed:
                    raise RuntimeError("the render pool is closed")
                if self._idle:
                    worker = self._idle.pop()
                    if worker.process.is_alive():
                        return worker
                    self._workers.discard(worker)
                    continue
                if len(self._workers) + self._starting < self.config.workers:
                    self._starting += 1
                    break
                self._condition.wait()
        try:
            worker = _Worker(self._context, self.config.memory_bytes)
        finally:
            with self._condition:
                self._starting -= 1
                self._condition.notify()
        with self._condition:
            self._workers.add(worker)
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._condition:
            if worker in self._workers:
                self._idle.append(worker)
            self._condition.notify()

    def _discard(self, worker: _Worker) -> None:
        worker.stop(kill=True)
        with self._condition:
            self._workers.discard(worker)
            self._condition.notify()


_POOLS: dict[PoolConfig, RenderPool] = {}
_POOLS_LOCK = threading.Lock()


def render_pool(config: PoolConfig) -> RenderPool:
    """The process-wide pool for `config`, created on first use."""
    with _POOLS_LOCK:
        if config not in _POOLS:
            _POOLS[config] = RenderPool(config)
        return _POOLS[config]


@atexit.register
def close_pools() -> None:
    """Stop every pool's workers (at interpreter exit, or when a test wants a clean slate)."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()


def _serve(connection: Connection, memory_bytes: int) -> None:
    """A worker's loop: render each job sent over `connection` until it closes."""
    _confine(memory_bytes)
    while True:
        try:
            svg, width, limits = connection.recv()
        except (EOFError, OSError):
            return
        try:
            result: tuple[str, Any] = ("png", svg_to_png(svg, width=width, limits=limits))
        except CoreError as exc:
            result = ("refused", exc)
        except MemoryError:
            connection.send(("memory", None))
            return
        except Exception as exc:  # a renderer bug: report it, keep serving
            result = ("failed", f"{type(exc).__name__}: {exc}")
        connection.send(result)


def _confine(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server to handle
    if sys.platform == "linux":  # die with the forkserver, which dies with the server
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
