// Merging a duplicate (合并): the order joins another that handles the same matter. The target is
// one of the similar orders (the likely duplicates first) or any order found by its tracking number.
import { App, Button, Form, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api/client';
import type { OrderDetail } from '../api/get-order';
import { useSimilar } from '../api/order-insights';
import { useTakeAction } from '../api/take-action';

/** The states an order may be merged into (the server's merge rule). */
export const MERGEABLE = new Set(['registered', 'dispatched', 'signed', 'returned', 'replied', 'visited']);
const TRACKING_NO = /^\d{8}-\d{8,}$/;

/** The merge form's target: a similar open order, or one found by the tracking number typed. */
export function MergeTargetField({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const similar = useSimilar(orderId);
  const [found, setFound] = useState<{ value: string; label: string } | null>(null);
  const options = [...(similar.data ?? []).filter((o) => MERGEABLE.has(o.state))
    .sort((a, b) => Number(b.likelyDuplicate) - Number(a.likelyDuplicate))
    .map((o) => ({ value: o.id, label: `${o.trackingNo} ${o.likelyDuplicate ? `（${t('insight.likelyDuplicate')}）` : ''}${o.title}` })),
  ...(found ? [found] : [])];
  const lookUp = async (text: string) => {
    const no = text.trim();
    if (!TRACKING_NO.test(no)) return;
    const res = await api.GET('/api/v1/orders/tracking/{trackingNo}', { params: { path: { trackingNo: no } } });
    if (res.data && res.data.id !== orderId) setFound({ value: res.data.id, label: `${res.data.trackingNo} ${res.data.title}` });
  };
  return (
    <Form.Item label={t('insight.mergeTarget')} name="targetOrderId" rules={[{ required: true }]} extra={t('insight.mergeTargetHint')}>
      <Select showSearch={{ optionFilterProp: 'label', onSearch: (text) => void lookUp(text) }} loading={similar.isLoading} options={options} />
    </Form.Item>
  );
}

/** Merges the order into `target` (one of its similar orders), after the user confirms. */
export function MergeButton({ order, target }: { order: OrderDetail; target: { id: string; trackingNo: string } }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const take = useTakeAction(order.id);
  const merge = () => modal.confirm({
    title: t('actions.merge'), content: t('insight.mergeConfirm', { no: target.trackingNo }), okText: t('common.submit'), cancelText: t('common.cancel'),
    onOk: async () => {
      try {
        await take.mutateAsync({ action: 'merge', body: { targetOrderId: target.id, expectedVersion: order.version } });
        void message.success(t('order.done', { action: t('actions.merge') }));
      } catch (e) {
        void message.error((e as Error).message);
      }
    },
  });
  return <Button size="small" onClick={merge}>{t('insight.mergeInto')}</Button>;
}
