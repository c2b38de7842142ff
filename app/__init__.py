"""台账 Taizhang: offline task-progress reporting."""

from __future__ import annotations

__version__ = "0.1.0"
