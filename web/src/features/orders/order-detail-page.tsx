// One order, as every role reads it: what was asked, by whom and where (as the role may see it),
// its whole history with names, and what the user may do now.
import { Card, Descriptions, Result, Skeleton, Space, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../shared/api/client';
import { ErrorNotice } from '../../shared/error-notice';
import { useFormatTime } from '../../shared/format';
import { useOrder } from './api/get-order';
import { ActionPanel } from './components/action-panel';
import { StateTag, TONES, ToneTag } from '../../shared/orders/order-table';

export function OrderDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const order = useOrder(id);
  const when = useFormatTime();
  if (order.error instanceof ApiError && (order.error.status === 404 || order.error.status === 400)) {
    return <Result status="404" title={t('order.notFound')} extra={<Link to="/">{t('app.home')}</Link>} />;
  }
  if (order.error) return <ErrorNotice error={order.error} />;
  if (!order.data) return <Skeleton active />;
  const o = order.data;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={<Space><Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{o.title}</Typography.Title><StateTag state={o.state} />
        {o.urgency === 'urgent' && <ToneTag tone={TONES.danger}>{t('order.urgent')}</ToneTag>}</Space>}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small" items={[
          { key: 'no', label: t('order.trackingNo'), children: o.trackingNo },
          { key: 'at', label: t('order.createdAt'), children: when(o.createdAt) },
          { key: 'type', label: t('order.requestType'), children: i18n.language === 'en' ? o.requestTypeLabel.en : o.requestTypeLabel.zh },
          { key: 'cat', label: t('order.category'), children: o.category?.name ?? '—' },
          { key: 'unit', label: t('order.leadUnit'), children: o.leadUnit?.name ?? '—' },
          { key: 'place', label: t('order.place'), children: [o.location.areaName, o.location.address].filter(Boolean).join(' ') || '—' },
          { key: 'citizen', label: t('order.citizen'), children: [o.citizen.name, o.citizen.phone].filter(Boolean).join(' ') || '—' },
          { key: 'address', label: t('order.address'), children: o.citizen.address ?? '—' },
          { key: 'body', label: t('order.body'), span: 2, children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{o.body}</Typography.Paragraph> },
        ]} />
      </Card>
      <Card title={t('order.actions')}><ActionPanel order={o} /></Card>
      <Card title={t('order.timeline')}>
        <Timeline items={o.events.map((e) => ({
          key: e.seq,
          children: (
            <div>
              <Typography.Text strong>{t(`states.${e.toState}`, { defaultValue: e.type })}</Typography.Text>{' '}
              <Typography.Text type="secondary">{when(e.at)} · {e.actor.name}{e.actor.unitName ? `（${e.actor.unitName}）` : ''}</Typography.Text>
              {e.reason && <div>{t('order.reason')}：{e.reason}</div>}
              {typeof (e.payload as { text?: unknown } | null)?.text === 'string' && <div>{(e.payload as { text: string }).text}</div>}
            </div>
          ),
        }))} />
      </Card>
    </Space>
  );
}
