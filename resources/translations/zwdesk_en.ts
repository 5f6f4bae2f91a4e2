<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="zh_CN">
<context>
    <name>zwdesk</name>
    <message>
        <source>操作未完成，出现意外错误（{kind}）。数据库未被修改。</source>
        <translation>The operation did not finish: an unexpected error occurred ({kind}). The database was not changed.</translation>
    </message>
    <message>
        <source>首次使用 — 设置本单位</source>
        <translation>First run — set up your organisation</translation>
    </message>
    <message>
        <source>欢迎使用中卫劳务工作站桌面端。请先填写本单位信息，之后可在申领表上使用。</source>
        <translation>Welcome to the Zhongwei labour station desktop. First enter your organisation; it is used on the claim forms later.</translation>
    </message>
    <message>
        <source>如：海原县驻苏州劳务工作站</source>
        <translation>e.g. Haiyuan County Labour Station in Suzhou</translation>
    </message>
    <message>
        <source>联系人及电话，可留空</source>
        <translation>Contact person and phone (optional)</translation>
    </message>
    <message>
        <source>单位类型(&amp;K)</source>
        <translation>Organisation &amp;kind</translation>
    </message>
    <message>
        <source>单位名称(&amp;N)</source>
        <translation>Organisation &amp;name</translation>
    </message>
    <message>
        <source>所属县区(&amp;C)</source>
        <translation>&amp;County</translation>
    </message>
    <message>
        <source>联系方式(&amp;T)</source>
        <translation>Con&amp;tact</translation>
    </message>
    <message>
        <source>开始使用</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>记录回访</source>
        <translation>Record follow-up</translation>
    </message>
    <message>
        <source>默认为当前经办人</source>
        <translation>Defaults to the current clerk</translation>
    </message>
    <message>
        <source>就业记录(&amp;J)</source>
        <translation>&amp;Job</translation>
    </message>
    <message>
        <source>回访日期(&amp;D)</source>
        <translation>Follow-up &amp;date</translation>
    </message>
    <message>
        <source>回访方式(&amp;M)</source>
        <translation>&amp;Method</translation>
    </message>
    <message>
        <source>回访结果(&amp;R)</source>
        <translation>&amp;Result</translation>
    </message>
    <message>
        <source>回访人</source>
        <translation>Followed up by</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>该人员还没有就业记录，请先新增就业记录</source>
        <translation>This person has no job yet: add a job first</translation>
    </message>
    <message>
        <source>回访日期晚于今天</source>
        <translation>The follow-up date is after today</translation>
    </message>
    <message>
        <source>回访日期早于就业开始日期{start}</source>
        <translation>The follow-up date is before the job started ({start})</translation>
    </message>
    <message>
        <source>，已于{end}结束</source>
        <translation>, ended {end}</translation>
    </message>
    <message>
        <source>（未填用工单位）</source>
        <translation>(no employer given)</translation>
    </message>
    <message>
        <source>{name}（已停用的旧代码）</source>
        <translation>{name} (old code, no longer in use)</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>花名册 (*.xlsx *.xls *.csv)</source>
        <translation>Rosters (*.xlsx *.xls *.csv)</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>拒绝</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Workers</translation>
    </message>
    <message>
        <source>就业</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>组织</source>
        <translation>Organisations</translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Cell</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>导入/导出</source>
        <translation>Import/Export</translation>
    </message>
    <message>
        <source>尚未选择文件（.xlsx / .xls / .csv）</source>
        <translation>No file chosen yet (.xlsx / .xls / .csv)</translation>
    </message>
    <message>
        <source>导入花名册</source>
        <translation>Import a roster</translation>
    </message>
    <message>
        <source>把人员、就业、回访、申领和组织写入一个 .xlsx 文件，可原样导入另一台电脑。</source>
        <translation>Writes workers, jobs, follow-ups, claims and organisations to one .xlsx file that imports unchanged on another computer.</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>选择花名册</source>
        <translation>Choose a roster</translation>
    </message>
    <message>
        <source>检查花名册</source>
        <translation>Checking the roster</translation>
    </message>
    <message>
        <source>导入结果（已写入数据库）：{name}</source>
        <translation>Import result (written to the database): {name}</translation>
    </message>
    <message>
        <source>预览（未写入）：{name}</source>
        <translation>Preview (nothing written): {name}</translation>
    </message>
    <message>
        <source>保存错误行文件</source>
        <translation>Save the rejected rows</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>导出全站</source>
        <translation>Export the station</translation>
    </message>
    <message>
        <source>选择花名册(&amp;O)…</source>
        <translation>&amp;Open a roster…</translation>
    </message>
    <message>
        <source>导入(&amp;I)</source>
        <translation>&amp;Import</translation>
    </message>
    <message>
        <source>预览：选择文件后先检查，不写入数据库。</source>
        <translation>Preview: a chosen file is checked first; nothing is written to the database.</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>打开错误行文件</source>
        <translation>Open the rejected rows</translation>
    </message>
    <message>
        <source>另存错误行文件…</source>
        <translation>Save the rejected rows as…</translation>
    </message>
    <message>
        <source>导出全站(&amp;E)…</source>
        <translation>&amp;Export the station…</translation>
    </message>
    <message>
        <source>正在读取和检查花名册…</source>
        <translation>Reading and checking the roster…</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>正在检查 {name}…</source>
        <translation>Checking {name}…</translation>
    </message>
    <message>
        <source>以上为预览，数据库尚未改动。确认无误后点“导入”。</source>
        <translation>This is a preview; the database has not been changed. If it looks right, press “Import”.</translation>
    </message>
    <message>
        <source>没有可导入的行。</source>
        <translation>There are no rows to import.</translation>
    </message>
    <message>
        <source>正在导入 {name}…</source>
        <translation>Importing {name}…</translation>
    </message>
    <message>
        <source>被拒绝的行已写入 {path}</source>
        <translation>The rejected rows were written to {path}</translation>
    </message>
    <message>
        <source>共读取 {rows} 行：可导入 {valid} 行，拒绝 {rejected} 行，重复 {duplicates} 行。</source>
        <translation>{rows} rows read: {valid} can be imported, {rejected} rejected, {duplicates} duplicates.</translation>
    </message>
    <message>
        <source>第{row}行</source>
        <translation>Row {row}</translation>
    </message>
    <message>
        <source>错误行已保存到 {path}</source>
        <translation>The rejected rows were saved to {path}</translation>
    </message>
    <message>
        <source>仅列出前 {shown} 条原因（共 {total} 条），全部见错误行文件。</source>
        <translation>Only the first {shown} reasons are listed (of {total}); the rejected-rows file has them all.</translation>
    </message>
    <message>
        <source>{column}列</source>
        <translation>, column {column}</translation>
    </message>
    <message>
        <source>已导出 {workers} 人、{placements} 条就业记录、{follow_ups} 条回访到 {path}</source>
        <translation>Exported {workers} workers, {placements} jobs and {follow_ups} follow-ups to {path}</translation>
    </message>
    <message>
        <source>导入完成。</source>
        <translation>Import finished.</translation>
    </message>
    <message>
        <source>已取消{what}，数据库未改动。</source>
        <translation>Cancelled: {what}. The database was not changed.</translation>
    </message>
    <message>
        <source>第{row}行：</source>
        <translation>Row {row}: </translation>
    </message>
    <message>
        <source>错误行文件无法保存：{reason}</source>
        <translation>The rejected rows could not be saved: {reason}</translation>
    </message>
    <message>
        <source>{what}失败。</source>
        <translation>{what} failed.</translation>
    </message>
    <message>
        <source>中卫劳务工作站</source>
        <translation>Zhongwei Labour Station</translation>
    </message>
    <message>
        <source>功能导航</source>
        <translation>Navigation</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>备份数据库(&amp;B)…</source>
        <translation>&amp;Back up database…</translation>
    </message>
    <message>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <source>转到(&amp;G)</source>
        <translation>&amp;Go</translation>
    </message>
    <message>
        <source>未启用同步</source>
        <translation>Sync not enabled</translation>
    </message>
    <message>
        <source>备份数据库</source>
        <translation>Back up database</translation>
    </message>
    <message>
        <source>zwdesk 数据库 (*.db)</source>
        <translation>zwdesk database (*.db)</translation>
    </message>
    <message>
        <source>正在备份数据库…</source>
        <translation>Backing up the database…</translation>
    </message>
    <message>
        <source>尚未备份</source>
        <translation>Never backed up</translation>
    </message>
    <message>
        <source>数据库：{path}</source>
        <translation>Database: {path}</translation>
    </message>
    <message>
        <source>备份失败</source>
        <translation>Backup failed</translation>
    </message>
    <message>
        <source>上次备份：{when}</source>
        <translation>Last backup: {when}</translation>
    </message>
    <message>
        <source>已备份到 {path}</source>
        <translation>Backed up to {path}</translation>
    </message>
    <message>
        <source>自行就业（无组织者）</source>
        <translation>Found the job alone (no organiser)</translation>
    </message>
    <message>
        <source>元，可留空</source>
        <translation>yuan (optional)</translation>
    </message>
    <message>
        <source>用工单位(&amp;E)</source>
        <translation>&amp;Employer</translation>
    </message>
    <message>
        <source>务工地(&amp;W)</source>
        <translation>&amp;Work place</translation>
    </message>
    <message>
        <source>开始日期(&amp;S)</source>
        <translation>&amp;Start date</translation>
    </message>
    <message>
        <source>结束日期</source>
        <translation>End date</translation>
    </message>
    <message>
        <source>组织者(&amp;O)</source>
        <translation>&amp;Organiser</translation>
    </message>
    <message>
        <source>月工资(&amp;M)</source>
        <translation>&amp;Monthly wage</translation>
    </message>
    <message>
        <source>6位行政区划代码，如 320506</source>
        <translation>6-digit region code, e.g. 320506</translation>
    </message>
    <message>
        <source>已结束</source>
        <translation>Ended</translation>
    </message>
    <message>
        <source>签订劳动合同</source>
        <translation>Labour contract signed</translation>
    </message>
    <message>
        <source>缴纳社会保险</source>
        <translation>Social insurance paid</translation>
    </message>
    <message>
        <source>新增就业记录 — {name}</source>
        <translation>New job — {name}</translation>
    </message>
    <message>
        <source>应为金额（元），如 4200 或 4200.50</source>
        <translation>Should be an amount in yuan, e.g. 4200 or 4200.50</translation>
    </message>
    <message>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>户籍所在县</source>
        <translation>Hukou county</translation>
    </message>
    <message>
        <source>常住县</source>
        <translation>County of residence</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>农村户籍</source>
        <translation>Rural hukou</translation>
    </message>
    <message>
        <source>重点群体</source>
        <translation>Target groups</translation>
    </message>
    <message>
        <source>用工单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>务工地</source>
        <translation>Work county</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <source>组织者</source>
        <translation>Organiser</translation>
    </message>
    <message>
        <source>月工资</source>
        <translation>Monthly wage</translation>
    </message>
    <message>
        <source>最近回访</source>
        <translation>Last follow-up</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>出发日期</source>
        <translation>Departure</translation>
    </message>
    <message>
        <source>目的地</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>车票（元）</source>
        <translation>Tickets (yuan)</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>申领单号</source>
        <translation>Claim number</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Operation</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>变更内容</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>同户籍</source>
        <translation>Same as household registration</translation>
    </message>
    <message>
        <source>未登记</source>
        <translation>Not recorded</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>在职</source>
        <translation>Employed</translation>
    </message>
    <message>
        <source>未回访</source>
        <translation>Not followed up</translation>
    </message>
    <message>
        <source>就业记录</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>回访</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <source>点对点输送批次</source>
        <translation>Point-to-point batches</translation>
    </message>
    <message>
        <source>已申领补贴</source>
        <translation>Subsidies claimed</translation>
    </message>
    <message>
        <source>变更记录</source>
        <translation>Change history</translation>
    </message>
    <message>
        <source>第{item}项</source>
        <translation>Item {item}</translation>
    </message>
    <message>
        <source>18位居民身份证号</source>
        <translation>18-digit resident ID number</translation>
    </message>
    <message>
        <source>身份证号(&amp;I)</source>
        <translation>&amp;ID number</translation>
    </message>
    <message>
        <source>姓名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>户籍所在县(&amp;H)</source>
        <translation>&amp;Hukou county</translation>
    </message>
    <message>
        <source>常住县(&amp;R)</source>
        <translation>&amp;Resident county</translation>
    </message>
    <message>
        <source>联系电话(&amp;P)</source>
        <translation>&amp;Phone</translation>
    </message>
    <message>
        <source>编辑人员</source>
        <translation>Edit worker</translation>
    </message>
    <message>
        <source>新增人员</source>
        <translation>Add worker</translation>
    </message>
    <message>
        <source>出生日期 {birth}，{gender}</source>
        <translation>Born {birth}, {gender}</translation>
    </message>
    <message>
        <source>身份证号前17位应为数字，末位为数字或X</source>
        <translation>The first 17 characters of the ID number must be digits, the last a digit or X</translation>
    </message>
    <message>
        <source>男</source>
        <translation>M</translation>
    </message>
    <message>
        <source>女</source>
        <translation>F</translation>
    </message>
    <message>
        <source>，出生登记地 {place}</source>
        <translation>, birth registered in {place}</translation>
    </message>
    <message>
        <source>已输入{count}位，共18位</source>
        <translation>{count} of 18 characters entered</translation>
    </message>
    <message>
        <source>按姓名、身份证号或电话查找（Ctrl+F）</source>
        <translation>Find by name, ID number or phone (Ctrl+F)</translation>
    </message>
    <message>
        <source>新增人员(&amp;A)</source>
        <translation>&amp;Add worker</translation>
    </message>
    <message>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>新增就业记录(&amp;J)</source>
        <translation>New &amp;job</translation>
    </message>
    <message>
        <source>记录回访(&amp;V)</source>
        <translation>Record follow-&amp;up</translation>
    </message>
    <message>
        <source>新增就业记录</source>
        <translation>New job</translation>
    </message>
    <message>
        <source>共 {total} 人</source>
        <translation>{total} workers</translation>
    </message>
    <message>
        <source>超过 {total} 人</source>
        <translation>more than {total} workers</translation>
    </message>
    <message>
        <source>选择一个人员查看详情</source>
        <translation>Choose a person to see the details</translation>
    </message>
    <message>
        <source>工作台</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>点对点</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>补贴</source>
        <translation>Subsidies</translation>
    </message>
    <message>
        <source>该页面尚未完成。</source>
        <translation>This page is not finished yet.</translation>
    </message>
    <message>
        <source>无法打开数据库</source>
        <translation>The database cannot be opened</translation>
    </message>
    <message>
        <source>无法准备演示数据</source>
        <translation>The demo data cannot be prepared</translation>
    </message>
    <message>
        <source>该页面暂时无法打开。</source>
        <translation>This page cannot be opened right now.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>农村</source>
        <translation>Rural</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>驻外劳务工作站</source>
        <translation>Out-of-region labour station</translation>
    </message>
    <message>
        <source>劳务中介</source>
        <translation>Labour broker</translation>
    </message>
    <message>
        <source>就业帮扶车间</source>
        <translation>Assistance workshop</translation>
    </message>
    <message>
        <source>零工市场</source>
        <translation>Gig market</translation>
    </message>
    <message>
        <source>零工驿站</source>
        <translation>Gig station</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone call</translation>
    </message>
    <message>
        <source>用工单位确认</source>
        <translation>Employer confirmation</translation>
    </message>
    <message>
        <source>社保记录</source>
        <translation>Social insurance record</translation>
    </message>
    <message>
        <source>实地走访</source>
        <translation>Site visit</translation>
    </message>
    <message>
        <source>在岗</source>
        <translation>Employed</translation>
    </message>
    <message>
        <source>已离职</source>
        <translation>Left</translation>
    </message>
    <message>
        <source>就业困难人员</source>
        <translation>Person with employment difficulties</translation>
    </message>
    <message>
        <source>毕业年度及离校2年内未就业高校毕业生</source>
        <translation>Graduate not employed within 2 years of leaving college</translation>
    </message>
    <message>
        <source>脱贫人口</source>
        <translation>Person lifted out of poverty</translation>
    </message>
    <message>
        <source>农村低收入人口</source>
        <translation>Rural low-income person</translation>
    </message>
    <message>
        <source>搬迁群众</source>
        <translation>Relocated resident</translation>
    </message>
    <message>
        <source>沙坡头区</source>
        <translation>Shapotou District</translation>
    </message>
    <message>
        <source>中宁县</source>
        <translation>Zhongning County</translation>
    </message>
    <message>
        <source>海原县</source>
        <translation>Haiyuan County</translation>
    </message>
</context>
</TS>
