// The early warnings' texts (突发事件预警).
import type { Texts } from '../../shared/i18n/en';

export const warningsZh = {
  hint: '同一社区（或街道）同一类事项的来电在一小时内明显多于该地历史水平时自动预警，后续同类来电并入同一预警。新预警实时出现，无需刷新。',
  handledBy: '由督办员、班长或领导确认和关闭；来电人问及此事时，可告知已在处理。',
  active: '待处理', closed: '已关闭', all: '全部',
  status: { open: '待确认', acknowledged: '已确认', closed: '已关闭' },
  place: '地点', matter: '事项', reports: '来电数', firstReport: '首次来电', crossedAt: '越线来电', raisedAt: '预警时间', lastReport: '最近来电',
  expected: '依历史预计（高峰一小时内）', probability: '出现这么多来电的概率', details: '详情', reportsTitle: '并入的来电（{{count}} 件）',
  acknowledge: '确认', acknowledgeNote: '处置说明', acknowledged: '已确认', acknowledgedBy: '确认', close: '关闭预警', closedBy: '关闭',
  outcome: '结论', chooseOutcome: '关闭前请选择结论', outcomes: { confirmed: '属实（突发事件）', false_alarm: '误报' }, outcomeNote: '查明情况与处置结果', closedDone: '预警已关闭',
  empty: '没有待处理的预警', emptyClosed: '没有已关闭的预警', at: '{{name}}，{{time}}', registeredAt: '来电时间', withNote: '{{what}}：{{note}}',
  expectedUnder: '不到 0.01 件', expectedCount: '{{count}} 件',
  chanceTiny: '低于百万分之一', chanceOneIn: '约{{n}}分之一', chancePercent: '约 {{percent}}',
};

export const warningsEn: Texts<typeof warningsZh> = {
  hint: 'Raised when one matter is reported from one community (or street) within an hour far more often than that place\'s history predicts; later reports join the same warning. New warnings appear live, without a reload.',
  handledBy: 'A supervisor, team lead or leader acknowledges and closes it; a caller who asks about it can be told it is in hand.',
  active: 'To handle', closed: 'Closed', all: 'All',
  status: { open: 'Open', acknowledged: 'Acknowledged', closed: 'Closed' },
  place: 'Place', matter: 'Matter', reports: 'Reports', firstReport: 'First report', crossedAt: 'Crossing report', raisedAt: 'Raised', lastReport: 'Latest report',
  expected: 'Expected from history (the busiest hour)', probability: 'Chance of as many reports', details: 'Details', reportsTitle: 'Reports joined ({{count}})',
  acknowledge: 'Acknowledge', acknowledgeNote: 'What is being done', acknowledged: 'Acknowledged', acknowledgedBy: 'Acknowledged', close: 'Close the warning', closedBy: 'Closed',
  outcome: 'Outcome', chooseOutcome: 'Choose the outcome before closing', outcomes: { confirmed: 'Confirmed (an incident)', false_alarm: 'False alarm' }, outcomeNote: 'What was found and done', closedDone: 'The warning is closed',
  empty: 'No warning to handle', emptyClosed: 'No closed warning', at: '{{name}}, {{time}}', registeredAt: 'Registered', withNote: '{{what}}: {{note}}',
  expectedUnder: 'under 0.01', expectedCount: '{{count}}',
  chanceTiny: 'less than one in a million', chanceOneIn: 'about one in {{n}}', chancePercent: 'about {{percent}}',
};
