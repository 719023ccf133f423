// A unit's inbox: the orders assigned to it now, newest first; an order dispatched to the unit
// appears by itself (the live stream), and opens to be signed for and answered.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../shared/api/client';
import { ErrorNotice } from '../../shared/error-notice';
import { useFormatTime } from '../../shared/format';
import { OrderTable, TONES, ToneTag } from '../../shared/orders/order-table';
import type { Answer } from '../../shared/api/client';

type InboxOrder = Answer<'/api/v1/orders/inbox', 'get'>['items'][number];
const STATUS_TONES = { on_time: TONES.success, warning: TONES.warning, overdue: TONES.danger, paused: TONES.neutral };

export function InboxPage() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const inbox = useQuery({
    queryKey: ['inbox', page],
    queryFn: async () => data(await api.GET('/api/v1/orders/inbox', { params: { query: page } })),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title={t('menu.inbox')}>
      {inbox.error && <ErrorNotice error={inbox.error} />}
      <OrderTable page={inbox.data} loading={inbox.isFetching} onPage={(offset, limit) => setPage({ offset, limit })}
        empty={{ title: t('list.inboxEmpty'), hint: t('list.inboxHint') }}
        extraColumns={[{ title: t('order.deadlines'), key: 'deadline', render: (_: unknown, o: InboxOrder) => o.deadline && (
          <span>
            <ToneTag tone={STATUS_TONES[o.deadline.status]}>{t(`deadline.${o.deadline.status}`)}</ToneTag>
            {t(`supervision.${o.deadline.kind}`)} {when(o.deadline.dueAt)}
          </span>
        ) }]} />
    </Card>
  );
}
