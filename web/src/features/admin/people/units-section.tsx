// The handling units (单位): the network the hotline dispatches to, filtered by name, level, kind,
// parent and area served; a unit is created under its parent, and renamed, re-kinded, given its
// areas or (de)activated.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Select, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../../shared/api/client';
import { AreaPicker } from './area-picker';
import { useKindLabel } from '../rules/kinds';
import { activeColumn, FilterBar, PagedTable, TwoLines, useSettled } from './common';
import { UnitForm } from './unit-form';
import { UnitName, UnitSearch } from '../../../shared/unit-search';
import { LEVELS, levelName, type Level, type Unit } from './words';

interface Filters { q?: string; level?: Level; kind?: string; parentId?: string; areaCode?: string }

export function UnitsSection() {
  const kindLabel = useKindLabel();
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const [editing, setEditing] = useState<{ open: boolean; unit: Unit | null }>({ open: false, unit: null });
  const query = useSettled(filters);
  const units = useQuery({ queryKey: ['admin', 'units', query, page], placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/units', { params: { query: {
      ...page, q: query.q || undefined, level: query.level, kind: query.kind || undefined, parentId: query.parentId, areaCode: query.areaCode } } })) });
  const label = (key: string) => t(`admin.people.units.${key}`);
  return (
    <>
      <FilterBar<Filters> name="unit-filters" onChange={(all) => { setFilters(all); setPage({ ...page, offset: 0 }); }}
        action={<Button type="primary" onClick={() => setEditing({ open: true, unit: null })}>{label('new')}</Button>}>
        <Form.Item label={label('search')} name="q"><Input allowClear style={{ width: 160 }} /></Form.Item>
        <Form.Item label={label('level')} name="level">
          <Select allowClear placeholder={t('admin.people.common.all')} style={{ width: 130 }}
            options={LEVELS.map((l) => ({ value: l, label: levelName(t, l) }))} />
        </Form.Item>
        <Form.Item label={label('parent')} name="parentId"><UnitSearch<string> closedToo placeholder={t('admin.people.common.all')} style={{ width: 180 }} /></Form.Item>
        <Form.Item label={label('kind')} name="kind"><Input allowClear style={{ width: 130 }} /></Form.Item>
        <Form.Item label={label('area')} name="areaCode"><AreaPicker placeholder={t('admin.people.common.all')} style={{ width: 180 }} /></Form.Item>
      </FilterBar>
      <PagedTable<Unit> query={units} emptyTitle={label('empty')} emptyHint={label('emptyHint')}
        onPage={(offset, limit) => setPage({ offset, limit })}
        columns={[
          { title: t('admin.people.common.name'), dataIndex: 'name', render: (name: string, u) => (
            <TwoLines main={name} sub={u.code} />) },
          { title: label('level'), dataIndex: 'level', render: (l: Level) => <Tag>{levelName(t, l)}</Tag> },
          { title: label('kind'), dataIndex: 'kind', render: (kind: string) => <TwoLines main={kindLabel(kind)} sub={kind} /> },
          { title: label('parent'), dataIndex: 'parentId', render: (id: string | null) => (id ? <UnitName id={id} /> : '—') },
          { title: label('areas'), dataIndex: 'areaCodes', render: (codes: string[]) => (codes.length ? t('admin.people.units.areaCount', { count: codes.length }) : label('cityWide')) },
          activeColumn(t),
          { title: t('admin.people.common.actions'), key: 'act', render: (_: unknown, u) => (
            <Button size="small" onClick={() => setEditing({ open: true, unit: u })} aria-label={`${t('admin.people.common.edit')} ${u.name}`}>{t('admin.people.common.edit')}</Button>) },
        ]} />
      <UnitForm open={editing.open} unit={editing.unit} onClose={() => setEditing({ ...editing, open: false })} />
    </>
  );
}
