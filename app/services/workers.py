"""Worker processes for CPU-bound batches: one pool the whole program shares.

Issuing writes packets in them and merging reads packets in them while the calling thread
works on the database. 'spawn' processes: nothing of this process, its threads or Qt is
copied; they get plain data and give back plain data (never the database). Kept between
batches for IDLE_SECONDS, then stopped (and at exit, by concurrent.futures' own exit hook).
The policy of when a batch is worth them stays with each feature (district/issue.py,
district/check.py), from `spare_cores()` and what the pool says of recent batches.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, wait

IDLE_SECONDS = 60.0  # worker processes kept for the next batch (issuing period by period)


def worker_ready() -> int:
    """A worker process's first task: importing the packet reader and writer is its
    start-up; once this returns, the worker is up and work handed to it starts at once."""
    import app.services.packets.reader
    import app.services.packets.writer

    del app
    return os.getpid()


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        return os.cpu_count() or 1


def load_average() -> float:
    """Processes wanting a core, averaged over the last minute (0 where the OS won't say)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows
        return 0.0


def spare_cores() -> int:
    """How many cores a batch may give worker processes besides the calling thread: none on
    one core or when the machine is far busier than its cores (load average ≥ twice their
    number: measured on 2 cores, workers then only add their start and the hand-over),
    else one fewer than the machine has. Each feature caps it with its own policy."""
    n = cpus()
    if n < 2 or load_average() >= 2 * n:
        return 0
    return n - 1


class WorkerPool:
    """The worker processes ('spawn': nothing of this process, its threads or Qt is copied)
    kept between batches for IDLE_SECONDS, then stopped (and at exit, by
    concurrent.futures' own exit hook). Each started process first runs `ready` (the
    imports its work needs); its future being done says that a worker is up."""

    def __init__(self, ready: Callable[[], int] = worker_ready) -> None:
        self._ready_fn = ready
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._ready: list[Future[int]] = []
        self._size = 0
        self._users = 0
        self._timer: threading.Timer | None = None
        self._last: tuple[float, int] = (-IDLE_SECONDS, 0)  # (monotonic end, packets)

    @property
    def warm(self) -> bool:
        """Workers kept from a recent batch that started well (a pool whose start failed
        after its batch ended is no help to the next one: it starts new ones)."""
        return self._pool is not None and not self._failed()

    def _failed(self) -> bool:
        return start_failed(self._ready)

    def batch_done(self, packets: int) -> None:
        """A batch of `packets` just ended (written here or by workers)."""
        self._last = (time.monotonic(), packets)

    def recent_batch(self, packets: int) -> bool:
        """Did a batch of at least `packets` end less than IDLE_SECONDS ago?"""
        end, size = self._last
        return size >= packets and time.monotonic() - end < IDLE_SECONDS

    def acquire(self, n: int) -> tuple[ProcessPoolExecutor, list[Future[int]]]:
        """The pool (started now if there is none, or the current one is idle and either
        too small or one of its workers failed to start after its last batch had ended)
        and its workers' start-up futures. Raises what starting a process raised
        (OSError: out of processes or memory; RuntimeError), keeping none."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._pool is not None and self._users == 0 and (self._size < n
                                                               or self._failed()):
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            if self._pool is None:
                pool = ProcessPoolExecutor(n, mp_context=mp.get_context("spawn"))
                try:
                    # on 'spawn' each submit into a pool without an idle worker starts one
                    self._ready = [pool.submit(self._ready_fn) for _ in range(n)]
                except BaseException:  # no process could be started: no pool is kept
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
                self._pool, self._size = pool, n
            self._users += 1
            return self._pool, self._ready

    def release(self, pool: ProcessPoolExecutor, broken: bool) -> None:
        with self._lock:
            self._users -= 1
            if broken and self._pool is pool:
                self._pool = None
            elif self._pool is not None and self._users == 0:
                self._timer = threading.Timer(IDLE_SECONDS, self.shutdown)
                self._timer.daemon = True
                self._timer.start()
        if broken:  # its processes are being stopped: return once they are
            pool.shutdown(wait=True, cancel_futures=True)

    def start(self, n: int, timeout: float = 60.0) -> int:
        """Start `n` workers now (if none are running) and wait until they are up; how many
        are. For a caller that knows a run of batches is coming (and for tests)."""
        pool, ready = self.acquire(n)
        failed = False
        try:
            wait(ready, timeout=timeout)
            failed = self._failed()
            return sum(is_up(f) for f in ready)
        finally:
            self.release(pool, failed)  # workers that failed to start: dropped

    def shutdown(self) -> None:
        """Stop idle worker processes (a batch in progress keeps its own) and forget the
        last batch: the next call starts as the first of a run."""
        with self._lock:
            self._last = (-IDLE_SECONDS, 0)
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._pool is not None and self._users == 0:
                self._pool.shutdown(wait=False)
                self._pool = None


def is_up(ready: Future[int]) -> bool:
    return ready.done() and not ready.cancelled() and ready.exception() is None


def start_failed(ready: list[Future[int]]) -> bool:
    """Did a worker of these start-up futures fail to start (its pool is to be dropped)?"""
    return any(f.done() and not is_up(f) for f in ready)


POOL = WorkerPool()
