"""The product's vocabulary (codes and their Chinese labels), shared by every layer."""

from __future__ import annotations

STATUSES = ("not_started", "in_progress", "completed", "behind", "ongoing")
STATUS_LABELS = {
    "not_started": "未启动",
    "in_progress": "推进中",
    "completed": "已完成",
    "behind": "滞后",
    "ongoing": "长期坚持",
}
STATUS_BY_LABEL = {v: k for k, v in STATUS_LABELS.items()}

ROLES = ("lead", "cooperating", "implementing")
ROLE_LABELS = {"lead": "牵头", "cooperating": "配合", "implementing": "落实"}

UNIT_KINDS = ("district_office", "department", "town", "street", "zone")
KIND_LABELS = {
    "district_office": "区创建办",
    "department": "部门",
    "town": "镇",
    "street": "街道",
    "zone": "开发区",
}

FREQUENCIES = ("month", "quarter", "half_year", "year")
FREQUENCY_LABELS = {"month": "月", "quarter": "季度", "half_year": "半年", "year": "年"}

PROGRESS_FIELDS = ("status", "percent", "progress", "problems", "next_steps", "responsible",
                   "phone", "completed_on")
INDICATOR_FIELDS = ("value", "note")
FIELD_LABELS = {
    "status": "进展状态",
    "percent": "完成进度(%)",
    "progress": "本期进展",
    "problems": "存在问题",
    "next_steps": "下步计划",
    "responsible": "责任人",
    "phone": "联系电话",
    "completed_on": "完成日期",
    "value": "本期数值",
    "note": "说明",
}

# 收件登记: a unit's return for one period (derived from the packet ledger and receipts)
RECEIPT_STATE_LABELS = {
    "not_issued": "未下发",
    "issued": "已下发",
    "received": "已收",
    "late": "迟报",
    "rejected": "已拒收",
    "returned_for_fix": "退回修改",
    "not_returned": "未报",
}
# what merging did with one returned packet (codes are those of `merge --json`)
MERGE_STATUS_LABELS = {
    "new": "可导入",
    "applied": "已导入",
    "unchanged": "无变化",
    "superseded": "已被新版本取代",
    "rejected": "拒收",
    "cancelled": "已取消",
}
CONFLICT_STATUS_LABELS = {"open": "待处理", "kept": "保留本方", "taken": "采用对方",
                          "replaced": "已被新报送取代"}

# 进展汇总 / 通报: how a unit's return stands against the deadline, and indicator attainment
RETURN_STATES = ("on_time", "late", "missing")
RETURN_LABELS = {"on_time": "按时报送", "late": "迟报", "missing": "未报"}
UNREPORTED = "unreported"  # an assigned task with no status reported this period
UNREPORTED_LABEL = "未填报"
ATTAINMENTS = ("met", "not_met", "pending")
ATTAINMENT_LABELS = {"met": "达标", "not_met": "未达标", "pending": "待评估"}
BEHIND_REASON_LABELS = {"behind": "滞后", "overdue": "逾期未完成"}
