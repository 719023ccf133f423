// Early warnings (突发事件预警): bursts of one matter from one place beyond what the place's history
// predicts, raised by the server as the reports come in and shown here live (the stream refreshes the
// list). Anyone of the hotline opens one and sees its reports; a supervisor, lead or leader acknowledges
// it and closes it with the outcome.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Segmented, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCanHandleWarnings } from '../../app/session';
import { api, data } from '../../shared/api/client';
import { ErrorNotice } from '../../shared/error-notice';
import { pagerOf, useFormatTime } from '../../shared/format';
import { placeOf, StatusTag, WarningDrawer, type Warning } from '../../shared/warnings/warning-drawer';

const FILTERS = { active: ['open', 'acknowledged'], closed: ['closed'], all: undefined } as const;

export function WarningsPage() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [filter, setFilter] = useState<keyof typeof FILTERS>('active');
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const [open, setOpen] = useState<string | null>(null);
  const canHandle = useCanHandleWarnings();
  const warnings = useQuery({ queryKey: ['warnings', filter, page], placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/warnings', { params: { query: { status: FILTERS[filter] ? [...FILTERS[filter]] : undefined, ...page } } })) });
  const p = warnings.data;
  return (
    <Card title={t('menu.warnings')} extra={
      <Segmented<keyof typeof FILTERS> value={filter} onChange={(v) => { setFilter(v); setPage({ limit: 20, offset: 0 }); }}
        options={(['active', 'closed', 'all'] as const).map((f) => ({ value: f, label: t(`warnings.${f}`) }))} />
    }>
      <Typography.Paragraph type="secondary">{t('warnings.hint')}</Typography.Paragraph>
      {warnings.error && <ErrorNotice error={warnings.error} />}
      <Table<Warning> rowKey="id" loading={warnings.isFetching} dataSource={p?.items ?? []}
        locale={{ emptyText: <Empty description={t(filter === 'closed' ? 'warnings.emptyClosed' : 'warnings.empty')} /> }}
        pagination={pagerOf(p, (offset, limit) => setPage({ offset, limit }))}
        onRow={(w) => ({ onDoubleClick: () => setOpen(w.id) })}
        columns={[
          { title: t('order.state'), dataIndex: 'status', width: 100, render: (s: Warning['status']) => <StatusTag status={s} /> },
          { title: t('warnings.place'), key: 'place', render: (_: unknown, w) => placeOf(w) },
          { title: t('warnings.matter'), dataIndex: ['category', 'name'] },
          { title: t('warnings.reports'), dataIndex: 'reports', width: 90 },
          { title: t('warnings.firstReport'), dataIndex: 'firstReportAt', render: when },
          { title: t('warnings.lastReport'), dataIndex: 'lastReportAt', render: when },
          { title: t('order.actions'), key: 'open', render: (_: unknown, w) => <Button onClick={() => setOpen(w.id)}>{t('warnings.details')}</Button> },
        ]} />
      <WarningDrawer id={open} onClose={() => setOpen(null)} canHandle={canHandle} />
    </Card>
  );
}
