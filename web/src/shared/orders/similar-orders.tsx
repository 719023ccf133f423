// The orders most like one (registered, or being typed): a duplicate to merge, or an answer that
// worked before. At intake they open in a new tab, leaving the form as it is.
import type { ReactNode } from 'react';
import { Empty, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Answer } from '../api/client';
import { useFormatTime } from '../format';
import { StateTag, TONES, ToneTag } from './order-table';

type SimilarOrder = Answer<'/api/v1/orders/{id}/similar', 'get'>[number];

/** `action`: what the user may do with one of them (merge the order into it), beside its similarity. */
export function SimilarOrders({ orders, newTab = false, action }: { orders: SimilarOrder[]; newTab?: boolean; action?: (o: SimilarOrder) => ReactNode }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  return (
    <List size="small" dataSource={orders} locale={{ emptyText: <Empty description={t('insight.noSimilar')} /> }}
      renderItem={(o) => (
        <List.Item extra={<Space><Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>{Math.round(o.similarity * 100)}%</Typography.Text>{action?.(o)}</Space>}>
          <Space direction="vertical" size={0}>
            <Space wrap><Link to={`/orders/${o.id}`} target={newTab ? '_blank' : undefined}>{o.trackingNo}</Link><StateTag state={o.state} />
              {o.likelyDuplicate && <ToneTag tone={TONES.warning}>{t('insight.likelyDuplicate')}</ToneTag>}<span>{o.title}</span></Space>
            <Typography.Text type="secondary">
              {[when(o.createdAt), o.leadUnit?.name, o.shared.length ? t('insight.shared', { terms: o.shared.slice(0, 5).join('、') }) : null].filter(Boolean).join(' · ')}
            </Typography.Text>
          </Space>
        </List.Item>
      )} />
  );
}
