<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="zh_CN">
<context>
    <name>zwdesk</name>
    <message>
        <source>包车（包机）</source>
        <translation>Charter (bus or plane)</translation>
    </message>
    <message>
        <source>按人购票</source>
        <translation>Tickets per person</translation>
    </message>
    <message>
        <source>发票金额，元</source>
        <translation>Invoice amount, yuan</translation>
    </message>
    <message>
        <source>新建批次</source>
        <translation>New batch</translation>
    </message>
    <message>
        <source>新建出发批次</source>
        <translation>New departure batch</translation>
    </message>
    <message>
        <source>出发日期</source>
        <translation>Departure</translation>
    </message>
    <message>
        <source>出发地</source>
        <translation>Origin</translation>
    </message>
    <message>
        <source>目的地（县级代码）</source>
        <translation>Destination (county code)</translation>
    </message>
    <message>
        <source>组织者</source>
        <translation>Organiser</translation>
    </message>
    <message>
        <source>输送方式</source>
        <translation>Transport mode</translation>
    </message>
    <message>
        <source>包车费用（元）</source>
        <translation>Charter cost (yuan)</translation>
    </message>
    <message>
        <source>请选择或新建一个批次</source>
        <translation>Choose or create a batch</translation>
    </message>
    <message>
        <source>输入或扫描身份证号，回车添加</source>
        <translation>Type or scan an ID number, Enter adds</translation>
    </message>
    <message>
        <source>车费（元）</source>
        <translation>Fare (yuan)</translation>
    </message>
    <message>
        <source>票据号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>移出名单</source>
        <translation>Remove from manifest</translation>
    </message>
    <message>
        <source>第五项测算（按政策规则实时计算）</source>
        <translation>Item 5 estimate (computed live by the policy rules)</translation>
    </message>
    <message>
        <source>添加乘客</source>
        <translation>Add passenger</translation>
    </message>
    <message>
        <source>修改乘客车费</source>
        <translation>Change passenger fare</translation>
    </message>
    <message>
        <source>移出乘客</source>
        <translation>Remove passenger</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>请先选择或新建一个批次</source>
        <translation>Choose or create a batch first</translation>
    </message>
    <message>
        <source>如 {code}</source>
        <translation>e.g. {code}</translation>
    </message>
    <message>
        <source>符合条件 {count} 人</source>
        <translation>{count} eligible</translation>
    </message>
    <message>
        <source>，包车费用 {money}</source>
        <translation>, charter cost {money}</translation>
    </message>
    <message>
        <source>批次 {code}：{day} 前往 {county}，{mode}{cost}，乘客 {count} 人</source>
        <translation>Batch {code}: {day} to {county}, {mode}{cost}, {count} passenger(s)</translation>
    </message>
    <message>
        <source>结果：{kind}　金额 {money}</source>
        <translation>Result: {kind}   amount {money}</translation>
    </message>
    <message>
        <source>{operation}：完成</source>
        <translation>{operation}: done</translation>
    </message>
    <message>
        <source>车费</source>
        <translation>Fare</translation>
    </message>
    <message>
        <source>包车费用</source>
        <translation>Charter cost</translation>
    </message>
    <message>
        <source>请写明排除原因</source>
        <translation>Give the reason for leaving it out</translation>
    </message>
    <message>
        <source>第一项 驻外劳务工作站就业创业服务补贴</source>
        <translation>Item 1 Out-of-region labour station service subsidy</translation>
    </message>
    <message>
        <source>第二项 一次性交通补贴</source>
        <translation>Item 2 One-off transport subsidy</translation>
    </message>
    <message>
        <source>第三项 劳务中介带动就业奖补</source>
        <translation>Item 3 Labour broker employment reward</translation>
    </message>
    <message>
        <source>第四项 就业帮扶车间一次性补贴</source>
        <translation>Item 4 Assistance workshop one-off subsidy</translation>
    </message>
    <message>
        <source>第五项 “点对点”转移就业输送</source>
        <translation>Item 5 Point-to-point transport</translation>
    </message>
    <message>
        <source>第六项 零工市场（驿站）运营补贴</source>
        <translation>Item 6 Gig market (gig station) operating subsidy</translation>
    </message>
    <message>
        <source>排除</source>
        <translation>Leave out</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>排除原因</source>
        <translation>Reason for leaving out</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>新建申领</source>
        <translation>New claim</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>本站的组织类型没有可申领的项目；请先在首次使用时设置本站。</source>
        <translation>This organisation type has no items it can claim; set up the station on first use.</translation>
    </message>
    <message>
        <source>选中一行，查看金额的计算理由</source>
        <translation>Select a row to see why the amount is due</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>勾选“排除”可把一行留在本次申领之外，须写明原因；冻结后生成申领单号，金额计入已申领，不能再改。</source>
        <translation>Tick “Leave out” to keep a row out of this claim (a reason is required). Freezing numbers the claim and counts its amounts as claimed; it cannot be changed afterwards.</translation>
    </message>
    <message>
        <source>正在计算草稿…</source>
        <translation>Computing the draft…</translation>
    </message>
    <message>
        <source>生成草稿</source>
        <translation>Compute draft</translation>
    </message>
    <message>
        <source>正在冻结申领单…</source>
        <translation>Freezing the claim…</translation>
    </message>
    <message>
        <source>冻结申领</source>
        <translation>Freeze claim</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>无法连接打印机</source>
        <translation>Cannot reach the printer</translation>
    </message>
    <message>
        <source>生成草稿(&amp;D)</source>
        <translation>Compute &amp;draft</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>截至</source>
        <translation>As of</translation>
    </message>
    <message>
        <source>冻结(&amp;F)</source>
        <translation>&amp;Freeze</translation>
    </message>
    <message>
        <source>选好项目和年度后点“生成草稿”。</source>
        <translation>Choose the item and year, then press “Compute draft”.</translation>
    </message>
    <message>
        <source>排除时必填：为什么这一行不申领</source>
        <translation>Required when left out: why this row is not claimed</translation>
    </message>
    <message>
        <source>请核对各行金额；不申领的行勾选“排除”并写明原因，然后点“冻结”。</source>
        <translation>Check each amount; tick “Leave out” with a reason for rows not claimed, then press “Freeze”.</translation>
    </message>
    <message>
        <source>截至该日没有应付的金额，无需申领。</source>
        <translation>Nothing is due as of that date; there is nothing to claim.</translation>
    </message>
    <message>
        <source>申领 {count} 行，合计 {total}</source>
        <translation>Claiming {count} rows, total {total}</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>请写明原因</source>
        <translation>Give a reason</translation>
    </message>
    <message>
        <source>（排除 {count} 行，{total}）</source>
        <translation> (left out {count} rows, {total})</translation>
    </message>
    <message>
        <source>已冻结，申领单号 {number}，合计 {total}。可在申领列表中打印。</source>
        <translation>Frozen: claim number {number}, total {total}. Print it from the claims list.</translation>
    </message>
    <message>
        <source>{year}年</source>
        <translation>{year}</translation>
    </message>
    <message>
        <source>有 {count} 行已勾选排除但没有写原因，未冻结。</source>
        <translation>{count} row(s) are left out without a reason; not frozen.</translation>
    </message>
    <message>
        <source>已取消{what}。</source>
        <translation>Cancelled: {what}.</translation>
    </message>
    <message>
        <source>{what}失败。</source>
        <translation>{what} failed.</translation>
    </message>
    <message>
        <source>签字页扫描件或照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)</source>
        <translation>Scan or photo of the signed pages (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)</translation>
    </message>
    <message>
        <source>申领单号</source>
        <translation>Claim number</translation>
    </message>
    <message>
        <source>年度/批次</source>
        <translation>Year/batch</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>冻结日期</source>
        <translation>Frozen on</translation>
    </message>
    <message>
        <source>第一项</source>
        <translation>Item 1</translation>
    </message>
    <message>
        <source>第二项</source>
        <translation>Item 2</translation>
    </message>
    <message>
        <source>第三项</source>
        <translation>Item 3</translation>
    </message>
    <message>
        <source>第四项</source>
        <translation>Item 4</translation>
    </message>
    <message>
        <source>第五项</source>
        <translation>Item 5</translation>
    </message>
    <message>
        <source>第六项</source>
        <translation>Item 6</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已打印</source>
        <translation>Printed</translation>
    </message>
    <message>
        <source>已签字</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>已拨付</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>标为已打印</source>
        <translation>Mark printed</translation>
    </message>
    <message>
        <source>已签字…</source>
        <translation>Signed…</translation>
    </message>
    <message>
        <source>已退回…</source>
        <translation>Returned…</translation>
    </message>
    <message>
        <source>作废…</source>
        <translation>Cancel claim…</translation>
    </message>
    <message>
        <source>申请表</source>
        <translation>Application form</translation>
    </message>
    <message>
        <source>花名册</source>
        <translation>Roster</translation>
    </message>
    <message>
        <source>公示名单</source>
        <translation>Public notice</translation>
    </message>
    <message>
        <source>实施期内</source>
        <translation>Whole period</translation>
    </message>
    <message>
        <source>申领</source>
        <translation>Claims</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>选中一张申领单，查看各行金额和理由</source>
        <translation>Select a claim to see its rows, amounts and reasons</translation>
    </message>
    <message>
        <source>把申请表等 PDF 写入选定的文件夹；草稿随之变为已打印</source>
        <translation>Write the application form and other PDFs to a folder; a draft becomes Printed</translation>
    </message>
    <message>
        <source>本机的 Qt 不含 PDF 显示组件，打印经由 PDF：“发送到打印机”会生成 PDF 并用系统的 PDF 阅读器打开，请在阅读器中打印。</source>
        <translation>This Qt has no PDF rendering module, so printing goes through the PDF: “Send to printer” writes the PDFs and opens them in the system PDF reader; print from there.</translation>
    </message>
    <message>
        <source>选择存放 PDF 的文件夹</source>
        <translation>Choose the folder for the PDFs</translation>
    </message>
    <message>
        <source>打印申领单</source>
        <translation>Print claim</translation>
    </message>
    <message>
        <source>选择签字页扫描件或照片</source>
        <translation>Choose the scan or photo of the signed pages</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>批次 {batch}</source>
        <translation>Batch {batch}</translation>
    </message>
    <message>
        <source>新建申领(&amp;N)…</source>
        <translation>&amp;New claim…</translation>
    </message>
    <message>
        <source>打印(&amp;P)…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <source>发送到打印机…</source>
        <translation>Send to printer…</translation>
    </message>
    <message>
        <source>改为：</source>
        <translation>Change to:</translation>
    </message>
    <message>
        <source>打开 PDF</source>
        <translation>Open PDF</translation>
    </message>
    <message>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>尚未设置本站信息，不能申领。</source>
        <translation>The station is not set up yet; no claims can be made.</translation>
    </message>
    <message>
        <source>正在生成申领表 PDF…</source>
        <translation>Writing the claim PDFs…</translation>
    </message>
    <message>
        <source>本机的 Qt 无法直接打印 PDF，已用 PDF 阅读器打开申领表，请在其中打印。</source>
        <translation>This Qt cannot print PDFs directly; the claim forms were opened in the PDF reader, print from there.</translation>
    </message>
    <message>
        <source>改为“{state}”</source>
        <translation>Change to “{state}”</translation>
    </message>
    <message>
        <source>共 {count} 张</source>
        <translation>{count} claim(s)</translation>
    </message>
    <message>
        <source>已冻结申领单 {number}。</source>
        <translation>Claim {number} frozen.</translation>
    </message>
    <message>
        <source>正在生成 {number} 的 PDF…</source>
        <translation>Writing the PDFs of {number}…</translation>
    </message>
    <message>
        <source>更改申领状态</source>
        <translation>Change claim state</translation>
    </message>
    <message>
        <source>申领单 {number} 已改为“{state}”。</source>
        <translation>Claim {number} is now “{state}”.</translation>
    </message>
    <message>
        <source>未申领的行</source>
        <translation>Rows left out</translation>
    </message>
    <message>
        <source>已生成 {count} 个 PDF（{names}）到 {path}。</source>
        <translation>Wrote {count} PDF(s) ({names}) to {path}.</translation>
    </message>
    <message>
        <source>{item} · {period} · {state} · 截至 {as_of} · 合计 {total}</source>
        <translation>{item} · {period} · {state} · as of {as_of} · total {total}</translation>
    </message>
    <message>
        <source>已发送到打印机。</source>
        <translation>Sent to the printer.</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>原因：{reason}</source>
        <translation>Reason: {reason}</translation>
    </message>
    <message>
        <source>签字页：{name}</source>
        <translation>Signed pages: {name}</translation>
    </message>
    <message>
        <source>本站概览</source>
        <translation>Station overview</translation>
    </message>
    <message>
        <source>市级工作目标（本站人员）</source>
        <translation>City targets (our people)</translation>
    </message>
    <message>
        <source>本站</source>
        <translation>Our station</translation>
    </message>
    <message>
        <source>计算中…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <source>应享补贴 {entitlement}　　本次可申领 {amount}</source>
        <translation>Entitled {entitlement}    claimable now {amount}</translation>
    </message>
    <message>
        <source>已达最高档</source>
        <translation>Top tier reached</translation>
    </message>
    <message>
        <source>{name} · {year}年</source>
        <translation>{name} · {year}</translation>
    </message>
    <message>
        <source>市级工作目标（本站本地户籍及常住人员，{year}年就业{count}人）</source>
        <translation>City targets (local and resident people of our station, {count} employed in {year})</translation>
    </message>
    <message>
        <source>距下一档（{threshold}人{reward}）还差 {count} 人</source>
        <translation>{count} more to the next tier ({threshold} people{reward})</translation>
    </message>
    <message>
        <source>{actual}{mark}（{note}{count}人） 目标 ≥{target}</source>
        <translation>{actual}{mark} ({note}{count} people) target ≥{target}</translation>
    </message>
    <message>
        <source>截至 {day}</source>
        <translation>As of {day}</translation>
    </message>
    <message>
        <source>选择市里发放的登记文件</source>
        <translation>Choose the enrolment file issued by the city</translation>
    </message>
    <message>
        <source>登记文件 (*.json);;所有文件 (*)</source>
        <translation>Enrolment files (*.json);;All files (*)</translation>
    </message>
    <message>
        <source>同步登记</source>
        <translation>Sync enrolment</translation>
    </message>
    <message>
        <source>站点编号：</source>
        <translation>Station ID:</translation>
    </message>
    <message>
        <source>市里地址：</source>
        <translation>City URL:</translation>
    </message>
    <message>
        <source>本站签名公钥：</source>
        <translation>Station signing key (public):</translation>
    </message>
    <message>
        <source>市里发放的登记文件（.json）</source>
        <translation>Enrolment file issued by the city (.json)</translation>
    </message>
    <message>
        <source>选择文件(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>导入登记文件(&amp;I)</source>
        <translation>&amp;Import enrolment file</translation>
    </message>
    <message>
        <source>正在导入登记文件…</source>
        <translation>Importing the enrolment file…</translation>
    </message>
    <message>
        <source>导入登记文件</source>
        <translation>Import enrolment file</translation>
    </message>
    <message>
        <source>本站尚未登记同步。请导入市里发放的登记文件：本站会生成自己的签名密钥（保存在系统钥匙串），联网时自动向市里登记并发送数据。</source>
        <translation>This station is not enrolled for sync. Import the enrolment file issued by the city: the station creates its own signing key (kept in the system keychain), then registers with the city and sends its data whenever it is online.</translation>
    </message>
    <message>
        <source>（未登记）</source>
        <translation>(not enrolled)</translation>
    </message>
    <message>
        <source>本站已登记为站点 {station}。再次导入会生成新的签名密钥，只能使用市里为本站新发放的登记文件（令牌只能用一次）。</source>
        <translation>This station is enrolled as station {station}. Importing again creates a new signing key and works only with a new enrolment file the city issues for this station (a token can be used once).</translation>
    </message>
    <message>
        <source>已登记为站点 {station}（市里地址 {url}）。联网时会自动向市里登记本站公钥并发送数据。</source>
        <translation>Enrolled as station {station} (city URL {url}). When online, the station registers its public key with the city and sends its data automatically.</translation>
    </message>
    <message>
        <source>登记未完成：{reason}</source>
        <translation>Enrolment not completed: {reason}</translation>
    </message>
    <message>
        <source>登记未完成：意外错误（{kind}），本站的登记没有改变。</source>
        <translation>Enrolment not completed: unexpected error ({kind}); the station's enrolment is unchanged.</translation>
    </message>
    <message>
        <source>操作未完成，出现意外错误（{kind}）。数据库未被修改。</source>
        <translation>The operation did not finish: an unexpected error occurred ({kind}). The database was not changed.</translation>
    </message>
    <message>
        <source>本单位信息用于工作台汇总、申领编号和申领表。</source>
        <translation>The station profile is used by the dashboard, claim numbers and claim forms.</translation>
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
        <source>本站信息</source>
        <translation>Station profile</translation>
    </message>
    <message>
        <source>首次使用 — 设置本单位</source>
        <translation>First run — set up your organisation</translation>
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
        <source>联系电话</source>
        <translation>Phone</translation>
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
        <source>开始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <source>满期日</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>涉及金额</source>
        <translation>Amount at stake</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
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
        <source>回访日期</source>
        <translation>Follow-up date</translation>
    </message>
    <message>
        <source>回访方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>回访结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>记录回访…（Enter）</source>
        <translation>Record follow-up… (Enter)</translation>
    </message>
    <message>
        <source>在岗·今天·电话（Ctrl+Enter）</source>
        <translation>Employed · today · phone (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>暂无待回访人员</source>
        <translation>No follow-ups due</translation>
    </message>
    <message>
        <source>未登记</source>
        <translation>Not recorded</translation>
    </message>
    <message>
        <source>已记录：{name} {day} {method} {result}</source>
        <translation>Recorded: {name} {day} {method} {result}</translation>
    </message>
    <message>
        <source>已记录回访</source>
        <translation>Follow-up recorded</translation>
    </message>
    <message>
        <source>{employer}，{start}起</source>
        <translation>{employer}, from {start}</translation>
    </message>
    <message>
        <source>　（待回访{count}人）</source>
        <translation>  ({count} to follow up)</translation>
    </message>
    <message>
        <source>{name}（已停用的旧代码）</source>
        <translation>{name} (old code, no longer in use)</translation>
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
        <source>同步登记(&amp;S)…</source>
        <translation>&amp;Sync enrolment…</translation>
    </message>
    <message>
        <source>本站信息(&amp;I)…</source>
        <translation>Station &amp;profile…</translation>
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
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>所在县</source>
        <translation>County</translation>
    </message>
    <message>
        <source>联系方式</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>新增组织</source>
        <translation>New organisation</translation>
    </message>
    <message>
        <source>如：Z01，与导入表“组织”页的编号一致</source>
        <translation>e.g. Z01, the same code as on the import workbook's 组织 sheet</translation>
    </message>
    <message>
        <source>如：中卫市某某劳务服务有限公司</source>
        <translation>e.g. Zhongwei Example Labour Services Co., Ltd.</translation>
    </message>
    <message>
        <source>编号(&amp;D)</source>
        <translation>Co&amp;de</translation>
    </message>
    <message>
        <source>类型(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <source>名称(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>新增组织…</source>
        <translation>New organisation…</translation>
    </message>
    <message>
        <source>（本站）</source>
        <translation> (this station)</translation>
    </message>
    <message>
        <source>共 {count} 个组织</source>
        <translation>{count} organisations</translation>
    </message>
    <message>
        <source>计算补贴</source>
        <translation>Computing subsidies</translation>
    </message>
    <message>
        <source>计算失败：{error}</source>
        <translation>Computation failed: {error}</translation>
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
        <source>合同开始日期</source>
        <translation>Contract start</translation>
    </message>
    <message>
        <source>合同结束日期</source>
        <translation>Contract end</translation>
    </message>
    <message>
        <source>请填写合同结束日期，或勾选“无固定期限”</source>
        <translation>Enter the contract end date, or tick “Open-ended”</translation>
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
        <source>固定期限，至</source>
        <translation>Fixed term, until</translation>
    </message>
    <message>
        <source>无固定期限</source>
        <translation>Open-ended</translation>
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
        <source>应享</source>
        <translation>Entitled</translation>
    </message>
    <message>
        <source>已申领</source>
        <translation>Claimed</translation>
    </message>
    <message>
        <source>本次应付</source>
        <translation>Due now</translation>
    </message>
    <message>
        <source>全部项目</source>
        <translation>All items</translation>
    </message>
    <message>
        <source>全部年度</source>
        <translation>All years</translation>
    </message>
    <message>
        <source>选中一行，查看计算理由</source>
        <translation>Select a row to see how it was computed</translation>
    </message>
    <message>
        <source>应享 {entitlement}，已申领 {claimed}，本次应付 {amount}</source>
        <translation>Entitled {entitlement}, claimed {claimed}, due now {amount}</translation>
    </message>
    <message>
        <source>共 {count} 条，本次应付合计 {money}</source>
        <translation>{count} row(s), due now in total {money}</translation>
    </message>
    <message>
        <source>意外错误（{kind}）</source>
        <translation>unexpected error ({kind})</translation>
    </message>
    <message>
        <source>不到 1 分钟</source>
        <translation>less than a minute</translation>
    </message>
    <message>
        <source>约 {hours} 小时</source>
        <translation>about {hours} h</translation>
    </message>
    <message>
        <source>同步状态读取中…</source>
        <translation>Reading sync status…</translation>
    </message>
    <message>
        <source>未启用同步</source>
        <translation>Sync not enabled</translation>
    </message>
    <message>
        <source>本站尚未登记同步。在“文件 → 同步登记…”中导入市里发放的登记文件后，数据会在联网时自动发送到市里。</source>
        <translation>This station is not enrolled for sync. Import the city's enrolment file under “File → Sync enrolment…”; data is then sent to the city automatically whenever the station is online.</translation>
    </message>
    <message>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <source>所有记录都已由市里确认收到。</source>
        <translation>The city has confirmed receipt of every record.</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>约 {minutes} 分钟</source>
        <translation>about {minutes} min</translation>
    </message>
    <message>
        <source>这些记录尚未得到市里的回执，联网时会自动发送。</source>
        <translation>The city has not yet confirmed these records; they are sent automatically when online.</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>现在就向市里发送待发送的记录（不等自动重试）</source>
        <translation>Send the waiting records to the city now (without waiting for the automatic retry)</translation>
    </message>
    <message>
        <source>同步登记…</source>
        <translation>Enrol for sync…</translation>
    </message>
    <message>
        <source>导入市里发放的登记文件，启用同步</source>
        <translation>Import the city's enrolment file to turn sync on</translation>
    </message>
    <message>
        <source>已同步（{when}）</source>
        <translation>Synced ({when})</translation>
    </message>
    <message>
        <source>待发送 {count} 条</source>
        <translation>{count} to send</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>原因不明</source>
        <translation>reason unknown</translation>
    </message>
    <message>
        <source>下次自动尝试：{when}</source>
        <translation>Next automatic attempt: {when}</translation>
    </message>
    <message>
        <source>上次同步成功：{when}</source>
        <translation>Last successful sync: {when}</translation>
    </message>
    <message>
        <source>离线（即将重试）</source>
        <translation>Offline (retrying shortly)</translation>
    </message>
    <message>
        <source>出错：{reason}</source>
        <translation>Error: {reason}</translation>
    </message>
    <message>
        <source>正在发送 {count} 条…</source>
        <translation>Sending {count}…</translation>
    </message>
    <message>
        <source>离线：{reason}</source>
        <translation>Offline: {reason}</translation>
    </message>
    <message>
        <source>离线（{wait}后重试）</source>
        <translation>Offline (retry in {wait})</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
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
        <source>农村户籍</source>
        <translation>Rural hukou</translation>
    </message>
    <message>
        <source>重点群体</source>
        <translation>Target groups</translation>
    </message>
    <message>
        <source>月工资</source>
        <translation>Monthly wage</translation>
    </message>
    <message>
        <source>待发送</source>
        <translation>Waiting to send</translation>
    </message>
    <message>
        <source>被拒</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
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
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
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
        <source>变更内容</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>被拒（{reason}）</source>
        <translation>Refused ({reason})</translation>
    </message>
    <message>
        <source>同户籍</source>
        <translation>Same as household registration</translation>
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
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>End</translation>
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
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>市里意见：{notices}</source>
        <translation>City's notice: {notices}</translation>
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
        <source>{money} 元</source>
        <translation>{money} yuan</translation>
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
