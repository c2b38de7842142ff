"""Mail in: packets taken from saved mails (.eml) and archives (.zip), with the bounds of
a workbook; a mail without a packet, a zip slip, a nested archive or a zip bomb is one
refusal naming the file."""

from __future__ import annotations

import io
import zipfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from packet_helpers import zip_bytes

from app.core.errors import UserFacingError
from app.services.district.inbox import Member, Refused, expand, sources, zip_members
from app.services.packets.container import check_archive

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def mail(attachments: list[tuple[str, bytes]], *, subject: str = "回复:【任务进展填报】2021年6月",
         sender: str = "青龙街道 <qinglong@tianning.gov.cn>") -> bytes:
    """A return as a mail program saves it: text, then the attachments."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = "区创建办 <cjb@tianning.gov.cn>"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 05 Jul 2021 09:30:00 +0800"
    msg.set_content("报送本月进展,请查收。")
    for name, data in attachments:
        kind = ("application", "zip") if name.endswith(".zip") else XLSX
        msg.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)
    return msg.as_bytes()


def test_a_mail_gives_its_spreadsheet_attachments_with_its_headers(tmp_path: Path) -> None:
    path = tmp_path / "回复.eml"
    path.write_bytes(mail([("2021-06_青龙街道.xlsx", b"PK first"),
                           ("2021-06_青龙街道.xlsx", b"PK second"),
                           ("照片.jpg", b"\xff\xd8 not a packet")]))
    members = expand(path)
    assert [m.name for m in members] == ["2021-06_青龙街道.xlsx", "2021-06_青龙街道.xlsx"]
    assert [m.path.name for m in members] == ["2021-06_青龙街道.xlsx", "2021-06_青龙街道(2).xlsx"]
    assert [m.data for m in members] == [b"PK first", b"PK second"]
    origin = members[0].origin
    assert origin is not None
    assert origin.sender == "青龙街道 <qinglong@tianning.gov.cn>"
    assert origin.subject == "回复:【任务进展填报】2021年6月"
    assert origin.date == "Mon, 05 Jul 2021 09:30:00 +0800"


def test_a_zip_attached_to_a_mail_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(mail([("三个单位.zip", zip_bytes({"a/青龙.xlsx": b"PK a", "茶山.xlsx": b"PK b",
                                                      "说明.txt": b"x"}))]))
    members = expand(path)
    assert [(m.name, m.data) for m in members] == [("青龙.xlsx", b"PK a"), ("茶山.xlsx", b"PK b")]
    assert all(m.origin is not None for m in members)


def test_a_mail_without_a_packet_is_one_clear_refusal(tmp_path: Path) -> None:
    path = tmp_path / "问候.eml"
    path.write_bytes(mail([], subject="收到"))
    [refused] = list(sources([path]))
    assert isinstance(refused, Refused) and refused.path == path
    assert refused.message.startswith("邮件“问候.eml”(主题“收到”)中没有填报包附件(.xlsx)")
    garbage = tmp_path / "坏.eml"
    garbage.write_bytes(b"")
    [refused] = list(sources([garbage]))
    assert isinstance(refused, Refused) and "坏.eml" in refused.message


def test_sources_keep_order_and_pass_workbooks_through(tmp_path: Path) -> None:
    book = tmp_path / "a.xlsx"
    archive = tmp_path / "b.zip"
    archive.write_bytes(zip_bytes({"x.xlsx": b"PK x", "y.xlsx": b"PK y"}))
    out = list(sources([book, archive]))
    assert out[0] == book
    assert [m.path for m in out[1:] if isinstance(m, Member)] == [archive / "x.xlsx",
                                                                 archive / "y.xlsx"]


def _slip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../outside.xlsx", b"PK evil")
    return buf.getvalue()


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.xlsx", b"\0" * (30 * 1024 * 1024))  # 30 MB of zeros: ratio ~1000
    return buf.getvalue()


@pytest.mark.parametrize(("archive", "message"), [
    (_slip(), "指向压缩包以外的位置"),
    (zip_bytes({"/etc/passwd.xlsx": b"PK"}), "指向压缩包以外的位置"),
    (zip_bytes({"C:/Windows/x.xlsx": b"PK"}), "指向压缩包以外的位置"),
    (zip_bytes({"inner.zip": zip_bytes({"x.xlsx": b"PK"})}), "又有压缩包或邮件“inner.zip”"),
    (zip_bytes({"fwd.eml": b"From: x"}), "又有压缩包或邮件"),
    (_bomb(), "压缩炸弹"),
    (zip_bytes({f"{i}.xlsx": b"PK" for i in range(1001)}), "条目过多"),
    (b"Rar!\x1a\x07\x00", "不是 .zip 压缩包"),
])
def test_hostile_archives_inside_a_mail_are_refused(tmp_path: Path, archive: bytes,
                                                    message: str) -> None:
    with pytest.raises(UserFacingError, match=message):
        check_archive(archive, "x.zip")
    path = tmp_path / "附件.eml"
    path.write_bytes(mail([("报送.zip", archive)]))
    [refused] = list(sources([path]))
    assert isinstance(refused, Refused) and message in refused.message
    assert "附件.eml" in refused.message
    plain = tmp_path / "报送.zip"
    plain.write_bytes(archive)
    [refused] = list(sources([plain]))
    assert isinstance(refused, Refused) and message in refused.message


def test_a_zip_without_packets_and_office_leftovers(tmp_path: Path) -> None:
    assert zip_members(zip_bytes({"~$a.xlsx": b"lock", "__MACOSX/._a.xlsx": b"fork",
                                  "a.xlsx": b"PK a"}), "z.zip") == [("a.xlsx", b"PK a")]
    path = tmp_path / "空.zip"
    path.write_bytes(zip_bytes({"说明.txt": b"x"}))
    [refused] = list(sources([path]))
    assert isinstance(refused, Refused) and "压缩包“空.zip”中没有填报包" in refused.message


# ---------------------------------------------------------------- merging what came in

def _three_returns(db: object, tmp_path: Path) -> dict[str, Path]:
    from merge_helpers import fill_by_hand, issue, row_keys

    units = ("青龙街道", "茶山街道", "郑陆镇")
    issued = issue(db, "2021-06", units, tmp_path)  # type: ignore[arg-type]
    out = {}
    for unit in units:
        src = issued[unit]
        out[unit] = fill_by_hand(src, tmp_path / "returns" / src.name,
                                 {row_keys(src)[0]: {"status": "in_progress", "percent": 30.0,
                                                     "progress": f"{unit}本月进展"}})
    return out


def test_merge_of_a_mail_applies_its_packet_and_records_the_headers(tianning: object,
                                                                    tmp_path: Path) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app.models import Packet
    from app.services.district.merge import apply_packets

    returns = _three_returns(tianning, tmp_path)
    path = tmp_path / "回复 青龙街道.eml"
    path.write_bytes(mail([(returns["青龙街道"].name, returns["青龙街道"].read_bytes())]))
    [result] = apply_packets(tianning, [path], period="2021-06")  # type: ignore[arg-type]
    assert result.status == "applied" and result.unit == "青龙街道"
    assert result.path == path / returns["青龙街道"].name
    with Session(tianning) as s:  # type: ignore[arg-type]
        row = s.scalar(select(Packet).where(Packet.direction == "returned"))
        assert row is not None
        assert (row.mail_from, row.mail_subject) == ("青龙街道 <qinglong@tianning.gov.cn>",
                                                     "回复:【任务进展填报】2021年6月")
        assert row.mail_date == "Mon, 05 Jul 2021 09:30:00 +0800"
        assert row.file_name == returns["青龙街道"].name
    from app.services.district.ledger import cell_detail

    detail = cell_detail(tianning, "2021-06", "青龙街道", "1.1")  # type: ignore[arg-type]
    assert detail.mail == ("青龙街道 <qinglong@tianning.gov.cn> · 回复:【任务进展填报】2021年6月 · "
                           "Mon, 05 Jul 2021 09:30:00 +0800")
    [again] = apply_packets(tianning, [path], period="2021-06")  # type: ignore[arg-type]
    assert again.status == "unchanged"


def test_a_zip_of_three_returns_applies_all_three(tianning: object, tmp_path: Path) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app.models import Packet
    from app.services.district.check import collect_files
    from app.services.district.merge import apply_packets

    returns = _three_returns(tianning, tmp_path)
    archive = tmp_path / "inbox" / "六月报送.zip"
    archive.parent.mkdir()
    archive.write_bytes(zip_bytes({f"报送/{p.name}": p.read_bytes() for p in returns.values()}))
    assert collect_files([archive.parent]) == [archive]  # a folder picks up archives too
    results = apply_packets(tianning, collect_files([archive.parent]),  # type: ignore[arg-type]
                            period="2021-06")
    assert [r.status for r in results] == ["applied"] * 3
    assert {r.unit for r in results} == set(returns)
    with Session(tianning) as s:  # type: ignore[arg-type]
        rows = s.scalars(select(Packet).where(Packet.direction == "returned")).all()
        assert len(rows) == 3 and all(r.mail_from is None for r in rows)


def test_merge_on_the_command_line_takes_mails_and_archives(tianning_path: Path,
                                                            tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    from app.services.db import open_database

    db = open_database(tianning_path, create=False)
    try:
        returns = _three_returns(db, tmp_path)
    finally:
        db.dispose()
    letter = tmp_path / "青龙.eml"
    letter.write_bytes(mail([(returns["青龙街道"].name, returns["青龙街道"].read_bytes())]))
    archive = tmp_path / "两个.zip"
    archive.write_bytes(zip_bytes({returns[u].name: returns[u].read_bytes()
                                   for u in ("茶山街道", "郑陆镇")}))
    empty = tmp_path / "问候.eml"
    empty.write_bytes(mail([], subject="收到"))
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, str(root / "main.py"), "merge", "--db",
                           str(tianning_path), "--json", str(letter), str(archive), str(empty)],
                          capture_output=True, text=True, cwd=root, timeout=300)
    assert done.returncode == 1, done.stderr  # the mail without a packet is rejected
    packets = json.loads(done.stdout)["packets"]
    assert [(Path(p["file"]).name, p["status"]) for p in packets] == [
        (returns["青龙街道"].name, "applied"), (returns["茶山街道"].name, "applied"),
        (returns["郑陆镇"].name, "applied"), ("问候.eml", "rejected")]
    assert "没有填报包附件" in packets[3]["errors"][0]["message"]


# ---------------------------------------------------------------- the watched inbox

def test_the_inbox_setting_keeps_existing_folders(db: object, tmp_path: Path) -> None:
    from app.services.district.inbox import inbox_folders, set_inbox_folders

    assert inbox_folders(db) == []  # type: ignore[arg-type]
    a, b = tmp_path / "微信文件", tmp_path / "邮件附件"
    a.mkdir()
    b.mkdir()
    assert set_inbox_folders(db, [a, b, a]) == [str(a), str(b)]  # type: ignore[arg-type]
    assert inbox_folders(db) == [str(a), str(b)]  # type: ignore[arg-type]
    with pytest.raises(UserFacingError, match="文件夹不存在"):
        set_inbox_folders(db, [tmp_path / "没有"])  # type: ignore[arg-type]
    assert inbox_folders(db) == [str(a), str(b)]  # type: ignore[arg-type]


def test_a_scan_offers_our_new_returns_only_and_opens_only_new_names(tianning: object,
                                                                     tmp_path: Path) -> None:
    import os

    from merge_helpers import issue

    from app.services.district.inbox import scan_inbox
    from app.services.district.merge import apply_packets
    from app.services.plans.export import export_plan

    returns = _three_returns(tianning, tmp_path)
    folder = tmp_path / "收件"
    folder.mkdir()
    first = scan_inbox(tianning, [folder])  # type: ignore[arg-type]
    assert (first.arrivals, first.opened) == ((), 0)

    # not ours: a plan workbook, a packet of another database, a broken file, a picture
    export_plan(tianning, 1, folder / "方案.xlsx")  # type: ignore[arg-type]
    (folder / "坏.xlsx").write_bytes(b"not a workbook")
    (folder / "照片.jpg").write_bytes(b"\xff\xd8")
    (folder / "问候.eml").write_bytes(mail([], subject="收到"))
    from app.services.db import open_database
    from app.services.plans.examples import load_example

    other = open_database(tmp_path / "other.db")
    load_example(other, "tianning")
    foreign = issue(other, "2021-06", ["青龙街道"], tmp_path / "other")["青龙街道"]
    other.dispose()
    (folder / "别处.xlsx").write_bytes(foreign.read_bytes())
    scan = scan_inbox(tianning, [folder], first.index)  # type: ignore[arg-type]
    assert scan.arrivals == () and scan.count == 0
    assert scan.opened == 4  # 方案, 坏, 问候, 别处 (the picture is not looked at)

    # ours: a return, a mail with one, a zip with one
    (folder / "青龙.xlsx").write_bytes(returns["青龙街道"].read_bytes())
    (folder / "茶山.eml").write_bytes(mail([("茶山.xlsx", returns["茶山街道"].read_bytes())]))
    (folder / "郑陆.zip").write_bytes(zip_bytes({"郑陆.xlsx": returns["郑陆镇"].read_bytes()}))
    scan = scan_inbox(tianning, [folder], scan.index)  # type: ignore[arg-type]
    assert scan.opened == 3 and scan.count == 3
    assert [(a.path.name, a.units) for a in scan.arrivals] == [
        ("茶山.eml", ("茶山街道",)), ("郑陆.zip", ("郑陆镇",)), ("青龙.xlsx", ("青龙街道",))]

    again = scan_inbox(tianning, [folder], scan.index)  # type: ignore[arg-type]
    assert again.opened == 0 and again.count == 3  # nothing new: nothing opened
    # a file changed in place is opened again
    os.utime(folder / "青龙.xlsx", ns=(1, 1))
    assert scan_inbox(tianning, [folder], again.index).opened == 1  # type: ignore[arg-type]

    # merged: no longer offered, without opening anything
    assert apply_packets(tianning, [folder / "青龙.xlsx"],  # type: ignore[arg-type]
                         period="2021-06")[0].status == "applied"
    after = scan_inbox(tianning, [folder], again.index)  # type: ignore[arg-type]
    assert after.count == 2 and "青龙.xlsx" not in {a.path.name for a in after.arrivals}
    # a folder that went away (a network drive) is no error
    assert scan_inbox(tianning, [tmp_path / "断开"]).arrivals == ()  # type: ignore[arg-type]


def test_a_forwarded_mail_is_looked_into(tmp_path: Path) -> None:
    """转发: the return travels as a message/rfc822 part; its attachment is taken, the
    outer mail's headers recorded."""
    inner = EmailMessage(policy=policy.SMTP)
    inner["From"] = "青龙街道 <qinglong@tianning.gov.cn>"
    inner["Subject"] = "六月报送"
    inner.set_content("见附件")
    inner.add_attachment(b"PK inner", maintype=XLSX[0], subtype=XLSX[1], filename="青龙.xlsx")
    outer = EmailMessage(policy=policy.SMTP)
    outer["From"] = "办公室 <office@tianning.gov.cn>"
    outer["Subject"] = "转发:六月报送"
    outer.set_content("转给你")
    outer.add_attachment(inner)
    path = tmp_path / "转发.eml"
    path.write_bytes(outer.as_bytes())
    [member] = expand(path)
    assert (member.name, member.data) == ("青龙.xlsx", b"PK inner")
    assert member.origin is not None and member.origin.subject == "转发:六月报送"
