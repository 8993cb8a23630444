"""The render worker pool: renders out of process, killed on timeout, replaced after a crash."""

import os
import threading
import time
from collections.abc import Iterator

import pytest

from badgeforge.core.errors import ImageTooComplex, InvalidImage
from badgeforge.core.svg_budget import RenderLimits
from badgeforge.rendering import PoolConfig, RenderPool
from tests.images import SAFE_SVG, TURBULENCE_BOMB, bomb_png, svg_embedding

NO_COST_CHECK = RenderLimits(
    max_turbulence_octaves=10**6,
    max_work=10**30,
    max_raster_side=10**6,
    max_raster_pixels=10**12,
    max_raster_total=10**12,
)
"""Lets hostile SVGs reach the renderer, to exercise the worker's own limits."""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a killed child stays a zombie until joined; /proc tells the difference
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ")[1][0] != "Z"


@pytest.fixture
def pool() -> Iterator[RenderPool]:
    pool = RenderPool(PoolConfig(workers=1, timeout=1.0, memory_bytes=256 * 2**20))
    yield pool
    pids = pool.pids
    pool.close()
    assert not any(alive(pid) for pid in pids), "render workers left running"


def test_renders_in_another_process(pool: RenderPool) -> None:
    png = pool.render(SAFE_SVG, width=64, limits=RenderLimits())
    assert png.startswith(b"\x89PNG")
    assert len(pool.pids) == 1
    assert pool.pids[0] != os.getpid()


def test_cost_check_refuses_before_a_worker_is_started(pool: RenderPool) -> None:
    with pytest.raises(ImageTooComplex, match="numOctaves"):
        pool.render(TURBULENCE_BOMB, width=512, limits=RenderLimits())
    assert pool.pids == []


def test_a_slow_render_is_killed_and_its_worker_replaced(pool: RenderPool) -> None:
    pool.render(SAFE_SVG, width=64, limits=RenderLimits())
    (first,) = pool.pids
    started = time.monotonic()
    with pytest.raises(ImageTooComplex, match="took longer than 1 s and was stopped"):
        pool.render(TURBULENCE_BOMB, width=512, limits=NO_COST_CHECK)
    assert time.monotonic() - started < 3
    assert not alive(first)
    assert pool.render(SAFE_SVG, width=64, limits=RenderLimits()).startswith(b"\x89PNG")
    assert pool.pids != [first]


def test_a_render_over_the_memory_limit_is_refused_and_replaced(pool: RenderPool) -> None:
    bomb = svg_embedding(bomb_png(16000, 16000))  # a 1 GB pixmap once decoded
    pool.render(SAFE_SVG, width=64, limits=RenderLimits())
    (first,) = pool.pids
    with pytest.raises(ImageTooComplex, match="needed more than 256 MiB of memory"):
        pool.render(bomb, width=512, limits=NO_COST_CHECK)
    assert not alive(first)
    assert pool.render(SAFE_SVG, width=64, limits=RenderLimits()).startswith(b"\x89PNG")


def test_refusals_inside_the_worker_keep_their_message(pool: RenderPool) -> None:
    with pytest.raises(InvalidImage, match="not well-formed"):
        pool.render(b"<svg", width=64, limits=RenderLimits())


def test_concurrent_renders_share_the_workers() -> None:
    pool = RenderPool(PoolConfig(workers=2, timeout=5.0))
    results: list[bytes] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(pool.render(SAFE_SVG, width=32, limits=RenderLimits()))
        )
        for _ in range(6)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(results) == 6
        assert len(pool.pids) <= 2
    finally:
        pool.close()
    with pytest.raises(RuntimeError, match="closed"):
        pool.render(SAFE_SVG, width=32, limits=RenderLimits())
