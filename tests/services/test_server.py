"""`--db` as a server URL: parsing, masking, where the password comes from, plain errors."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.core.errors import UserFacingError
from app.services import server
from app.services.db import open_database
from app.services.server import (
    BadDatabaseName,
    PasswordRequired,
    connect_args,
    database_target,
    mask,
    server_error,
)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("text", ["data/taizhang.db", "/tmp/a b/台账.db", r"C:\台账\t.db", "t.db"])
def test_paths_stay_paths(text: str) -> None:
    assert database_target(text) == Path(text)


@pytest.mark.parametrize("text", [
    "postgresql://db.example:5433/taizhang?user=clerk",
    "postgres://clerk@db.example:5433/taizhang",
    "postgresql+psycopg://clerk@db.example:5433/taizhang",
])
def test_postgresql_urls_are_normalised_to_psycopg(text: str) -> None:
    url = database_target(text)
    assert not isinstance(url, Path)
    assert (url.drivername, url.username, url.host, url.port, url.database, url.password) == \
        ("postgresql+psycopg", "clerk", "db.example", 5433, "taizhang", None)
    assert "user" not in url.query


def test_a_sqlite_url_names_its_file(tmp_path: Path) -> None:
    assert database_target(f"sqlite:///{tmp_path}/t.db") == tmp_path / "t.db"


@pytest.mark.parametrize(("text", "words"), [
    ("mysql://h/db", "不支持"),
    ("http://example.org/t.db", "不支持"),
    ("postgresql:/clerk@h/db", "无法识别"),
    ("postgresql://h:5432/?user=x", "缺少数据库名"),
])
def test_other_url_like_names_are_refused(text: str, words: str) -> None:
    with pytest.raises(BadDatabaseName, match=words):
        database_target(text)


@pytest.mark.parametrize("text", ["postgresql://clerk:s3cret@h/db",
                                  "postgresql://h/db?user=clerk&password=s3cret"])
def test_a_password_in_the_url_is_refused_without_being_repeated(text: str) -> None:
    with pytest.raises(BadDatabaseName, match="不能写密码") as info:
        database_target(text)
    assert "s3cret" not in str(info.value)


def test_mask_hides_passwords() -> None:
    assert mask("postgresql://a:b@h:1/d") == "postgresql://a:***@h:1/d"
    assert mask("postgresql://a@h/d") == "postgresql://a@h/d"
    assert mask("postgresql://h/d?user=a&password=b&x=1") == \
        "postgresql://h/d?user=a&password=***&x=1"


def test_the_keyring_supplies_a_password_only_when_pgpassword_is_unset(
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = make_url("postgresql+psycopg://clerk@h:5432/d")
    asked: list[tuple[str, str]] = []

    class FakeKeyring:
        @staticmethod
        def get_password(service: str, key: str) -> str:
            asked.append((service, key))
            return "from-keyring"

    monkeypatch.setitem(sys.modules, "keyring", FakeKeyring)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    assert connect_args(url, None)["password"] == "from-keyring"
    assert asked == [("taizhang", "clerk@h:5432/d")]
    assert connect_args(url, "typed")["password"] == "typed"
    monkeypatch.setenv("PGPASSWORD", "env")
    assert "password" not in connect_args(url, None)  # libpq reads PGPASSWORD itself


def test_a_broken_keyring_is_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        @staticmethod
        def get_password(service: str, key: str) -> str:
            raise RuntimeError("no D-Bus")

    monkeypatch.setitem(sys.modules, "keyring", Broken)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    assert "password" not in connect_args(make_url("postgresql+psycopg://u@h/d"), None)
    assert server.keyring_password(make_url("postgresql+psycopg://u@h/d")) is None


@pytest.mark.parametrize(("driver_text", "expected", "kind"), [
    ('FATAL:  password authentication failed for user "clerk"', "密码不对", UserFacingError),
    ('FATAL:  database "tz" does not exist', "没有这个数据库", UserFacingError),
    ("fe_sendauth: no password supplied", "需要密码", PasswordRequired),
    ("connection failed: Connection refused", "未运行", UserFacingError),
    ('no pg_hba.conf entry for host "10.0.0.9"', "pg_hba.conf", UserFacingError),
])
def test_driver_errors_become_one_chinese_line(driver_text: str, expected: str,
                                               kind: type[UserFacingError]) -> None:
    url = make_url("postgresql+psycopg://clerk@db.example:5433/tz")
    err = server_error(url, RuntimeError(driver_text))
    assert isinstance(err, kind)
    assert expected in str(err) and "db.example:5433/tz" in str(err)
    assert "\n" not in str(err)


def test_a_server_that_is_not_running_is_one_line_naming_it() -> None:
    pytest.importorskip("psycopg")
    port = closed_port()
    with pytest.raises(UserFacingError, match=f"127.0.0.1:{port}/taizhang.*未运行"):
        open_database(f"postgresql://127.0.0.1:{port}/taizhang?user=clerk")
