"""Database servers: what `--db` names, where the password comes from, plain server errors.

`--db` is either a SQLite file path or a PostgreSQL URL (``postgresql://host:port/db?user=…``,
driven by psycopg 3). The URL never carries a password: libpq reads ``PGPASSWORD`` and
``~/.pgpass`` itself, the OS keyring is asked where one is installed, and the window asks in
a dialog and hands the password over in memory (never in the URL, argv, logs or settings).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.core.errors import UserFacingError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "taizhang"
DRIVER = "postgresql+psycopg"
_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"}
# Looks like a URL: "scheme://…", or a known scheme with one slash (a shell or a path
# normaliser may have eaten the second one: "postgresql:/user@host/db").
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://|^(postgres(ql)?|sqlite|mysql)[A-Za-z0-9+]*:",
                       re.IGNORECASE)


Target = Path | URL  # what `--db` names once understood: a file or a server


class BadDatabaseName(UserFacingError):
    """`--db` is URL-like but not a URL Taizhang can use (a usage error on the command line)."""


class PasswordRequired(UserFacingError):
    """The server wants a password and none was found: the window asks for one."""

    def __init__(self, message: str, url: URL) -> None:
        super().__init__(message)
        self.url = url


def looks_like_url(text: str) -> bool:
    return bool(_URL_LIKE.match(text.strip()))


def mask(text: str) -> str:
    """A URL as it may be printed: any password replaced by ***."""
    text = re.sub(r"(://[^:/@?#]*:)[^@/?#]*@", r"\1***@", text)
    return re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", text)


def database_target(text: str | Path) -> Target:
    """A file path, or a normalised PostgreSQL URL without password.

    Raises BadDatabaseName for anything else that looks like a URL (and for a URL that
    carries a password: it would show in the process list and the shell history).
    """
    if isinstance(text, Path):
        return text
    raw = text.strip()
    if not looks_like_url(raw):
        return Path(text)
    try:
        url = make_url(raw)
    except ArgumentError:
        raise BadDatabaseName(f"无法识别的数据库地址:{mask(raw)}"
                              "(应为文件路径或 postgresql://主机:端口/数据库?user=用户名)") from None
    scheme = url.drivername.lower()
    if scheme == "sqlite" and url.database:
        return Path(url.database)
    if scheme not in _SCHEMES:
        raise BadDatabaseName(f"不支持的数据库地址:{mask(raw)}"
                              "(只支持数据库文件路径或 postgresql:// 地址)")
    if url.password is not None:
        raise BadDatabaseName(
            f"数据库地址里不能写密码:{mask(raw)}。请改用环境变量 PGPASSWORD、~/.pgpass 文件"
            "或系统密钥环(图形界面会询问密码)。")
    if not url.database:
        raise BadDatabaseName(f"数据库地址缺少数据库名:{mask(raw)}"
                              "(例如 postgresql://127.0.0.1:5432/taizhang?user=taizhang)")
    query = dict(url.query)
    user = url.username or query.pop("user", None)
    if isinstance(user, tuple):
        user = user[0]
    if "password" in query:
        raise BadDatabaseName(f"数据库地址里不能写密码:{mask(raw)}。请改用 PGPASSWORD 或 ~/.pgpass。")
    return url.set(drivername=DRIVER, username=user, query=query)


def server_name(url: URL) -> str:
    """host:port/database, the way messages name a server."""
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    return f"{host}{port}/{url.database}"


def keyring_key(url: URL) -> str:
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def keyring_password(url: URL) -> str | None:
    """The password saved in the OS keyring for this server, if a keyring is installed."""
    try:
        import keyring

        found: str | None = keyring.get_password(KEYRING_SERVICE, keyring_key(url))
        return found
    except Exception as exc:  # no backend, locked keyring, D-Bus missing: just not there
        log.debug("keyring not available: %s", type(exc).__name__)
        return None


def save_keyring_password(url: URL, password: str) -> bool:
    """Remember a password in the OS keyring; False where no keyring works."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_key(url), password)
        return True
    except Exception as exc:
        log.info("could not save the password in the keyring: %s", type(exc).__name__)
        return False


def connect_args(url: URL, password: str | None) -> dict[str, Any]:
    """psycopg connection arguments: the password goes here, never into the URL."""
    args: dict[str, Any] = {"connect_timeout": 10, "application_name": "taizhang"}
    if password is None and not os.environ.get("PGPASSWORD"):
        password = keyring_password(url)  # else libpq reads PGPASSWORD / ~/.pgpass itself
    if password is not None:
        args["password"] = password
    return args


@dataclass(frozen=True)
class _Rule:
    pattern: str
    message: str


_RULES = [
    _Rule(r"password authentication failed|authentication failed",
          "无法登录数据库服务器 {server}:用户 {user} 的密码不对。"),
    _Rule(r"database \".*\" does not exist",
          "数据库服务器 {server} 上没有这个数据库(请先用 createdb 建立)。"),
    _Rule(r"role \".*\" does not exist",
          "无法登录数据库服务器 {server}:没有用户 {user}(请先用 createuser 建立)。"),
    _Rule(r"no pg_hba\.conf entry|pg_hba",
          "数据库服务器 {server} 不允许本机连接(请管理员在 pg_hba.conf 中放行)。"),
    _Rule(r"connection refused|could not connect|server closed the connection|"
          r"terminating connection|connection timeout|timeout expired|no route to host|"
          r"could not translate host name|name or service not known|network is unreachable|"
          r"connection is lost|consuming input failed|server conn crashed|the database system is",
          "无法连接数据库服务器 {server}:服务器未运行、已断开或拒绝连接。"),
]


def server_error(url: URL, exc: BaseException) -> UserFacingError:
    """One plain Chinese line for a connection failure (no driver text, no password)."""
    text = str(getattr(exc, "orig", None) or exc)
    server, user = server_name(url), url.username or os.environ.get("PGUSER", "")
    if re.search(r"no password supplied|password is required", text, re.IGNORECASE):
        return PasswordRequired(
            f"数据库服务器 {server} 需要密码:请设置环境变量 PGPASSWORD 或 ~/.pgpass 文件"
            "(图形界面会询问密码)。", url)
    for rule in _RULES:
        if re.search(rule.pattern, text, re.IGNORECASE):
            return UserFacingError(rule.message.format(server=server, user=user))
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return UserFacingError(f"无法使用数据库服务器 {server}:{mask(first)}")


def server_url_text(host: str, port: int, database: str, user: str) -> str:
    """The URL a connection form stands for (no password: that travels separately)."""
    url = URL.create("postgresql", username=None, host=host.strip() or "localhost",
                     port=port or None, database=database.strip(),
                     query={"user": user.strip()} if user.strip() else {})
    return url.render_as_string(hide_password=True)


@dataclass(frozen=True)
class ServerFields:
    """A URL's parts for prefilling the connection form."""

    host: str
    port: int
    database: str
    user: str


def server_fields(text: str) -> ServerFields:
    target = database_target(text)
    if isinstance(target, Path):
        raise BadDatabaseName(f"不是服务器地址:{mask(text)}")
    return ServerFields(target.host or "localhost", target.port or 5432, target.database or "",
                        target.username or "")


def keyring_available() -> bool:
    """Whether an OS keyring backend is installed that can actually store a password."""
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:
        return False
