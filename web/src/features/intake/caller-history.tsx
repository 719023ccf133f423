// The caller's earlier orders, as the number is typed: how often they called, which are still
// open, each a click away (masked as every list is).
import { useQuery } from '@tanstack/react-query';
import { List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, data } from '../../shared/api/client';
import { StateTag } from '../../shared/orders/order-table';

export function CallerHistory({ phone }: { phone: string }) {
  const { t } = useTranslation();
  const digits = phone.replace(/\D/g, '');
  const orders = useQuery({
    queryKey: ['orders', 'caller', digits],
    enabled: digits.length >= 7,
    queryFn: async () => data(await api.GET('/api/v1/orders', { params: { query: { phone: digits, limit: 5 } } })),
  });
  const stillOpen = useQuery({
    queryKey: ['orders', 'caller-open', digits],
    enabled: digits.length >= 7,
    queryFn: async () => data(await api.GET('/api/v1/orders', { params: { query: { phone: digits, stateGroup: 'open', limit: 1 } } })),
  });
  if (digits.length < 7 || !orders.data) return null;
  const page = orders.data;
  const open = stillOpen.data?.total ?? 0;
  return (
    <section aria-label={t('intake.history')} style={{ marginBottom: 16 }}>
      <Typography.Text strong>{page.total === 0 ? t('intake.firstCall') : t('intake.earlier', { count: page.total, open })}</Typography.Text>
      {page.total > 0 && (
        <List size="small" dataSource={page.items} renderItem={(o) => (
          <List.Item><Link to={`/orders/${o.id}`}>{o.trackingNo}</Link> {o.title} <StateTag state={o.state} /></List.Item>
        )} />
      )}
    </section>
  );
}
