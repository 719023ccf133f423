// Orders as the user may see them: search by words or tracking number, by the caller's number, open or closed.
// Opened from a figure (the screen's map: `?areaCode=370102&from=2026-12-01&to=2026-12-04&place=历下区`),
// it lists the orders behind it, the place and the days shown as a filter that can be removed.
import { Card, Input, Segmented, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorNotice } from '../../shared/error-notice';
import { useOrders, type OrderFilters } from './api/list-orders';
import { OrderTable } from '../../shared/orders/order-table';

export function OrderListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [filters, setFilters] = useState<OrderFilters>({ limit: 20, offset: 0 });
  const drill = drillOf(params);
  const orders = useOrders({ ...filters, ...drill?.filters });
  return (
    <Card title={t('menu.orders')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search aria-label={t('list.search')} placeholder={t('list.search')} allowClear style={{ width: 280 }}
          onSearch={(q) => setFilters({ ...filters, q, offset: 0 })} />
        <Input.Search aria-label={t('list.phone')} placeholder={t('list.phone')} allowClear style={{ width: 240 }} inputMode="tel"
          onSearch={(phone) => setFilters({ ...filters, phone, offset: 0 })} />
        <Segmented<'all' | 'open' | 'closed'> aria-label={t('order.state')} value={filters.stateGroup ?? 'all'}
          options={[{ value: 'all', label: t('common.all') }, { value: 'open', label: t('list.open') }, { value: 'closed', label: t('list.closed') }]}
          onChange={(v) => setFilters({ ...filters, stateGroup: v === 'all' ? undefined : v, offset: 0 })} />
        {drill && (
          <Tag closable color="blue" onClose={() => { setParams({}); setFilters({ ...filters, offset: 0 }); }}>
            {t('list.drill', { place: drill.place, from: drill.from, to: drill.to })}
          </Tag>)}
      </Space>
      {orders.error && <ErrorNotice error={orders.error} />}
      <OrderTable page={orders.data} loading={orders.isFetching} onPage={(offset, limit) => setFilters({ ...filters, offset, limit })}
        empty={{ title: t('list.empty'), hint: t('list.emptyHint') }} />
    </Card>
  );
}

/** The filter a figure opened the list with: a place and the Beijing days from `from` to `to`, both included. */
function drillOf(params: URLSearchParams) {
  const areaCode = params.get('areaCode');
  const from = params.get('from');
  const to = params.get('to');
  if (!areaCode || !/^\d{6,12}$/.test(areaCode) || !from || !to || !dayjs(from).isValid() || !dayjs(to).isValid()) return null;
  const beijing = (day: string) => `${day}T00:00:00+08:00`;
  return { place: params.get('place') ?? areaCode, from, to,
    filters: { areaCode, createdFrom: beijing(from), createdTo: beijing(dayjs(to).add(1, 'day').format('YYYY-MM-DD')) } };
}
