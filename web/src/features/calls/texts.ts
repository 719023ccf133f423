// The call records' texts (通话记录).
import type { Texts } from '../../shared/i18n/en';

export const callsZh = {
  hint: '话务系统推送的通话记录，最新的在前；列表中的来电号码已脱敏。点击一行查看通话过程、录音和这通电话登记的工单。',
  offeredAt: '来电时间', caller: '来电号码', queue: '队列', seat: '坐席 / 话务员', wait: '等待(秒)', talk: '通话(秒)', hold: '保持(秒)',
  outcome: '结果', handling: '办理', transfers: '转接', period: '来电时间范围', anyOutcome: '全部结果', queueFilter: '队列', seatFilter: '坐席分机',
  outcomes: { answered: '已接听', transferred: '已转接', abandoned: '放弃', unanswered: '未接通' },
  states: { queued: '排队中', ringing: '振铃中', talking: '通话中', held: '保持中', ended: '已结束' },
  handlings: { registered: '已登记工单', answered_directly: '直接办理' },
  transfer: { seat: '转坐席 {{value}}', queue: '转队列 {{value}}', external: '转外线 {{value}}', desk: '转{{value}}' },
  total: '共 {{count}} 通', totalAtLeast: '超过 {{count}} 通', empty: '没有符合条件的通话', emptyHint: '换个时间范围，或清除筛选条件再试',
  detail: '通话详情', callId: '通话编号', callee: '拨打号码', answeredAt: '接听时间', endedAt: '结束时间', ring: '振铃(秒)', rings: '振铃坐席数',
  endReason: '挂断方', recording: '录音', noRecording: '无录音', recordingHint: '录音保存在话务系统，此处为其编号', timeline: '通话过程',
  orders: '本次通话登记的工单', noOrders: '这通电话没有登记工单', parties: '三方通话', registeredAt: '登记时间', answeredDirectly: '直接办理',
  events: { offered: '进入队列', ringing: '振铃', not_answered: '未应答', answered: '接听', held: '保持', unheld: '恢复通话', transferred: '转接',
    joined: '三方加入', ended: '挂机', abandoned: '来电人放弃' },
  reasons: { caller: '来电人', agent: '话务员', transfer: '转接', system: '系统', timeout: '超时未接', busy: '忙', rejected: '拒接' },
  atSeat: '分机 {{seat}}', byAgent: '话务员 {{agent}}', inQueue: '队列 {{queue}}', from: '号码 {{caller}}', party: '{{party}} 加入',
};

export const callsEn: Texts<typeof callsZh> = {
  hint: 'The calls the telephony reports, newest first; the list masks the callers\' numbers. Click a row for the call\'s course, its recording and the orders registered during it.',
  offeredAt: 'Offered', caller: 'Caller', queue: 'Queue', seat: 'Seat / agent', wait: 'Wait (s)', talk: 'Talk (s)', hold: 'Hold (s)',
  outcome: 'Outcome', handling: 'Handling', transfers: 'Transfers', period: 'Offered between', anyOutcome: 'Any outcome', queueFilter: 'Queue', seatFilter: 'Seat',
  outcomes: { answered: 'Answered', transferred: 'Transferred', abandoned: 'Abandoned', unanswered: 'Not answered' },
  states: { queued: 'Queued', ringing: 'Ringing', talking: 'Talking', held: 'On hold', ended: 'Ended' },
  handlings: { registered: 'Order registered', answered_directly: 'Answered directly' },
  transfer: { seat: 'To seat {{value}}', queue: 'To queue {{value}}', external: 'To {{value}}', desk: 'To {{value}}' },
  total: '{{count}} calls', totalAtLeast: 'More than {{count}} calls', empty: 'No call matches', emptyHint: 'Try other dates, or clear the filters',
  detail: 'Call', callId: 'Call id', callee: 'Number dialled', answeredAt: 'Answered', endedAt: 'Ended', ring: 'Ringing (s)', rings: 'Seats rung',
  endReason: 'Ended by', recording: 'Recording', noRecording: 'No recording', recordingHint: 'Kept at the telephony; this is its reference', timeline: 'Course of the call',
  orders: 'Orders registered during the call', noOrders: 'No order was registered during this call', parties: 'Third parties', registeredAt: 'Registered', answeredDirectly: 'Answered directly',
  events: { offered: 'Queued', ringing: 'Ringing', not_answered: 'Not answered', answered: 'Answered', held: 'On hold', unheld: 'Off hold', transferred: 'Transferred',
    joined: 'Third party joined', ended: 'Hung up', abandoned: 'Caller gave up' },
  reasons: { caller: 'the caller', agent: 'the agent', transfer: 'transfer', system: 'the system', timeout: 'rang out', busy: 'busy', rejected: 'rejected' },
  atSeat: 'seat {{seat}}', byAgent: 'agent {{agent}}', inQueue: 'queue {{queue}}', from: 'from {{caller}}', party: '{{party}} joined',
};
