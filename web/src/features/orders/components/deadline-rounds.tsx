// The order's rounds (a dispatch, or a reopening), each with its sign, reply and close deadlines:
// when due, and whether met on time, late, warned or overdue; extensions, pauses, urges, escalation.
import { Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormatTime } from '../../../shared/format';
import { TONES, ToneTag } from '../../../shared/orders/order-table';
import type { Round } from '../api/order-insights';

type Deadline = Round['deadlines']['sign'];

function DeadlineCell({ deadline, active }: { deadline: Deadline; active: boolean }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [tone, label] = deadline.metAt
    ? deadline.onTime ? [TONES.success, t('deadline.met')] : [TONES.danger, t('deadline.metLate')]
    : deadline.overdueAt ? [TONES.danger, t('deadline.overdue')]
      : deadline.warnedAt ? [TONES.warning, t('deadline.warning')]
        : [TONES.neutral, active ? t('deadline.on_time') : t('deadline.notMet')];
  return (
    <Space direction="vertical" size={0}>
      <span><ToneTag tone={tone}>{label}</ToneTag></span>
      <Typography.Text type="secondary">{t('deadline.due', { at: when(deadline.dueAt) })}</Typography.Text>
      {deadline.metAt && <Typography.Text type="secondary">{t('deadline.metAt', { at: when(deadline.metAt) })}</Typography.Text>}
    </Space>
  );
}

export function DeadlineRounds({ rounds }: { rounds: Round[] }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const cell = (kind: 'sign' | 'reply' | 'close') => (_: unknown, r: Round) => <DeadlineCell deadline={r.deadlines[kind]} active={r.status === 'active'} />;
  return (
    <Table<Round> rowKey="round" size="small" pagination={false} dataSource={rounds} scroll={{ x: 900 }}
      columns={[
        { title: t('rounds.round'), dataIndex: 'round', render: (n: number, r) => t(`rounds.${r.cause}`, { n }) },
        { title: t('order.leadUnit'), dataIndex: ['unit', 'name'] },
        { title: t('rounds.startedAt'), dataIndex: 'startedAt', render: when },
        { title: t('supervision.sign'), key: 'sign', render: cell('sign') },
        { title: t('supervision.reply'), key: 'reply', render: cell('reply') },
        { title: t('supervision.close'), key: 'close', render: cell('close') },
        { title: t('rounds.notes'), key: 'notes', render: (_: unknown, r) => (
          <Space direction="vertical" size={0}>
            {r.extensionDays > 0 && <span>{t('rounds.extended', { days: r.extensionDays })}</span>}
            {r.pausedAt && <span>{t('rounds.paused', { at: when(r.pausedAt) })}</span>}
            {r.returnedAt && <span>{t('rounds.returned', { at: when(r.returnedAt) })}</span>}
            {r.urged > 0 && <span>{t('rounds.urged', { count: r.urged })}</span>}
            {r.escalatedAt && <span>{t('rounds.escalated', { at: when(r.escalatedAt) })}</span>}
            {r.basis === 'hours' && <span>{t('rounds.hours')}</span>}
          </Space>
        ) },
      ]} />
  );
}
