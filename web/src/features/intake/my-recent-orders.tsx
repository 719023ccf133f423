// The agent's own recent orders: what they registered this shift, each a click away (a new tab, so
// a call in progress keeps its form). Follows the live stream as every order list does.
import { useQuery } from '@tanstack/react-query';
import { Empty, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormatTime } from '../../shared/format';
import { StateTag } from '../../shared/orders/order-table';
import { myRecentOrdersQuery } from './api/landing';

export function MyRecentOrders() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const orders = useQuery(myRecentOrdersQuery);
  return (
    <List size="small" loading={orders.isLoading} dataSource={orders.data?.items ?? []}
      locale={{ emptyText: <Empty description={t('intake.noneYet')} /> }}
      renderItem={(o) => (
        <List.Item extra={<StateTag state={o.state} />}>
          <Space direction="vertical" size={0}>
            <Space><Link to={`/orders/${o.id}`} target="_blank">{o.trackingNo}</Link><span>{o.title}</span></Space>
            <Typography.Text type="secondary">{[when(o.createdAt), o.leadUnit?.name].filter(Boolean).join(' · ')}</Typography.Text>
          </Space>
        </List.Item>
      )} />
  );
}
