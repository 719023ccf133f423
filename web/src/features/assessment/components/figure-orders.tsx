// The orders behind one figure of one unit: the rounds counted, each opening its order.
import { Drawer, Empty, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../../shared/error-notice';
import { pagerOf, useFormatTime } from '../../../shared/format';
import { StateTag } from '../../../shared/orders/order-table';
import { useFigureOrders, type FigureName, type FigureOrder, type UnitAssessment } from '../api/assessment';

export function FigureOrders({ month, shown, onClose }: { month: string; shown: { unit: UnitAssessment; figure: FigureName } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const orders = useFigureOrders(month, shown?.unit.unit.id ?? null, shown?.figure ?? 'accountable', page);
  const p = orders.data;
  return (
    <Drawer open={shown !== null} onClose={onClose} size={1000} destroyOnHidden afterOpenChange={(open) => open || setPage({ limit: 20, offset: 0 })}
      title={shown && t('assessment.ordersBehind', { unit: shown.unit.unit.name, figure: t(`assessment.figures.${shown.figure}`) })}>
      {orders.error && <ErrorNotice error={orders.error} />}
      <Table<FigureOrder> rowKey={(o) => `${o.orderId}-${o.round}`} size="small" loading={orders.isFetching} dataSource={p?.items ?? []}
        locale={{ emptyText: <Empty /> }} pagination={pagerOf(p, (offset, limit) => setPage({ offset, limit }))}
        columns={[
          { title: t('order.trackingNo'), dataIndex: 'trackingNo', width: 170, render: (no: string, o) => <Link to={`/orders/${o.orderId}`}>{no}</Link> },
          { title: t('order.title'), dataIndex: 'title', ellipsis: true },
          { title: t('order.state'), dataIndex: 'state', render: (state: FigureOrder['state']) => <StateTag state={state} /> },
          { title: t('assessment.round'), dataIndex: 'round', align: 'right' },
          { title: t('assessment.startedAt'), dataIndex: 'startedAt', render: when },
          { title: t('assessment.repliedAt'), dataIndex: 'repliedAt', render: when },
          { title: t('assessment.replyDueAt'), dataIndex: 'replyDueAt', render: when },
          { title: t('assessment.visit'), dataIndex: 'visitSatisfaction', render: (s: FigureOrder['visitSatisfaction']) => (s ? t(`satisfaction.${s}`) : '—') },
        ]} />
    </Drawer>
  );
}
