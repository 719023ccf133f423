// Return visits (回访): the citizens to call back now, with the number to call (shown to the
// visitor only, each read audited), what the unit answered and what to ask; a call that did not
// reach them, or their answer. The supervisor decides the unsolved and unsatisfied ones.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, Modal, Radio, Space, Switch, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useHasRole } from '../../app/session';
import { api, data, type Answer } from '../../shared/api/client';
import { ErrorNotice } from '../../shared/error-notice';
import { pagerOf } from '../../shared/format';

type Visit = Answer<'/api/v1/visits/queue', 'get'>['items'][number];
type Satisfaction = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

function useVisitCall() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (call: { id: number; kind: 'attempt'; note?: string } | { id: number; kind: 'result'; solved: boolean; satisfaction: Satisfaction; comment?: string }
      | { id: number; kind: 'decision'; decision: 'reopen' | 'close'; reason: string }) => {
      const path = { params: { path: { id: call.id } } };
      if (call.kind === 'attempt') return data(await api.POST('/api/v1/visits/{id}/attempts', { ...path, body: { note: call.note } }));
      if (call.kind === 'result') return data(await api.POST('/api/v1/visits/{id}/result', { ...path, body: { solved: call.solved, satisfaction: call.satisfaction, comment: call.comment } }));
      return data(await api.POST('/api/v1/visits/{id}/decision', { ...path, body: { decision: call.decision, reason: call.reason } }));
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['visits'] }),
  });
}

function Queue({ which }: { which: 'queue' | 'to-confirm' }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const [open, setOpen] = useState<{ visit: Visit; kind: 'result' | 'decision' } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const call = useVisitCall();
  const visits = useQuery({
    queryKey: ['visits', which, page],
    placeholderData: keepPreviousData,
    queryFn: async () => which === 'queue'
      ? data(await api.GET('/api/v1/visits/queue', { params: { query: page } }))
      : data(await api.GET('/api/v1/visits/to-confirm', { params: { query: page } })),
  });
  const run = async (request: Parameters<typeof call.mutateAsync>[0]) => {
    setError(null);
    try {
      await call.mutateAsync(request);
      void message.success(t('visits.recorded'));
      setOpen(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const p = visits.data;
  return (
    <>
      {visits.error && <ErrorNotice error={visits.error} />}
      {error && !open && <ErrorNotice error={new Error(error)} />}
      <Table<Visit> rowKey="id" loading={visits.isFetching} dataSource={(p?.items ?? []) as Visit[]}
        locale={{ emptyText: <Empty description={which === 'queue' ? t('visits.empty') : t('visits.noneToConfirm')} /> }}
        pagination={pagerOf(p, (offset, limit) => setPage({ offset, limit }))}
        columns={[
          { title: t('order.trackingNo'), dataIndex: 'trackingNo', render: (no: string, v) => <Link to={`/orders/${v.orderId}`}>{no}</Link> },
          { title: t('order.title'), dataIndex: 'title', ellipsis: true },
          ...(which === 'queue' ? [{ title: t('visits.call'), key: 'citizen', render: (_: unknown, v: Visit) => (
            <span>{v.citizen.name ?? ''} <Typography.Text strong copyable>{v.citizen.phone ?? '—'}</Typography.Text></span>) }] : []),
          { title: t('order.leadUnit'), dataIndex: ['leadUnit', 'name'], render: (name?: string) => name ?? t('visits.hotline') },
          { title: t('visits.answer'), dataIndex: 'answer', ellipsis: true },
          { title: t('visits.attempts'), dataIndex: 'attempts', width: 80 },
          { title: t('order.actions'), key: 'act', render: (_: unknown, v: Visit) => which === 'queue' ? (
            <Space>
              <Button type="primary" onClick={() => { form.resetFields(); setOpen({ visit: v, kind: 'result' }); }}>{t('visits.record')}</Button>
              <Button onClick={() => void run({ id: v.id, kind: 'attempt' })}>{t('visits.unreached')}</Button>
            </Space>
          ) : <Button onClick={() => { form.resetFields(); setOpen({ visit: v, kind: 'decision' }); }}>{t('visits.decide')}</Button> },
        ]} />
      <Modal open={open !== null} destroyOnHidden title={open?.visit.title} okText={t('common.submit')} cancelText={t('common.cancel')}
        confirmLoading={call.isPending} onCancel={() => setOpen(null)} onOk={() => form.submit()}>
        {open && <Typography.Paragraph type="secondary">{t('visits.script', { unit: open.visit.leadUnit?.name ?? t('visits.hotline'), answer: open.visit.answer ?? '' })}</Typography.Paragraph>}
        {error && <Typography.Paragraph role="alert" type="danger">{error}</Typography.Paragraph>}
        <Form form={form} layout="vertical" preserve={false} onFinish={(v) => open && void run(open.kind === 'result'
          ? { id: open.visit.id, kind: 'result', solved: v.solved ?? true, satisfaction: v.satisfaction, comment: v.comment || undefined }
          : { id: open.visit.id, kind: 'decision', decision: v.decision, reason: v.reason })}>
          {open?.kind === 'result' ? (
            <>
              <Form.Item label={t('order.solved')} name="solved" valuePropName="checked" initialValue={true}><Switch /></Form.Item>
              <Form.Item label={t('order.satisfaction')} name="satisfaction" rules={[{ required: true }]}>
                <Radio.Group options={(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((s) => ({ value: s, label: t(`satisfaction.${s}`) }))} />
              </Form.Item>
              <Form.Item label={t('visits.comment')} name="comment"><Input.TextArea rows={2} /></Form.Item>
            </>
          ) : (
            <>
              <Form.Item label={t('visits.decision')} name="decision" rules={[{ required: true }]}>
                <Radio.Group options={[{ value: 'reopen', label: t('actions.reopen') }, { value: 'close', label: t('actions.close') }]} />
              </Form.Item>
              <Form.Item label={t('order.reason')} name="reason" rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}

export function VisitsPage() {
  const { t } = useTranslation();
  const calls = useHasRole('visitor', 'lead');
  const decides = useHasRole('supervisor', 'lead');
  const tabs = [
    ...(calls ? [{ key: 'queue', label: t('visits.queue'), children: <Queue which="queue" /> }] : []),
    ...(decides ? [{ key: 'to-confirm', label: t('visits.toConfirm'), children: <Queue which="to-confirm" /> }] : []),
  ];
  return <Card title={t('menu.visits')}><Tabs items={tabs} /></Card>;
}
