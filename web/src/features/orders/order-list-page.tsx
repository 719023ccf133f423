// Orders as the user may see them: search by words or tracking number, by the caller's number, open or closed.
import { Card, Input, Segmented, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../shared/error-notice';
import { useOrders, type OrderFilters } from './api/list-orders';
import { OrderTable } from '../../shared/orders/order-table';

export function OrderListPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<OrderFilters>({ limit: 20, offset: 0 });
  const orders = useOrders(filters);
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
      </Space>
      {orders.error && <ErrorNotice error={orders.error} />}
      <OrderTable page={orders.data} loading={orders.isFetching} onPage={(offset, limit) => setFilters({ ...filters, offset, limit })}
        empty={{ title: t('list.empty'), hint: t('list.emptyHint') }} />
    </Card>
  );
}
