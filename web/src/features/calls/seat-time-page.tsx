// 坐席工时: each agent's time at their seat over a period (today unless chosen): signed in, ready,
// not ready with its reasons, after-call work, the calls answered and their talk, and occupancy;
// each header states its definition (from the server).
import { Card, DatePicker, Empty, Flex, Form, Table, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../shared/error-notice';
import { beijingToday, percent } from '../../shared/format';
import { languageOf } from '../../shared/i18n/named';
import { useSeatTime, type AgentSeatTime, type SeatTime } from './api/get-seat-time';
import { useReasonLabel } from './components/reason-label';
import { clock } from './components/standards';

const DAY = 'YYYY-MM-DD';
type Figure = keyof SeatTime['definitions'];

/** Seconds as h:mm:ss, the hours always shown, so that the columns line up. */
const duration = (seconds: number) => clock(seconds, { hours: 'always' });

export function SeatTimePage() {
  const { t, i18n } = useTranslation();
  const lang = languageOf(i18n.language);
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [beijingToday(), beijingToday()]);
  const seatTime = useSeatTime({ from: range[0].format(DAY), to: range[1].format(DAY) });
  const s = seatTime.data;
  const reasonLabel = useReasonLabel();
  const reasons = (a: AgentSeatTime) => a.notReadyByReason.map((r) => `${reasonLabel(r.reason) ?? t('calls.seatTime.noReason')} ${duration(r.seconds)}`).join(t('calls.level.separator'));
  const header = (name: Figure) => (
    <Tooltip title={s?.definitions[name][lang]}>
      <span tabIndex={0} style={{ borderBottom: '1px dotted currentColor', cursor: 'help', whiteSpace: 'nowrap' }}>{t(`calls.seatTime.figures.${name}`)}</span>
    </Tooltip>
  );
  const time = (name: Figure) => ({ title: header(name), dataIndex: name, align: 'right' as const, render: duration });
  return (
    <Card size="small" title={t('calls.sections.seatTime')}>
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('calls.seatTime.hint')}</Typography.Text>
        <Form layout="inline">
          <Form.Item label={t('calls.level.period')} htmlFor="seat-time-period">
            <DatePicker.RangePicker id={{ start: 'seat-time-period' }} value={range} allowClear={false}
              disabledDate={(d) => d.isAfter(beijingToday(), 'day')} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
          </Form.Item>
        </Form>
        {seatTime.error && <ErrorNotice error={seatTime.error} />}
        {/* no `scroll`: its measure row would copy the focusable headers into an aria-hidden row */}
        <div style={{ overflowX: 'auto' }}>
        <Table<AgentSeatTime> rowKey="staffId" size="middle" loading={seatTime.isFetching} dataSource={s?.agents ?? []} pagination={false}
          locale={{ emptyText: <Empty description={t('calls.seatTime.empty')} /> }}
          columns={[
            { title: t('calls.seatTime.agent'), dataIndex: 'name', render: (name: string | null, a) => name ?? a.staffId },
            time('signedInSeconds'), time('readySeconds'),
            time('notReadySeconds'),
            { title: t('calls.seatTime.reasons'), key: 'reasons', render: (_: unknown, a) => reasons(a) || '—' },
            time('afterCallWorkSeconds'),
            { title: header('answered'), dataIndex: 'answered', align: 'right' },
            time('talkSeconds'),
            { title: header('occupancy'), dataIndex: 'occupancy', align: 'right', render: (v: number | null) => percent(v) },
          ]} />
        </div>
      </Flex>
    </Card>
  );
}
