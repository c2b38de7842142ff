"""Bundled example plans built from the seed documents (see tools/build_examples.py)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.services.plans.query import insert_plan


def example_names() -> list[str]:
    folder = resources.files("app.resources") / "examples"
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir()
                  if p.name.endswith(".json"))


def example_spec(name: str) -> dict[str, Any]:
    if name not in example_names():
        raise UserFacingError(f"没有名为 {name} 的示例方案(可选:{'、'.join(example_names())})。")
    text = (resources.files("app.resources") / "examples" / f"{name}.json").read_text("utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


def load_example(engine: Engine, name: str) -> int:
    """Create the example plan `name` in one transaction; returns the plan id."""
    spec = example_spec(name)
    with Session(engine) as s, s.begin():
        return insert_plan(s, spec)
