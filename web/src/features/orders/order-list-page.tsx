// Orders as the user may see them: search by words or tracking number, by the caller's number, open or closed.
// Opened from a figure (the screen's map, the analysis' rankings: `?areaCode=370102&from=2026-12-01&to=2026-12-04&label=历下区`),
// it lists the orders behind it, the figure and its days shown as a filter that can be removed; a link
// whose filter cannot be read says so and lists nothing.
import { Alert, Button, Card, Input, Segmented, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorNotice } from '../../shared/error-notice';
import { useOrders, type OrderFilters } from './api/list-orders';
import { OrderTable } from '../../shared/orders/order-table';
import { drillOf } from '../../shared/orders/drill';

export function OrderListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [filters, setFilters] = useState<OrderFilters>({ limit: 20, offset: 0 });
  const opened = drillOf(params);
  const drill = opened && 'drill' in opened ? opened.drill : null;
  const invalid = opened && 'invalid' in opened ? opened.invalid : null;
  const orders = useOrders({ ...filters, ...drill?.filters }, !invalid);
  const clear = () => { setParams({}); setFilters({ ...filters, offset: 0 }); };
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
          <Tag closable color="blue" onClose={clear}>
            {t('list.drill', { place: drill.label, from: drill.from, to: drill.to })}
          </Tag>)}
      </Space>
      {invalid ? (
        <Alert type="warning" showIcon message={t('list.drillInvalid')} description={invalid.join('; ')}
          action={<Button size="small" onClick={clear}>{t('list.drillClear')}</Button>} />
      ) : <>
        {orders.error && <ErrorNotice error={orders.error} />}
        <OrderTable page={orders.data} loading={orders.isFetching} onPage={(offset, limit) => setFilters({ ...filters, offset, limit })}
          empty={{ title: t('list.empty'), hint: t('list.emptyHint') }} />
      </>}
    </Card>
  );
}
