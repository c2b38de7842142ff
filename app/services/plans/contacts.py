"""A unit's contacts (联系人, 电话, 邮箱): the one home of the rules for them.

The 邮箱 is what a mail draft is addressed to (``district.mail``), so it is checked where it
enters (the 单位 dialog, a plan workbook's unit list): a wrong address found when 31 drafts
are already written costs more than a message now. A unit may have several addresses
(separated by ; , 、 or spaces); they are stored as one text, joined by "; ".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.core.errors import UserFacingError

# local@domain.tld, no spaces, quotes, brackets or a second @ (what mail programs accept
# without quoting; a Chinese domain is allowed, the mail program encodes it)
_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}")
_SPLIT = re.compile(r"[;,、\s]+")
MAX_LENGTH = 200


@dataclass(frozen=True)
class Contact:
    """联系人, 电话, 邮箱 as stored (cleaned)."""

    person: str = ""
    phone: str = ""
    email: str = ""


def _half_width(text: str) -> str:
    """Full-width ＠．；，as typed with a Chinese input method → ASCII."""
    return unicodedata.normalize("NFKC", text)


def _of(where: str) -> str:
    return f"{where}的" if where else ""


def addresses(email: str) -> list[str]:
    """The addresses of a stored 邮箱 text (empty list when none)."""
    return [a for a in _SPLIT.split(_half_width(email or "").strip()) if a]


def clean_email(text: str, where: str = "") -> str:
    """The 邮箱 as stored, or a UserFacingError naming the address that is not one."""
    found = addresses(text)
    for a in found:
        if not _ADDRESS.fullmatch(a):
            raise UserFacingError(f"{_of(where)}邮箱“{a}”格式不正确,应写作 name@example.com;"
                                  "多个邮箱用分号隔开。")
    joined = "; ".join(dict.fromkeys(found))
    if len(joined) > MAX_LENGTH:
        raise UserFacingError(f"{_of(where)}邮箱太长(最多 {MAX_LENGTH} 个字符)。")
    return joined


def clean_contact(person: str, phone: str, email: str, where: str = "") -> Contact:
    """Trimmed 联系人 and 电话 (free text: extensions, two numbers) and a checked 邮箱."""
    person, phone = (person or "").strip(), _half_width(phone or "").strip()
    for label, value in (("联系人", person), ("电话", phone)):
        if len(value) > MAX_LENGTH:
            raise UserFacingError(f"{_of(where)}{label}太长(最多 {MAX_LENGTH} 个字符)。")
    return Contact(person, phone, clean_email(email, where))


def contact_line(person: str, phone: str) -> str:
    """联系人 and 电话 as one line (the 催报通知, 收件登记)."""
    return " ".join(x for x in ((person or "").strip(), (phone or "").strip()) if x)
