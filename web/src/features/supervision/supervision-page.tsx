// Supervision (督办): each unit's load, warned and overdue orders (the most pressing first), the
// extension requests to decide and the returned orders to arbitrate; each opens the order, where
// the supervisor urges, escalates, approves, denies or re-dispatches. The lists follow the live stream.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Empty, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, data, type Answer } from '../../shared/api/client';
import { ErrorNotice } from '../../shared/error-notice';
import { pagerOf, useFormatTime } from '../../shared/format';
import { TONES, ToneTag } from '../../shared/orders/order-table';

type Alert = Answer<'/api/v1/supervision/alerts', 'get'>['items'][number];
type Pending = Answer<'/api/v1/supervision/extensions', 'get'>['items'][number];
type UnitLoad = Answer<'/api/v1/supervision/units', 'get'>[number];

/** The deadline that presses now: the first not yet met. */
function pressing(a: Alert): { kind: 'sign' | 'reply' | 'close'; dueAt: string } {
  const kind = (['sign', 'reply', 'close'] as const).find((k) => !a.deadlines[k].metAt) ?? 'close';
  return { kind, dueAt: a.deadlines[kind].dueAt };
}

function Alerts({ level }: { level: 'warning' | 'overdue' }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const alerts = useQuery({ queryKey: ['orders', 'alerts', level, page], placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/supervision/alerts', { params: { query: { level, ...page } } })) });
  const p = alerts.data;
  return (
    <>
      {alerts.error && <ErrorNotice error={alerts.error} />}
      <Table<Alert> rowKey={(a) => `${a.orderId}-${a.round}`} loading={alerts.isFetching} dataSource={p?.items ?? []}
        locale={{ emptyText: <Empty description={t(level === 'overdue' ? 'supervision.noOverdue' : 'supervision.noWarnings')} /> }}
        pagination={pagerOf(p, (offset, limit) => setPage({ offset, limit }))}
        columns={[
          { title: t('order.trackingNo'), dataIndex: 'trackingNo', render: (no: string, a) => <Link to={`/orders/${a.orderId}`}>{no}</Link> },
          { title: t('order.title'), dataIndex: 'title', ellipsis: true },
          { title: t('order.leadUnit'), dataIndex: ['unit', 'name'], ellipsis: true },
          { title: t('supervision.deadline'), key: 'due', render: (_: unknown, a) => {
            const due = pressing(a);
            return <span><ToneTag tone={level === 'overdue' ? TONES.danger : TONES.warning}>{t(`supervision.${due.kind}`)}</ToneTag>{when(due.dueAt)}</span>;
          } },
        ]} />
    </>
  );
}

function Decisions({ kind }: { kind: 'extensions' | 'returns' }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const pending = useQuery({ queryKey: ['orders', 'decisions', kind, page], placeholderData: keepPreviousData,
    queryFn: async () => kind === 'extensions'
      ? data(await api.GET('/api/v1/supervision/extensions', { params: { query: page } }))
      : data(await api.GET('/api/v1/supervision/returns', { params: { query: page } })) });
  const p = pending.data;
  return (
    <>
      {pending.error && <ErrorNotice error={pending.error} />}
      <Table<Pending> rowKey="orderId" loading={pending.isFetching} dataSource={p?.items ?? []}
        locale={{ emptyText: <Empty description={t('supervision.nothingToDecide')} /> }}
        pagination={pagerOf(p, (offset, limit) => setPage({ offset, limit }))}
        columns={[
          { title: t('order.trackingNo'), dataIndex: 'trackingNo', render: (no: string, d) => <Link to={`/orders/${d.orderId}`}>{no}</Link> },
          { title: t('order.title'), dataIndex: 'title', ellipsis: true },
          { title: t('order.leadUnit'), dataIndex: ['unit', 'name'] },
          { title: t('order.reason'), dataIndex: 'reason', ellipsis: true },
          ...(kind === 'extensions' ? [{ title: t('order.days'), dataIndex: 'days' }] : []),
          { title: t('supervision.requestedAt'), dataIndex: 'requestedAt', render: when },
        ]} />
    </>
  );
}

function UnitLoads() {
  const { t } = useTranslation();
  const units = useQuery({ queryKey: ['orders', 'unit-loads'], queryFn: async () => data(await api.GET('/api/v1/supervision/units')) });
  return (
    <>
      {units.error && <ErrorNotice error={units.error} />}
      <Table<UnitLoad> rowKey={(u) => u.unit.id} size="small" loading={units.isFetching} dataSource={units.data ?? []} pagination={{ pageSize: 20 }}
        columns={[
          { title: t('order.leadUnit'), dataIndex: ['unit', 'name'] },
          { title: t('supervision.active'), dataIndex: 'active', sorter: (a, b) => a.active - b.active },
          { title: t('supervision.warning'), dataIndex: 'warning', sorter: (a, b) => a.warning - b.warning },
          { title: t('supervision.overdue'), dataIndex: 'overdue', defaultSortOrder: 'descend', sorter: (a, b) => a.overdue - b.overdue,
            render: (n: number) => (n > 0 ? <Typography.Text type="danger" strong>{n}</Typography.Text> : n) },
          { title: t('supervision.extensionPending'), dataIndex: 'extensionPending' },
        ]} />
    </>
  );
}

export function SupervisionPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('menu.supervision')}>
      <Tabs items={[
        { key: 'overdue', label: t('supervision.overdueOrders'), children: <Alerts level="overdue" /> },
        { key: 'warning', label: t('supervision.warnedOrders'), children: <Alerts level="warning" /> },
        { key: 'extensions', label: t('supervision.extensions'), children: <Decisions kind="extensions" /> },
        { key: 'returns', label: t('supervision.returns'), children: <Decisions kind="returns" /> },
        { key: 'units', label: t('supervision.units'), children: <UnitLoads /> },
      ]} />
    </Card>
  );
}
