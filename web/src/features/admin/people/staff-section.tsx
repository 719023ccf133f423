// Staff (人员): the accounts of the hotline and of the units, filtered by unit and role; an account
// is created with its initial password shown once, its roles changed, its password reset (the new
// one shown once) and the account deactivated or reactivated.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Form, Input, Popconfirm, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../../shared/api/client';
import { activeColumn, FilterBar, PagedTable, useSettled } from './common';
import { SecretOnce, type Secret } from './secret-once';
import { NewStaffForm, RolesForm, useResetPassword, useUpdateStaff } from './staff-forms';
import { UnitName, UnitSearch } from '../../../shared/unit-search';
import { ROLES, roleName, type Role, type Staff } from './words';

interface Filters { q?: string; unitId?: string; role?: Role; status?: 'active' | 'inactive' }

function RowActions({ staff, onRoles, onSecret }: { staff: Staff; onRoles: () => void; onSecret: (s: Secret) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateStaff();
  const reset = useResetPassword();
  const name = staff.displayName;
  const label = (key: string) => t(`admin.people.staff.${key}`, { name });
  const toggle = async () => {
    await update.mutateAsync({ id: staff.id, patch: { active: !staff.active } });
    void message.success(label(staff.active ? 'deactivated' : 'reactivated'));
  };
  const resetPassword = async () => onSecret({ title: label('passwordTitle'), value: await reset.mutateAsync(staff.id) });
  const confirm = { okText: t('admin.people.common.confirm'), cancelText: t('admin.people.common.cancel') };
  // a refusal is said in the server's words
  const run = (action: () => Promise<void>) => () => action().catch((e: Error) => { void message.error(e.message); });
  return (
    <Space wrap size={4}>
      <Button size="small" onClick={onRoles} aria-label={`${label('editRoles')} ${name}`}>{label('editRoles')}</Button>
      <Popconfirm title={label('resetConfirm')} {...confirm} onConfirm={run(resetPassword)}>
        <Button size="small" loading={reset.isPending} aria-label={`${label('resetPassword')} ${name}`}>{label('resetPassword')}</Button>
      </Popconfirm>
      <Popconfirm title={label(staff.active ? 'deactivateConfirm' : 'reactivateConfirm')} {...confirm} onConfirm={run(toggle)}>
        <Button size="small" danger={staff.active} loading={update.isPending} aria-label={`${label(staff.active ? 'deactivate' : 'reactivate')} ${name}`}>
          {label(staff.active ? 'deactivate' : 'reactivate')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

export function StaffSection() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const [creating, setCreating] = useState(false);
  const [roles, setRoles] = useState<{ open: boolean; staff?: Staff }>({ open: false });
  const [secret, setSecret] = useState<Secret | null>(null);
  const { q, status, ...chosen } = useSettled(filters);
  const staff = useQuery({ queryKey: ['admin', 'staff', q, status, chosen, page], placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/staff', { params: { query: { ...page, ...chosen, q: q?.trim() || undefined,
      active: status === undefined ? undefined : status === 'active' } } })) });
  const label = (key: string) => t(`admin.people.staff.${key}`);
  return (
    <>
      <FilterBar<Filters> name="staff-filters" onChange={(all) => { setFilters(all); setPage({ ...page, offset: 0 }); }}
        action={<Button type="primary" onClick={() => setCreating(true)}>{label('new')}</Button>}>
        <Form.Item label={label('search')} name="q"><Input allowClear style={{ width: 160 }} /></Form.Item>
        <Form.Item label={t('admin.people.common.unit')} name="unitId"><UnitSearch<string> closedToo placeholder={t('admin.people.common.all')} style={{ width: 220 }} /></Form.Item>
        <Form.Item label={label('role')} name="role">
          <Select allowClear placeholder={t('admin.people.common.all')} style={{ width: 150 }} options={ROLES.map((r) => ({ value: r, label: roleName(t, r) }))} />
        </Form.Item>
        <Form.Item label={t('admin.people.common.status')} name="status">
          <Select allowClear placeholder={t('admin.people.common.all')} style={{ width: 110 }}
            options={[{ value: 'active', label: t('admin.people.common.active') }, { value: 'inactive', label: t('admin.people.common.inactive') }]} />
        </Form.Item>
      </FilterBar>
      <PagedTable<Staff> query={staff} emptyTitle={label('empty')} emptyHint={label('emptyHint')}
        onPage={(offset, limit) => setPage({ offset, limit })}
        columns={[
          { title: label('displayName'), dataIndex: 'displayName' },
          { title: label('username'), dataIndex: 'username' },
          { title: t('admin.people.common.unit'), dataIndex: 'unitId', render: (id: string) => <UnitName id={id} /> },
          { title: label('roles'), dataIndex: 'roles', render: (rs: Role[]) => rs.map((r) => <Tag key={r}>{roleName(t, r)}</Tag>) },
          activeColumn(t),
          { title: t('admin.people.common.actions'), key: 'act', render: (_: unknown, s) => (
            <RowActions staff={s} onRoles={() => setRoles({ open: true, staff: s })} onSecret={setSecret} />) },
        ]} />
      <NewStaffForm open={creating} onClose={() => setCreating(false)}
        onCreated={(s, password) => setSecret({ title: t('admin.people.staff.createdTitle', { name: s.displayName }), value: password,
          note: `${label('username')}: ${s.username}` })} />
      <RolesForm open={roles.open} staff={roles.staff} onClose={() => setRoles({ ...roles, open: false })} />
      <SecretOnce secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}
