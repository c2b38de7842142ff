"""What worker processes run in the tests of issuing and merging (imported by the spawned
workers, so they live in a module of their own, not in a test file)."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from pathlib import Path

from app.core.errors import UserFacingError
from app.services.packets.reader import PacketFile, read_packet
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


def fail_start_late() -> int:
    """A worker start-up that fails after the batch has ended (a slow machine)."""
    time.sleep(1.5)
    raise RuntimeError("no module named xlsxwriter")


def die_reading(source: Path | bytes, *, name: str = "") -> PacketFile:
    """In a worker process, die on a file whose name starts with "die" (as a reader
    crashing on a hostile file would); read every other file as usual."""
    if multiprocessing.parent_process() is not None and name.startswith("die"):
        os._exit(3)
    return read_packet(source, name=name)


def refuse_reading(source: Path | bytes, *, name: str = "") -> PacketFile:
    """Refuse a file whose name starts with "refuse" as the reader refuses a file (a
    message naming sheet and cell); read every other file as usual."""
    if name.startswith("refuse"):
        raise UserFacingError(f"“{name}”第 3 行的内容无法读取。", sheet="任务进展", cell="H3")
    return read_packet(source, name=name)


def slow_reading(source: Path | bytes, *, name: str = "") -> PacketFile:
    """In a worker process, read each file a third of a second late (a busy worker: the
    checking thread reads the next files itself meanwhile); else as `refuse_reading`."""
    if multiprocessing.parent_process() is not None:
        time.sleep(0.3)
    return refuse_reading(source, name=name)


def die_glancing(sources: list[Path | bytes]) -> list[object]:
    """In a worker process, die glancing at a chunk of a batch (as on a hostile file)."""
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    raise AssertionError("glance_many runs in worker processes only")
