// The audit log (审计日志), newest first: every change to staff, units, keys and rules, the sign-ins,
// each read of a citizen's contact details, and the orders' own changes; filtered by action, target,
// who and when. Each row opens to its full detail.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DatePicker, Form, Input, Select, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, data, type Answer } from '../../../shared/api/client';
import { beijingInstant, useFormatTime } from '../../../shared/format';
import { FilterBar, PagedTable, TwoLines, useSettled } from './common';
import { UnitName } from '../../../shared/unit-search';
import { actionName, AUDIT_ACTIONS, subjectName, SUBJECT_TYPES } from './words';

type Entry = Answer<'/api/v1/audit', 'get'>['items'][number];
type Moment = Dayjs | null;
interface Filters { action?: string; subjectType?: string; actorId?: string; subjectId?: string; period?: [Moment, Moment] | null }

/** Who may have acted (and been acted on): the staff (the first 200) and the API keys, by name. */
function useActors() {
  const { t } = useTranslation();
  const staff = useQuery({ queryKey: ['admin', 'staff', 'actors'], staleTime: 60_000,
    queryFn: async () => data(await api.GET('/api/v1/staff', { params: { query: { limit: 200 } } })).items });
  const keys = useQuery({ queryKey: ['admin', 'api-keys'], queryFn: async () => data(await api.GET('/api/v1/api-keys')) });
  const people = (staff.data ?? []).map((s) => ({ value: s.id, name: s.displayName, label: `${s.displayName} (${s.username})` }));
  const systems = (keys.data ?? []).map((k) => ({ value: k.id, name: k.name, label: `${k.name} · ${t('admin.people.audit.actorKinds.api_key')}` }));
  return { options: [...people, ...systems], names: new Map([...people, ...systems].map((a) => [a.value, a.name])) };
}

function Target({ record, names }: { record: Entry; names: Map<string, string> }) {
  const { t } = useTranslation();
  const id = record.subjectId;
  return (
    <>
      <Tag>{subjectName(t, record.subjectType)}</Tag>
      {id && record.subjectType === 'order' && <Link to={`/orders/${id}`}>{t('admin.people.audit.subjects.order')}</Link>}
      {id && record.subjectType === 'unit' && <UnitName id={id} />}
      {id && names.get(id)}
      {id && <><br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{id}</Typography.Text></>}
    </>
  );
}

export function AuditSection() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const { options: actors, names } = useActors();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const { period, subjectId, ...chosen } = useSettled(filters);
  const query = { ...chosen, subjectId: subjectId || undefined, from: period?.[0] ? beijingInstant(period[0]) : undefined, to: period?.[1] ? beijingInstant(period[1]) : undefined };
  const audit = useQuery({ queryKey: ['admin', 'audit', query, page], placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/audit', { params: { query: { ...page, ...query } } })) });
  const label = (key: string) => t(`admin.people.audit.${key}`);
  const any = { allowClear: true, showSearch: { optionFilterProp: 'label' } };
  return (
    <>
      <FilterBar<Filters> name="audit-filters" onChange={(all) => { setFilters(all); setPage({ ...page, offset: 0 }); }}>
        <Form.Item label={label('action')} name="action">
          <Select {...any} placeholder={label('anyAction')} style={{ width: 170 }}
            options={AUDIT_ACTIONS.map((a) => ({ value: a, label: actionName(t, a) }))} />
        </Form.Item>
        <Form.Item label={label('subjectType')} name="subjectType">
          <Select {...any} placeholder={label('anySubject')} style={{ width: 120 }} options={SUBJECT_TYPES.map((s) => ({ value: s, label: subjectName(t, s) }))} />
        </Form.Item>
        <Form.Item label={label('subjectId')} name="subjectId"><Input allowClear style={{ width: 150 }} /></Form.Item>
        <Form.Item label={label('actor')} name="actorId"><Select {...any} placeholder={label('anyActor')} style={{ width: 170 }} options={actors} /></Form.Item>
        <Form.Item label={label('period')} name="period"><DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" /></Form.Item>
      </FilterBar>
      <PagedTable<Entry> query={audit} rowKey={(r) => `${r.source}-${r.id}`} emptyTitle={label('empty')} emptyHint={label('emptyHint')}
        onPage={(offset, limit) => setPage({ offset, limit })}
        expandable={{ rowExpandable: (r) => Object.keys(r.detail).length > 0,
          expandedRowRender: (r) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(r.detail, null, 2)}</pre> }}
        columns={[
          { title: label('at'), dataIndex: 'at', render: when, width: 170 },
          { title: label('who'), key: 'who', render: (_: unknown, r) => (
            <TwoLines main={r.actorKind === 'system' ? label('system') : (r.actorId && names.get(r.actorId)) || r.actorName}
              sub={`${label(`actorKinds.${r.actorKind}`)}${r.actorKind === 'staff' ? ` · ${r.actorName}` : ''}`} />) },
          { title: label('action'), dataIndex: 'action', render: (a: string) => (
            <TwoLines main={actionName(t, a)} sub={a} />) },
          { title: label('target'), key: 'target', render: (_: unknown, r) => <Target record={r} names={names} /> },
          { title: label('detail'), dataIndex: 'detail', ellipsis: true, render: (d: object) => (Object.keys(d).length ? JSON.stringify(d) : '—') },
          { title: label('ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—', width: 120 },
        ]} />
    </>
  );
}
