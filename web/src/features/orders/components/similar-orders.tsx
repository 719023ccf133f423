// The orders most like this one: a duplicate to merge, or an answer that worked before.
import { Empty, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormatTime } from '../../../shared/format';
import { StateTag } from '../../../shared/orders/order-table';
import type { SimilarOrder } from '../api/order-insights';

export function SimilarOrders({ orders }: { orders: SimilarOrder[] }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  return (
    <List size="small" dataSource={orders} locale={{ emptyText: <Empty description={t('insight.noSimilar')} /> }}
      renderItem={(o) => (
        <List.Item extra={<Typography.Text type="secondary">{Math.round(o.similarity * 100)}%</Typography.Text>}>
          <Space direction="vertical" size={0}>
            <Space wrap><Link to={`/orders/${o.id}`}>{o.trackingNo}</Link><StateTag state={o.state} /><span>{o.title}</span></Space>
            <Typography.Text type="secondary">
              {[when(o.createdAt), o.leadUnit?.name, o.shared.length ? t('insight.shared', { terms: o.shared.slice(0, 5).join('、') }) : null].filter(Boolean).join(' · ')}
            </Typography.Text>
          </Space>
        </List.Item>
      )} />
  );
}
