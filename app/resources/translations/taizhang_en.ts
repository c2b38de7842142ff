<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>报送的值</source>
        <translation>Reported value</translation>
    </message>
    <message>
        <source>退回意见</source>
        <translation>Correction note</translation>
    </message>
    <message>
        <source>— 请选择 —</source>
        <translation>— Choose —</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>如 0519-88001234</source>
        <translation>e.g. 0519-88001234</translation>
    </message>
    <message>
        <source>如 2021-06-30</source>
        <translation>e.g. 2021-06-30</translation>
    </message>
    <message>
        <source>本期做了什么、完成了多少(可写数量、名称、时间)</source>
        <translation>What was done this period and how much (quantities, names, dates)</translation>
    </message>
    <message>
        <source>没有可不填;状态为“滞后”时必填</source>
        <translation>Leave empty if none; required when the status is &quot;Behind&quot;</translation>
    </message>
    <message>
        <source>下一步打算怎么做、何时完成</source>
        <translation>What comes next, and when it will be done</translation>
    </message>
    <message>
        <source>本期填报</source>
        <translation>This period</translation>
    </message>
    <message>
        <source>上期</source>
        <translation>Last period</translation>
    </message>
    <message>
        <source>把此责任人和电话填到其他未填的任务…</source>
        <translation>Use this contact for the other tasks without one…</translation>
    </message>
    <message>
        <source>◀ 上一项</source>
        <translation>◀ Previous</translation>
    </message>
    <message>
        <source>上一项 (Alt+←)</source>
        <translation>Previous (Alt+←)</translation>
    </message>
    <message>
        <source>下一项 ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <source>下一项 (Alt+→)</source>
        <translation>Next (Alt+→)</translation>
    </message>
    <message>
        <source>共 {0} 项指标。数字型指标请只填数字(如 95 或 12.5),单位已列出;其他指标填写完成情况。</source>
        <translation>{0} indicators. For a numeric indicator enter just the number (e.g. 95 or 12.5); its unit is shown. For the others describe how far they are met.</translation>
    </message>
    <message>
        <source>本期下发包中没有需要本单位填报的指标。</source>
        <translation>This period&apos;s outbound packet has no indicators for this unit to report.</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>指标值 / 目标值</source>
        <translation>Standard / target</translation>
    </message>
    <message>
        <source>上期({0})</source>
        <translation>Last period ({0})</translation>
    </message>
    <message>
        <source>本期数值</source>
        <translation>Value this period</translation>
    </message>
    <message>
        <source>进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>区里更正</source>
        <translation>District correction</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>报送</source>
        <translation>Returns</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>已销号</source>
        <translation>Closed out</translation>
    </message>
    <message>
        <source>未完成</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>已完成待销号</source>
        <translation>Done, to close out</translation>
    </message>
    <message>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>整改事项</source>
        <translation>Rectification item</translation>
    </message>
    <message>
        <source>责任单位</source>
        <translation>Responsible units</translation>
    </message>
    <message>
        <source>整改时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>整改目标</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>已完成/单位</source>
        <translation>Done/units</translation>
    </message>
    <message>
        <source>(无)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>数字</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>完成情况</source>
        <translation>How far it is met</translation>
    </message>
    <message>
        <source>可不填</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>退回意见:{0}</source>
        <translation>Correction note: {0}</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>Not filled</translation>
    </message>
    <message>
        <source>销号</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>已报/应报</source>
        <translation>Reported/assigned</translation>
    </message>
    <message>
        <source>未报</source>
        <translation>Missing</translation>
    </message>
    <message>
        <source>上期 {0}%</source>
        <translation>last period {0}%</translation>
    </message>
    <message>
        <source>滞后</source>
        <translation>Behind</translation>
    </message>
    <message>
        <source>逾期未完成</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>进度倒退</source>
        <translation>progress went backwards</translation>
    </message>
    <message>
        <source>区里更正过</source>
        <translation>corrected by the district</translation>
    </message>
    <message>
        <source>已审核</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>已销号 {0}</source>
        <translation>closed out {0}</translation>
    </message>
    <message>
        <source>{0}:已报 {1}/{2}</source>
        <translation>{0}: reported {1}/{2}</translation>
    </message>
    <message>
        <source>搜索编号、任务内容… (Ctrl+F)</source>
        <translation>Search number, task text… (Ctrl+F)</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>打开下发包…</source>
        <translation>Open outbound packet…</translation>
    </message>
    <message>
        <source>导出报送包…</source>
        <translation>Export return packet…</translation>
    </message>
    <message>
        <source>检查填写情况</source>
        <translation>Check entries</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>填写(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>立即保存</source>
        <translation>Save now</translation>
    </message>
    <message>
        <source>把此责任人和电话填到其他任务…</source>
        <translation>Use this contact for other tasks…</translation>
    </message>
    <message>
        <source>上一项</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>下一项</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>下一个未填项</source>
        <translation>Next unfilled item</translation>
    </message>
    <message>
        <source>查找任务</source>
        <translation>Find task</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>使用说明</source>
        <translation>User guide (Chinese)</translation>
    </message>
    <message>
        <source>快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>关于台账</source>
        <translation>About Taizhang</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>周期</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>原值</source>
        <translation>Old value</translation>
    </message>
    <message>
        <source>新值</source>
        <translation>New value</translation>
    </message>
    <message>
        <source>报送包</source>
        <translation>Return packet</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>牵头任务</source>
        <translation>Lead tasks</translation>
    </message>
    <message>
        <source>配合任务</source>
        <translation>Cooperating tasks</translation>
    </message>
    <message>
        <source>落实任务</source>
        <translation>Implementing tasks</translation>
    </message>
    <message>
        <source>牵头指标</source>
        <translation>Lead indicators</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>邮箱</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>别名</source>
        <translation>Aliases</translation>
    </message>
    <message>
        <source>领域</source>
        <translation>Section</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>指标名称</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>指标值</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>指标属性</source>
        <translation>Attribute</translation>
    </message>
    <message>
        <source>目标值</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>牵头部门</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <source>搜索指标名称、牵头部门…</source>
        <translation>Search indicator, lead department…</translation>
    </message>
    <message>
        <source>下发时(或上次导入报送时)双方一致的值:</source>
        <translation>The value both sides agreed on when issued (or at the last merge): </translation>
    </message>
    <message>
        <source>对方报送</source>
        <translation>Theirs (returned)</translation>
    </message>
    <message>
        <source>本方当前</source>
        <translation>Ours (now)</translation>
    </message>
    <message>
        <source>处理</source>
        <translation>Resolution</translation>
    </message>
    <message>
        <source>本期已下发</source>
        <translation>Issued this period</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>邮件:{0} · {1} · {2}</source>
        <translation>Mail: {0} · {1} · {2}</translation>
    </message>
    <message>
        <source>版本</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>新增行</source>
        <translation>New rows</translation>
    </message>
    <message>
        <source>修改行</source>
        <translation>Changed rows</translation>
    </message>
    <message>
        <source>无变化行</source>
        <translation>Unchanged rows</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>警告</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>单元格</source>
        <translation>Cell</translation>
    </message>
    <message>
        <source>任务内容</source>
        <translation>Task text</translation>
    </message>
    <message>
        <source>牵头</source>
        <translation>Lead</translation>
    </message>
    <message>
        <source>配合</source>
        <translation>Cooperating</translation>
    </message>
    <message>
        <source>落实</source>
        <translation>Implementing</translation>
    </message>
    <message>
        <source>完成时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>目标</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>任务数</source>
        <translation>Tasks</translation>
    </message>
    <message>
        <source>属性</source>
        <translation>Attribute</translation>
    </message>
    <message>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>本方案</source>
        <translation>This plan</translation>
    </message>
    <message>
        <source>参与</source>
        <translation>Taking part</translation>
    </message>
    <message>
        <source>新增…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <source>修改…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>分配单位…</source>
        <translation>Assign units…</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>撤销:{0}</source>
        <translation>Undo: {0}</translation>
    </message>
    <message>
        <source>重做:{0}</source>
        <translation>Redo: {0}</translation>
    </message>
    <message>
        <source>还没有方案。请用“方案 → 新建方案…”新建,或“方案 → 导入方案…”导入已有的任务分解表和指标表。</source>
        <translation>No plan yet. Create one with &quot;Plan → New plan…&quot;, or import an existing task breakdown and indicator table with &quot;Plan → Import plan…&quot;.</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>下发时间</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>收到时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>迟报/逾期天数</source>
        <translation>Days late</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Approval</translation>
    </message>
    <message>
        <source>逾期天数</source>
        <translation>Days overdue</translation>
    </message>
    <message>
        <source>联系方式</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>牵头单位</source>
        <translation>Lead units</translation>
    </message>
    <message>
        <source>配合单位</source>
        <translation>Cooperating units</translation>
    </message>
    <message>
        <source>导入方案…</source>
        <translation>Import plan…</translation>
    </message>
    <message>
        <source>导出方案…</source>
        <translation>Export plan…</translation>
    </message>
    <message>
        <source>新建方案…</source>
        <translation>New plan…</translation>
    </message>
    <message>
        <source>方案设置…</source>
        <translation>Plan settings…</translation>
    </message>
    <message>
        <source>级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>单位 {0}</source>
        <translation>Units {0}</translation>
    </message>
    <message>
        <source>任务 {0}</source>
        <translation>Tasks {0}</translation>
    </message>
    <message>
        <source>指标 {0}</source>
        <translation>Indicators {0}</translation>
    </message>
    <message>
        <source>问题 {0}</source>
        <translation>Problems {0}</translation>
    </message>
    <message>
        <source>方案:{0}</source>
        <translation>Plan: {0}</translation>
    </message>
    <message>
        <source>将创建:领域 {0} 个,任务 {1} 项,指标 {2} 项;涉及单位 {3} 个,其中新建 {4} 个,记住别名 {5} 个。</source>
        <translation>Will create {0} sections, {1} tasks and {2} indicators; {3} units take part, {4} of them new; {5} aliases will be remembered.</translation>
    </message>
    <message>
        <source>有 {0} 个单位名称与已有单位相近,已标黄,请在“处理”列确认。</source>
        <translation>{0} unit names are close to existing units (marked yellow): please confirm them in the &quot;Action&quot; column.</translation>
    </message>
    <message>
        <source>工作簿有 {0} 处错误(见“问题”),修改后才能导入。</source>
        <translation>The workbook has {0} errors (see &quot;Problems&quot;); correct them before importing.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>数据库文件不存在:{0}</source>
        <translation>Database file not found: {0}</translation>
    </message>
    <message>
        <source>正在准备示例数据库…</source>
        <translation>Preparing the example database…</translation>
    </message>
    <message>
        <source>台账</source>
        <translation>Taizhang</translation>
    </message>
    <message>
        <source>正在打开数据库…</source>
        <translation>Opening the database…</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>为 {0} 项任务分配单位</source>
        <translation>Assign units to {0} tasks</translation>
    </message>
    <message>
        <source>替换这些任务原有的该角色单位</source>
        <translation>Replace these tasks&apos; units in this role</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>任务/指标编号,如 2.1.3</source>
        <translation>Task/indicator number, e.g. 2.1.3</translation>
    </message>
    <message>
        <source>报送包编号(开头几位即可)</source>
        <translation>Return packet id (the first characters are enough)</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>报送包</source>
        <translation>Return packet</translation>
    </message>
    <message>
        <source>全部单位</source>
        <translation>All units</translation>
    </message>
    <message>
        <source>(只显示最近 {0} 条)</source>
        <translation>(showing the latest {0} only)</translation>
    </message>
    <message>
        <source>{0} 条记录</source>
        <translation>{0} records</translation>
    </message>
</context>
<context>
    <name>CellPane</name>
    <message>
        <source>更正…</source>
        <translation>Correct…</translation>
    </message>
    <message>
        <source>审核通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>销号…</source>
        <translation>Close out…</translation>
    </message>
    <message>
        <source>历期进度</source>
        <translation>Progress over the periods</translation>
    </message>
    <message>
        <source>本期改动记录</source>
        <translation>Changes this period</translation>
    </message>
    <message>
        <source>选择台账中的一格,查看该单位本期填报的内容、来源和历期进度。</source>
        <translation>Select a cell of the ledger to see what the unit reported, where it came from and its progress over the periods.</translation>
    </message>
    <message>
        <source>本期未报</source>
        <translation>Not reported this period</translation>
    </message>
    <message>
        <source>未填状态</source>
        <translation>No status</translation>
    </message>
    <message>
        <source>上期 {0}</source>
        <translation>last period {0}</translation>
    </message>
    <message>
        <source>⚠ 进度倒退</source>
        <translation>⚠ progress went backwards</translation>
    </message>
    <message>
        <source>滞后</source>
        <translation>Behind</translation>
    </message>
    <message>
        <source>逾期未完成</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>✓ 已审核 {0}</source>
        <translation>✓ approved {0}</translation>
    </message>
    <message>
        <source>已销号 {0}({1})</source>
        <translation>closed out {0} ({1})</translation>
    </message>
    <message>
        <source>来源:{0}(第 {1} 版)</source>
        <translation>Source: {0} (revision {1})</translation>
    </message>
    <message>
        <source>{0} 收</source>
        <translation>received {0}</translation>
    </message>
    <message>
        <source>邮件:{0}</source>
        <translation>Mail: {0}</translation>
    </message>
    <message>
        <source>区里更正:{0}</source>
        <translation>corrected by the district: {0}</translation>
    </message>
    <message>
        <source>取消审核</source>
        <translation>Withdraw approval</translation>
    </message>
    <message>
        <source>撤销销号</source>
        <translation>Reopen</translation>
    </message>
</context>
<context>
    <name>ChartView</name>
    <message>
        <source>正在绘制图表…</source>
        <translation>Drawing the chart…</translation>
    </message>
    <message>
        <source>图表未能绘制:{0}</source>
        <translation>The chart could not be drawn: {0}</translation>
    </message>
</context>
<context>
    <name>CloseOutDialog</name>
    <message>
        <source>销号 · {0} {1}</source>
        <translation>Close out · {0} {1}</translation>
    </message>
    <message>
        <source>必填:如 验收材料、现场核查记录</source>
        <translation>Required: e.g. acceptance documents, site inspection</translation>
    </message>
    <message>
        <source>该任务的所有单位一并销号</source>
        <translation>Close out the item for all its units</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>销号日期</source>
        <translation>Close-out date</translation>
    </message>
    <message>
        <source>销号说明</source>
        <translation>Close-out note</translation>
    </message>
    <message>
        <source>销号后该事项不再要求报送,不计入滞后,在台账、通报和汇总表中列为已销号。</source>
        <translation>A closed item is no longer asked for, never counts as behind, and is listed as closed out in the ledger, the progress summary and the summary workbook.</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>显示已处理</source>
        <translation>Show resolved</translation>
    </message>
    <message>
        <source>保留本方</source>
        <translation>Keep ours</translation>
    </message>
    <message>
        <source>保留区里当前的值,不采用对方报送的值</source>
        <translation>Keep the district&apos;s current value, not the returned one</translation>
    </message>
    <message>
        <source>采用对方</source>
        <translation>Take theirs</translation>
    </message>
    <message>
        <source>用对方报送的值替换区里当前的值</source>
        <translation>Replace the district&apos;s current value with the returned one</translation>
    </message>
    <message>
        <source>{0} 个字段区里和报送单位都改过,请逐一决定保留哪个值。</source>
        <translation>{0} fields were changed both here and by the reporting unit: decide for each which value to keep.</translation>
    </message>
    <message>
        <source>没有待处理的冲突。</source>
        <translation>No open conflicts.</translation>
    </message>
    <message>
        <source>{0} · {1} {2}
字段:{3}   位置:{4}
原值(下发或上次导入时):{5}
对方报送:{6}
合并时本方:{7}
本方当前:{8}</source>
        <translation>{0} · {1} {2}
Field: {3}   Location: {4}
Original (when issued or last merged): {5}
Theirs (returned): {6}
Ours when merging: {7}
Ours now: {8}</translation>
    </message>
    <message>
        <source>已选 {0} 项</source>
        <translation>{0} selected</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>退回修改 · {0} · {1}</source>
        <translation>Return for correction · {0} · {1}</translation>
    </message>
    <message>
        <source>只看已填的字段</source>
        <translation>Only filled fields</translation>
    </message>
    <message>
        <source>退回意见,如:完成进度与本期进展不符,请核实</source>
        <translation>Correction note, e.g.: the percentage does not match the progress described, please check</translation>
    </message>
    <message>
        <source>标记需修改</source>
        <translation>Mark for correction</translation>
    </message>
    <message>
        <source>取消标记</source>
        <translation>Unmark</translation>
    </message>
    <message>
        <source>同时生成邮件草稿(.eml)</source>
        <translation>Also write mail drafts (.eml)</translation>
    </message>
    <message>
        <source>在退回修改包旁边写一封待发送的邮件,正文列出退回意见。</source>
        <translation>Write a mail ready to send beside the correction packet, quoting the comments.</translation>
    </message>
    <message>
        <source>生成退回修改包…</source>
        <translation>Write correction packet…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>选中需要单位修改的字段,写明意见后点“标记需修改”。生成的退回修改包中只有这些单元格可以填写(黄色),意见显示在批注和“退回意见”列中;单位报送回来后,导入时只采用这些单元格,标记随之关闭。</source>
        <translation>Select the fields the unit must correct, write a note and click &quot;Mark for correction&quot;. In the correction packet only these cells can be filled in (yellow); the notes appear as cell comments and in the &quot;Correction note&quot; column. When the unit returns it, merging takes only these cells and closes the marks.</translation>
    </message>
    <message>
        <source>已标记 {0} 个字段</source>
        <translation>{0} fields marked</translation>
    </message>
    <message>
        <source>尚未标记需要修改的字段</source>
        <translation>No fields marked for correction yet</translation>
    </message>
    <message>
        <source>保存退回修改包</source>
        <translation>Save correction packet</translation>
    </message>
    <message>
        <source>已生成退回修改包:{0}
请发给{1}修改后报送回来。</source>
        <translation>Correction packet written: {0}
Send it to {1} to correct and return.</translation>
    </message>
    <message>
        <source>邮件草稿:{0}</source>
        <translation>Mail draft: {0}</translation>
    </message>
    <message>
        <source>{0}没有登记邮箱,收件人留空。</source>
        <translation>{0} has no e-mail address on record: the To line is empty.</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>统计本期数据</source>
        <translation>Counting this period</translation>
    </message>
    <message>
        <source>(时限 {0})</source>
        <translation> (deadline {0})</translation>
    </message>
    <message>
        <source>导出图表…</source>
        <translation>Export charts…</translation>
    </message>
    <message>
        <source>把全部图表保存为 PNG 图片</source>
        <translation>Save every chart as a PNG image</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>领域</source>
        <translation>Section</translation>
    </message>
    <message>
        <source>报送</source>
        <translation>Returns</translation>
    </message>
    <message>
        <source>平均完成进度</source>
        <translation>Average completion</translation>
    </message>
    <message>
        <source>滞后任务</source>
        <translation>Tasks behind</translation>
    </message>
    <message>
        <source>指标达标</source>
        <translation>Indicators met</translation>
    </message>
    <message>
        <source>正在生成图表…</source>
        <translation>Drawing charts…</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>牵头单位</source>
        <translation>Lead units</translation>
    </message>
    <message>
        <source>填报单位</source>
        <translation>Reporting unit</translation>
    </message>
    <message>
        <source>情况</source>
        <translation>State</translation>
    </message>
    <message>
        <source>存在问题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>滞后及逾期未完成任务</source>
        <translation>Tasks behind or overdue</translation>
    </message>
    <message>
        <source>全部单位</source>
        <translation>All units</translation>
    </message>
    <message>
        <source>全部领域</source>
        <translation>All sections</translation>
    </message>
    <message>
        <source>请选择方案和填报周期。</source>
        <translation>Choose a plan and a period.</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>正在统计看板…</source>
        <translation>Counting the dashboard…</translation>
    </message>
    <message>
        <source>已取消统计。切换周期、筛选或重新打开本页时再统计。</source>
        <translation>Cancelled. Counted again when the period or a filter changes or the page is shown.</translation>
    </message>
    <message>
        <source>点击柱条查看对应任务;右键导出图片</source>
        <translation>Click a bar to see its tasks; right-click to export the image</translation>
    </message>
    <message>
        <source>滞后及逾期未完成任务({0} 项任务,{1} 条)</source>
        <translation>Tasks behind or overdue ({0} tasks, {1} entries)</translation>
    </message>
    <message>
        <source>{0} · 截止 {1}</source>
        <translation>{0} · due {1}</translation>
    </message>
    <message>
        <source>按时 {0} · 迟报 {1} · 未报 {2}</source>
        <translation>On time {0} · late {1} · missing {2}</translation>
    </message>
    <message>
        <source>较上期 {0} 个百分点</source>
        <translation>{0} points on last period</translation>
    </message>
    <message>
        <source>涉及 {0} 条填报 · 标为{1} {2} 条</source>
        <translation>{0} entries · {2} marked {1}</translation>
    </message>
    <message>
        <source> · 上期 {0} 项</source>
        <translation> · last period {0}</translation>
    </message>
    <message>
        <source>未达标 {0} · 待评估 {1}</source>
        <translation>Not met {0} · pending {1}</translation>
    </message>
    <message>
        <source>导出此图为 PNG…</source>
        <translation>Export this chart as PNG…</translation>
    </message>
    <message>
        <source>导出图表</source>
        <translation>Export chart</translation>
    </message>
    <message>
        <source>正在导出图表…</source>
        <translation>Exporting the charts…</translation>
    </message>
    <message>
        <source>已导出图表。</source>
        <translation>Chart exported.</translation>
    </message>
    <message>
        <source>选择保存图表的文件夹</source>
        <translation>Choose a folder for the charts</translation>
    </message>
    <message>
        <source>已导出 {0} 张图表。</source>
        <translation>{0} chart(s) exported.</translation>
    </message>
</context>
<context>
    <name>DatabaseMenu</name>
    <message>
        <source>区创建办</source>
        <translation>District office</translation>
    </message>
    <message>
        <source>单位填报</source>
        <translation>Unit reporting</translation>
    </message>
    <message>
        <source>示例</source>
        <translation>Example</translation>
    </message>
    <message>
        <source>新建数据库</source>
        <translation>New database</translation>
    </message>
    <message>
        <source>台账.db</source>
        <translation>taizhang.db</translation>
    </message>
    <message>
        <source>文件已存在:{0}
请换一个文件名,或用“打开数据库…”打开它。</source>
        <translation>The file already exists: {0}
Choose another name, or open it with &quot;Open database…&quot;.</translation>
    </message>
    <message>
        <source>打开数据库</source>
        <translation>Open database</translation>
    </message>
    <message>
        <source>(没有)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>清除列表</source>
        <translation>Clear list</translation>
    </message>
    <message>
        <source>新建数据库…</source>
        <translation>New database…</translation>
    </message>
    <message>
        <source>打开数据库…</source>
        <translation>Open database…</translation>
    </message>
    <message>
        <source>最近使用</source>
        <translation>Recent</translation>
    </message>
</context>
<context>
    <name>Diagnostics</name>
    <message>
        <source>程序出错,已记录在日志中:{0}: {1}
日志文件夹:{2}
可以继续使用;如果再次出错,请把日志文件发给技术支持。</source>
        <translation>Something went wrong; it has been logged: {0}: {1}
Log folder: {2}
You can go on working; if it happens again, send the log file to support.</translation>
    </message>
    <message>
        <source>打开日志文件夹</source>
        <translation>Open log folder</translation>
    </message>
    <message>
        <source>台账 {0}</source>
        <translation>Taizhang {0}</translation>
    </message>
    <message>
        <source>任务进展离线填报与汇总</source>
        <translation>Offline task-progress reporting</translation>
    </message>
    <message>
        <source>数据文件夹:{0}</source>
        <translation>Data folder: {0}</translation>
    </message>
    <message>
        <source>日志文件夹:{0}</source>
        <translation>Log folder: {0}</translation>
    </message>
    <message>
        <source>许可证:</source>
        <translation>Licences:</translation>
    </message>
    <message>
        <source>第三方组件许可(THIRD-PARTY-NOTICES.txt)随安装包提供,从源代码运行时没有这个文件。</source>
        <translation>The third-party notices (THIRD-PARTY-NOTICES.txt) ship with the installed program; a run from source has none.</translation>
    </message>
    <message>
        <source>第三方组件许可…</source>
        <translation>Third-party licences…</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>保存位置:{0}</source>
        <translation>Saved to: {0}</translation>
    </message>
    <message>
        <source>打开所在文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>没有可用的文件管理器。文件夹位置:
{0}</source>
        <translation>No file manager is available. The folder is:
{0}</translation>
    </message>
    <message>
        <source>程序出错:{0}: {1}
详细信息已写入日志。</source>
        <translation>Program error: {0}: {1}
The details were written to the log.</translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <source>把单位报送的填报包拖到这里:.xlsx 文件、存下的邮件(.eml)、压缩包(.zip)或整个文件夹</source>
        <translation>Drop the units&apos; returns here: .xlsx files, saved mails (.eml), archives (.zip) or a whole folder</translation>
    </message>
</context>
<context>
    <name>DueDate</name>
    <message>
        <source>M月d日</source>
        <translation>MMM d</translation>
    </message>
    <message>
        <source>yyyy年M月d日</source>
        <translation>MMM d, yyyy</translation>
    </message>
    <message>
        <source>截止 {0}(还有 {1} 天)</source>
        <translation>Due {0} ({1} day(s) left)</translation>
    </message>
    <message>
        <source>截止 {0}(今天截止)</source>
        <translation>Due {0} (today)</translation>
    </message>
    <message>
        <source>截止 {0}</source>
        <translation>Due {0}</translation>
    </message>
    <message>
        <source>截止 {0}(已逾期 {1} 天)</source>
        <translation>Due {0} ({1} day(s) overdue)</translation>
    </message>
</context>
<context>
    <name>EditDialog</name>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>更正 · {0} · {1} · {2}</source>
        <translation>Correct · {0} · {1} · {2}</translation>
    </message>
    <message>
        <source>(未填)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>必填:为什么更正(如 电话核实、现场核查)</source>
        <translation>Required: why (e.g. checked by phone, site inspection)</translation>
    </message>
    <message>
        <source>更正说明</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>区里更正会留痕(更正人:区创建办,附说明),并在下期下发包中带出。</source>
        <translation>A correction is audited (by the district office, with the reason) and carried into the unit&apos;s next packet.</translation>
    </message>
    <message>
        <source>没有改动。</source>
        <translation>Nothing changed.</translation>
    </message>
</context>
<context>
    <name>FileFilter</name>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx *.xlsm *.xls *.et)</source>
        <translation>Excel workbooks (*.xlsx *.xlsm *.xls *.et)</translation>
    </message>
    <message>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>报送包、邮件或压缩包 (*.xlsx *.xlsm *.xls *.et *.eml *.zip)</source>
        <translation>Returns, mails or archives (*.xlsx *.xlsm *.xls *.et *.eml *.zip)</translation>
    </message>
    <message>
        <source>台账数据库 (*.db)</source>
        <translation>Taizhang databases (*.db)</translation>
    </message>
    <message>
        <source>PNG 图片 (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>使用说明</source>
        <translation>User guide (Chinese)</translation>
    </message>
    <message>
        <source>区创建办</source>
        <translation>District office</translation>
    </message>
    <message>
        <source>单位填报</source>
        <translation>Unit reporting</translation>
    </message>
</context>
<context>
    <name>InboxFoldersDialog</name>
    <message>
        <source>收件文件夹</source>
        <translation>Inbox folders</translation>
    </message>
    <message>
        <source>邮件程序或微信、钉钉保存附件的文件夹。其中新到的报送包(.xlsx、.eml、.zip)会在“汇总”页提示,点“预览”后再决定导入;不是本数据库的文件不会提示。</source>
        <translation>Folders where the mail program, WeChat or DingTalk saves attachments. New returns there (.xlsx, .eml, .zip) are announced on the Merge page; click Preview, then decide what to merge. Files that are not this database&apos;s are not announced.</translation>
    </message>
    <message>
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>选择收件文件夹</source>
        <translation>Choose an inbox folder</translation>
    </message>
</context>
<context>
    <name>IndicatorDialog</name>
    <message>
        <source>修改指标</source>
        <translation>Edit indicator</translation>
    </message>
    <message>
        <source>新增指标</source>
        <translation>Add indicator</translation>
    </message>
    <message>
        <source>(一级指标)</source>
        <translation>(top-level indicator)</translation>
    </message>
    <message>
        <source>如 ≥20、≤0.5、100 或 制定实施</source>
        <translation>e.g. ≥20, ≤0.5, 100 or 制定实施 (adopted)</translation>
    </message>
    <message>
        <source>(未定)</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <source>(无)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>指标名称</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>上级指标</source>
        <translation>Parent indicator</translation>
    </message>
    <message>
        <source>领域</source>
        <translation>Section</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>指标值</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>指标属性</source>
        <translation>Attribute</translation>
    </message>
    <message>
        <source>目标值</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>目标年份</source>
        <translation>Target year</translation>
    </message>
    <message>
        <source>牵头部门</source>
        <translation>Lead department</translation>
    </message>
</context>
<context>
    <name>IssuePage</name>
    <message>
        <source>全选</source>
        <translation>Select all</translation>
    </message>
    <message>
        <source>全不选</source>
        <translation>Select none</translation>
    </message>
    <message>
        <source>下发包保存到的文件夹</source>
        <translation>Folder for the outbound packets</translation>
    </message>
    <message>
        <source>选择文件夹…</source>
        <translation>Choose folder…</translation>
    </message>
    <message>
        <source>生成下发包</source>
        <translation>Write outbound packets</translation>
    </message>
    <message>
        <source>同时生成邮件草稿(.eml)</source>
        <translation>Also write mail drafts (.eml)</translation>
    </message>
    <message>
        <source>每个下发包旁边写一封待发送的邮件:收件人是单位登记的邮箱,附件是下发包。双击用 Outlook、Foxmail 或 Thunderbird 打开后发送。</source>
        <translation>Write a mail ready to send beside each packet: to the unit&apos;s e-mail address, the packet attached. Double-click it to open it in Outlook, Foxmail or Thunderbird and send.</translation>
    </message>
    <message>
        <source>保存到</source>
        <translation>Save to</translation>
    </message>
    <message>
        <source>为 {0} 生成下发包 · 报送截止 {1}</source>
        <translation>Outbound packets for {0} · returns due {1}</translation>
    </message>
    <message>
        <source>请选择方案和周期。</source>
        <translation>Choose a plan and a period.</translation>
    </message>
    <message>
        <source>已选 {0}/{1} 个单位</source>
        <translation>{0}/{1} units selected</translation>
    </message>
    <message>
        <source>选择下发包保存的文件夹</source>
        <translation>Choose the folder for the outbound packets</translation>
    </message>
    <message>
        <source>正在生成下发包…</source>
        <translation>Writing outbound packets…</translation>
    </message>
    <message>
        <source>已生成 {0} 个下发包,保存在 {1}</source>
        <translation>Wrote {0} outbound packets to {1}</translation>
    </message>
    <message>
        <source>;跳过:{0}</source>
        <translation>; skipped: {0}</translation>
    </message>
    <message>
        <source>。已生成 {0} 封邮件草稿(.eml)</source>
        <translation>. Wrote {0} mail drafts (.eml)</translation>
    </message>
    <message>
        <source>,其中 {0} 个单位没有登记邮箱,收件人留空:{1}</source>
        <translation>; {0} units have no e-mail address, their To line is empty: {1}</translation>
    </message>
    <message>
        <source>已取消。取消前已生成的下发包保留在文件夹中,并已登记。</source>
        <translation>Cancelled. The packets written before cancelling stay in the folder and are registered.</translation>
    </message>
</context>
<context>
    <name>LedgerPage</name>
    <message>
        <source>只看滞后</source>
        <translation>Behind only</translation>
    </message>
    <message>
        <source>只看未报</source>
        <translation>Unreported only</translation>
    </message>
    <message>
        <source>只看有变化</source>
        <translation>Changed only</translation>
    </message>
    <message>
        <source>搜索编号或任务…</source>
        <translation>Search code or task…</translation>
    </message>
    <message>
        <source>○ 未报 · ◐ 推进中 · ● 已完成 · ∞ 长期坚持 · ! 滞后 · ↑↓ 较上期 · ✎ 区里更正 · ✓ 已审核 · 销号 已销号</source>
        <translation>○ not reported · ◐ in progress · ● completed · ∞ ongoing · ! behind · ↑↓ since last period · ✎ corrected · ✓ approved · Closed closed out</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>领域</source>
        <translation>Section</translation>
    </message>
    <message>
        <source>台账</source>
        <translation>Taizhang</translation>
    </message>
    <message>
        <source>单位本期</source>
        <translation>Unit&apos;s period</translation>
    </message>
    <message>
        <source>整改清单</source>
        <translation>Rectification list</translation>
    </message>
    <message>
        <source>正在读取台账…</source>
        <translation>Reading the ledger…</translation>
    </message>
    <message>
        <source>请选择方案和周期。</source>
        <translation>Choose a plan and a period.</translation>
    </message>
    <message>
        <source>{0} · 已收 {1}/{2} 个单位 · 已审核 {3} · 滞后 {4} 条</source>
        <translation>{0} · received {1}/{2} units · approved {3} · behind {4}</translation>
    </message>
    <message>
        <source>全部单位</source>
        <translation>All units</translation>
    </message>
    <message>
        <source>镇街(开发区、镇、街道)</source>
        <translation>Towns and streets</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>{0}单位</source>
        <translation>{0} units</translation>
    </message>
    <message>
        <source>全部领域</source>
        <translation>All sections</translation>
    </message>
    <message>
        <source>正在读取{0}的本期填报…</source>
        <translation>Reading {0}&apos;s reports for the period…</translation>
    </message>
    <message>
        <source>{0} · {1} · 已填 {2}/{3}</source>
        <translation>{0} · {1} · filled {2}/{3}</translation>
    </message>
    <message>
        <source>整改事项 {0} 项 · 已销号 {1} · 已完成待销号 {2} · 未完成 {3} · 逾期 {4}</source>
        <translation>{0} items · closed out {1} · done, to close out {2} · open {3} · overdue {4}</translation>
    </message>
</context>
<context>
    <name>LicencesDialog</name>
    <message>
        <source>许可证</source>
        <translation>Licences</translation>
    </message>
    <message>
        <source>无法读取 {0}:{1}</source>
        <translation>Cannot read {0}: {1}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>台账 — {0}</source>
        <translation>Taizhang — {0}</translation>
    </message>
    <message>
        <source>方案与周期</source>
        <translation>Plan and period</translation>
    </message>
    <message>
        <source>方案</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>周期</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>示例数据库:仅供熟悉操作,与您自己的数据分开保存</source>
        <translation>Example database: for trying things out, kept apart from your own data</translation>
    </message>
    <message>
        <source>数据库:{0}</source>
        <translation>Database: {0}</translation>
    </message>
    <message>
        <source>正在载入…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>方案(&amp;P)</source>
        <translation>&amp;Plan</translation>
    </message>
    <message>
        <source>填报(&amp;R)</source>
        <translation>&amp;Returns</translation>
    </message>
    <message>
        <source>报告(&amp;S)</source>
        <translation>Report&amp;s</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>使用说明</source>
        <translation>User guide (Chinese)</translation>
    </message>
    <message>
        <source>关于台账</source>
        <translation>About Taizhang</translation>
    </message>
</context>
<context>
    <name>MergePage</name>
    <message>
        <source>选择文件…</source>
        <translation>Choose files…</translation>
    </message>
    <message>
        <source>选择文件夹…</source>
        <translation>Choose folder…</translation>
    </message>
    <message>
        <source>清空列表</source>
        <translation>Clear list</translation>
    </message>
    <message>
        <source>收件文件夹…</source>
        <translation>Inbox folders…</translation>
    </message>
    <message>
        <source>邮件或聊天程序保存附件的文件夹:其中新到的报送包会在这里提示</source>
        <translation>Folders where the mail or chat program saves attachments: new returns there are announced here</translation>
    </message>
    <message>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>选中一个文件查看它的问题(工作表、单元格、说明)。</source>
        <translation>Select a file to see its problems (sheet, cell, note).</translation>
    </message>
    <message>
        <source>处理冲突…</source>
        <translation>Resolve conflicts…</translation>
    </message>
    <message>
        <source>应用所选</source>
        <translation>Apply selected</translation>
    </message>
    <message>
        <source>应用全部有效</source>
        <translation>Apply all valid</translation>
    </message>
    <message>
        <source>选择报送包</source>
        <translation>Choose return packets</translation>
    </message>
    <message>
        <source>选择存放报送包的文件夹</source>
        <translation>Choose the folder holding the return packets</translation>
    </message>
    <message>
        <source>请先在上方选择方案和填报周期。</source>
        <translation>First choose a plan and a period above.</translation>
    </message>
    <message>
        <source>没有找到新的填报包文件。</source>
        <translation>No new packet files found.</translation>
    </message>
    <message>
        <source>正在检查报送包…</source>
        <translation>Checking return packets…</translation>
    </message>
    <message>
        <source>正在导入报送包…</source>
        <translation>Merging return packets…</translation>
    </message>
    <message>
        <source> 等</source>
        <translation> and others</translation>
    </message>
    <message>
        <source>收到 {0} 个新报送包({1}),在收件文件夹中,尚未导入。</source>
        <translation>{0} new returns received ({1}) in the inbox folders, not merged yet.</translation>
    </message>
    <message>
        <source>合并到:{0}。先预览,确认无误后再应用;被拒收的文件不会写入任何数据。</source>
        <translation>Merging into {0}. Preview first and apply once it looks right; rejected files write nothing.</translation>
    </message>
    <message>
        <source>请先选择方案和填报周期。</source>
        <translation>First choose a plan and a period.</translation>
    </message>
    <message>
        <source>共 {0} 个文件:</source>
        <translation>{0} files: </translation>
    </message>
    <message>
        <source>;产生 {0} 处冲突,需人工决定。</source>
        <translation>; {0} conflicts need a decision.</translation>
    </message>
    <message>
        <source>{0}:{1} 个问题</source>
        <translation>{0}: {1} problems</translation>
    </message>
    <message>
        <source>{0}:没有问题</source>
        <translation>{0}: no problems</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>看板</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Tasks</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicators</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Units</translation>
    </message>
    <message>
        <source>下发</source>
        <translation>Issue</translation>
    </message>
    <message>
        <source>汇总</source>
        <translation>Merge</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>收件登记</source>
        <translation>Receipts</translation>
    </message>
    <message>
        <source>报告</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>日志</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>编辑方案</source>
        <translation>Edit plan</translation>
    </message>
    <message>
        <source>台账</source>
        <translation>Ledger</translation>
    </message>
</context>
<context>
    <name>OfficeEntry</name>
    <message>
        <source>打开下发包(单位填报)</source>
        <translation>Open outbound packet (unit reporting)</translation>
    </message>
    <message>
        <source>正在检查下发包…</source>
        <translation>Checking the packet…</translation>
    </message>
    <message>
        <source>{0}_填报库.db</source>
        <translation>{0}_office.db</translation>
    </message>
    <message>
        <source>本单位填报库保存到</source>
        <translation>Save the unit&apos;s office database as</translation>
    </message>
    <message>
        <source>正在打开下发包…</source>
        <translation>Opening outbound packet…</translation>
    </message>
    <message>
        <source>打开下发包(单位填报)…</source>
        <translation>Open outbound packet (unit reporting)…</translation>
    </message>
    <message>
        <source>以单位身份填报:把区里下发的填报包载入本单位的填报库</source>
        <translation>Report as a unit: load the district&apos;s outbound packet into the unit&apos;s office database</translation>
    </message>
</context>
<context>
    <name>OfficeWindow</name>
    <message>
        <source>任务进展</source>
        <translation>Task progress</translation>
    </message>
    <message>
        <source>指标数值</source>
        <translation>Indicator values</translation>
    </message>
    <message>
        <source>填报库:{0}</source>
        <translation>Office database: {0}</translation>
    </message>
    <message>
        <source>导出报送包</source>
        <translation>Export return packet</translation>
    </message>
    <message>
        <source>检查填写情况并导出报送包 (Ctrl+E)</source>
        <translation>Check the entries and export the return packet (Ctrl+E)</translation>
    </message>
    <message>
        <source>  · 退回修改包</source>
        <translation>  · correction packet</translation>
    </message>
    <message>
        <source>{0}  ·  报送给 {1}{2}</source>
        <translation>{0}  ·  return to {1}{2}</translation>
    </message>
    <message>
        <source>M月d日 HH:mm</source>
        <translation>MMM d, HH:mm</translation>
    </message>
    <message>
        <source>已导出第 {0} 版 {1}</source>
        <translation>Revision {0} exported {1}</translation>
    </message>
    <message>
        <source>尚未导出</source>
        <translation>Not exported yet</translation>
    </message>
    <message>
        <source>已填 {0}/{1}</source>
        <translation>Filled {0}/{1}</translation>
    </message>
    <message>
        <source>还差 {0} 项</source>
        <translation>{0} to go</translation>
    </message>
    <message>
        <source>全部填完 ✓</source>
        <translation>All filled ✓</translation>
    </message>
    <message>
        <source>全部 {0}</source>
        <translation>All {0}</translation>
    </message>
    <message>
        <source>未填 {0}</source>
        <translation>Not filled {0}</translation>
    </message>
    <message>
        <source>滞后 {0}</source>
        <translation>Behind {0}</translation>
    </message>
    <message>
        <source>任务进展  {0}/{1}</source>
        <translation>Task progress  {0}/{1}</translation>
    </message>
    <message>
        <source>指标数值  {0}/{1}</source>
        <translation>Indicator values  {0}/{1}</translation>
    </message>
    <message>
        <source>没有未填的任务了。可以按 Ctrl+E 导出报送包。</source>
        <translation>No unfilled tasks left. Press Ctrl+E to export the return packet.</translation>
    </message>
    <message>
        <source>没有滞后的任务。</source>
        <translation>No tasks behind.</translation>
    </message>
    <message>
        <source>没有找到匹配的任务。</source>
        <translation>No matching tasks.</translation>
    </message>
    <message>
        <source>此项已过完成时限({0}),请写明进展;未完成的请在“存在问题”中说明原因。</source>
        <translation>This item is past its deadline ({0}): describe the progress, and if it is not completed explain why under &quot;Problems&quot;.</translation>
    </message>
    <message>
        <source>输入的内容会自动保存</source>
        <translation>What you type is saved automatically</translation>
    </message>
    <message>
        <source>正在输入…</source>
        <translation>Typing…</translation>
    </message>
    <message>
        <source>指标已自动保存 {0}</source>
        <translation>Indicators saved automatically {0}</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>台账 — {0}</source>
        <translation>Taizhang — {0}</translation>
    </message>
    <message>
        <source>{0} · {1} — 台账 · {2}</source>
        <translation>{0} · {1} — Taizhang · {2}</translation>
    </message>
    <message>
        <source>已导出第 {0} 版,之后有修改 · 需重新导出</source>
        <translation>Version {0} exported, changed since · export again</translation>
    </message>
    <message>
        <source>第 {0} 版导出({1})之后又改了填写内容:区里收到的是改动前的内容。请再导出一次并发送。</source>
        <translation>The entries were changed after version {0} was exported ({1}): the district has the earlier content. Export again and send it.</translation>
    </message>
    <message>
        <source>{0}填写有误,改正后自动保存</source>
        <translation>{0}: not valid yet; saved automatically once corrected</translation>
    </message>
    <message>
        <source>✓ 已自动保存 {0}</source>
        <translation>✓ Saved automatically {0}</translation>
    </message>
    <message>
        <source>请先在本项正确填写责任人和联系电话,再填到其他任务。</source>
        <translation>First enter a valid person responsible and phone number on this item, then copy them to the other tasks.</translation>
    </message>
    <message>
        <source>其他任务都已填写责任人和电话。</source>
        <translation>All other tasks already have a person responsible and a phone number.</translation>
    </message>
    <message>
        <source>填写联系人</source>
        <translation>Fill in contact</translation>
    </message>
    <message>
        <source>把责任人“{0}”、联系电话“{1}”填到其余 {2} 项还没有填写的任务?
已经填写的不会改动。</source>
        <translation>Enter &quot;{0}&quot; as person responsible and &quot;{1}&quot; as phone number on the other {2} tasks without them?
Tasks already filled in are not changed.</translation>
    </message>
    <message>
        <source>填写</source>
        <translation>Fill in</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在填写联系人…</source>
        <translation>Filling in contacts…</translation>
    </message>
    <message>
        <source>已为 {0} 项任务填写联系人</source>
        <translation>Contact filled in on {0} tasks</translation>
    </message>
    <message>
        <source>{0}(未保存)</source>
        <translation>{0} (not saved)</translation>
    </message>
    <message>
        <source>全部填写完整,可以导出报送包。</source>
        <translation>Everything is filled in: the return packet can be exported.</translation>
    </message>
    <message>
        <source>正在导出报送包…</source>
        <translation>Exporting return packet…</translation>
    </message>
    <message>
        <source>已导出报送包(第 {0} 版):
{1}

请把这个文件发送给{2}。</source>
        <translation>Return packet exported (revision {0}):
{1}

Send this file to {2}.</translation>
    </message>
    <message>
        <source>

注意:还有 {0} 处没有填写完整。</source>
        <translation>

Note: {0} entries are still incomplete.</translation>
    </message>
    <message>
        <source>打开下发包</source>
        <translation>Open outbound packet</translation>
    </message>
    <message>
        <source>正在打开下发包…</source>
        <translation>Opening outbound packet…</translation>
    </message>
    <message>
        <source>下发包中有以下问题:</source>
        <translation>The outbound packet has these problems:</translation>
    </message>
    <message>
        <source>Tab / Shift+Tab:在填写项之间移动
Alt+← / Alt+→:上一项 / 下一项
Alt+↓:下一个未填项
Ctrl+F:查找任务
Ctrl+S:立即保存(平时会自动保存)
Ctrl+E:检查并导出报送包
Ctrl+O:打开下发包</source>
        <translation>Tab / Shift+Tab: move between fields
Alt+← / Alt+→: previous / next item
Alt+↓: next unfilled item
Ctrl+F: find a task
Ctrl+S: save now (saving is otherwise automatic)
Ctrl+E: check and export the return packet
Ctrl+O: open an outbound packet</translation>
    </message>
    <message>
        <source>台账</source>
        <translation>Taizhang</translation>
    </message>
    <message>
        <source>有填写有误的内容没有保存(例如电话或日期格式不对)。
关闭后这些内容会丢失,其他内容都已保存。</source>
        <translation>Some entries are not valid and were not saved (a phone number or a date in the wrong format, for example).
They are lost if you close; everything else is saved.</translation>
    </message>
    <message>
        <source>仍然关闭</source>
        <translation>Close anyway</translation>
    </message>
    <message>
        <source>返回修改</source>
        <translation>Go back and fix</translation>
    </message>
</context>
<context>
    <name>Period</name>
    <message>
        <source>第一季度</source>
        <translation>Q1</translation>
    </message>
    <message>
        <source>第二季度</source>
        <translation>Q2</translation>
    </message>
    <message>
        <source>第三季度</source>
        <translation>Q3</translation>
    </message>
    <message>
        <source>第四季度</source>
        <translation>Q4</translation>
    </message>
    <message>
        <source>上半年</source>
        <translation>H1</translation>
    </message>
    <message>
        <source>下半年</source>
        <translation>H2</translation>
    </message>
    <message>
        <source>yyyy年M月</source>
        <translation>MMM yyyy</translation>
    </message>
    <message>
        <source>{0}年{1}</source>
        <translation>{1} {0}</translation>
    </message>
    <message>
        <source>{0}年</source>
        <translation>{0}</translation>
    </message>
</context>
<context>
    <name>PlanActions</name>
    <message>
        <source>还没有方案可以导出。</source>
        <translation>There is no plan to export yet.</translation>
    </message>
    <message>
        <source>导出方案工作簿</source>
        <translation>Export plan workbook</translation>
    </message>
    <message>
        <source>已导出到 {0}
任务 {1} 项,指标 {2} 项,单位 {3} 个。可在 Excel/WPS 中修改后用“导入方案…”导回(导入为新方案)。</source>
        <translation>Exported to {0}
{1} tasks, {2} indicators, {3} units. Edit it in Excel/WPS and bring it back with &quot;Import plan…&quot; (as a new plan).</translation>
    </message>
    <message>
        <source>导出方案</source>
        <translation>Export plan</translation>
    </message>
    <message>
        <source>请先新建或导入方案。</source>
        <translation>First create or import a plan.</translation>
    </message>
</context>
<context>
    <name>PlanEditPage</name>
    <message>
        <source>任务 {0} · 领域 {1} · 指标 {2} · 本方案单位 {3}</source>
        <translation>Tasks {0} · sections {1} · indicators {2} · units in plan {3}</translation>
    </message>
    <message>
        <source> · 无牵头单位的任务 {0}</source>
        <translation> · tasks without a lead unit {0}</translation>
    </message>
</context>
<context>
    <name>PlanEditor</name>
    <message>
        <source>新增任务 {0}</source>
        <translation>Add task {0}</translation>
    </message>
    <message>
        <source>修改任务 {0}</source>
        <translation>Edit task {0}</translation>
    </message>
    <message>
        <source>删除任务 {0}</source>
        <translation>Delete task {0}</translation>
    </message>
    <message>
        <source>分配单位({0} 项任务)</source>
        <translation>Assign units ({0} tasks)</translation>
    </message>
    <message>
        <source>新增领域 {0}</source>
        <translation>Add section {0}</translation>
    </message>
    <message>
        <source>修改领域 {0}</source>
        <translation>Edit section {0}</translation>
    </message>
    <message>
        <source>删除领域 {0}</source>
        <translation>Delete section {0}</translation>
    </message>
    <message>
        <source>新增指标 {0}</source>
        <translation>Add indicator {0}</translation>
    </message>
    <message>
        <source>修改指标 {0}</source>
        <translation>Edit indicator {0}</translation>
    </message>
    <message>
        <source>删除指标 {0}</source>
        <translation>Delete indicator {0}</translation>
    </message>
    <message>
        <source>新增单位 {0}</source>
        <translation>Add unit {0}</translation>
    </message>
    <message>
        <source>修改单位 {0}</source>
        <translation>Edit unit {0}</translation>
    </message>
    <message>
        <source>删除单位 {0}</source>
        <translation>Delete unit {0}</translation>
    </message>
    <message>
        <source>修改方案设置</source>
        <translation>Change plan settings</translation>
    </message>
</context>
<context>
    <name>PlanImportDialog</name>
    <message>
        <source>导入方案工作簿</source>
        <translation>Import plan workbook</translation>
    </message>
    <message>
        <source>请选择方案工作簿(任务分解表、指标表,.xlsx)。</source>
        <translation>Choose a plan workbook (task breakdown and indicator table, .xlsx).</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose files…</translation>
    </message>
    <message>
        <source>选择方案工作簿</source>
        <translation>Choose plan workbook</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>读取方案工作簿</source>
        <translation>Reading plan workbook</translation>
    </message>
    <message>
        <source>无法导入:</source>
        <translation>Cannot import: </translation>
    </message>
    <message>
        <source>导入方案</source>
        <translation>Import plan</translation>
    </message>
    <message>
        <source>已导入方案“{0}”:任务 {1} 项,指标 {2} 项,单位 {3} 个(新建 {4} 个)。</source>
        <translation>Imported plan &quot;{0}&quot;: {1} tasks, {2} indicators, {3} units ({4} new).</translation>
    </message>
</context>
<context>
    <name>PlanSettingsDialog</name>
    <message>
        <source>方案设置</source>
        <translation>Plan settings</translation>
    </message>
    <message>
        <source>新建方案</source>
        <translation>New plan</translation>
    </message>
    <message>
        <source>每{0}</source>
        <translation>Every {0}</translation>
    </message>
    <message>
        <source>每期结束后次月 </source>
        <translation>By day </translation>
    </message>
    <message>
        <source> 日前</source>
        <translation> of the month after each period</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>方案名称</source>
        <translation>Plan title</translation>
    </message>
    <message>
        <source>发文单位</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <source>牵头办公室</source>
        <translation>Lead office</translation>
    </message>
    <message>
        <source>填报频率</source>
        <translation>Reporting frequency</translation>
    </message>
    <message>
        <source>报送截止</source>
        <translation>Returns due</translation>
    </message>
    <message>
        <source>填报周期</source>
        <translation>Periods</translation>
    </message>
    <message>
        <source>已有填报或下发的周期不会被删除;修改频率会重新生成其余周期。</source>
        <translation>Periods with reports or issued packets are kept; changing the frequency regenerates the others.</translation>
    </message>
    <message>
        <source>起始月份</source>
        <translation>First month</translation>
    </message>
    <message>
        <source>结束月份</source>
        <translation>Last month</translation>
    </message>
    <message>
        <source>{0}应写作 YYYY-MM,如 2021-03。</source>
        <translation>{0} must be written YYYY-MM, e.g. 2021-03.</translation>
    </message>
</context>
<context>
    <name>PreflightDialog</name>
    <message>
        <source>导出前检查</source>
        <translation>Check before export</translation>
    </message>
    <message>
        <source>{0} 项任务</source>
        <translation>{0} tasks</translation>
    </message>
    <message>
        <source>{0} 项指标</source>
        <translation>{0} indicators</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>还有 {0}没有填写完整(共 {1} 处)。点击一项可直接去填写。</source>
        <translation>{0} not yet complete ({1} entries). Click an item to go and fill it in.</translation>
    </message>
    <message>
        <source>也可以先导出:区里会看到这些空缺,补齐后再导出一次即可。</source>
        <translation>You can also export now: the district will see the gaps; export again once they are filled in.</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>点击去填写</source>
        <translation>Click to fill in</translation>
    </message>
    <message>
        <source>返回填写</source>
        <translation>Back to filling in</translation>
    </message>
    <message>
        <source>仍然导出…</source>
        <translation>Export anyway…</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ReceiptsPage</name>
    <message>
        <source>催报名单</source>
        <translation>Reminder list</translation>
    </message>
    <message>
        <source>复制催报名单</source>
        <translation>Copy reminder list</translation>
    </message>
    <message>
        <source>生成催报邮件…</source>
        <translation>Reminder mails…</translation>
    </message>
    <message>
        <source>给尚未报送的单位各写一封待发送的邮件(.eml),附《催报通知》PDF</source>
        <translation>Write a mail ready to send (.eml) to each unit still missing, with the reminder notice PDF attached</translation>
    </message>
    <message>
        <source>导出登记表…</source>
        <translation>Export receipts…</translation>
    </message>
    <message>
        <source>退回修改…</source>
        <translation>Return for correction…</translation>
    </message>
    <message>
        <source>标记所选单位报送中需要修改的字段,生成退回修改包</source>
        <translation>Mark the fields of the selected unit&apos;s return that need correcting and write a correction packet</translation>
    </message>
    <message>
        <source>全部审核通过</source>
        <translation>Approve all received</translation>
    </message>
    <message>
        <source>已收到的单位报送全部审核通过(审核后不再接受该期的新报送)</source>
        <translation>Approve every received return (no new return for the period is accepted afterwards)</translation>
    </message>
    <message>
        <source>请选择方案和周期。</source>
        <translation>Choose a plan and a period.</translation>
    </message>
    <message>
        <source>{0} · 截止 {1} · {2}</source>
        <translation>{0} · due {1} · {2}</translation>
    </message>
    <message>
        <source>催报名单({0} 个单位)</source>
        <translation>Reminder list ({0} units)</translation>
    </message>
    <message>
        <source>已审核通过 {0} 个单位的报送。</source>
        <translation>Approved the returns of {0} units.</translation>
    </message>
    <message>
        <source>{0}尚未下发</source>
        <translation>{0} not issued yet</translation>
    </message>
    <message>
        <source>已收 {0}/{1} · 迟报 {2} · 未报 {3}</source>
        <translation>Received {0}/{1} · late {2} · missing {3}</translation>
    </message>
    <message>
        <source>{0}进展报送截止 {1},以下单位尚未报送(或需重新报送):</source>
        <translation>Progress returns for {0} were due {1}; these units have not returned yet (or must return again):</translation>
    </message>
    <message>
        <source>,已逾期 {0} 天</source>
        <translation>, {0} day(s) overdue</translation>
    </message>
    <message>
        <source>选择催报邮件保存的文件夹</source>
        <translation>Choose the folder for the reminder mails</translation>
    </message>
    <message>
        <source>已生成 {0} 封催报邮件草稿和《催报通知》PDF。</source>
        <translation>Wrote {0} reminder mail drafts and the reminder notice PDF.</translation>
    </message>
    <message>
        <source>{0} 个单位没有登记邮箱,收件人留空:{1}</source>
        <translation>{0} units have no e-mail address, their To line is empty: {1}</translation>
    </message>
    <message>
        <source>收件登记_{0}.xlsx</source>
        <translation>receipts_{0}.xlsx</translation>
    </message>
    <message>
        <source>导出收件登记</source>
        <translation>Export receipts</translation>
    </message>
    <message>
        <source>已导出:{0}</source>
        <translation>Exported: {0}</translation>
    </message>
</context>
<context>
    <name>ReportMenu</name>
    <message>
        <source>看板</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>进展情况通报…</source>
        <translation>Progress summary…</translation>
    </message>
    <message>
        <source>单位报告…</source>
        <translation>Unit report…</translation>
    </message>
    <message>
        <source>催报通知…</source>
        <translation>Reminder notice…</translation>
    </message>
    <message>
        <source>导出汇总表…</source>
        <translation>Export summary table…</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>进展情况通报</source>
        <translation>Progress summary</translation>
    </message>
    <message>
        <source>单位报告</source>
        <translation>Unit report</translation>
    </message>
    <message>
        <source>催报通知</source>
        <translation>Reminder notice</translation>
    </message>
    <message>
        <source>统计本期数据</source>
        <translation>Counting this period</translation>
    </message>
    <message>
        <source>请选择要生成报告的单位。</source>
        <translation>Choose the unit to report on.</translation>
    </message>
    <message>
        <source>绘制图表</source>
        <translation>Drawing charts</translation>
    </message>
    <message>
        <source>yyyy年M月d日</source>
        <translation>MMM d, yyyy</translation>
    </message>
    <message>
        <source>附图表(横向附页)</source>
        <translation>Append charts (landscape)</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>导出PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <source>导出汇总表…</source>
        <translation>Export summary table…</translation>
    </message>
    <message>
        <source>文种</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>成文日期</source>
        <translation>Dated</translation>
    </message>
    <message>
        <source>正在生成…</source>
        <translation>Building…</translation>
    </message>
    <message>
        <source>正在生成预览…</source>
        <translation>Building the preview…</translation>
    </message>
    <message>
        <source>已取消生成。更改选项或重新打开本页时再生成。</source>
        <translation>Cancelled. Built again when an option changes or the page is shown.</translation>
    </message>
    <message>
        <source>{0}
应报 {1} · 按时 {2} · 迟报 {3} · 未报 {4}
滞后任务 {5} 项</source>
        <translation>{0}
Expected {1} · on time {2} · late {3} · missing {4}
Tasks behind: {5}</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>导出PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>正在生成PDF…</source>
        <translation>Writing the PDF…</translation>
    </message>
    <message>
        <source>正在导出PDF</source>
        <translation>Exporting PDF</translation>
    </message>
    <message>
        <source>导出汇总表</source>
        <translation>Export summary table</translation>
    </message>
    <message>
        <source>正在导出汇总表</source>
        <translation>Exporting summary table</translation>
    </message>
    <message>
        <source>已导出PDF。</source>
        <translation>PDF exported.</translation>
    </message>
    <message>
        <source>已导出汇总表。</source>
        <translation>Summary workbook exported.</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <source>汇总导入前</source>
        <translation>Before merging</translation>
    </message>
    <message>
        <source>导入方案前</source>
        <translation>Before plan import</translation>
    </message>
    <message>
        <source>编辑方案前</source>
        <translation>Before plan edit</translation>
    </message>
    <message>
        <source>升级数据库前</source>
        <translation>Before upgrade</translation>
    </message>
    <message>
        <source>恢复备份前</source>
        <translation>Before restore</translation>
    </message>
    <message>
        <source>手动</source>
        <translation>Manual</translation>
    </message>
    <message>
        <source>备份时间</source>
        <translation>Backed up</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>自动备份位于 {0}。恢复时会先把当前数据库另存一份备份,恢复后也可以再从这里恢复回来。</source>
        <translation>Automatic backups are kept in {0}. Restoring first backs up the current database, so a restore can be undone from this list too.</translation>
    </message>
    <message>
        <source>还没有备份。导入报送包、导入或编辑方案、升级数据库之前会自动备份。</source>
        <translation>No backups yet. One is made automatically before merging returns, importing or editing a plan, and upgrading the database.</translation>
    </message>
    <message>
        <source>恢复所选备份</source>
        <translation>Restore selected backup</translation>
    </message>
    <message>
        <source>正在恢复数据库…</source>
        <translation>Restoring the database…</translation>
    </message>
    <message>
        <source>从备份恢复…</source>
        <translation>Restore from Backup…</translation>
    </message>
    <message>
        <source>已从备份恢复数据库。恢复前的文件已另存为:
{0}</source>
        <translation>The database was restored from the backup. The file as it was is kept as:
{0}</translation>
    </message>
    <message>
        <source>已从备份恢复数据库。</source>
        <translation>The database was restored from the backup.</translation>
    </message>
</context>
<context>
    <name>ReturnsMenu</name>
    <message>
        <source>导入报送包…</source>
        <translation>Import return packets…</translation>
    </message>
    <message>
        <source>导入文件夹中的报送包…</source>
        <translation>Import return packets from a folder…</translation>
    </message>
    <message>
        <source>收件登记</source>
        <translation>Receipts</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
</context>
<context>
    <name>SectionDialog</name>
    <message>
        <source>修改领域</source>
        <translation>Edit section</translation>
    </message>
    <message>
        <source>新增领域</source>
        <translation>Add section</translation>
    </message>
    <message>
        <source>(一级领域)</source>
        <translation>(top-level section)</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>上级领域</source>
        <translation>Parent section</translation>
    </message>
</context>
<context>
    <name>Server</name>
    <message>
        <source>连接服务器…</source>
        <translation>Connect to server…</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>连接服务器</source>
        <translation>Connect to server</translation>
    </message>
    <message>
        <source>在系统密钥环中记住密码</source>
        <translation>Remember the password in the system keyring</translation>
    </message>
    <message>
        <source>已另行备份,确认升级数据库</source>
        <translation>I have a backup: upgrade the database</translation>
    </message>
    <message>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>连接</source>
        <translation>Connect</translation>
    </message>
    <message>
        <source>请填写数据库和用户名。</source>
        <translation>Please fill in the database and the user.</translation>
    </message>
    <message>
        <source>正在连接 {0} …</source>
        <translation>Connecting to {0} …</translation>
    </message>
</context>
<context>
    <name>TaskDialog</name>
    <message>
        <source>修改任务</source>
        <translation>Edit task</translation>
    </message>
    <message>
        <source>新增任务</source>
        <translation>Add task</translation>
    </message>
    <message>
        <source>(不属于任何领域)</source>
        <translation>(no section)</translation>
    </message>
    <message>
        <source>如 2022-05、2022-05-31 或 2022年5月底前;长期任务留空</source>
        <translation>e.g. 2022-05, 2022-05-31 or 2022年5月底前; leave empty for ongoing tasks</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>领域</source>
        <translation>Section</translation>
    </message>
    <message>
        <source>任务内容</source>
        <translation>Task text</translation>
    </message>
    <message>
        <source>完成时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>目标</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>责任单位</source>
        <translation>Responsible units</translation>
    </message>
</context>
<context>
    <name>TaskForm</name>
    <message>
        <source>« 沿用</source>
        <translation>« Reuse</translation>
    </message>
    <message>
        <source>把上期的内容填到本期</source>
        <translation>Copy last period&apos;s entry into this period</translation>
    </message>
    <message>
        <source>本单位:{0}</source>
        <translation>This unit: {0}</translation>
    </message>
    <message>
        <source>完成时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>长期</source>
        <translation>Ongoing</translation>
    </message>
    <message>
        <source>目标</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>退回意见 · {0}:{1}</source>
        <translation>Correction note · {0}: {1}</translation>
    </message>
    <message>
        <source>上期({0})</source>
        <translation>Last period ({0})</translation>
    </message>
    <message>
        <source>上期</source>
        <translation>Last period</translation>
    </message>
    <message>
        <source>(无上期记录)</source>
        <translation>(no entry last period)</translation>
    </message>
    <message>
        <source>{0}:{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>第 {0}/{1} 项</source>
        <translation>Item {0}/{1}</translation>
    </message>
</context>
<context>
    <name>TaskList</name>
    <message>
        <source>填写有误,未保存</source>
        <translation>Not valid, not saved</translation>
    </message>
    <message>
        <source>待填:</source>
        <translation>To fill in: </translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>TasksPage</name>
    <message>
        <source>完成时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>目标</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>任意角色</source>
        <translation>Any role</translation>
    </message>
    <message>
        <source>搜索任务内容、编号、单位…</source>
        <translation>Search task text, number, unit…</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>全部任务</source>
        <translation>All tasks</translation>
    </message>
    <message>
        <source>全部单位</source>
        <translation>All units</translation>
    </message>
    <message>
        <source>{0}/{1} 项</source>
        <translation>{0}/{1}</translation>
    </message>
</context>
<context>
    <name>UnitChecklist</name>
    <message>
        <source>{0}(未加入本方案)</source>
        <translation>{0} (not in this plan)</translation>
    </message>
    <message>
        <source>筛选单位…</source>
        <translation>Filter units…</translation>
    </message>
    <message>
        <source>(未选)</source>
        <translation>(none chosen)</translation>
    </message>
</context>
<context>
    <name>UnitDecisionModel</name>
    <message>
        <source>单位名称(表中写法)</source>
        <translation>Unit name (as written)</translation>
    </message>
    <message>
        <source>处理</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>出现位置</source>
        <translation>Found in</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>新建单位</source>
        <translation>New unit</translation>
    </message>
    <message>
        <source>(本次新建)</source>
        <translation>(new in this import)</translation>
    </message>
    <message>
        <source>归入“{0}”</source>
        <translation>Merge into &quot;{0}&quot;</translation>
    </message>
    <message>
        <source> 等 {0} 处</source>
        <translation> … {0} in all</translation>
    </message>
    <message>
        <source>名称相近(相似度 {0:.0%}),请确认</source>
        <translation>Similar name ({0:.0%} alike), please confirm</translation>
    </message>
    <message>
        <source>最接近的已有单位:{0}</source>
        <translation>Closest existing unit: {0}</translation>
    </message>
    <message>
        <source>导入后记为“{0}”的别名</source>
        <translation>Will be remembered as an alias of &quot;{0}&quot;</translation>
    </message>
</context>
<context>
    <name>UnitDialog</name>
    <message>
        <source>修改单位</source>
        <translation>Edit unit</translation>
    </message>
    <message>
        <source>新增单位</source>
        <translation>Add unit</translation>
    </message>
    <message>
        <source>name@example.com;多个用分号隔开(邮件草稿的收件人)</source>
        <translation>name@example.com; separate several with semicolons (the drafts&apos; recipients)</translation>
    </message>
    <message>
        <source>其他写法,用“、”分隔(导入时据此识别)</source>
        <translation>Other spellings, separated by &quot;、&quot; (used to recognise the unit when importing)</translation>
    </message>
    <message>
        <source>加入当前方案“{0}”</source>
        <translation>Add to the current plan &quot;{0}&quot;</translation>
    </message>
    <message>
        <source>加入当前方案</source>
        <translation>Add to the current plan</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>邮箱</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>别名</source>
        <translation>Aliases</translation>
    </message>
</context>
<context>
    <name>UnitsPage</name>
    <message>
        <source>双击单位可修改联系人、电话和邮箱(下发时据此生成邮件草稿)。</source>
        <translation>Double-click a unit to edit its contact, phone and e-mail (used for the mail drafts when issuing).</translation>
    </message>
    <message>
        <source>共 {0} 个单位:</source>
        <translation>{0} units: </translation>
    </message>
</context>
<context>
    <name>Vocab</name>
    <message>
        <source>未启动</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>推进中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>滞后</source>
        <translation>Behind</translation>
    </message>
    <message>
        <source>长期坚持</source>
        <translation>Ongoing</translation>
    </message>
    <message>
        <source>牵头</source>
        <translation>Lead</translation>
    </message>
    <message>
        <source>配合</source>
        <translation>Cooperating</translation>
    </message>
    <message>
        <source>落实</source>
        <translation>Implementing</translation>
    </message>
    <message>
        <source>区创建办</source>
        <translation>District office</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>镇</source>
        <translation>Town</translation>
    </message>
    <message>
        <source>街道</source>
        <translation>Subdistrict</translation>
    </message>
    <message>
        <source>开发区</source>
        <translation>Development zone</translation>
    </message>
    <message>
        <source>月</source>
        <translation>month</translation>
    </message>
    <message>
        <source>季度</source>
        <translation>quarter</translation>
    </message>
    <message>
        <source>半年</source>
        <translation>half-year</translation>
    </message>
    <message>
        <source>年</source>
        <translation>year</translation>
    </message>
    <message>
        <source>进展状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>完成进度(%)</source>
        <translation>Completion (%)</translation>
    </message>
    <message>
        <source>完成进度</source>
        <translation>Completion</translation>
    </message>
    <message>
        <source>本期进展</source>
        <translation>Progress this period</translation>
    </message>
    <message>
        <source>存在问题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>下步计划</source>
        <translation>Next steps</translation>
    </message>
    <message>
        <source>责任人</source>
        <translation>Responsible</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>完成日期</source>
        <translation>Completed on</translation>
    </message>
    <message>
        <source>本期数值</source>
        <translation>Value this period</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>未下发</source>
        <translation>Not issued</translation>
    </message>
    <message>
        <source>已下发</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>已收</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>迟报</source>
        <translation>Late</translation>
    </message>
    <message>
        <source>已拒收</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>退回修改</source>
        <translation>Returned for correction</translation>
    </message>
    <message>
        <source>未报</source>
        <translation>Missing</translation>
    </message>
    <message>
        <source>可导入</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>已导入</source>
        <translation>Merged</translation>
    </message>
    <message>
        <source>无变化</source>
        <translation>No change</translation>
    </message>
    <message>
        <source>已被新版本取代</source>
        <translation>Superseded</translation>
    </message>
    <message>
        <source>拒收</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>待处理</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>保留本方</source>
        <translation>Kept ours</translation>
    </message>
    <message>
        <source>采用对方</source>
        <translation>Took theirs</translation>
    </message>
    <message>
        <source>已被新报送取代</source>
        <translation>Superseded by a newer return</translation>
    </message>
    <message>
        <source>按时报送</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>未填报</source>
        <translation>Not reported</translation>
    </message>
    <message>
        <source>达标</source>
        <translation>Met</translation>
    </message>
    <message>
        <source>未达标</source>
        <translation>Not met</translation>
    </message>
    <message>
        <source>待评估</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>逾期未完成</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>约束性</source>
        <translation>Binding</translation>
    </message>
    <message>
        <source>参考性</source>
        <translation>Indicative</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>注意</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>Not filled</translation>
    </message>
</context>
<context>
    <name>WelcomeWindow</name>
    <message>
        <source>欢迎使用台账</source>
        <translation>Welcome to Taizhang</translation>
    </message>
    <message>
        <source>任务进展离线填报与汇总:区创建办下发填报包 → 各单位填报并发回报送包 → 区创建办汇总 → 打印通报。
请先选择您的身份:</source>
        <translation>Offline task-progress reporting: the district office issues packets → each unit fills its packet and sends it back → the district merges them → prints the progress summary.
Who are you?</translation>
    </message>
    <message>
        <source>导入方案工作簿…</source>
        <translation>Import a plan workbook…</translation>
    </message>
    <message>
        <source>把已有的任务分解表、指标表(Excel)导入为方案</source>
        <translation>Import the task breakdown and indicator tables you already have (Excel) as a plan</translation>
    </message>
    <message>
        <source>新建空白方案…</source>
        <translation>New empty plan…</translation>
    </message>
    <message>
        <source>打开已有数据库…</source>
        <translation>Open an existing database…</translation>
    </message>
    <message>
        <source>先看看示例(天宁区方案,单独的示例数据库)</source>
        <translation>Explore the example first (Tianning plan, in a separate example database)</translation>
    </message>
    <message>
        <source>区创建办</source>
        <translation>District office</translation>
    </message>
    <message>
        <source>制定或导入方案,按周期给各单位下发填报包,汇总发回的报送包,查看看板、打印进展情况通报。</source>
        <translation>Create or import a plan, issue packets to the units every period, merge the returned packets, watch the dashboard and print the progress summary.</translation>
    </message>
    <message>
        <source>您的数据保存在本机的台账数据库中;示例单独保存,不会混入您的数据。</source>
        <translation>Your data is kept in a Taizhang database on this computer; the example is kept separately and never mixes with your data.</translation>
    </message>
    <message>
        <source>打开收到的下发包…</source>
        <translation>Open the packet you received…</translation>
    </message>
    <message>
        <source>区里通过邮件或微信发来的 Excel 文件</source>
        <translation>The Excel file the district sent by mail or chat</translation>
    </message>
    <message>
        <source>单位填报(镇、街道、部门)</source>
        <translation>Unit reporting (towns, streets, departments)</translation>
    </message>
    <message>
        <source>区里发来了填报包(Excel 文件)?打开它,逐项填写本单位的进展,自动保存,填完后导出报送包发回区里。</source>
        <translation>Received a packet (Excel file) from the district? Open it, fill in your unit&apos;s progress task by task (saved automatically), then export the return packet and send it back.</translation>
    </message>
    <message>
        <source>没有安装台账的同事也可以直接用 WPS 或 Excel 填写同一个文件。</source>
        <translation>Colleagues without Taizhang can fill the same file in WPS or Excel.</translation>
    </message>
    <message>
        <source>以后可以随时通过“文件 › 打开数据库…”或“最近使用”切换;“帮助 › 使用说明”(F1)有操作步骤。</source>
        <translation>You can switch at any time with File › Open database… or Recent; Help › User guide (F1) has the steps.</translation>
    </message>
</context>
</TS>
