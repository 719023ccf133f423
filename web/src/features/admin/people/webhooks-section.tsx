// Webhooks (推送接口): each unit's system that receives its orders' events as they happen, signed
// and in order (docs/webhooks.md is the receiver's guide). A new one's signing secret is shown once;
// a webhook can be paused and resumed where it stopped, sent again from a point in time, given a
// new secret or deleted; a row opens its latest tries.
import { useQuery } from '@tanstack/react-query';
import { App, Button, DatePicker, Flex, Form, Input, Popconfirm, Popover, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, type Answer } from '../../../shared/api/client';
import { ErrorNotice } from '../../../shared/error-notice';
import { beijingInstant, useFormatTime } from '../../../shared/format';
import { EVENT_TYPES } from '../../../shared/live';
import { UnitSearch } from '../../../shared/unit-search';
import { emptyText, Status, TwoLines, useChange } from './common';
import { FormModal } from './form-modal';
import { SecretOnce, type Secret } from './secret-once';
import type { Body } from './words';

type Webhook = Answer<'/api/v1/webhooks', 'get'>['items'][number];
type NewWebhook = Body<'/api/v1/webhooks', 'post'>;
const KEYS = ['admin', 'webhooks'];

function NewWebhookForm({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (s: Secret) => void }) {
  const { t } = useTranslation();
  const create = useChange(async (body: NewWebhook) => data(await api.POST('/api/v1/webhooks', { body })), KEYS);
  const label = (key: string) => t(`admin.people.webhooks.${key}`);
  const submit = async (v: NewWebhook) => {
    const made = await create.mutateAsync({ ...v, unitId: v.unitId ?? null, types: v.types?.length ? v.types : null });
    onCreated({ title: t('admin.people.webhooks.createdTitle', { name: made.name }), value: made.secret, note: label('usage') });
  };
  return (
    <FormModal<NewWebhook> open={open} title={label('new')} onClose={onClose} submit={submit}>
      <Form.Item label={label('name')} name="name" rules={[{ required: true, max: 100 }]}><Input autoComplete="off" /></Form.Item>
      <Form.Item label={label('url')} name="url" rules={[{ required: true, type: 'url', max: 2000 }]}><Input autoComplete="off" placeholder="https://" /></Form.Item>
      <Form.Item label={label('unit')} name="unitId" extra={label('unitHint')}><UnitSearch<string> placeholder={t('admin.people.common.anyUnit')} /></Form.Item>
      <Form.Item label={label('types')} name="types" extra={label('typesHint')}>
        <Select mode="multiple" allowClear options={EVENT_TYPES.map((type) => ({ value: type, label: t(`events.${type}`, { defaultValue: type }) }))} />
      </Form.Item>
    </FormModal>
  );
}

/** The webhook's latest tries: when, which events, the answer. */
function Attempts({ id }: { id: string }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const one = useQuery({ queryKey: [...KEYS, id], queryFn: async () => data(await api.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })) });
  const label = (key: string) => t(`admin.people.webhooks.${key}`);
  return (
    <Table rowKey={(a) => `${a.at}-${a.firstPosition}`} size="small" pagination={false} loading={one.isFetching} dataSource={one.data?.attempts ?? []}
      title={() => <Typography.Text strong>{label('attempts')}</Typography.Text>} locale={{ emptyText: label('noAttempts') }}
      columns={[
        { title: label('attemptAt'), dataIndex: 'at', render: when },
        { title: label('range'), render: (_: unknown, a) => `${a.firstPosition}–${a.lastPosition}` },
        { title: label('events'), dataIndex: 'events', align: 'right' },
        { title: label('result'), render: (_: unknown, a) => <Status ok={a.error === null} text={a.error ?? String(a.status)} /> },
        { title: label('ms'), dataIndex: 'ms', align: 'right' },
      ]} />
  );
}

function Actions({ hook, onSecret }: { hook: Webhook; onSecret: (s: Secret) => void }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const { message } = App.useApp();
  const [from, setFrom] = useState<Dayjs | null>(null);
  const path = { params: { path: { id: hook.id } } };
  const patch = useChange(async (active: boolean) => data(await api.PATCH('/api/v1/webhooks/{id}', { ...path, body: { active } })), KEYS);
  const replay = useChange(async (at: string) => data(await api.POST('/api/v1/webhooks/{id}/replay', { ...path, body: { from: at } })), KEYS);
  const rotate = useChange(async () => data(await api.POST('/api/v1/webhooks/{id}/rotate-secret', path)), KEYS);
  const remove = useChange(async () => api.DELETE('/api/v1/webhooks/{id}', path), KEYS);
  const label = (key: string) => t(`admin.people.webhooks.${key}`);
  const run = async <R,>(call: () => Promise<R>, done?: (r: R) => void) => {
    try {
      // called first: `done?.(await call())` would skip the call when there is nothing to do after it
      const result = await call();
      done?.(result);
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  return (
    <Space wrap size={4}>
      <Button size="small" loading={patch.isPending} onClick={() => void run(() => patch.mutateAsync(!hook.active))}>{hook.active ? label('pause') : label('resume')}</Button>
      <Popover trigger="click" title={label('replayFrom')} content={
        <Space>
          <DatePicker showTime showNow={false} value={from} onChange={setFrom} aria-label={label('replayFrom')} />
          <Button type="primary" size="small" disabled={!from} loading={replay.isPending}
            onClick={() => void run(() => replay.mutateAsync(beijingInstant(from!)), () => void message.success(label('replayDone').replace('{{time}}', when(beijingInstant(from!)))))}>
            {label('replay')}
          </Button>
        </Space>}>
        <Button size="small">{label('replay')}</Button>
      </Popover>
      <Popconfirm title={t('admin.people.webhooks.rotateConfirm', { name: hook.name })} okText={t('admin.people.common.confirm')} cancelText={t('admin.people.common.cancel')}
        onConfirm={() => void run(() => rotate.mutateAsync(undefined), (r) => onSecret({ title: t('admin.people.webhooks.rotatedTitle', { name: hook.name }), value: r.secret, note: label('usage') }))}>
        <Button size="small">{label('rotate')}</Button>
      </Popconfirm>
      <Popconfirm title={t('admin.people.webhooks.removeConfirm', { name: hook.name })} okText={t('admin.people.common.confirm')} cancelText={t('admin.people.common.cancel')}
        onConfirm={() => void run(() => remove.mutateAsync(undefined), () => void message.success(t('admin.people.webhooks.removed', { name: hook.name })))}>
        <Button size="small" danger aria-label={`${label('remove')} ${hook.name}`}>{label('remove')}</Button>
      </Popconfirm>
    </Space>
  );
}

export function WebhooksSection() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<Secret | null>(null);
  const hooks = useQuery({ queryKey: KEYS, queryFn: async () => data(await api.GET('/api/v1/webhooks')) });
  const label = (key: string) => t(`admin.people.webhooks.${key}`);
  return (
    <>
      <Flex justify="space-between" align="start" gap={16} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 900 }}>{label('hint')}</Typography.Paragraph>
        <Button type="primary" onClick={() => setCreating(true)}>{label('new')}</Button>
      </Flex>
      {hooks.error && <ErrorNotice error={hooks.error} />}
      <Table<Webhook> rowKey="id" loading={hooks.isFetching} dataSource={hooks.data?.items ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: emptyText(label('empty'), label('emptyHint')) }}
        expandable={{ expandedRowRender: (h) => <Attempts id={h.id} /> }}
        columns={[
          { title: label('name'), dataIndex: 'name', render: (name: string, h) => <TwoLines main={name} sub={<Typography.Text code ellipsis={{ tooltip: h.url }} style={{ fontSize: 12, maxWidth: 360 }}>{h.url}</Typography.Text>} /> },
          { title: label('unit'), dataIndex: 'unit', render: (u: Webhook['unit']) => u?.name ?? t('admin.people.units.cityWide') },
          { title: label('types'), dataIndex: 'types', render: (types: string[] | null) => (types
            ? types.map((type) => <Tag key={type}>{t(`events.${type}`, { defaultValue: type })}</Tag>) : label('allTypes')) },
          { title: label('status'), render: (_: unknown, h) => (!h.active ? <Status ok={false} text={label('paused')} />
            : h.failures > 0 ? <TwoLines main={<Status ok={false} text={t('admin.people.webhooks.failing', { count: h.failures, time: when(h.nextAttemptAt) })} />} sub={h.lastError} />
              : <Status ok text={label('active')} />) },
          { title: label('lastDelivered'), render: (_: unknown, h) => (h.lastDeliveredAt
            ? <TwoLines main={when(h.lastDeliveredAt)} sub={`${label('position')} ${h.position}`} /> : label('never')) },
          { title: t('admin.people.common.actions'), key: 'act', render: (_: unknown, h) => <Actions hook={h} onSecret={setSecret} /> },
        ]} />
      <NewWebhookForm open={creating} onClose={() => setCreating(false)} onCreated={setSecret} />
      <SecretOnce secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}
