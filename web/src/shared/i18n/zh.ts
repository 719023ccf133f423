// 简体中文: the interface's first language. en.ts must have every key (its type says so). The
// administration's sections keep their texts beside them (features/admin/*/texts.ts).
import { adminZh } from '../../features/admin/texts';
import { portalZh } from '../../features/portal/texts';
import { warningsZh } from '../../features/warnings/texts';
import { callsZh } from '../../features/calls/texts';
import { qualityZh } from '../../features/quality/texts';
import { knowledgeZh } from '../../features/knowledge/texts';
import { surveysZh } from '../../features/surveys/texts';
import { analyticsZh } from '../../features/analytics/texts';
import { screenZh } from '../../features/analytics/screen/texts';

export const zh = {
  admin: adminZh,
  portal: portalZh,
  warnings: warningsZh,
  calls: callsZh,
  quality: qualityZh,
  knowledge: knowledgeZh,
  surveys: surveysZh,
  analytics: analyticsZh,
  screen: screenZh,
  app: { name: '民声 · 12345 市民服务热线', signOut: '退出登录', language: 'English', notFound: '没有这个页面', home: '回到首页' },
  menu: { dispatch: '派单', intake: '受理登记', inbox: '承办工作台', supervision: '督办', visits: '回访', orders: '工单查询', calls: '通话记录', callCentre: '话务', assessment: '考核', admin: '系统管理', warnings: '突发预警', analytics: '数据分析', screen: '数据大屏', knowledge: '知识库', surveys: '民意调查' },
  units: { searchHint: '输入单位名称查找', none: '没有找到这个单位', leadNotCo: '主办单位不能同时是协办单位' },
  channels: { phone: '电话', sms: '短信', web: '网站（市长信箱）', weibo: '微博', wechat: '微信', app: '移动应用', api: '接口', open311: 'Open311 接口' },
  dispatchQueue: { hint: '已登记、尚未派单或直接办理的工单，等得最久的在前；新登记的工单自动出现。', empty: '没有待派的工单', emptyHint: '坐席登记的工单会自动出现在这里', waited: '已等待', minutes: '{{count}} 分钟', hours: '{{hours}} 小时 {{minutes}} 分钟' },
  visits: {
    queue: '待回访', toConfirm: '待确认（未解决或不满意）', call: '回访电话', answer: '办理答复', attempts: '已拨打', record: '记录结果',
    unreached: '未接通', decide: '处理', decision: '处理方式', comment: '市民意见', hotline: '热线直接办理', recorded: '已记录',
    empty: '现在没有需要回访的市民', noneToConfirm: '没有待确认的回访结果',
    script: '您好，这里是12345热线。您反映的问题已由{{unit}}办理，答复是：“{{answer}}”。请问问题解决了吗？您对办理结果满意、基本满意还是不满意？',
  },
  supervision: {
    overdueOrders: '超期工单', warnedOrders: '预警工单', extensions: '延期申请', returns: '退单仲裁', units: '各单位',
    deadline: '时限', sign: '签收', reply: '答复', close: '办结', requestedAt: '申请时间', active: '在办', warning: '预警', overdue: '超期',
    extensionPending: '待批延期', noOverdue: '没有超期工单', noWarnings: '没有预警工单', nothingToDecide: '没有待处理的申请',
  },
  intake: { unitByChoice: '按所选分类与地点派给对口单位',  placeHint: '输入区县、街道或社区名称', noPlace: '没有这个地名',  choices: '可选分类', similar: '相似工单（近一年）', similarHint: '输入诉求内容后，这里列出相似的工单：可能是重复来电，或有可参考的答复', mine: '我最近登记的工单', noneYet: '本班次还没有登记工单',  dispatch: '登记并派单', answer: '直接办理', registerOnly: '仅登记', answerText: '直接答复内容（直接办理时填写）', answerNeeded: '直接办理须填写答复内容', noUnit: '没有可派的承办单位：请在工单页选择', unitHint: '不选则派给系统按分类与地点建议的单位', history: '来电记录', firstCall: '首次来电', earlier: '此前来电 {{count}} 件，其中办理中 {{open}} 件',
    warningsHere: '来电地点有进行中的突发预警', warningHere: '{{place}} · {{matter}} · 已有 {{reports}} 件诉求，首报 {{first}}', warningOrder: '引发预警的工单',
    warningHint: '同一事件的诉求：可告知市民已在处理；登记后可在工单页并入已有工单。' },
  assessment: {
    month: '考核月份', level: '层级', group: '所属', export: '导出 Excel', exported: '已导出 {{file}}', rank: '排名', unit: '单位', score: '得分',
    empty: '本月还没有派给单位的工单：考核从派单开始计数', noRate: '没有可计的件数', scores: '{{group}}得分', trend: '{{unit}}近六个月',
    trendHint: '点击表格中的单位查看它的变化', ordersBehind: '{{unit}} · {{figure}}', weights: '权重：响应 {{response}} · 按时答复 {{onTimeReply}} · 解决 {{resolution}} · 满意 {{satisfaction}}',
    chartScores: '{{group}}各单位得分，第一名{{first}}（{{score}} 分）', chartTrend: '{{unit}}近六个月的得分与比率',
    levels: { leader: '市领导', department: '市直部门', district: '区县', street: '街道（镇）', community: '社区（村）', hotline: '热线中心' },
    rates: { responseRate: '响应率', onTimeReplyRate: '按时答复率', resolutionRate: '解决率', satisfactionRate: '满意率' },
    figures: {
      received: '派单数', returnUpheld: '退单（成立）', returnRejected: '退单（驳回）', accountable: '考核件数', signedOnTime: '按时签收', replied: '已答复',
      repliedOnTime: '按时答复', overdue: '超期', extended: '延期', paused: '暂停计时', urged: '被催办', escalated: '被督办', reopened: '重办',
      visited: '回访接通', unreachable: '回访未接通', solved: '已解决', satisfied: '满意', basicallySatisfied: '基本满意', unsatisfied: '不满意',
    },
    round: '轮次', startedAt: '派单时间', signedAt: '签收时间', repliedAt: '答复时间', replyDueAt: '答复时限', visit: '回访结果',
  },
  seat: {
    label: '坐席', at: '坐席 {{seat}}', extension: '分机号', signIn: '签入坐席', signOut: '签出', state: '坐席状态', since: '自 {{time}}',
    states: { ready: '就绪', not_ready: '未就绪', after_call_work: '话后处理', signed_out: '已签出' }, notReadyFor: '未就绪 · {{reason}}',
    reasons: { break: '小休', meal: '用餐', training: '培训', meeting: '会议' }, extensionInvalid: '请输入分机号（数字或字母）',
  },
  callPop: {
    title: '来电', talking: '通话中', ended: '已挂机', endedHint: '来电人已挂机：表单保留，请完成登记。', withheld: '号码未显示', seat: '分机 {{seat}}',
    days30: '近 30 天', days365: '近一年', all: '累计', atLeast: '超过 {{count}} 件', open: '办理中', dissatisfied: '曾不满意', items: '{{count}} 件',
    confidential: '注意保密：该来电人此前有 {{count}} 件诉求要求保密', confidentialHint: '请勿向他人透露其身份和诉求；登记本次诉求时请询问是否需要保密。',
    latest: '最近的诉求', firstCall: '此前没有诉求记录：首次来电', close: '关闭弹屏', linked: '本次登记的工单将关联到这通电话',
    broughtHere: '来电已接听：已为您打开受理登记',
  },
  shortcuts: {
    title: '快捷键', keys: '按键', what: '作用', search: '跳到本页的搜索框', dispatch: '受理页：登记并派单', answer: '受理页：登记并直接办理',
    close: '关闭对话框或下拉列表', help: '显示本列表',
  },
  notices: { title: '通知', unread: '通知，{{count}} 条未读', none: '没有未读通知', markRead: '已读', report: '分析报告 {{period}}', quality: '我的质检 {{month}}' },
  deadline: { on_time: '时限内', warning: '即将超期', overdue: '已超期', paused: '已暂停计时', met: '按时完成', metLate: '超时完成', notMet: '未完成', due: '时限 {{at}}', metAt: '完成 {{at}}' },
  rounds: {
    title: '办理轮次与时限', round: '轮次', dispatch: '第 {{n}} 轮 · 派单', reopen: '第 {{n}} 轮 · 重办', startedAt: '开始时间', notes: '情况',
    extended: '延期 {{days}} 个工作日', paused: '暂停计时中（自 {{at}}）', returned: '退单于 {{at}}', urged: '被催办 {{count}} 次',
    escalated: '督办升级于 {{at}}', hours: '按小时计时（紧急）',
  },
  insight: {
    suggestion: '智能分类建议', similar: '相似工单', confidence: '置信度 {{p}}', lowConfidence: '置信度低，请人工确认', evidence: '依据',
    alternatives: '其他可能的分类', choice: '坐席选择', accepted: '采纳建议', corrected: '改为 {{chosen}}', notDecided: '尚未派单或直接办理',
    noSuggestion: '这件工单登记时没有分类建议', noSimilar: '近一年没有相似的工单', shared: '共同词：{{terms}}',
    likelyDuplicate: '疑似重复', mergeInto: '合并到此件', mergeConfirm: '把本工单作为重复件合并到 {{no}}？合并后由该工单统一办理，本件市民会收到该工单的办理结果。',
    mergeTarget: '合并到', mergeTargetHint: '从相似工单中选择，或输入工单编号',
    citizen: '反映人历史', citizenCounts: '近 30 天 {{d30}} 件 · 近 90 天 {{d90}} 件 · 近一年 {{d365}} 件 · 共 {{all}} 件（含本件），未办结 {{open}} 件',
    citizenKnownBy: '识别依据', citizenChannels: '来源渠道', citizenChannelCount: '{{channel}} {{count}} 件', citizenChannelJoin: '；', citizenPhone: '电话 {{phone}}', citizenIdentity: '{{channel}}账号', citizenNone: '没有这位反映人的其他诉求',
    citizenUnknown: '本件没有可识别的反映人（无电话、无渠道账号）', citizenHidden: '本件为保密件，反映人及其历史不向您显示',
    citizenSharedPhone: '此号码被多个账号使用（如单位总机、商户），不据此识别', citizenNotListed: '其他诉求仅向可查看市民完整信息的岗位列出',
  },
  events: {
    registered: '登记', updated: '修改', dispatched: '派单', answered_directly: '直接办理', signed: '签收',
    returned: '退单', return_rejected: '驳回退单', passed_down: '二级派单', extension_requested: '申请延期',
    extension_approved: '批准延期', extension_denied: '驳回延期', clock_paused: '暂停计时', clock_resumed: '恢复计时',
    co_replied: '协办答复', replied: '答复', visit_attempted: '回访未接通', visit_recorded: '抽样回访（直接办理件）', supplemented: '市民补充',
    visited: '回访', closed: '办结', reopened: '重新办理', urged: '催办', escalated: '督办升级',
    deadline_warning: '时限预警', overdue: '超期', merged: '合并', duplicate_merged: '并入重复件',
    cancelled: '作废', archived: '归档',
  },
  signin: {
    title: '登录', username: '用户名', password: '密码', submit: '登录',
    usernameRequired: '请输入用户名', passwordRequired: '请输入密码',
  },
  common: { total: '共 {{count}} 件', totalAtLeast: '超过 {{count}} 件', loading: '加载中…', retry: '重试', submit: '提交', cancel: '取消', search: '搜索', all: '全部' },
  messages: {
    title: '告知市民',
    kind: { intake: '受理回执', reply: '答复提醒', survey: '满意度调查' },
    status: { pending: '待发送', sending: '发送中', sent: '已发送', failed: '发送失败', unknown: '结果未知（不重发）', expired: '已过期未发' },
    answered: '市民 {{at}} 已回复',
  },
  order: {
    coUnits: '协办单位', coHint: '可选：与主办单位一同办理的单位',
    attachments: '附件', download: '下载 {{name}}', trackingNo: '工单编号', title: '标题', body: '诉求内容', state: '状态', leadUnit: '承办单位', createdAt: '登记时间', channel: '来源渠道',
    requestType: '诉求类型', category: '分类', citizen: '市民', phone: '电话', address: '地址', place: '诉求地点', urgency: '紧急程度',
    confidential: '保密', timeline: '办理过程', noTimeline: '此工单随历史数据导入，没有逐条的办理记录。', supplementImage: '市民发来的图片', supplementPlace: '市民发来的位置', actions: '可执行的操作', noActions: '当前没有您可以执行的操作',
    reason: '原因', text: '内容', unit: '派往单位', days: '延期工作日', solved: '问题已解决', satisfaction: '满意度', done: '已完成：{{action}}',
    notFound: '工单不存在，或不在您的查看范围内', urgent: '紧急', normal: '一般', deadlines: '时限',
  },
  list: {
    drill: '{{place}} · {{from}} 至 {{to}}', drillInvalid: '此链接的筛选条件无法识别，未列出工单', drillClear: '查看全部工单',
    search: '标题、内容或工单编号', phone: '来电号码（可输后四位）', open: '办理中', closed: '已办结', empty: '没有符合条件的工单',
    emptyHint: '换个关键词，或清除筛选条件再试', inboxNone: '没有“{{status}}”的工单', inboxNoneHint: '选“全部”查看本单位的所有在办工单', inboxEmpty: '暂无待办工单', inboxHint: '新派给本单位的工单会自动出现在这里',
  },
  satisfaction: { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' },
  states: {
    registered: '已登记', dispatched: '已派单', signed: '已签收', returned: '已退回', replied: '已答复', visited: '已回访',
    closed: '已办结', merged: '已合并', cancelled: '已作废', archived: '已归档',
  },
  actions: {
    answer_directly: '直接办理', dispatch: '派单', sign: '签收', return: '退单', reject_return: '驳回退单', pass_down: '二级派单',
    request_extension: '申请延期', approve_extension: '批准延期', deny_extension: '驳回延期', pause_clock: '暂停计时', resume_clock: '恢复计时',
    co_reply: '协办答复', reply: '答复', return_visit: '回访', close: '办结', reopen: '重新办理', urge: '催办', escalate: '督办升级',
    merge: '合并', cancel: '作废', archive: '归档',
  },
};
