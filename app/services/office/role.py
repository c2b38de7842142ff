"""Whose database this is: a district office's or a unit's (the clerk's).

Its own module so that deciding which window a database opens in (at every start) does
not import the packet machinery that `opening` needs to read packets.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.services.db import get_setting

ROLE_DISTRICT = "district"
ROLE_OFFICE = "office"


def database_role(db: Engine) -> str:
    """"office" for a unit's own database, else "district" (the default)."""
    with Session(db) as s:
        return ROLE_OFFICE if get_setting(s, "role", ROLE_DISTRICT) == ROLE_OFFICE \
            else ROLE_DISTRICT
