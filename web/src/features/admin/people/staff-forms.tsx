// The staff's changes through the API, and their forms: a new account (its initial password shown
// once), and a staff member's roles.
import { App, Checkbox, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../../shared/api/client';
import { useChange } from './common';
import { FormModal } from './form-modal';
import { UnitSearch } from '../../../shared/unit-search';
import { generatePassword, ROLES, roleName, type Body, type Staff } from './words';

type NewStaff = Body<'/api/v1/staff', 'post'>;
type StaffPatch = Body<'/api/v1/staff/{id}', 'patch'>;
const STAFF = ['admin', 'staff'];

export function useCreateStaff() {
  return useChange(async (body: NewStaff) => data(await api.POST('/api/v1/staff', { body })), STAFF);
}
export function useUpdateStaff() {
  return useChange(async ({ id, patch }: { id: string; patch: StaffPatch }) =>
    data(await api.PATCH('/api/v1/staff/{id}', { params: { path: { id } }, body: patch })), STAFF);
}
/** Sets a new password, made here, and returns it (the API keeps only its hash). */
export function useResetPassword() {
  return useChange(async (id: string) => {
    const password = generatePassword();
    await api.POST('/api/v1/staff/{id}/password', { params: { path: { id } }, body: { password } });
    return password;
  });
}

function RolesField() {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('admin.people.staff.roles')} name="roles" rules={[{ required: true }]}>
      <Checkbox.Group style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 8 }}
        options={ROLES.map((r) => ({ value: r, label: roleName(t, r) }))} />
    </Form.Item>
  );
}

/** A new account; `onCreated` gets the initial password, to show once. */
export function NewStaffForm({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (staff: Staff, password: string) => void }) {
  const { t } = useTranslation();
  const create = useCreateStaff();
  const label = (key: string) => t(`admin.people.staff.${key}`);
  const submit = async (v: NewStaff) => {
    const password = v.password || generatePassword();
    onCreated(await create.mutateAsync({ ...v, password }), password);
  };
  return (
    <FormModal<NewStaff> open={open} title={label('new')} onClose={onClose} submit={submit}>
      <Form.Item label={label('username')} name="username" extra={label('usernameHint')}
        rules={[{ required: true, min: 2, max: 64, pattern: /^[A-Za-z0-9_.-]+$/ }]}><Input autoComplete="off" /></Form.Item>
      <Form.Item label={label('displayName')} name="displayName" rules={[{ required: true, max: 64 }]}><Input autoComplete="off" /></Form.Item>
      <Form.Item label={t('admin.people.common.unit')} name="unitId" rules={[{ required: true }]}>
        <UnitSearch<string> closedToo placeholder={t('admin.people.common.anyUnit')} />
      </Form.Item>
      <RolesField />
      <Form.Item label={label('initialPassword')} name="password" extra={label('initialPasswordHint')} rules={[{ min: 8, max: 256 }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}

export function RolesForm({ open, staff, onClose }: { open: boolean; staff: Staff | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateStaff();
  const submit = async ({ roles }: { roles: Staff['roles'] }) => {
    await update.mutateAsync({ id: staff!.id, patch: { roles } });
    void message.success(t('admin.people.common.saved'));
  };
  return (
    <FormModal<{ roles: Staff['roles'] }> open={open} onClose={onClose} submit={submit}
      title={t('admin.people.staff.rolesTitle', { name: staff?.displayName })} initialValues={{ roles: staff?.roles }}>
      <RolesField />
    </FormModal>
  );
}
