"""Users and roles for an exposed app: a JSON file outside the repository (default
data/users.json) holding, per user, a role (admin or member) and a scrypt hash of the password.
Passwords are never stored or logged in clear; `python -m regstudy user add` writes the file."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from regstudy.errors import RegStudyError

ROLES = ("admin", "member")
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
UNKNOWN_SALT = "00" * 16  # an unknown name is checked against this, so it costs what a known one does
LOCK_AFTER = 5  # failed logins in a row before a name is locked
LOCK_SECONDS = 30.0  # the first lock; each further failure doubles it


class AccountError(RegStudyError):
    """A bad user name, role or password, or an unreadable users file."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    salt: str
    digest: str


def _digest(password: str, salt: str) -> str:
    return hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **SCRYPT).hex()


class Accounts:
    def __init__(self, path: Path, accounts: dict[str, Account]) -> None:
        self.path = path
        self.accounts = accounts
        self._stamp = _stamp(path)
        self._failures: dict[str, tuple[int, float]] = {}  # name → (failures in a row, when the last was)

    @classmethod
    def load(cls, path: Path) -> Accounts:
        if not path.exists():
            return cls(path, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, {name: Account(name, **entry) for name, entry in data.items()})
        except (ValueError, TypeError) as error:
            raise AccountError(f"用户文件 {path} 格式有误：{error}") from error

    def __bool__(self) -> bool:
        return bool(self.accounts)

    def verify(self, name: str, password: str) -> bool:
        """Gradio's auth callback: the right password for a known user. An unknown name costs the same
        scrypt as a known one (no telling users apart by timing); after LOCK_AFTER failures in a row a
        name is locked for LOCK_SECONDS, doubling with each further failure, the right password too."""
        self._refresh()
        failures, last = self._failures.get(name, (0, 0.0))
        if failures >= LOCK_AFTER and time.monotonic() - last < LOCK_SECONDS * 2 ** (failures - LOCK_AFTER):
            return False
        account = self.accounts.get(name)
        digest = _digest(password, account.salt if account else UNKNOWN_SALT)
        if account is not None and hmac.compare_digest(digest, account.digest):
            self._failures.pop(name, None)
            return True
        self._failures[name] = (failures + 1, time.monotonic())
        return False

    def role(self, name: str | None) -> str:
        """No login (a local, single-user app) means the operator: admin."""
        if name is None:
            return "admin"
        self._refresh()
        account = self.accounts.get(name)
        return account.role if account else "member"

    def _refresh(self) -> None:
        """Users added, removed or demoted with `regstudy user` count from the next request on."""
        stamp = _stamp(self.path)
        if stamp != self._stamp:
            self.accounts, self._stamp = Accounts.load(self.path).accounts, stamp

    def is_admin(self, name: str | None) -> bool:
        return self.role(name) == "admin"

    def add(self, name: str, role: str, password: str) -> None:
        if not name.strip() or ":" in name:
            raise AccountError("用户名不能为空，也不能含冒号。")
        if role not in ROLES:
            raise AccountError(f"角色只能是 {'、'.join(ROLES)}。")
        if len(password) < 8:
            raise AccountError("密码至少 8 位。")
        salt = secrets.token_hex(16)
        self.accounts[name] = Account(name, role, salt, _digest(password, salt))
        self._save()

    def remove(self, name: str) -> None:
        if self.accounts.pop(name, None) is None:
            raise AccountError(f"没有用户 {name}。")
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {a.name: {"role": a.role, "salt": a.salt, "digest": a.digest} for a in self.accounts.values()}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def login_required(server_name: str, accounts: Accounts) -> bool:
    """Exposed beyond loopback, the app must have users; on loopback, users are optional."""
    if server_name not in LOOPBACK and not accounts:
        raise AccountError(
            f"应用将对外开放（{server_name}），必须先配置用户：python -m regstudy user add 用户名 --role admin"
        )
    return bool(accounts)
