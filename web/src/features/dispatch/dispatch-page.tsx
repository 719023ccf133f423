// The queue of new orders (派单): registered and not yet dispatched or answered, the longest waiting
// first (the urgent ones a click apart), each with how long it has waited. It follows the live stream: an order
// registered by any agent appears, one dispatched leaves, without a reload.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Radio, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../shared/api/client';
import { ErrorNotice } from '../../shared/error-notice';
import { nameIn } from '../../shared/i18n/named';
import { OrderTable, TONES, ToneTag, type OrderRow } from '../../shared/orders/order-table';

/** Minutes since a moment, re-read every 30 s. */
function useMinutesSince(): (at: string) => number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  return (at) => Math.max(0, Math.floor((now - new Date(at).getTime()) / 60_000));
}

export function DispatchPage() {
  const { t, i18n } = useTranslation();
  const [urgency, setUrgency] = useState<'urgent' | undefined>(undefined);
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const waited = useMinutesSince();
  const waitedText = (minutes: number) => (minutes < 60 ? t('dispatchQueue.minutes', { count: minutes })
    : t('dispatchQueue.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 }));
  const queue = useQuery({
    queryKey: ['orders', 'new-queue', urgency, page], placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/orders', { params: { query: { state: ['registered'], urgency, sort: 'created_at', ...page } } })),
  });
  // the last page emptied by dispatches (live): back to the page before it
  const emptied = queue.data && queue.data.items.length === 0 && page.offset > 0;
  useEffect(() => {
    if (emptied) setPage((p) => ({ ...p, offset: Math.max(0, p.offset - p.limit) }));
  }, [emptied]);
  return (
    <Card title={t('menu.dispatch')} extra={
      <Radio.Group aria-label={t('order.urgency')} value={urgency ?? 'all'} optionType="button"
        onChange={(e) => { setUrgency(e.target.value === 'urgent' ? 'urgent' : undefined); setPage((p) => ({ ...p, offset: 0 })); }}
        options={[{ value: 'all', label: t('common.all') }, { value: 'urgent', label: t('order.urgent') }]} />
    }>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('dispatchQueue.hint')}</Typography.Text>
        {queue.error && <ErrorNotice error={queue.error} />}
        <OrderTable<OrderRow> page={queue.data} hide={['state', 'leadUnit']} loading={queue.isFetching} onPage={(offset, limit) => setPage({ offset, limit })}
          empty={{ title: t('dispatchQueue.empty'), hint: t('dispatchQueue.emptyHint') }}
          extraColumns={[
            { title: t('order.category'), dataIndex: ['category', 'name'], ellipsis: true, render: (name?: string) => name ?? '—' },
            { title: t('order.place'), dataIndex: ['location', 'areaName'], render: (name?: string | null) => name ?? '—' },
            { title: t('order.channel'), dataIndex: 'channel', render: (c: string) => t(`channels.${c}`, { defaultValue: c }) },
            { title: t('dispatchQueue.waited'), key: 'waited', render: (_: unknown, o) => (
              <Space size={4}>
                {o.urgency === 'urgent' && <ToneTag tone={TONES.danger}>{t('order.urgent')}</ToneTag>}
                <span>{waitedText(waited(o.createdAt))}</span>
              </Space>
            ) },
            { title: t('order.requestType'), dataIndex: 'requestTypeLabel', render: (l: { zh: string; en: string }) => nameIn(i18n.language, l) },
          ]} />
      </Space>
    </Card>
  );
}
