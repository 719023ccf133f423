// The administration's texts: the frame's here, each group of sections' beside its code.
import type { Texts } from '../../shared/i18n/en';
import { peopleEn, peopleZh } from './people/texts';
import { rulesEn, rulesZh } from './rules/texts';

export const adminZh = {
  sections: {
    units: '单位', staff: '人员', keys: '接口密钥', webhooks: '推送接口', audit: '审计日志',
    taxonomy: '分类体系', settings: '时限设置', calendar: '节假日', classifier: '智能分类', channels: '渠道统计',
  },
  channels: {
    hint: '市民自行来信的各渠道收到的消息及其结果：受理、重复投递（不再立单）、拒收及原因；以及发给市民的消息。坐席登记的电话工单和接口工单计入工单统计。',
    period: '统计期间', today: '今天', week: '近 7 天', month: '近 30 天', channel: '渠道', received: '收到', accepted: '受理',
    duplicate: '重复投递', refused: '拒收', sent: '已发送', failed: '发送失败', refusals: '拒收原因（错误代码 × 次数）',
  },
  people: peopleZh,
  rules: rulesZh,
};

export const adminEn: Texts<typeof adminZh> = {
  sections: {
    units: 'Units', staff: 'Staff', keys: 'API keys', webhooks: 'Webhooks', audit: 'Audit log',
    taxonomy: 'Category tree', settings: 'Deadlines', calendar: 'Holidays', classifier: 'Classifier', channels: 'Channels',
  },
  channels: {
    hint: "What each channel citizens write on themselves received and what became of it: accepted, delivered again (no second order), refused and why; and the messages sent to citizens. Orders agents register from calls, and those of external systems (API), are counted in the order statistics.",
    period: 'Period', today: 'Today', week: 'Last 7 days', month: 'Last 30 days', channel: 'Channel', received: 'Received', accepted: 'Accepted',
    duplicate: 'Delivered again', refused: 'Refused', sent: 'Sent', failed: 'Failed', refusals: 'Refusals (error code × count)',
  },
  people: peopleEn,
  rules: rulesEn,
};
