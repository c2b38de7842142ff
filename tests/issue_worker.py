"""Packet writers for the worker-process tests of issuing (imported by the spawned workers,
so they live in a module of their own, not in a test file)."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time

from app.services.packets.writer import TEMP_PREFIX, PacketJob, WrittenFile, write_job


def crash_while_writing(job: PacketJob) -> WrittenFile:
    """In a worker process, die half-way through the packet, its temporary file open (the
    calling process, which writes packets too while its workers are busy, writes it)."""
    if multiprocessing.parent_process() is not None:
        job.path.parent.mkdir(parents=True, exist_ok=True)  # as atomic_write does first
        tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{job.manifest.packet_id}-", suffix=".tmp",
                         dir=job.path.parent)
        os._exit(3)
    return write_job(job)


def slow_write(job: PacketJob) -> WrittenFile:
    """Write the packet a third of a second late (time to press 取消 half-way)."""
    time.sleep(0.3)
    return write_job(job)


def ready_when(flag: str) -> int:
    """A worker start-up that lasts until the test creates `flag` (a worker still starting)."""
    deadline = time.monotonic() + 60
    while not os.path.exists(flag) and time.monotonic() < deadline:
        time.sleep(0.02)
    return os.getpid()


def fail_start() -> int:
    """A worker start-up that fails (as a bundle missing a module would)."""
    raise RuntimeError("no module named xlsxwriter")
