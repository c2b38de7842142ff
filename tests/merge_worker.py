"""A merging process for the concurrency tests: reads one JSON command a line from stdin.

Command: {"db": target, "files": [...], "delays": [seconds before each file]}. Each file is
merged in its own apply_packets call; the reply (one JSON line) lists the statuses, or
the traceback of a crash.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services.db import open_database
from app.services.district.merge import apply_packets


def main() -> None:
    for line in sys.stdin:
        cmd = json.loads(line)
        statuses: list[str] = []
        error = None
        try:
            engine = open_database(cmd["db"], create=False)
            try:
                for path, delay in zip(cmd["files"], cmd["delays"], strict=True):
                    time.sleep(delay)
                    statuses += [r.status for r in apply_packets(engine, [path])]
            finally:
                engine.dispose()
        except Exception:
            error = traceback.format_exc()
        sys.stdout.write(json.dumps({"statuses": statuses, "error": error}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
