// A unit's inbox: the orders assigned to it now, newest first, or only those overdue, due soon, on
// time or paused (the most pressing first), each filter with its count; an order dispatched to the
// unit appears by itself (the live stream), and opens to be signed for and answered.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge, Card, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../shared/api/client';
import { ErrorNotice } from '../../shared/error-notice';
import { useFormatTime } from '../../shared/format';
import { OrderTable, TONES, ToneTag } from '../../shared/orders/order-table';
import type { Answer } from '../../shared/api/client';

type InboxOrder = Answer<'/api/v1/orders/inbox', 'get'>['items'][number];
type Status = NonNullable<InboxOrder['deadline']>['status'];
const STATUS_TONES = { on_time: TONES.success, warning: TONES.warning, overdue: TONES.danger, paused: TONES.neutral };
const FILTERS = ['all', 'overdue', 'warning', 'on_time', 'paused'] as const;
const BADGE = { all: '#1d4ed8', overdue: '#b91c1c', warning: '#92400e', on_time: '#166534', paused: '#4b5563' };

export function InboxPage() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const [filter, setFilter] = useState<'all' | Status>('all');
  const inbox = useQuery({
    queryKey: ['inbox', filter, page],
    queryFn: async () => data(await api.GET('/api/v1/orders/inbox',
      { params: { query: { ...page, ...(filter === 'all' ? {} : { deadline: filter }) } } })),
    placeholderData: keepPreviousData,
  });
  // counted apart: the first page does not wait for the count of every order in hand
  const counts = useQuery({ queryKey: ['inbox', 'counts'],
    queryFn: async () => data(await api.GET('/api/v1/orders/inbox/counts')) }).data;
  return (
    <Card title={t('menu.inbox')}>
      <Tabs activeKey={filter} onChange={(key) => { setFilter(key as typeof filter); setPage((p) => ({ ...p, offset: 0 })); }}
        items={FILTERS.map((key) => ({ key, label: (
          <span>{t(key === 'all' ? 'common.all' : `deadline.${key}`)}{' '}
            <Badge count={counts?.[key] ?? 0} showZero overflowCount={9999} color={BADGE[key]} /></span>
        ) }))} />
      {inbox.error && <ErrorNotice error={inbox.error} />}
      <OrderTable page={inbox.data} loading={inbox.isFetching} onPage={(offset, limit) => setPage({ offset, limit })}
        empty={filter === 'all' ? { title: t('list.inboxEmpty'), hint: t('list.inboxHint') }
          : { title: t('list.inboxNone', { status: t(`deadline.${filter}`) }), hint: t('list.inboxNoneHint') }}
        extraColumns={[{ title: t('order.deadlines'), key: 'deadline', render: (_: unknown, o: InboxOrder) => o.deadline && (
          <span>
            <ToneTag tone={STATUS_TONES[o.deadline.status]}>{t(`deadline.${o.deadline.status}`)}</ToneTag>
            {t(`supervision.${o.deadline.kind}`)} {when(o.deadline.dueAt)}
          </span>
        ) }]} />
    </Card>
  );
}
