"""English for the interface: source text (Chinese, as in ``tr()``) → English.

Applied to app/resources/translations/taizhang_en.ts by tools/update_translations.py
(through tools/ts_fill.py). Keep placeholders ({0}, {0:.0%}) and one accelerator (&X) per
menu title. Terms (as the district offices use them):

    方案 plan · 任务 task · 指标 indicator · 单位 unit · 领域 section · 填报周期 period ·
    下发包 outbound packet · 报送包 return packet · 退回修改包 correction packet ·
    填报库 office database · 进展 progress · 通报 progress summary · 牵头 lead ·
    配合 cooperating · 落实 implementing · 区创建办 district office · 收件登记 receipts ·
    汇总 merge · 看板 dashboard · 催报 reminder · 退回修改 return for correction ·
    滞后 behind · 推进中 in progress · 已完成 completed · 未启动 not started ·
    长期坚持 ongoing
"""

from __future__ import annotations

# Where one source means different things in different places: (context, source) → English.
BY_CONTEXT: dict[tuple[str, str], str] = {
    ("Navigation", "看板"): "Dashboard",
    ("Navigation", "任务"): "Tasks",
    ("Navigation", "指标"): "Indicators",
    ("Navigation", "单位"): "Units",
    ("Navigation", "下发"): "Issue",
    ("Navigation", "汇总"): "Merge",
    ("Navigation", "冲突"): "Conflicts",
    ("Navigation", "收件登记"): "Receipts",
    ("Navigation", "报告"): "Reports",
    ("Navigation", "日志"): "Log",
    ("Navigation", "编辑方案"): "Edit plan",
    # a conflict's state, where the buttons say what to do
    ("Vocab", "保留本方"): "Kept ours",
    ("Vocab", "采用对方"): "Took theirs",
    # how an imported unit name is handled
    ("UnitDecisionModel", "处理"): "Action",
}

EN: dict[str, str] = {
    # ------------------------------------------------------------ shared column headers, forms
    "编号": "No.",
    "事项": "Item",
    "字段": "Field",
    "报送的值": "Reported value",
    "退回意见": "Correction note",
    "— 请选择 —": "— Choose —",
    "姓名": "Name",
    "如 0519-88001234": "e.g. 0519-88001234",
    "如 2021-06-30": "e.g. 2021-06-30",
    "本期做了什么、完成了多少(可写数量、名称、时间)":
        "What was done this period and how much (quantities, names, dates)",
    "没有可不填;状态为“滞后”时必填": "Leave empty if none; required when the status is \"Behind\"",
    "下一步打算怎么做、何时完成": "What comes next, and when it will be done",
    "本期填报": "This period",
    "上期": "Last period",
    "上期({0})": "Last period ({0})",
    "把此责任人和电话填到其他未填的任务…": "Use this contact for the other tasks without one…",
    "◀ 上一项": "◀ Previous",
    "上一项 (Alt+←)": "Previous (Alt+←)",
    "下一项 ▶": "Next ▶",
    "下一项 (Alt+→)": "Next (Alt+→)",
    "共 {0} 项指标。数字型指标请只填数字(如 95 或 12.5),单位已列出;其他指标填写完成情况。":
        "{0} indicators. For a numeric indicator enter just the number (e.g. 95 or 12.5); "
        "its unit is shown. For the others describe how far they are met.",
    "本期下发包中没有需要本单位填报的指标。":
        "This period's outbound packet has no indicators for this unit to report.",
    "序号": "No.",
    "指标": "Indicator",
    "指标值 / 目标值": "Standard / target",
    "本期数值": "Value this period",
    "说明": "Note",
    "(无)": "(none)",
    "数字": "Number",
    "完成情况": "How far it is met",
    "可不填": "Optional",
    "退回意见:{0}": "Correction note: {0}",
    "M月d日": "MMM d",
    "yyyy年M月d日": "MMM d, yyyy",
    "截止 {0}(还有 {1} 天)": "Due {0} ({1} day(s) left)",
    "截止 {0}(今天截止)": "Due {0} (today)",
    "截止 {0}(已逾期 {1} 天)": "Due {0} ({1} day(s) overdue)",
    "全部": "All",
    "未填": "Not filled",
    "滞后": "Behind",
    "搜索编号、任务内容… (Ctrl+F)": "Search number, task text… (Ctrl+F)",
    "文件(&F)": "&File",
    "打开下发包…": "Open outbound packet…",
    "导出报送包…": "Export return packet…",
    "检查填写情况": "Check entries",
    "退出": "Quit",
    "填写(&E)": "&Edit",
    "立即保存": "Save now",
    "把此责任人和电话填到其他任务…": "Use this contact for other tasks…",
    "上一项": "Previous",
    "下一项": "Next",
    "下一个未填项": "Next unfilled item",
    "查找任务": "Find task",
    "帮助(&H)": "&Help",
    "快捷键": "Keyboard shortcuts",
    "时间": "Time",
    "单位": "Unit",
    "周期": "Period",
    "原值": "Old value",
    "新值": "New value",
    "报送包": "Return packet",
    "位置": "Location",
    "单位名称": "Unit name",
    "类型": "Type",
    "牵头任务": "Lead tasks",
    "配合任务": "Cooperating tasks",
    "落实任务": "Implementing tasks",
    "牵头指标": "Lead indicators",
    "别名": "Aliases",
    "领域": "Section",
    "任务": "Task",
    "指标名称": "Indicator",
    "指标值": "Standard",
    "指标属性": "Attribute",
    "目标值": "Target",
    "牵头部门": "Lead department",
    "搜索指标名称、牵头部门…": "Search indicator, lead department…",
    "下发时(或上次导入报送时)双方一致的值:":
        "The value both sides agreed on when issued (or at the last merge): ",
    "对方报送": "Theirs (returned)",
    "本方当前": "Ours (now)",
    "处理": "Resolution",
    "本期已下发": "Issued this period",
    "文件": "File",
    "版本": "Revision",
    "结果": "Result",
    "新增行": "New rows",
    "修改行": "Changed rows",
    "无变化行": "Unchanged rows",
    "冲突": "Conflicts",
    "警告": "Warning",
    "错误": "Error",
    "工作表": "Sheet",
    "单元格": "Cell",
    "任务内容": "Task text",
    "牵头": "Lead",
    "配合": "Cooperating",
    "落实": "Implementing",
    "完成时限": "Deadline",
    "目标": "Target",
    "任务数": "Tasks",
    "属性": "Attribute",
    "年份": "Year",
    "本方案": "This plan",
    "参与": "Taking part",
    "新增…": "Add…",
    "修改…": "Edit…",
    "删除": "Delete",
    "分配单位…": "Assign units…",
    "撤销": "Undo",
    "重做": "Redo",
    "撤销:{0}": "Undo: {0}",
    "重做:{0}": "Redo: {0}",
    "还没有方案。请用“方案 → 新建方案…”新建,或“方案 → 导入方案…”导入已有的任务分解表和指标表。":
        "No plan yet. Create one with \"Plan → New plan…\", or import an existing task "
        "breakdown and indicator table with \"Plan → Import plan…\".",
    "状态": "Status",
    "下发时间": "Issued",
    "收到时间": "Received",
    "迟报/逾期天数": "Days late",
    "逾期天数": "Days overdue",
    "联系方式": "Contact",
    "牵头单位": "Lead units",
    "配合单位": "Cooperating units",
    "导入方案…": "Import plan…",
    "导出方案…": "Export plan…",
    "新建方案…": "New plan…",
    "方案设置…": "Plan settings…",
    "级别": "Level",
    "问题": "Problems",
    "导入": "Import",
    "关闭": "Close",
    "单位 {0}": "Units {0}",
    "任务 {0}": "Tasks {0}",
    "指标 {0}": "Indicators {0}",
    "问题 {0}": "Problems {0}",
    "方案:{0}": "Plan: {0}",
    "将创建:领域 {0} 个,任务 {1} 项,指标 {2} 项;涉及单位 {3} 个,其中新建 {4} 个,记住别名 {5} 个。":
        "Will create {0} sections, {1} tasks and {2} indicators; {3} units take part, "
        "{4} of them new; {5} aliases will be remembered.",
    "有 {0} 个单位名称与已有单位相近,已标黄,请在“处理”列确认。":
        "{0} unit names are close to existing units (marked yellow): please confirm them in "
        "the \"Action\" column.",
    "工作簿有 {0} 处错误(见“问题”),修改后才能导入。":
        "The workbook has {0} errors (see \"Problems\"); correct them before importing.",
    # ------------------------------------------------------------ application
    "台账": "Taizhang",
    "取消": "Cancel",
    "确定": "OK",
    "程序出错:{0}: {1}\n详细信息已写入日志。":
        "Program error: {0}: {1}\nThe details were written to the log.",
    # ------------------------------------------------------------ file filters
    "Excel 工作簿 (*.xlsx)": "Excel workbooks (*.xlsx)",
    "Excel 工作簿 (*.xlsx *.xlsm *.xls *.et)": "Excel workbooks (*.xlsx *.xlsm *.xls *.et)",
    "所有文件 (*)": "All files (*)",
    "台账数据库 (*.db)": "Taizhang databases (*.db)",
    "PNG 图片 (*.png)": "PNG images (*.png)",
    "PDF 文件 (*.pdf)": "PDF files (*.pdf)",
    # ------------------------------------------------------------ district window
    "台账 · 任务进展填报与汇总": "Taizhang · task progress reporting and merging",
    "方案与周期": "Plan and period",
    "方案": "Plan",
    "数据库:{0}": "Database: {0}",
    "方案(&P)": "&Plan",
    "填报(&R)": "&Returns",
    "报告(&S)": "Report&s",
    "关于台账": "About Taizhang",
    "台账 {0}\n任务进展离线填报与汇总": "Taizhang {0}\nOffline task progress reporting and merging",
    "看板": "Dashboard",
    "下发": "Issue",
    "汇总": "Merge",
    "收件登记": "Receipts",
    "报告": "Reports",
    "日志": "Log",
    "编辑方案": "Edit plan",
    "全部单位": "All units",
    "全部领域": "All sections",
    "请选择方案和周期。": "Choose a plan and a period.",
    "正在读取台账…": "Reading the ledger…",
    "正在读取{0}的本期填报…": "Reading {0}'s reports for the period…",
    "请选择方案和填报周期。": "Choose a plan and a period.",
    # 任务
    "任意角色": "Any role",
    "搜索任务内容、编号、单位…": "Search task text, number, unit…",
    "全部任务": "All tasks",
    "{0}/{1} 项": "{0}/{1}",
    # 单位
    "共 {0} 个单位:": "{0} units: ",
    # 看板
    "(时限 {0})": " (deadline {0})",
    "导出图表…": "Export charts…",
    "把全部图表保存为 PNG 图片": "Save every chart as a PNG image",
    "报送": "Returns",
    "平均完成进度": "Average completion",
    "滞后任务": "Tasks behind",
    "指标达标": "Indicators met",
    "正在生成图表…": "Drawing charts…",
    "填报单位": "Reporting unit",
    "情况": "State",
    "存在问题": "Problems",
    "滞后及逾期未完成任务": "Tasks behind or overdue",
    "正在统计…": "Counting…",
    "点击柱条查看对应任务;右键导出图片": "Click a bar to see its tasks; right-click to export the image",
    "滞后及逾期未完成任务({0} 项任务,{1} 条)": "Tasks behind or overdue ({0} tasks, {1} entries)",
    "{0} · 截止 {1}": "{0} · due {1}",
    "按时 {0} · 迟报 {1} · 未报 {2}": "On time {0} · late {1} · missing {2}",
    "较上期 {0} 个百分点": "{0} points on last period",
    "涉及 {0} 条填报 · 标为{1} {2} 条": "{0} entries · {2} marked {1}",
    " · 上期 {0} 项": " · last period {0}",
    "未达标 {0} · 待评估 {1}": "Not met {0} · pending {1}",
    "导出此图为 PNG…": "Export this chart as PNG…",
    "导出图表": "Export chart",
    "选择保存图表的文件夹": "Choose a folder for the charts",
    "已导出 {0} 张图表到 {1}": "Exported {0} charts to {1}",
    # 下发
    "全选": "Select all",
    "全不选": "Select none",
    "下发包保存到的文件夹": "Folder for the outbound packets",
    "选择文件夹…": "Choose folder…",
    "生成下发包": "Write outbound packets",
    "保存到": "Save to",
    "为 {0} 生成下发包 · 报送截止 {1}": "Outbound packets for {0} · returns due {1}",
    "已选 {0}/{1} 个单位": "{0}/{1} units selected",
    "选择下发包保存的文件夹": "Choose the folder for the outbound packets",
    "正在生成下发包…": "Writing outbound packets…",
    "已生成 {0} 个下发包,保存在 {1}": "Wrote {0} outbound packets to {1}",
    ";跳过:{0}": "; skipped: {0}",
    "已取消。取消前已生成的下发包保留在文件夹中,并已登记。":
        "Cancelled. The packets written before cancelling stay in the folder and are registered.",
    # 汇总
    "导入报送包…": "Import return packets…",
    "导入文件夹中的报送包…": "Import return packets from a folder…",
    "选择文件…": "Choose files…",
    "清空列表": "Clear list",
    "选中一个文件查看它的问题(工作表、单元格、说明)。":
        "Select a file to see its problems (sheet, cell, note).",
    "处理冲突…": "Resolve conflicts…",
    "应用所选": "Apply selected",
    "应用全部有效": "Apply all valid",
    "选择报送包": "Choose return packets",
    "选择存放报送包的文件夹": "Choose the folder holding the return packets",
    "请先在上方选择方案和填报周期。": "First choose a plan and a period above.",
    "没有找到新的填报包文件。": "No new packet files found.",
    "正在检查报送包…": "Checking return packets…",
    "正在导入报送包…": "Merging return packets…",
    "合并到:{0}。先预览,确认无误后再应用;被拒收的文件不会写入任何数据。":
        "Merging into {0}. Preview first and apply once it looks right; rejected files "
        "write nothing.",
    "请先选择方案和填报周期。": "First choose a plan and a period.",
    "共 {0} 个文件:": "{0} files: ",
    ";产生 {0} 处冲突,需人工决定。": "; {0} conflicts need a decision.",
    "{0}:{1} 个问题": "{0}: {1} problems",
    "{0}:没有问题": "{0}: no problems",
    # 冲突
    "显示已处理": "Show resolved",
    "保留本方": "Keep ours",
    "保留区里当前的值,不采用对方报送的值": "Keep the district's current value, not the returned one",
    "采用对方": "Take theirs",
    "用对方报送的值替换区里当前的值": "Replace the district's current value with the returned one",
    "{0} 个字段区里和报送单位都改过,请逐一决定保留哪个值。":
        "{0} fields were changed both here and by the reporting unit: decide for each "
        "which value to keep.",
    "没有待处理的冲突。": "No open conflicts.",
    "{0} · {1} {2}\n字段:{3}   位置:{4}\n原值(下发或上次导入时):{5}\n对方报送:{6}\n"
    "合并时本方:{7}\n本方当前:{8}":
        "{0} · {1} {2}\nField: {3}   Location: {4}\nOriginal (when issued or last merged): "
        "{5}\nTheirs (returned): {6}\nOurs when merging: {7}\nOurs now: {8}",
    "已选 {0} 项": "{0} selected",
    # 收件登记
    "催报名单": "Reminder list",
    "复制催报名单": "Copy reminder list",
    "导出登记表…": "Export receipts…",
    "退回修改…": "Return for correction…",
    "标记所选单位报送中需要修改的字段,生成退回修改包":
        "Mark the fields of the selected unit's return that need correcting and write a "
        "correction packet",
    "{0} · 截止 {1} · {2}": "{0} · due {1} · {2}",
    "{0}尚未下发": "{0} not issued yet",
    "已收 {0}/{1} · 迟报 {2} · 未报 {3}": "Received {0}/{1} · late {2} · missing {3}",
    "催报名单({0} 个单位)": "Reminder list ({0} units)",
    "{0}进展报送截止 {1},以下单位尚未报送(或需重新报送):":
        "Progress returns for {0} were due {1}; these units have not returned yet (or must "
        "return again):",
    ",已逾期 {0} 天": ", {0} day(s) overdue",
    "收件登记_{0}.xlsx": "receipts_{0}.xlsx",
    "导出收件登记": "Export receipts",
    "已导出:{0}": "Exported: {0}",
    # 退回修改
    "退回修改 · {0} · {1}": "Return for correction · {0} · {1}",
    "只看已填的字段": "Only filled fields",
    "退回意见,如:完成进度与本期进展不符,请核实":
        "Correction note, e.g.: the percentage does not match the progress described, please check",
    "标记需修改": "Mark for correction",
    "取消标记": "Unmark",
    "生成退回修改包…": "Write correction packet…",
    "选中需要单位修改的字段,写明意见后点“标记需修改”。生成的退回修改包中只有这些单元格可以填写(黄色),"
    "意见显示在批注和“退回意见”列中;单位报送回来后,导入时只采用这些单元格,标记随之关闭。":
        "Select the fields the unit must correct, write a note and click \"Mark for "
        "correction\". In the correction packet only these cells can be filled in (yellow); "
        "the notes appear as cell comments and in the \"Correction note\" column. When the "
        "unit returns it, merging takes only these cells and closes the marks.",
    "已标记 {0} 个字段": "{0} fields marked",
    "尚未标记需要修改的字段": "No fields marked for correction yet",
    "保存退回修改包": "Save correction packet",
    "已生成退回修改包:{0}\n请发给{1}修改后报送回来。":
        "Correction packet written: {0}\nSend it to {1} to correct and return.",
    # 日志
    "任务/指标编号,如 2.1.3": "Task/indicator number, e.g. 2.1.3",
    "报送包编号(开头几位即可)": "Return packet id (the first characters are enough)",
    "(只显示最近 {0} 条)": "(showing the latest {0} only)",
    "{0} 条记录": "{0} records",
    # 报告
    "进展情况通报…": "Progress summary…",
    "单位报告…": "Unit report…",
    "催报通知…": "Reminder notice…",
    "导出汇总表…": "Export summary table…",
    "进展情况通报": "Progress summary",
    "单位报告": "Unit report",
    "催报通知": "Reminder notice",
    "统计本期数据": "Counting this period",
    "请选择要生成报告的单位。": "Choose the unit to report on.",
    "绘制图表": "Drawing charts",
    "附图表(横向附页)": "Append charts (landscape)",
    "打印…": "Print…",
    "导出PDF…": "Export PDF…",
    "文种": "Document",
    "成文日期": "Dated",
    "正在生成…": "Building…",
    "{0}\n应报 {1} · 按时 {2} · 迟报 {3} · 未报 {4}\n滞后任务 {5} 项":
        "{0}\nExpected {1} · on time {2} · late {3} · missing {4}\nTasks behind: {5}",
    "打印": "Print",
    "导出PDF": "Export PDF",
    "导出汇总表": "Export summary table",
    "正在导出汇总表": "Exporting summary table",
    # ------------------------------------------------------------ plan editing
    "还没有方案可以导出。": "There is no plan to export yet.",
    "导出方案工作簿": "Export plan workbook",
    "已导出到 {0}\n任务 {1} 项,指标 {2} 项,单位 {3} 个。可在 Excel/WPS 中修改后用“导入方案…”导回(导入为新方案)。":
        "Exported to {0}\n{1} tasks, {2} indicators, {3} units. Edit it in Excel/WPS and "
        "bring it back with \"Import plan…\" (as a new plan).",
    "导出方案": "Export plan",
    "请先新建或导入方案。": "First create or import a plan.",
    "任务 {0} · 领域 {1} · 指标 {2} · 本方案单位 {3}":
        "Tasks {0} · sections {1} · indicators {2} · units in plan {3}",
    " · 无牵头单位的任务 {0}": " · tasks without a lead unit {0}",
    "新增任务 {0}": "Add task {0}",
    "修改任务 {0}": "Edit task {0}",
    "删除任务 {0}": "Delete task {0}",
    "分配单位({0} 项任务)": "Assign units ({0} tasks)",
    "新增领域 {0}": "Add section {0}",
    "修改领域 {0}": "Edit section {0}",
    "删除领域 {0}": "Delete section {0}",
    "新增指标 {0}": "Add indicator {0}",
    "修改指标 {0}": "Edit indicator {0}",
    "删除指标 {0}": "Delete indicator {0}",
    "新增单位 {0}": "Add unit {0}",
    "修改单位 {0}": "Edit unit {0}",
    "删除单位 {0}": "Delete unit {0}",
    "修改方案设置": "Change plan settings",
    "为 {0} 项任务分配单位": "Assign units to {0} tasks",
    "替换这些任务原有的该角色单位": "Replace these tasks' units in this role",
    "角色": "Role",
    "修改指标": "Edit indicator",
    "新增指标": "Add indicator",
    "(一级指标)": "(top-level indicator)",
    "如 ≥20、≤0.5、100 或 制定实施": "e.g. ≥20, ≤0.5, 100 or 制定实施 (adopted)",
    "(未定)": "(not set)",
    "上级指标": "Parent indicator",
    "目标年份": "Target year",
    "方案设置": "Plan settings",
    "新建方案": "New plan",
    "每{0}": "Every {0}",
    "每期结束后次月 ": "By day ",
    " 日前": " of the month after each period",
    "至": "to",
    "方案名称": "Plan title",
    "发文单位": "Issued by",
    "牵头办公室": "Lead office",
    "填报频率": "Reporting frequency",
    "报送截止": "Returns due",
    "填报周期": "Periods",
    "已有填报或下发的周期不会被删除;修改频率会重新生成其余周期。":
        "Periods with reports or issued packets are kept; changing the frequency regenerates "
        "the others.",
    "起始月份": "First month",
    "结束月份": "Last month",
    "{0}应写作 YYYY-MM,如 2021-03。": "{0} must be written YYYY-MM, e.g. 2021-03.",
    "修改领域": "Edit section",
    "新增领域": "Add section",
    "(一级领域)": "(top-level section)",
    "名称": "Name",
    "上级领域": "Parent section",
    "修改任务": "Edit task",
    "新增任务": "Add task",
    "(不属于任何领域)": "(no section)",
    "如 2022-05、2022-05-31 或 2022年5月底前;长期任务留空":
        "e.g. 2022-05, 2022-05-31 or 2022年5月底前; leave empty for ongoing tasks",
    "责任单位": "Responsible units",
    "{0}(未加入本方案)": "{0} (not in this plan)",
    "筛选单位…": "Filter units…",
    "(未选)": "(none chosen)",
    "修改单位": "Edit unit",
    "新增单位": "Add unit",
    "其他写法,用“、”分隔(导入时据此识别)":
        "Other spellings, separated by \"、\" (used to recognise the unit when importing)",
    "加入当前方案“{0}”": "Add to the current plan \"{0}\"",
    "加入当前方案": "Add to the current plan",
    # ------------------------------------------------------------ plan import
    "导入方案工作簿": "Import plan workbook",
    "请选择方案工作簿(任务分解表、指标表,.xlsx)。":
        "Choose a plan workbook (task breakdown and indicator table, .xlsx).",
    "选择方案工作簿": "Choose plan workbook",
    "正在读取…": "Reading…",
    "读取方案工作簿": "Reading plan workbook",
    "无法导入:": "Cannot import: ",
    "导入方案": "Import plan",
    "已导入方案“{0}”:任务 {1} 项,指标 {2} 项,单位 {3} 个(新建 {4} 个)。":
        "Imported plan \"{0}\": {1} tasks, {2} indicators, {3} units ({4} new).",
    "单位名称(表中写法)": "Unit name (as written)",
    "出现位置": "Found in",
    "新建单位": "New unit",
    "(本次新建)": "(new in this import)",
    "归入“{0}”": "Merge into \"{0}\"",
    " 等 {0} 处": " … {0} in all",
    "名称相近(相似度 {0:.0%}),请确认": "Similar name ({0:.0%} alike), please confirm",
    "最接近的已有单位:{0}": "Closest existing unit: {0}",
    "导入后记为“{0}”的别名": "Will be remembered as an alias of \"{0}\"",
    # ------------------------------------------------------------ opening a packet as a unit
    "打开下发包(单位填报)": "Open outbound packet (unit reporting)",
    "本单位填报库保存到": "Save the unit's office database as",
    "正在打开下发包…": "Opening outbound packet…",
    "打开下发包(单位填报)…": "Open outbound packet (unit reporting)…",
    "以单位身份填报:把区里下发的填报包载入本单位的填报库":
        "Report as a unit: load the district's outbound packet into the unit's office database",
    # ------------------------------------------------------------ server (文件 › 连接服务器…)
    "连接服务器…": "Connect to server…",
    "连接服务器": "Connect to server",
    "在系统密钥环中记住密码": "Remember the password in the system keyring",
    "服务器": "Server",
    "端口": "Port",
    "数据库": "Database",
    "用户名": "User",
    "密码": "Password",
    "连接": "Connect",
    "请填写数据库和用户名。": "Please fill in the database and the user.",
    "正在连接 {0} …": "Connecting to {0} …",
    "已另行备份,确认升级数据库": "I have a backup: upgrade the database",
    # ------------------------------------------------------------ office window
    "台账 · 单位填报": "Taizhang · unit reporting",
    "任务进展": "Task progress",
    "指标数值": "Indicator values",
    "填报库:{0}": "Office database: {0}",
    "导出报送包": "Export return packet",
    "检查填写情况并导出报送包 (Ctrl+E)": "Check the entries and export the return packet (Ctrl+E)",
    "  · 退回修改包": "  · correction packet",
    "{0}  ·  报送给 {1}{2}": "{0}  ·  return to {1}{2}",
    "{0} · {1} · 台账": "{0} · {1} · Taizhang",
    "M月d日 HH:mm": "MMM d, HH:mm",
    "已导出第 {0} 版 {1}": "Revision {0} exported {1}",
    "尚未导出": "Not exported yet",
    "已填 {0}/{1}": "Filled {0}/{1}",
    "还差 {0} 项": "{0} to go",
    "全部填完 ✓": "All filled ✓",
    "全部 {0}": "All {0}",
    "未填 {0}": "Not filled {0}",
    "滞后 {0}": "Behind {0}",
    "任务进展  {0}/{1}": "Task progress  {0}/{1}",
    "指标数值  {0}/{1}": "Indicator values  {0}/{1}",
    "没有未填的任务了。可以按 Ctrl+E 导出报送包。":
        "No unfilled tasks left. Press Ctrl+E to export the return packet.",
    "没有滞后的任务。": "No tasks behind.",
    "没有找到匹配的任务。": "No matching tasks.",
    "此项已过完成时限({0}),请写明进展;未完成的请在“存在问题”中说明原因。":
        "This item is past its deadline ({0}): describe the progress, and if it is not "
        "completed explain why under \"Problems\".",
    "输入的内容会自动保存": "What you type is saved automatically",
    "正在输入…": "Typing…",
    "指标已自动保存 {0}": "Indicators saved automatically {0}",
    "{0}填写有误,改正后自动保存": "{0}: not valid yet; saved automatically once corrected",
    "✓ 已自动保存 {0}": "✓ Saved automatically {0}",
    "请先在本项正确填写责任人和联系电话,再填到其他任务。":
        "First enter a valid person responsible and phone number on this item, then copy "
        "them to the other tasks.",
    "其他任务都已填写责任人和电话。":
        "All other tasks already have a person responsible and a phone number.",
    "填写联系人": "Fill in contact",
    "把责任人“{0}”、联系电话“{1}”填到其余 {2} 项还没有填写的任务?\n已经填写的不会改动。":
        "Enter \"{0}\" as person responsible and \"{1}\" as phone number on the other {2} tasks "
        "without them?\nTasks already filled in are not changed.",
    "填写": "Fill in",
    "正在填写联系人…": "Filling in contacts…",
    "已为 {0} 项任务填写联系人": "Contact filled in on {0} tasks",
    "{0}(未保存)": "{0} (not saved)",
    "全部填写完整,可以导出报送包。": "Everything is filled in: the return packet can be exported.",
    "正在导出报送包…": "Exporting return packet…",
    "已导出报送包(第 {0} 版):\n{1}\n\n请把这个文件发送给{2}。":
        "Return packet exported (revision {0}):\n{1}\n\nSend this file to {2}.",
    "\n\n注意:还有 {0} 处没有填写完整。": "\n\nNote: {0} entries are still incomplete.",
    "打开所在文件夹": "Open folder",
    "打开下发包": "Open outbound packet",
    "下发包中有以下问题:": "The outbound packet has these problems:",
    "Tab / Shift+Tab:在填写项之间移动\nAlt+← / Alt+→:上一项 / 下一项\nAlt+↓:下一个未填项\n"
    "Ctrl+F:查找任务\nCtrl+S:立即保存(平时会自动保存)\nCtrl+E:检查并导出报送包\nCtrl+O:打开下发包":
        "Tab / Shift+Tab: move between fields\nAlt+← / Alt+→: previous / next item\n"
        "Alt+↓: next unfilled item\nCtrl+F: find a task\nCtrl+S: save now (saving is "
        "otherwise automatic)\nCtrl+E: check and export the return packet\n"
        "Ctrl+O: open an outbound packet",
    "有填写有误的内容没有保存(例如电话或日期格式不对)。\n关闭后这些内容会丢失,其他内容都已保存。":
        "Some entries are not valid and were not saved (a phone number or a date in the "
        "wrong format, for example).\nThey are lost if you close; everything else is saved.",
    "仍然关闭": "Close anyway",
    "返回修改": "Go back and fix",
    "导出前检查": "Check before export",
    "{0} 项任务": "{0} tasks",
    "{0} 项指标": "{0} indicators",
    "还有 {0}没有填写完整(共 {1} 处)。点击一项可直接去填写。":
        "{0} not yet complete ({1} entries). Click an item to go and fill it in.",
    "也可以先导出:区里会看到这些空缺,补齐后再导出一次即可。":
        "You can also export now: the district will see the gaps; export again once they "
        "are filled in.",
    "点击去填写": "Click to fill in",
    "返回填写": "Back to filling in",
    "仍然导出…": "Export anyway…",
    "« 沿用": "« Reuse",
    "把上期的内容填到本期": "Copy last period's entry into this period",
    "本单位:{0}": "This unit: {0}",
    "退回意见 · {0}:{1}": "Correction note · {0}: {1}",
    "(无上期记录)": "(no entry last period)",
    "{0}:{1}": "{0}: {1}",
    "第 {0}/{1} 项": "Item {0}/{1}",
    "长期": "Ongoing",
    "填写有误,未保存": "Not valid, not saved",
    "待填:": "To fill in: ",
    "、": ", ",
    # ------------------------------------------------------------ backups (文件 › 从备份恢复…)
    "从备份恢复": "Restore from backup",
    "从备份恢复…": "Restore from Backup…",
    "备份时间": "Backed up",
    "原因": "Reason",
    "大小": "Size",
    "汇总导入前": "Before merging",
    "导入方案前": "Before plan import",
    "编辑方案前": "Before plan edit",
    "升级数据库前": "Before upgrade",
    "恢复备份前": "Before restore",
    "手动": "Manual",
    "自动备份位于 {0}。恢复时会先把当前数据库另存一份备份,恢复后也可以再从这里恢复回来。":
        "Automatic backups are kept in {0}. Restoring first backs up the current database, "
        "so a restore can be undone from this list too.",
    "还没有备份。导入报送包、导入或编辑方案、升级数据库之前会自动备份。":
        "No backups yet. One is made automatically before merging returns, importing or "
        "editing a plan, and upgrading the database.",
    "恢复所选备份": "Restore selected backup",
    "正在恢复数据库…": "Restoring the database…",
    "已从备份恢复数据库。恢复前的文件已另存为:\n{0}":
        "The database was restored from the backup. The file as it was is kept as:\n{0}",
    "已从备份恢复数据库。": "The database was restored from the backup.",
    # ------------------------------------------------------------ periods (QDate formats)
    "第一季度": "Q1",
    "第二季度": "Q2",
    "第三季度": "Q3",
    "第四季度": "Q4",
    "上半年": "H1",
    "下半年": "H2",
    "yyyy年M月": "MMM yyyy",
    "{0}年{1}": "{1} {0}",
    "{0}年": "{0}",
    # ------------------------------------------------------------ vocabulary (app/core/vocab.py)
    "未启动": "Not started",
    "推进中": "In progress",
    "已完成": "Completed",
    "长期坚持": "Ongoing",
    "区创建办": "District office",
    "部门": "Department",
    "镇": "Town",
    "街道": "Subdistrict",
    "开发区": "Development zone",
    "月": "month",
    "季度": "quarter",
    "半年": "half-year",
    "年": "year",
    "进展状态": "Status",
    "完成进度(%)": "Completion (%)",
    "完成进度": "Completion",
    "本期进展": "Progress this period",
    "下步计划": "Next steps",
    "责任人": "Responsible",
    "联系电话": "Phone",
    "完成日期": "Completed on",
    "未下发": "Not issued",
    "已下发": "Issued",
    "已收": "Received",
    "迟报": "Late",
    "已拒收": "Rejected",
    "退回修改": "Returned for correction",
    "未报": "Missing",
    "可导入": "Ready",
    "已导入": "Merged",
    "无变化": "No change",
    "已被新版本取代": "Superseded",
    "拒收": "Rejected",
    "已取消": "Cancelled",
    "待处理": "Open",
    "已被新报送取代": "Superseded by a newer return",
    "按时报送": "On time",
    "未填报": "Not reported",
    "达标": "Met",
    "未达标": "Not met",
    "待评估": "Pending",
    "逾期未完成": "Overdue",
    "约束性": "Binding",
    "参考性": "Indicative",
    "注意": "Warning",
    "提示": "Info",
    # ------------------------------------------------------------ firstday: databases, exports
    "数据库文件不存在:{0}": "Database file not found: {0}",
    "单位填报": "Unit reporting",
    "示例": "Example",
    "新建数据库": "New database",
    "台账.db": "taizhang.db",
    "文件已存在:{0}\n请换一个文件名,或用“打开数据库…”打开它。":
        "The file already exists: {0}\nChoose another name, or open it with \"Open database…\".",
    "打开数据库": "Open database",
    "(没有)": "(none)",
    "清除列表": "Clear list",
    "新建数据库…": "New database…",
    "打开数据库…": "Open database…",
    "最近使用": "Recent",
    "保存位置:{0}": "Saved to: {0}",
    "没有可用的文件管理器。文件夹位置:\n{0}": "No file manager is available. The folder is:\n{0}",
    "台账 — {0}": "Taizhang — {0}",
    "正在检查下发包…": "Checking the packet…",
    "{0}_填报库.db": "{0}_office.db",
    "{0} · {1} — 台账 · {2}": "{0} · {1} — Taizhang · {2}",
    # ------------------------------------------------------------ firstday: welcome, example
    "正在准备示例数据库…": "Preparing the example database…",
    "正在打开数据库…": "Opening the database…",
    # start-up: the district window's shell, before its first page is loaded
    "正在载入…": "Loading…",
    "截止 {0}": "Due {0}",
    "示例数据库:仅供熟悉操作,与您自己的数据分开保存":
        "Example database: for trying things out, kept apart from your own data",
    "欢迎使用台账": "Welcome to Taizhang",
    "任务进展离线填报与汇总:区创建办下发填报包 → 各单位填报并发回报送包 → 区创建办汇总 → 打印通报。\n请先选择您的身份:":
        "Offline task-progress reporting: the district office issues packets → each unit "
        "fills its packet and sends it back → the district merges them → prints the progress "
        "summary.\nWho are you?",
    "导入方案工作簿…": "Import a plan workbook…",
    "把已有的任务分解表、指标表(Excel)导入为方案":
        "Import the task breakdown and indicator tables you already have (Excel) as a plan",
    "新建空白方案…": "New empty plan…",
    "打开已有数据库…": "Open an existing database…",
    "先看看示例(天宁区方案,单独的示例数据库)":
        "Explore the example first (Tianning plan, in a separate example database)",
    "制定或导入方案,按周期给各单位下发填报包,汇总发回的报送包,查看看板、打印进展情况通报。":
        "Create or import a plan, issue packets to the units every period, merge the returned "
        "packets, watch the dashboard and print the progress summary.",
    "您的数据保存在本机的台账数据库中;示例单独保存,不会混入您的数据。":
        "Your data is kept in a Taizhang database on this computer; the example is kept "
        "separately and never mixes with your data.",
    "打开收到的下发包…": "Open the packet you received…",
    "区里通过邮件或微信发来的 Excel 文件": "The Excel file the district sent by mail or chat",
    "单位填报(镇、街道、部门)": "Unit reporting (towns, streets, departments)",
    "区里发来了填报包(Excel 文件)?打开它,逐项填写本单位的进展,自动保存,填完后导出报送包发回区里。":
        "Received a packet (Excel file) from the district? Open it, fill in your unit's "
        "progress task by task (saved automatically), then export the return packet and "
        "send it back.",
    "没有安装台账的同事也可以直接用 WPS 或 Excel 填写同一个文件。":
        "Colleagues without Taizhang can fill the same file in WPS or Excel.",
    "以后可以随时通过“文件 › 打开数据库…”或“最近使用”切换;“帮助 › 使用说明”(F1)有操作步骤。":
        "You can switch at any time with File › Open database… or Recent; Help › User guide "
        "(F1) has the steps.",
    # ------------------------------------------------------------ firstday: export notices
    "已导出图表。": "Chart exported.",
    "已导出 {0} 张图表。": "{0} chart(s) exported.",
    "正在生成PDF…": "Writing the PDF…",
    "正在导出PDF": "Exporting PDF",
    "已导出PDF。": "PDF exported.",
    "已导出汇总表。": "Summary workbook exported.",
    # ------------------------------------------------------------ firstday: diagnostics, about
    "程序出错,已记录在日志中:{0}: {1}\n日志文件夹:{2}\n可以继续使用;如果再次出错,请把日志文件发给技术支持。":
        "Something went wrong; it has been logged: {0}: {1}\nLog folder: {2}\n"
        "You can go on working; if it happens again, send the log file to support.",
    "打开日志文件夹": "Open log folder",
    "台账 {0}": "Taizhang {0}",
    "任务进展离线填报与汇总": "Offline task-progress reporting",
    "数据文件夹:{0}": "Data folder: {0}",
    "日志文件夹:{0}": "Log folder: {0}",
    "许可证:": "Licences:",
    "使用说明": "User guide (Chinese)",
}

# ------------------------------------------------------------ 台账 (ledger page, issue 10)
BY_CONTEXT[("Navigation", "台账")] = "Ledger"
EN.update({
    "进度": "Progress",
    "来源": "Source",
    "区里更正": "District correction",
    "时间": "Time",
    "已销号": "Closed out",
    "未完成": "Open",
    "已完成待销号": "Done, to close out",
    "逾期": "Overdue",
    "整改事项": "Rectification item",
    "整改时限": "Deadline",
    "整改目标": "Target",
    "已完成/单位": "Done/units",
    "销号": "Closed",
    "上期 {0}%": "last period {0}%",
    "进度倒退": "progress went backwards",
    "区里更正过": "corrected by the district",
    "已审核": "Approved",
    "已销号 {0}": "closed out {0}",
    "审核": "Approval",
    "更正…": "Correct…",
    "审核通过": "Approve",
    "销号…": "Close out…",
    "历期进度": "Progress over the periods",
    "本期改动记录": "Changes this period",
    "选择台账中的一格,查看该单位本期填报的内容、来源和历期进度。":
        "Select a cell of the ledger to see what the unit reported, where it came from and "
        "its progress over the periods.",
    "本期未报": "Not reported this period",
    "未填状态": "No status",
    "上期 {0}": "last period {0}",
    "⚠ 进度倒退": "⚠ progress went backwards",
    "✓ 已审核 {0}": "✓ approved {0}",
    "已销号 {0}({1})": "closed out {0} ({1})",
    "来源:{0}(第 {1} 版)": "Source: {0} (revision {1})",
    "{0} 收": "received {0}",
    "区里更正:{0}": "corrected by the district: {0}",
    "取消审核": "Withdraw approval",
    "撤销销号": "Reopen",
    "销号 · {0} {1}": "Close out · {0} {1}",
    "必填:如 验收材料、现场核查记录": "Required: e.g. acceptance documents, site inspection",
    "该任务的所有单位一并销号": "Close out the item for all its units",
    "销号日期": "Close-out date",
    "销号说明": "Close-out note",
    "销号后该事项不再要求报送,不计入滞后,在台账、通报和汇总表中列为已销号。":
        "A closed item is no longer asked for, never counts as behind, and is listed as "
        "closed out in the ledger, the progress summary and the summary workbook.",
    "更正 · {0} · {1} · {2}": "Correct · {0} · {1} · {2}",
    "(未填)": "(empty)",
    "必填:为什么更正(如 电话核实、现场核查)":
        "Required: why (e.g. checked by phone, site inspection)",
    "更正说明": "Reason",
    "区里更正会留痕(更正人:区创建办,附说明),并在下期下发包中带出。":
        "A correction is audited (by the district office, with the reason) and carried "
        "into the unit's next packet.",
    "没有改动。": "Nothing changed.",
    "只看滞后": "Behind only",
    "只看未报": "Unreported only",
    "只看有变化": "Changed only",
    "搜索编号或任务…": "Search code or task…",
    "○ 未报 · ◐ 推进中 · ● 已完成 · ∞ 长期坚持 · ! 滞后 · ↑↓ 较上期 · ✎ 区里更正 · ✓ 已审核 · 销号 已销号":
        "○ not reported · ◐ in progress · ● completed · ∞ ongoing · ! behind · ↑↓ since "
        "last period · ✎ corrected · ✓ approved · Closed closed out",
    "单位本期": "Unit's period",
    "整改清单": "Rectification list",
    "{0} · 已收 {1}/{2} 个单位 · 已审核 {3} · 滞后 {4} 条":
        "{0} · received {1}/{2} units · approved {3} · behind {4}",
    "镇街(开发区、镇、街道)": "Towns and streets",
    "{0}单位": "{0} units",
    "{0} · {1} · 已填 {2}/{3}": "{0} · {1} · filled {2}/{3}",
    "整改事项 {0} 项 · 已销号 {1} · 已完成待销号 {2} · 未完成 {3} · 逾期 {4}":
        "{0} items · closed out {1} · done, to close out {2} · open {3} · overdue {4}",
    "全部审核通过": "Approve all received",
    "已收到的单位报送全部审核通过(审核后不再接受该期的新报送)":
        "Approve every received return (no new return for the period is accepted afterwards)",
    "已审核通过 {0} 个单位的报送。": "Approved the returns of {0} units.",
    "已报/应报": "Reported/assigned",
    "{0}:已报 {1}/{2}": "{0}: reported {1}/{2}",
})

# mail loop (issue 16): unit contacts, .eml drafts, mail and archives in, the watched inbox
EN.update({
    "联系人": "Contact",
    "电话": "Phone",
    "邮箱": "E-mail",
    "name@example.com;多个用分号隔开(邮件草稿的收件人)":
        "name@example.com; separate several with semicolons (the drafts' recipients)",
    "双击单位可修改联系人、电话和邮箱(下发时据此生成邮件草稿)。":
        "Double-click a unit to edit its contact, phone and e-mail (used for the mail drafts "
        "when issuing).",
    "同时生成邮件草稿(.eml)": "Also write mail drafts (.eml)",
    "在退回修改包旁边写一封待发送的邮件,正文列出退回意见。":
        "Write a mail ready to send beside the correction packet, quoting the comments.",
    "邮件草稿:{0}": "Mail draft: {0}",
    "{0}没有登记邮箱,收件人留空。": "{0} has no e-mail address on record: the To line is empty.",
    "每个下发包旁边写一封待发送的邮件:收件人是单位登记的邮箱,附件是下发包。"
    "双击用 Outlook、Foxmail 或 Thunderbird 打开后发送。":
        "Write a mail ready to send beside each packet: to the unit's e-mail address, the "
        "packet attached. Double-click it to open it in Outlook, Foxmail or Thunderbird and "
        "send.",
    "。已生成 {0} 封邮件草稿(.eml)": ". Wrote {0} mail drafts (.eml)",
    ",其中 {0} 个单位没有登记邮箱,收件人留空:{1}":
        "; {0} units have no e-mail address, their To line is empty: {1}",
    "生成催报邮件…": "Reminder mails…",
    "给尚未报送的单位各写一封待发送的邮件(.eml),附《催报通知》PDF":
        "Write a mail ready to send (.eml) to each unit still missing, with the reminder "
        "notice PDF attached",
    "选择催报邮件保存的文件夹": "Choose the folder for the reminder mails",
    "已生成 {0} 封催报邮件草稿和《催报通知》PDF。":
        "Wrote {0} reminder mail drafts and the reminder notice PDF.",
    "{0} 个单位没有登记邮箱,收件人留空:{1}":
        "{0} units have no e-mail address, their To line is empty: {1}",
    "邮件:{0} · {1} · {2}": "Mail: {0} · {1} · {2}",
    "邮件:{0}": "Mail: {0}",
    "把单位报送的填报包拖到这里:.xlsx 文件、存下的邮件(.eml)、压缩包(.zip)或整个文件夹":
        "Drop the units' returns here: .xlsx files, saved mails (.eml), archives (.zip) or a "
        "whole folder",
    "报送包、邮件或压缩包 (*.xlsx *.xlsm *.xls *.et *.eml *.zip)":
        "Returns, mails or archives (*.xlsx *.xlsm *.xls *.et *.eml *.zip)",
    "收件文件夹": "Inbox folders",
    "邮件程序或微信、钉钉保存附件的文件夹。其中新到的报送包(.xlsx、.eml、.zip)会在“汇总”页提示,"
    "点“预览”后再决定导入;不是本数据库的文件不会提示。":
        "Folders where the mail program, WeChat or DingTalk saves attachments. New returns "
        "there (.xlsx, .eml, .zip) are announced on the Merge page; click Preview, then decide "
        "what to merge. Files that are not this database's are not announced.",
    "选择收件文件夹": "Choose an inbox folder",
    "收件文件夹…": "Inbox folders…",
    "邮件或聊天程序保存附件的文件夹:其中新到的报送包会在这里提示":
        "Folders where the mail or chat program saves attachments: new returns there are "
        "announced here",
    " 等": " and others",
    "收到 {0} 个新报送包({1}),在收件文件夹中,尚未导入。":
        "{0} new returns received ({1}) in the inbox folders, not merged yet.",
    "预览": "Preview",
    "添加…": "Add…",
    "移除": "Remove",
})

# ------------------------------------------------------------ firstday: licences, dialogs
EN.update({
    "第三方组件许可(THIRD-PARTY-NOTICES.txt)随安装包提供,从源代码运行时没有这个文件。":
        "The third-party notices (THIRD-PARTY-NOTICES.txt) ship with the installed program; "
        "a run from source has none.",
    "第三方组件许可…": "Third-party licences…",
    "许可证": "Licences",
    "无法读取 {0}:{1}": "Cannot read {0}: {1}",
    # 看板 and 报告: progress with 取消
    "正在统计看板…": "Counting the dashboard…",
    "已取消统计。切换周期、筛选或重新打开本页时再统计。":
        "Cancelled. Counted again when the period or a filter changes or the page is shown.",
    "正在生成预览…": "Building the preview…",
    "已取消生成。更改选项或重新打开本页时再生成。":
        "Cancelled. Built again when an option changes or the page is shown.",
    # the clerk's form: edits after an export
    "已导出第 {0} 版,之后有修改 · 需重新导出": "Version {0} exported, changed since · export again",
    "第 {0} 版导出({1})之后又改了填写内容:区里收到的是改动前的内容。请再导出一次并发送。":
        "The entries were changed after version {0} was exported ({1}): the district has "
        "the earlier content. Export again and send it.",
})

# ------------------------------------------------------------ p-charts: charts drawn off the GUI thread
EN.update({
    "正在绘制图表…": "Drawing the chart…",
    "图表未能绘制:{0}": "The chart could not be drawn: {0}",
    "正在导出图表…": "Exporting the charts…",
})
