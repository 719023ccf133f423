// API keys (接口密钥): the keys outside systems call the API with, each with its scopes and, for a
// unit's own system, the unit it acts for. A new key is shown once; a revoked key stops at once.
import { useQuery } from '@tanstack/react-query';
import { App, Button, Checkbox, Flex, Form, Input, Popconfirm, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../../shared/api/client';
import { ErrorNotice } from '../../../shared/error-notice';
import { useFormatTime } from '../../../shared/format';
import { emptyText, Status, TwoLines, useChange } from './common';
import { FormModal } from './form-modal';
import { SecretOnce, type Secret } from './secret-once';
import { UnitName, UnitSearch } from '../../../shared/unit-search';
import { SCOPES, scopeName, type ApiKey, type Body, type Scope } from './words';

type NewKey = Body<'/api/v1/api-keys', 'post'>;
const KEYS = ['admin', 'api-keys'];

function NewKeyForm({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (s: Secret) => void }) {
  const { t } = useTranslation();
  const create = useChange(async (body: NewKey) => data(await api.POST('/api/v1/api-keys', { body })), KEYS);
  const label = (key: string) => t(`admin.people.keys.${key}`);
  const submit = async (v: NewKey) => {
    const made = await create.mutateAsync({ ...v, unitId: v.unitId ?? null });
    onCreated({ title: t('admin.people.keys.createdTitle', { name: made.info.name }), value: made.key, note: label('usage') });
  };
  return (
    <FormModal<NewKey> open={open} title={label('new')} onClose={onClose} submit={submit}>
      <Form.Item label={label('name')} name="name" extra={label('nameHint')} rules={[{ required: true, max: 100 }]}><Input autoComplete="off" /></Form.Item>
      <Form.Item label={label('scopes')} name="scopes" rules={[{ required: true }]}>
        <Checkbox.Group style={{ display: 'grid', gap: 8 }} options={SCOPES.map((s) => ({ value: s, label: scopeName(t, s) }))} />
      </Form.Item>
      <Form.Item label={label('unit')} name="unitId" extra={label('unitHint')}><UnitSearch<string> closedToo placeholder={t('admin.people.common.anyUnit')} /></Form.Item>
    </FormModal>
  );
}

function Revoke({ apiKey }: { apiKey: ApiKey }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const revoke = useChange(async (id: string) => api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } }), KEYS);
  const name = apiKey.name;
  const confirm = async () => {
    try {
      await revoke.mutateAsync(apiKey.id);
      void message.success(t('admin.people.keys.revokedDone', { name }));
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  return (
    <Popconfirm title={t('admin.people.keys.revokeConfirm', { name })} okText={t('admin.people.common.confirm')}
      cancelText={t('admin.people.common.cancel')} onConfirm={confirm}>
      <Button size="small" danger loading={revoke.isPending} aria-label={`${t('admin.people.keys.revoke')} ${name}`}>{t('admin.people.keys.revoke')}</Button>
    </Popconfirm>
  );
}

export function ApiKeysSection() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<Secret | null>(null);
  const keys = useQuery({ queryKey: KEYS, queryFn: async () => data(await api.GET('/api/v1/api-keys')) });
  const label = (key: string) => t(`admin.people.keys.${key}`);
  return (
    <>
      <Flex justify="end" style={{ marginBottom: 16 }}><Button type="primary" onClick={() => setCreating(true)}>{label('new')}</Button></Flex>
      {keys.error && <ErrorNotice error={keys.error} />}
      {/* the API gives every key at once (a city has a few dozen): the table pages them here */}
      <Table<ApiKey> rowKey="id" loading={keys.isFetching} dataSource={keys.data ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: emptyText(label('empty'), label('emptyHint')) }}
        columns={[
          { title: label('name'), dataIndex: 'name', render: (name: string, k) => (
            <>{name}<br /><Typography.Text code style={{ fontSize: 12 }}>{k.prefix}…</Typography.Text></>) },
          { title: label('scopes'), dataIndex: 'scopes', render: (scopes: Scope[]) => scopes.map((s) => <Tag key={s} title={s}>{scopeName(t, s)}</Tag>) },
          { title: label('unit'), dataIndex: 'unitId', render: (id: string | null) => (id ? <UnitName id={id} /> : t('admin.people.units.cityWide')) },
          { title: label('createdAt'), dataIndex: 'createdAt', render: when },
          { title: label('lastUsedAt'), dataIndex: 'lastUsedAt', render: (at: string | null) => (at ? when(at) : label('never')) },
          { title: t('admin.people.common.status'), dataIndex: 'revokedAt', render: (at: string | null) => (at
            ? <TwoLines main={<Status ok={false} text={label('revoked')} />} sub={when(at)} />
            : <Status ok text={label('inUse')} />) },
          { title: t('admin.people.common.actions'), key: 'act', render: (_: unknown, k) => (k.revokedAt ? null : <Revoke apiKey={k} />) },
        ]} />
      <NewKeyForm open={creating} onClose={() => setCreating(false)} onCreated={setSecret} />
      <SecretOnce secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}
