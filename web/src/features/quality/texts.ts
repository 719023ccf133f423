// Quality review's texts (质检): the samples, their scoring, each agent's month, the sheets, one's own reviews.
import type { Texts } from '../../shared/i18n/en';

export const qualityZh = {
  section: '质检', mine: '我的质检',
  month: '月份', views: { reviews: '抽样质检', scores: '质检成绩', sheets: '评分表' },
  hint: '每月为每位话务员抽取工单和通话：被单位退回并经热线改派（误派）或重办的工单全部抽取，其余按数量随机抽取。质检员按评分表打分并写评语，话务员可在“我的质检”中查看。',
  draw: { orders: '每人随机抽工单', calls: '每人随机抽通话', submit: '抽样', done: '本次新增：随机工单 {{random}} 件，通话 {{calls}} 通，误派 {{misrouted}} 件，重办 {{reopened}} 件（共 {{agents}} 位话务员）',
    hint: '再次抽样只补足差额，不会重复抽取同一件' },
  filters: { state: '状态', anyState: '全部状态', reason: '抽样原因', anyReason: '全部原因' },
  states: { pending: '待质检', reviewed: '已质检' },
  reasons: { random: '随机抽取', misrouted: '误派（退单改派）', reopened: '重办' },
  kinds: { order: '工单', call: '通话' },
  columns: { agent: '话务员', subject: '质检对象', reasons: '抽样原因', workAt: '受理时间', state: '状态', score: '得分', reviewer: '质检员' },
  total: '共 {{count}} 件', empty: '本月还没有抽样', emptyHint: '选择抽样数量后点击“抽样”', noneMatch: '没有符合条件的抽样',
  review: {
    title: '质检 · {{agent}}', subject: '质检对象', openOrder: '打开工单详情', callId: '通话编号 {{id}}', openCall: '打开通话详情（通话过程与录音编号）',
    sheet: '评分表', noSheet: '还没有可用的评分表：请先在“评分表”中新建', item: '{{label}}（满分 {{max}}）', total: '合计 {{score}} / {{max}}',
    comment: '评语', commentHint: '写明扣分原因和改进建议，话务员会看到', save: '保存评分', saved: '已保存评分', rescore: '重新评分',
    own: '这是您本人的工作，须由其他质检员评分', readOnly: '只有班长（质检员）可以评分', reviewedBy: '{{reviewer}} 于 {{time}} 评分',
    scoredOn: '评分表：{{sheet}}',
  },
  scores: {
    hint: '每位话务员本月的抽样与质检结果；各评分项为该项平均得分占满分的比例。', drawn: '抽样', reviewed: '已质检', misrouted: '误派', reopened: '重办',
    average: '平均得分', lowest: '最低得分', empty: '本月还没有质检结果', export: '导出 Excel', exported: '已导出 {{file}}',
  },
  sheets: {
    hint: '评分表由热线自行制定。已用于评分的评分表不再修改：修订会生成新版本并停用旧版本，已有评分保留原评分表。',
    create: '新建评分表', revise: '修订', retire: '停用', retired: '已停用', active: '使用中', retireConfirm: '停用后不能再用它评分，已有的评分不受影响。确定停用？',
    name: '名称', items: '评分项', label: '评分项', max: '满分', guide: '评分要点', addItem: '添加评分项', removeItem: '删除', total: '满分合计 {{total}}',
    saved: '已保存评分表', empty: '还没有评分表', createdAt: '建立于 {{time}}', nameRequired: '请填写名称', labelRequired: '请填写评分项', maxRequired: '请填写满分',
  },
  my: {
    hint: '班长（质检员）对您本月工单和通话的质检结果。只显示已评分的记录。', average: '本月平均得分', reviewed: '已质检 {{count}} 件',
    empty: '本月还没有您的质检结果', comment: '评语', item: '评分项', score: '得分',
  },
  percent: '{{value}}%',
};

export const qualityEn: Texts<typeof qualityZh> = {
  section: 'Quality', mine: 'My reviews',
  month: 'Month', views: { reviews: 'Samples', scores: 'Scores', sheets: 'Scoring sheets' },
  hint: "Each month, a sample of every agent's orders and calls: every order a unit returned that the hotline sent elsewhere (mis-routed) or reopened, and a random sample of the rest. Reviewers score them on a sheet with a comment; agents read theirs under “My reviews”.",
  draw: { orders: 'Random orders per agent', calls: 'Random calls per agent', submit: 'Draw', done: 'Added: {{random}} random orders, {{calls}} calls, {{misrouted}} mis-routed, {{reopened}} reopened ({{agents}} agents)',
    hint: 'Drawing again only tops up, never the same order twice' },
  filters: { state: 'State', anyState: 'Any state', reason: 'Drawn for', anyReason: 'Any reason' },
  states: { pending: 'To review', reviewed: 'Reviewed' },
  reasons: { random: 'Random', misrouted: 'Mis-routed (returned, sent elsewhere)', reopened: 'Reopened' },
  kinds: { order: 'Order', call: 'Call' },
  columns: { agent: 'Agent', subject: 'Subject', reasons: 'Drawn for', workAt: 'Handled', state: 'State', score: 'Score', reviewer: 'Reviewer' },
  total: '{{count}} samples', empty: 'Nothing drawn this month', emptyHint: 'Choose how many and press “Draw”', noneMatch: 'No sample matches',
  review: {
    title: 'Review · {{agent}}', subject: 'Subject', openOrder: 'Open the order', callId: 'Call {{id}}', openCall: 'Open the call (its course and recording)',
    sheet: 'Scoring sheet', noSheet: 'No active scoring sheet yet: create one under “Scoring sheets”', item: '{{label}} (of {{max}})', total: 'Total {{score}} / {{max}}',
    comment: 'Comment', commentHint: 'Say what lost points and how to improve: the agent reads it', save: 'Save scores', saved: 'Scores saved', rescore: 'Score again',
    own: 'This is your own work: another reviewer scores it', readOnly: 'Only team leads (reviewers) score', reviewedBy: 'Scored by {{reviewer}} on {{time}}',
    scoredOn: 'Sheet: {{sheet}}',
  },
  scores: {
    hint: "Each agent's samples and reviews this month; each item is its average score as a share of its most.", drawn: 'Drawn', reviewed: 'Reviewed', misrouted: 'Mis-routed', reopened: 'Reopened',
    average: 'Average', lowest: 'Lowest', empty: 'No review this month yet', export: 'Export to Excel', exported: 'Exported {{file}}',
  },
  sheets: {
    hint: 'The hotline writes its own sheets. A sheet used for scores is never changed: a revision makes a new version and retires the old; earlier scores keep their sheet.',
    create: 'New sheet', revise: 'Revise', retire: 'Retire', retired: 'Retired', active: 'In use', retireConfirm: 'A retired sheet cannot be used for new scores; earlier scores stay. Retire it?',
    name: 'Name', items: 'Items', label: 'Item', max: 'Most', guide: 'What to look for', addItem: 'Add an item', removeItem: 'Remove', total: 'Most in all {{total}}',
    saved: 'Sheet saved', empty: 'No scoring sheet yet', createdAt: 'Created {{time}}', nameRequired: 'Give it a name', labelRequired: 'Name the item', maxRequired: 'Give its most',
  },
  my: {
    hint: 'The reviews of your orders and calls this month by team leads (reviewers). Only scored reviews show.', average: 'Average this month', reviewed: '{{count}} reviewed',
    empty: 'No review of your work this month yet', comment: 'Comment', item: 'Item', score: 'Score',
  },
  percent: '{{value}}%',
};
