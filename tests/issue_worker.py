"""Packet writers for the worker-process tests of issuing (imported by the spawned workers,
so they live in a module of their own, not in a test file)."""

from __future__ import annotations

import os
import tempfile
import time

from app.services.packets.writer import TEMP_PREFIX, PacketJob, WrittenFile, write_job

CRASH_UNIT = "郑陆镇"


def crash_while_writing(job: PacketJob) -> WrittenFile:
    """Write every packet but one unit's: its worker dies half-way, temporary file open."""
    if job.manifest.unit == CRASH_UNIT:
        tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{job.manifest.packet_id}-", suffix=".tmp",
                         dir=job.path.parent)
        os._exit(3)
    return write_job(job)


def slow_write(job: PacketJob) -> WrittenFile:
    """Write the packet a third of a second late (time to press 取消 half-way)."""
    time.sleep(0.3)
    return write_job(job)
