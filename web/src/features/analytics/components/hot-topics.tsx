// Hot topics (热点): clusters of similar requests from one district in the last day or three, as the
// server keeps them while orders arrive; each with its words, place, matter, how many orders now and
// before, an hourly sparkline, and its first and most typical orders (all of them one click on).
import { Button, Card, Empty, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../../shared/error-notice';
import { useFormatTime } from '../../../shared/format';
import { useHotTopics, type HotTopic } from '../api/analytics';
import { TopicDrawer } from '../screen/components/lists';

/** The sparkline's width whatever the hours: 72 of them must not squeeze the columns beside it. */
const SPARK_WIDTH = 144;

/** An hourly count as a row of bars, drawn in SVG (a chart library for 48 bars would weigh more than the page). */
function Sparkline({ counts, label }: { counts: number[]; label: string }) {
  const top = Math.max(1, ...counts);
  const half = counts.length / 2;
  const step = SPARK_WIDTH / Math.max(1, counts.length);
  return (
    <svg role="img" aria-label={label} width={SPARK_WIDTH} height={24} style={{ display: 'block' }}>
      {counts.map((n, i) => (
        <rect key={i} x={i * step} y={24 - (22 * n) / top} width={step * 0.67} height={(22 * n) / top} fill={i < half ? '#9ca3af' : '#1d4ed8'} />
      ))}
    </svg>
  );
}

export function HotTopics() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [hours, setHours] = useState(24);
  const [order, setOrder] = useState<'recent' | 'growth'>('recent');
  const topics = useHotTopics(hours, order);
  const [open, setOpen] = useState<HotTopic | null>(null);
  const nowrap = (title: string) => <span style={{ whiteSpace: 'nowrap' }}>{title}</span>;
  const place = (h: HotTopic) => [h.district?.name, h.street?.name].filter(Boolean).join(' › ') || t('analytics.hot.nowhere');
  return (
    <Card size="small" title={t('analytics.hot.title')} extra={
      <Space>
        <Segmented<number> size="small" value={hours} onChange={setHours} options={[24, 72].map((h) => ({ value: h, label: t('analytics.hot.hours', { count: h }) }))} />
        <Segmented<'recent' | 'growth'> size="small" value={order} onChange={setOrder}
          options={(['recent', 'growth'] as const).map((o) => ({ value: o, label: t(`analytics.hot.${o}`) }))} />
      </Space>}>
      {topics.error && <ErrorNotice error={topics.error} />}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('analytics.hot.hint')}</Typography.Paragraph>
      <Table<HotTopic> rowKey="id" size="small" pagination={false} loading={topics.isFetching && !topics.data} dataSource={topics.data?.topics ?? []}
        locale={{ emptyText: <Empty description={t('analytics.hot.empty')} /> }}
        expandable={{ expandedRowRender: (h) => (
          <>
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {h.orders.map((o) => (
                <li key={o.orderId}>
                  <Link to={`/orders/${o.orderId}`} style={{ textDecoration: 'underline' }}>{o.trackingNo ?? o.orderId}</Link> {o.title} <Typography.Text type="secondary">{when(o.at)}</Typography.Text>
                </li>
              ))}
            </ul>
            {h.size > h.orders.length && <Button size="small" style={{ marginTop: 6 }} onClick={() => setOpen(h)}>{t('analytics.hot.all', { count: h.size })}</Button>}
          </>) }}
        columns={[
          { title: t('analytics.hot.words'), render: (_: unknown, h) => <Space size={[0, 4]} wrap>{h.keywords.map((w) => <Tag key={w}>{w}</Tag>)}</Space> },
          { title: t('analytics.hot.place'), render: (_: unknown, h) => place(h) },
          { title: t('analytics.hot.matter'), render: (_: unknown, h) => h.category?.name ?? '—' },
          { title: nowrap(t('analytics.hot.now')), dataIndex: 'recent', align: 'right' },
          { title: nowrap(t('analytics.hot.before')), dataIndex: 'previous', align: 'right' },
          { title: t('analytics.hot.trend'), render: (_: unknown, h) => (
            <Sparkline counts={h.hourly} label={t('analytics.hot.trendLabel', { hours, now: h.recent, before: h.previous })} />) },
          { title: t('analytics.hot.firstSeen'), dataIndex: 'firstAt', render: when },
        ]} />
      <TopicDrawer topic={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
