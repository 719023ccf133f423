// The orders most like one (registered, or being typed): a duplicate to merge, or an answer that
// worked before. At intake they open in a new tab, leaving the form as it is.
import { Empty, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Answer } from '../api/client';
import { useFormatTime } from '../format';
import { StateTag } from './order-table';

type SimilarOrder = Answer<'/api/v1/orders/{id}/similar', 'get'>[number];

export function SimilarOrders({ orders, newTab = false }: { orders: SimilarOrder[]; newTab?: boolean }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  return (
    <List size="small" dataSource={orders} locale={{ emptyText: <Empty description={t('insight.noSimilar')} /> }}
      renderItem={(o) => (
        <List.Item extra={<Typography.Text type="secondary">{Math.round(o.similarity * 100)}%</Typography.Text>}>
          <Space direction="vertical" size={0}>
            <Space wrap><Link to={`/orders/${o.id}`} target={newTab ? '_blank' : undefined}>{o.trackingNo}</Link><StateTag state={o.state} /><span>{o.title}</span></Space>
            <Typography.Text type="secondary">
              {[when(o.createdAt), o.leadUnit?.name, o.shared.length ? t('insight.shared', { terms: o.shared.slice(0, 5).join('、') }) : null].filter(Boolean).join(' · ')}
            </Typography.Text>
          </Space>
        </List.Item>
      )} />
  );
}
