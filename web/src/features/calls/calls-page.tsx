// The call records (通话记录): every call the telephony reported, newest first, with how long the
// caller waited and talked, how it ended, where it was transferred and whether an order came of it.
// Filtered by the days, the outcome, the queue and the seat; a row opens the call (call-drawer.tsx).
// Calls answered or ended follow the live stream for those who receive them (team leads). A link
// may open one call (/calls/records?call=<id>: quality review's samples do).
import { Card, DatePicker, Empty, Form, Input, Select, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorNotice } from '../../shared/error-notice';
import { beijingInstant, pagerOf, useFormatTime } from '../../shared/format';
import { useCalls, type CallFilters, type CallRow } from './api/list-calls';
import { CallDrawer } from './components/call-drawer';
import { HandlingTag, OutcomeTag, Transfers } from './components/call-tags';

const OUTCOMES = ['answered', 'transferred', 'abandoned', 'unanswered'] as const;
const seconds = (s: number | null) => (s === null ? '—' : String(Math.round(s)));

export function CallsPage() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [filters, setFilters] = useState<CallFilters>({ limit: 20, offset: 0 });
  const [period, setPeriod] = useState<[Dayjs, Dayjs] | null>(null);
  const [params] = useSearchParams();
  const [open, setOpen] = useState<string | null>(params.get('call'));
  const calls = useCalls(filters);
  const filter = (next: Partial<CallFilters>) => setFilters({ ...filters, ...next, offset: 0 });
  const p = calls.data;
  return (
    <Card title={t('menu.calls')}>
      <Typography.Paragraph type="secondary">{t('calls.hint')}</Typography.Paragraph>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t('calls.period')} htmlFor="calls-period">
          <DatePicker.RangePicker id={{ start: 'calls-period' }} value={period} onChange={(v) => {
            const range = v?.[0] && v[1] ? [v[0].startOf('day'), v[1].startOf('day')] as [Dayjs, Dayjs] : null;
            setPeriod(range);
            // the last day included
            filter({ from: range ? beijingInstant(range[0]) : undefined, to: range ? beijingInstant(range[1].add(1, 'day')) : undefined });
          }} />
        </Form.Item>
        <Form.Item>
          <Select aria-label={t('calls.outcome')} style={{ width: 130 }} value={filters.outcome ?? ''}
            options={[{ value: '', label: t('calls.anyOutcome') }, ...OUTCOMES.map((o) => ({ value: o, label: t(`calls.outcomes.${o}`) }))]}
            onChange={(o: string) => filter({ outcome: (o || undefined) as CallFilters['outcome'] })} />
        </Form.Item>
        <Form.Item>
          <Input.Search aria-label={t('calls.queueFilter')} placeholder={t('calls.queueFilter')} allowClear style={{ width: 160 }}
            onSearch={(q) => filter({ queue: q.trim() || undefined })} />
        </Form.Item>
        <Form.Item>
          <Input.Search aria-label={t('calls.seatFilter')} placeholder={t('calls.seatFilter')} allowClear style={{ width: 160 }} inputMode="numeric"
            onSearch={(s) => filter({ seat: s.trim() || undefined })} />
        </Form.Item>
      </Form>
      {calls.error && <ErrorNotice error={calls.error} />}
      <Table<CallRow> rowKey="callId" size="middle" loading={calls.isFetching} dataSource={p?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={<>{t('calls.empty')}<br /><Typography.Text type="secondary">{t('calls.emptyHint')}</Typography.Text></>} /> }}
        pagination={p && { ...pagerOf(p, (offset, limit) => setFilters({ ...filters, offset, limit })), showTotal: (n: number) =>
          t(p.totalExact ? 'calls.total' : 'calls.totalAtLeast', { count: n }), showSizeChanger: true, pageSizeOptions: [20, 50, 100] }}
        onRow={(c) => ({ onClick: () => setOpen(c.callId), style: { cursor: 'pointer' } })}
        columns={[
          // the time opens the call from the keyboard too
          { title: t('calls.offeredAt'), dataIndex: 'offeredAt', render: (at: string | null, c) => (
            <Typography.Link onClick={(e) => { e.stopPropagation(); setOpen(c.callId); }}>{when(at)}</Typography.Link>) },
          { title: t('calls.caller'), dataIndex: 'callerPhone', render: (v: string | null) => v ?? '—' },
          { title: t('calls.queue'), dataIndex: 'queue', render: (v: string | null) => v ?? '—' },
          { title: t('calls.seat'), key: 'seat', render: (_: unknown, c) => [c.seat, c.agent].filter(Boolean).join(' · ') || '—' },
          { title: t('calls.wait'), dataIndex: 'waitSeconds', align: 'right', render: seconds },
          { title: t('calls.talk'), dataIndex: 'talkSeconds', align: 'right', render: seconds },
          { title: t('calls.hold'), dataIndex: 'holdSeconds', align: 'right', render: seconds },
          { title: t('calls.outcome'), key: 'outcome', render: (_: unknown, c) => <OutcomeTag call={c} /> },
          { title: t('calls.handling'), dataIndex: 'handling', render: (h: CallRow['handling']) => <HandlingTag handling={h} /> },
          { title: t('calls.transfers'), dataIndex: 'transfers', render: (tr: CallRow['transfers']) => <Transfers transfers={tr} /> },
        ]} />
      <CallDrawer callId={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
