// Creating a handling unit (code, name, level, kind, parent, areas) or changing one (what PATCH
// takes: name, kind, active, areas).
import { App, Form, Input, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../../shared/api/client';
import { AreasPicker } from './area-picker';
import { useChange } from './common';
import { FormModal } from './form-modal';
import { UnitSearch } from '../../../shared/unit-search';
import { LEVELS, levelName, type Body, type Unit } from './words';

type NewUnit = Body<'/api/v1/units', 'post'>;
type UnitPatch = Body<'/api/v1/units/{id}', 'patch'>;

function useSaveUnit() {
  return useChange(async ({ id, body }: { id: null; body: NewUnit } | { id: string; body: UnitPatch }) => id === null
    ? data(await api.POST('/api/v1/units', { body }))
    : data(await api.PATCH('/api/v1/units/{id}', { params: { path: { id } }, body })), ['admin', 'units'], ['units']);
}

/** `unit`: the unit to change; null: a new one. */
export function UnitForm({ open, unit, onClose }: { open: boolean; unit: Unit | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSaveUnit();
  const submit = async (v: NewUnit & { active?: boolean }) => {
    const areaCodes = v.areaCodes ?? [];
    if (unit) await save.mutateAsync({ id: unit.id, body: { name: v.name, kind: v.kind, active: v.active, areaCodes } });
    else await save.mutateAsync({ id: null, body: { code: v.code, name: v.name, level: v.level, kind: v.kind, parentId: v.parentId ?? null, areaCodes } });
    void message.success(t(unit ? 'admin.people.common.saved' : 'admin.people.common.created'));
  };
  const label = (key: string) => t(`admin.people.units.${key}`);
  return (
    <FormModal<NewUnit & { active?: boolean }> open={open} onClose={onClose} submit={submit}
      title={unit ? t('admin.people.units.editTitle', { name: unit.name }) : label('new')}
      initialValues={unit ?? { active: true }}>
      {!unit && (
        <>
          <Form.Item label={label('parent')} name="parentId" extra={label('topLevel')}><UnitSearch<string> closedToo placeholder={t('admin.people.common.anyUnit')} /></Form.Item>
          <Form.Item label={label('level')} name="level" rules={[{ required: true }]}>
            <Select options={LEVELS.map((l) => ({ value: l, label: levelName(t, l) }))} />
          </Form.Item>
          <Form.Item label={label('code')} name="code" extra={label('codeHint')} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,32}$/ }]}>
            <Input autoComplete="off" />
          </Form.Item>
        </>
      )}
      <Form.Item label={t('admin.people.common.name')} name="name" rules={[{ required: true, max: 100 }]}><Input /></Form.Item>
      <Form.Item label={label('kind')} name="kind" extra={label('kindHint')} rules={[{ required: true, max: 64 }]}><Input autoComplete="off" /></Form.Item>
      <Form.Item label={label('areas')} name="areaCodes" extra={label('cityWide')}><AreasPicker /></Form.Item>
      {unit && (
        <Form.Item label={t('admin.people.common.active')} name="active" valuePropName="checked" extra={label('activeHelp')}><Switch /></Form.Item>
      )}
    </FormModal>
  );
}
