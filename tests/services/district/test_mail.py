"""Drafts out: the .eml beside each packet parses as a ready-to-send message with the
packet attached under its Chinese name; 退回修改 quotes the 退回意见; 催报 goes to the
units still missing."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from merge_helpers import fill_by_hand, issue, row_keys

from app.core import clock
from app.services.db import Database
from app.services.district.corrections import flag_field, issue_correction_packet
from app.services.district.issue import issue_packets
from app.services.district.mail import (
    due_text,
    subject,
    write_correction_draft,
    write_packet_drafts,
    write_reminder_drafts,
)
from app.services.district.merge import apply_packets
from app.services.plans.edit import UnitFields, list_units, update_unit

ROOT = Path(__file__).resolve().parents[3]
PERIOD = "2021-06"


def set_contacts(db: Database, name: str, person: str, phone: str, mail: str) -> None:
    unit = next(u for u in list_units(db, 1) if u.name == name)
    update_unit(db, unit.id, UnitFields(unit.name, unit.kind, person, unit.aliases, phone,
                                        mail))


def parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_subject_and_deadline_words() -> None:
    assert subject("normal", "2021-06", "青龙街道", dt.date(2021, 7, 5)) == \
        "【任务进展填报】2021年6月 — 青龙街道(截止7月5日)"
    assert due_text(dt.date(2022, 1, 5), "2021-12") == "2022年1月5日"
    assert subject("correction", "2021-06", "青龙街道") == "【退回修改】2021年6月 — 青龙街道"


def test_a_draft_per_packet_parses_with_the_packet_attached(tianning: Database,
                                                             tmp_path: Path) -> None:
    set_contacts(tianning, "青龙街道", "王芳", "0519-88881234",
                 "qinglong@tianning.gov.cn; wangfang@tianning.gov.cn")
    set_contacts(tianning, "区创建办", "张伟", "0519-88000000", "cjb@tianning.gov.cn")
    result = issue_packets(tianning, PERIOD, tmp_path, plan_id=1, units=["青龙街道", "郑陆镇"])
    drafts = write_packet_drafts(tianning, result.packets)
    assert [d.unit for d in drafts] == ["青龙街道", "郑陆镇"]
    for packet, draft in zip(result.packets, drafts, strict=True):
        assert draft.path == packet.path.with_suffix(".eml") and draft.path.exists()
        msg = parse(draft.path)
        assert msg["X-Unsent"] == "1"
        assert msg["Subject"] == f"【任务进展填报】2021年6月 — {packet.unit}(截止7月5日)"
        assert msg["From"].addresses[0].addr_spec == "cjb@tianning.gov.cn"
        assert msg["From"].addresses[0].display_name == "区创建办"
        sent = email.utils.parsedate_to_datetime(msg["Date"])
        assert abs(sent.replace(tzinfo=None) - clock.now()) < dt.timedelta(minutes=5)
        attachments = list(msg.iter_attachments())
        assert len(attachments) == 1
        part = attachments[0]
        assert part.get_filename() == packet.path.name  # 2021-06_青龙街道_….xlsx, decoded
        assert part.get_content_type() == \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert part.get_payload(decode=True) == packet.path.read_bytes()
        body = msg.get_body(("plain",))
        assert body is not None
        text = body.get_content()
        assert "2021年7月5日前报送" in text and packet.path.name in text
        assert "不必安装台账程序" in text and "回复本邮件" in text
        assert "联系人:张伟 0519-88000000" in text
    raw = drafts[0].path.read_bytes()
    assert b"filename*0*=utf-8''2021-06_%E9%9D%92%E9%BE%99" in raw  # RFC 2231, 青龙
    assert b"\r\n" in raw and raw.isascii()  # SMTP line ends, every header encoded
    first, second = parse(drafts[0].path), parse(drafts[1].path)
    assert [a.addr_spec for a in first["To"].addresses] == ["qinglong@tianning.gov.cn",
                                                           "wangfang@tianning.gov.cn"]
    assert drafts[0].to and drafts[0].note == ""
    assert second["To"] is None and drafts[1].to == ()
    assert "郑陆镇没有登记邮箱" in drafts[1].note


def test_without_an_office_address_the_draft_has_no_sender(tianning: Database,
                                                           tmp_path: Path) -> None:
    result = issue_packets(tianning, PERIOD, tmp_path, plan_id=1, units=["青龙街道"])
    msg = parse(write_packet_drafts(tianning, result.packets)[0].path)
    assert msg["From"] is None  # the mail program fills in its own account
    assert msg["X-Unsent"] == "1"


def test_a_correction_draft_quotes_the_comments(tianning: Database, tmp_path: Path) -> None:
    src = issue(tianning, PERIOD, ["青龙街道"], tmp_path)["青龙街道"]
    keys = row_keys(src)
    hand = fill_by_hand(src, tmp_path / "return.xlsx",
                        {keys[0]: {"status": "in_progress", "percent": 40.0,
                                   "progress": "原进展"}})
    assert apply_packets(tianning, [hand], period=PERIOD)[0].status == "applied"
    set_contacts(tianning, "青龙街道", "", "", "qinglong@tianning.gov.cn")
    flag_field(tianning, 1, PERIOD, "青龙街道", keys[0], "percent", "进度与进展描述不符,请核实")
    out = tmp_path / "2021-06_青龙街道_退回修改.xlsx"
    packet = issue_correction_packet(tianning, 1, PERIOD, "青龙街道", out)
    draft = write_correction_draft(tianning, packet)
    msg = parse(draft.path)
    assert msg["Subject"] == "【退回修改】2021年6月 — 青龙街道"
    body = msg.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "> 任务 1.1" in text and "完成进度(%):进度与进展描述不符,请核实" in text
    part = next(msg.iter_attachments())
    assert part.get_filename() == out.name and part.get_payload(decode=True) == out.read_bytes()


def test_reminder_drafts_go_to_the_missing_units_with_the_notice(tianning: Database,
                                                                 tmp_path: Path) -> None:
    issue_packets(tianning, PERIOD, tmp_path / "out", plan_id=1, units=["青龙街道", "郑陆镇"])
    set_contacts(tianning, "郑陆镇", "李强", "", "zhenglu@tianning.gov.cn")
    notice = tmp_path / "催报通知.pdf"
    notice.write_bytes(b"%PDF-1.4 the notice as the caller rendered it")
    drafts = write_reminder_drafts(tianning, PERIOD, tmp_path / "mail", notice, 1,
                                   today=dt.date(2021, 7, 8))
    by = {d.unit: d for d in drafts}
    assert set(by) == {"青龙街道", "郑陆镇"}
    msg = parse(by["郑陆镇"].path)
    assert msg["Subject"] == "【催报】2021年6月 — 郑陆镇(截止7月5日)"
    assert [a.addr_spec for a in msg["To"].addresses] == ["zhenglu@tianning.gov.cn"]
    part = next(msg.iter_attachments())
    assert part.get_filename() == "催报通知.pdf"
    assert part.get_payload(decode=True) == notice.read_bytes()
    body = msg.get_body(("plain",))
    assert body is not None and "已超过截止日期" in body.get_content()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_issue_and_report_write_drafts_on_the_command_line(tianning_path: Path,
                                                          tmp_path: Path) -> None:
    db = str(tianning_path)
    out = tmp_path / "out"
    done = run("issue", "--db", db, "--period", PERIOD, "--out", str(out), "--unit", "青龙街道",
               "--eml")
    assert done.returncode == 0, done.stderr
    assert "已生成 1 封邮件草稿" in done.stdout and "没有登记邮箱" in done.stdout
    [eml] = out.glob("*.eml")
    [xlsx] = out.glob("*.xlsx")
    assert next(parse(eml).iter_attachments()).get_payload(decode=True) == xlsx.read_bytes()

    notice = tmp_path / "催报" / "催报通知.pdf"
    notice.parent.mkdir()
    done = run("report", "--db", db, "--period", PERIOD, "--reminder", str(notice), "--eml",
               "--date", "2021-07-08")
    assert done.returncode == 0, done.stderr
    mails = sorted(notice.parent.glob("*.eml"))
    assert mails and "催报邮件草稿" in done.stdout
    part = next(parse(mails[0]).iter_attachments())
    assert part.get_payload(decode=True) == notice.read_bytes()
    assert notice.read_bytes().startswith(b"%PDF")
    bad = run("report", "--db", db, "--period", PERIOD, "--eml")
    assert bad.returncode == 2 and "--reminder" in bad.stderr


@pytest.mark.parametrize("name", ["青龙街道"])
def test_python_email_tool_reads_the_draft(tianning: Database, tmp_path: Path,
                                          name: str) -> None:
    """The message is well-formed for the standard parser in strict mode (no defects)."""
    result = issue_packets(tianning, PERIOD, tmp_path, plan_id=1, units=[name])
    draft = write_packet_drafts(tianning, result.packets)[0]
    msg = email.message_from_bytes(draft.path.read_bytes(), policy=email.policy.strict)
    assert not msg.defects
    for part in msg.walk():
        assert not part.defects
