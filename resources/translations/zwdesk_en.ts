<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="zh_CN">
<context>
    <name>zwdesk</name>
    <message>
        <source>该页面尚未完成。</source>
        <translation>This page is not finished yet.</translation>
    </message>
    <message>
        <source>该页面暂时无法打开。</source>
        <translation>This page cannot be opened right now.</translation>
    </message>
    <message>
        <source>无法准备演示数据</source>
        <translation type="unfinished"></translation>
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
        <source>数据库：{path}</source>
        <translation>Database: {path}</translation>
    </message>
    <message>
        <source>未启用同步</source>
        <translation>Sync not enabled</translation>
    </message>
    <message>
        <source>上次备份：{when}</source>
        <translation>Last backup: {when}</translation>
    </message>
    <message>
        <source>尚未备份</source>
        <translation>Never backed up</translation>
    </message>
    <message>
        <source>备份数据库</source>
        <translation>Back up database</translation>
    </message>
    <message>
        <source>zwdesk 数据库 (*.db)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已备份到 {path}</source>
        <translation>Backed up to {path}</translation>
    </message>
    <message>
        <source>备份失败</source>
        <translation>Backup failed</translation>
    </message>
    <message>
        <source>正在备份数据库…</source>
        <translation>Backing up the database…</translation>
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
        <source>共 {total} 人</source>
        <translation>{total} workers</translation>
    </message>
    <message>
        <source>超过 {total} 人</source>
        <translation>more than {total} workers</translation>
    </message>
    <message>
        <source>新增人员</source>
        <translation>Add worker</translation>
    </message>
    <message>
        <source>编辑人员</source>
        <translation>Edit worker</translation>
    </message>
    <message>
        <source>新增就业记录</source>
        <translation>New job</translation>
    </message>
    <message>
        <source>记录回访</source>
        <translation>Record follow-up</translation>
    </message>
    <message>
        <source>18位居民身份证号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>农村户籍</source>
        <translation>Rural hukou</translation>
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
        <source>重点群体</source>
        <translation>Target groups</translation>
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
        <source>身份证号前17位应为数字，末位为数字或X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已输入{count}位，共18位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>出生日期 {birth}，{gender}</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增就业记录 — {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6位行政区划代码，如 320506</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已结束</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自行就业（无组织者）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>签订劳动合同</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>缴纳社会保险</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>元，可留空</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Workers</translation>
    </message>
    <message>
        <source>用工单位(&amp;E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>务工地(&amp;W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开始日期(&amp;S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结束日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>组织者(&amp;O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>月工资(&amp;M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>应为金额（元），如 4200 或 4200.50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>，已于{end}结束</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>默认为当前经办人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>就业记录(&amp;J)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回访日期(&amp;D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回访方式(&amp;M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回访结果(&amp;R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回访人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备注</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>该人员还没有就业记录，请先新增就业记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回访日期早于就业开始日期{start}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回访日期晚于今天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首次使用 — 设置本单位</source>
        <translation>First run — set up your organisation</translation>
    </message>
    <message>
        <source>欢迎使用中卫劳务工作站桌面端。请先填写本单位信息，之后可在申领表上使用。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：海原县驻苏州劳务工作站</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系人及电话，可留空</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>单位类型(&amp;K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>单位名称(&amp;N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所属县区(&amp;C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系方式(&amp;T)</source>
        <translation type="unfinished"></translation>
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
        <source>无</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同户籍</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>未登记</source>
        <translation type="unfinished"></translation>
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
        <source>在职</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未回访</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第{item}项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作未完成，出现意外错误（{kind}）。数据库未被修改。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}（已停用的旧代码）</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批次</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>出发日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>目的地</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>车票（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申领单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>经办人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>变更内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除</source>
        <translation type="unfinished"></translation>
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
        <source>导入/导出</source>
        <translation>Import/Export</translation>
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
</context>
</TS>
