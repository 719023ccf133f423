// Each channel's counters over a period: what it received and what became of it (accepted, a
// duplicate delivery, refused and why), and what was sent back to citizens.
import { useQuery } from '@tanstack/react-query';
import { Segmented, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, type Answer } from '../../../shared/api/client';
import { ErrorNotice } from '../../../shared/error-notice';
import { beijingDate } from '../../../shared/format';
import { nameIn } from '../../../shared/i18n/named';

type Counts = Answer<'/api/v1/channels/counts', 'get'>[number];
const PERIODS = { today: 0, week: 6, month: 29 } as const;
type Period = keyof typeof PERIODS;

/** A Beijing day `back` days before today, as YYYY-MM-DD. */

export function ChannelsSection() {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<Period>('week');
  const from = beijingDate(PERIODS[period]);
  const to = beijingDate();
  const counts = useQuery({
    queryKey: ['channels', 'counts', from, to],
    queryFn: async () => data(await api.GET('/api/v1/channels/counts', { params: { query: { from, to } } })),
  });
  const label = (key: string) => t(`admin.channels.${key}`);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{label('hint')}</Typography.Paragraph>
      <Segmented<Period> value={period} onChange={setPeriod} aria-label={label('period')}
        options={(Object.keys(PERIODS) as Period[]).map((p) => ({ value: p, label: label(p) }))} />
      {counts.error ? <ErrorNotice error={counts.error} /> : (
        <Table<Counts> rowKey="channel" size="small" pagination={false} loading={counts.isPending} dataSource={counts.data}
          columns={[
            { title: label('channel'), dataIndex: 'name', render: (n: Counts['name']) => nameIn(i18n.language, n) },
            ...(['received', 'accepted', 'duplicate', 'refused', 'sent', 'failed'] as const).map((k) => ({
              title: label(k), dataIndex: k, align: 'right' as const })),
            { title: label('refusals'), dataIndex: 'refusals', render: (rs: Counts['refusals']) => (rs.length
              ? rs.map((r) => <div key={r.code}><Typography.Text code>{r.code}</Typography.Text> × {r.count}</div>) : '—') },
          ]} />
      )}
    </Space>
  );
}
