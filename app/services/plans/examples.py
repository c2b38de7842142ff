"""Bundled example plans built from the seed documents (see tools/build_examples.py)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.models import Plan
from app.services.db import get_setting, open_database, set_setting
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


EXAMPLE_KEY = "example"  # setting naming the example a database was made for


def open_example_database(path: Path | str, name: str = "tianning") -> Engine:
    """The separate example database (created and filled on first use), marked as such so
    windows can label it 示例: the example never goes into the user's own database."""
    example_spec(name)  # refuse an unknown name before creating a file
    engine = open_database(path)
    try:
        with Session(engine) as s, s.begin():
            if get_setting(s, EXAMPLE_KEY):
                return engine
            if s.scalar(select(func.count()).select_from(Plan)):
                raise UserFacingError(f"{path} 已有方案,不是示例数据库,未载入示例。")
            insert_plan(s, example_spec(name))
            set_setting(s, EXAMPLE_KEY, name)
    except BaseException:
        engine.dispose()
        raise
    return engine


def example_of(engine: Engine) -> str:
    """The example's name for an example database, "" for the user's own."""
    with Session(engine) as s:
        return get_setting(s, EXAMPLE_KEY)
