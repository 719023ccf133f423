// The actions the user may take on the order now (the server says which), each asking for what it
// needs: a reason, a text, a unit, days, the citizen's answer, the order to merge into.
import { useQuery } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { api, data } from '../../../shared/api/client';
import { UnitSearch, useNotTheLead } from '../../../shared/unit-search';
import type { OrderDetail } from '../api/get-order';
import { useTakeAction, type ActionBody, type OrderAction } from '../api/take-action';
import { MergeTargetField } from './merge';

const NEEDS_REASON = new Set<OrderAction>(['return', 'reject_return', 'request_extension', 'pause_clock', 'reopen', 'escalate', 'cancel', 'deny_extension']);
const NEEDS_TEXT = new Set<OrderAction>(['answer_directly', 'reply', 'co_reply']);
const TAKES_TEXT = new Set<OrderAction>(['urge']);
const NEEDS_UNIT = new Set<OrderAction>(['dispatch', 'pass_down']);

/** The unit to dispatch to (the routing's suggestions first, any unit taking orders by name) or to pass down to (the user's sub-units). */
function UnitField({ order, action }: { order: OrderDetail; action: OrderAction }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const units = useQuery({
    queryKey: ['unit-choices', order.id, action],
    queryFn: async () => action === 'dispatch'
      ? data(await api.GET('/api/v1/orders/{id}/suggested-units', { params: { path: { id: order.id } } })).map((s) => s.unit)
      : data(await api.GET('/api/v1/units', { params: { query: { parentId: me?.unitId ?? undefined, active: true, limit: 200 } } })).items,
  });
  const options = (units.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  const notTheLead = useNotTheLead();
  if (action !== 'dispatch') {
    return (
      <Form.Item label={t('order.unit')} name="unitId" rules={[{ required: true }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} loading={units.isLoading} options={options} />
      </Form.Item>
    );
  }
  return (
    <>
      <Form.Item label={t('order.unit')} name="unitId" rules={[{ required: true }]}><UnitSearch<string> initial={options} /></Form.Item>
      <Form.Item label={t('order.coUnits')} name="coUnitIds" extra={t('order.coHint')} dependencies={['unitId']} rules={[notTheLead]}>
        <UnitSearch<string[]> multiple />
      </Form.Item>
    </>
  );
}

export function ActionPanel({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState<OrderAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const take = useTakeAction(order.id);
  const [form] = Form.useForm<ActionBody>();
  if (order.actions.length === 0) return <Typography.Text type="secondary">{t('order.noActions')}</Typography.Text>;
  const submit = async (body: ActionBody) => {
    setError(null);
    try {
      await take.mutateAsync({ action: open!, body: { ...body, expectedVersion: order.version } });
      void message.success(t('order.done', { action: t(`actions.${open}`) }));
      setOpen(null);
      form.resetFields();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <Space wrap>
        {order.actions.map((action) => (
          <Button key={action} type={['sign', 'reply', 'dispatch', 'close'].includes(action) ? 'primary' : 'default'}
            onClick={() => { setError(null); setOpen(action); }}>{t(`actions.${action}`)}</Button>
        ))}
      </Space>
      <Modal open={open !== null} title={open ? t(`actions.${open}`) : ''} onCancel={() => setOpen(null)} destroyOnHidden
        okText={t('common.submit')} cancelText={t('common.cancel')} confirmLoading={take.isPending} onOk={() => form.submit()}>
        {error && <Typography.Paragraph role="alert" type="danger">{error}</Typography.Paragraph>}
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          {open && NEEDS_UNIT.has(open) && <UnitField order={order} action={open} />}
          {open && NEEDS_REASON.has(open) && (
            <Form.Item label={t('order.reason')} name="reason" rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          )}
          {open && (NEEDS_TEXT.has(open) || TAKES_TEXT.has(open)) && (
            <Form.Item label={t('order.text')} name="text" rules={[{ required: NEEDS_TEXT.has(open) }]}><Input.TextArea rows={4} /></Form.Item>
          )}
          {open === 'merge' && <MergeTargetField orderId={order.id} />}
          {open === 'request_extension' && (
            <Form.Item label={t('order.days')} name="days" rules={[{ required: true }]}><InputNumber min={1} max={30} /></Form.Item>
          )}
          {open === 'return_visit' && (
            <>
              <Form.Item label={t('order.solved')} name="solved" valuePropName="checked" initialValue={true}><Switch /></Form.Item>
              <Form.Item label={t('order.satisfaction')} name="satisfaction" rules={[{ required: true }]}>
                <Radio.Group options={(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((s) => ({ value: s, label: t(`satisfaction.${s}`) }))} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}
