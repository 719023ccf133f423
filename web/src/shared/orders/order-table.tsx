// A page of orders: the number opens the order; the pager knows how many there are (or that
// there are more than it counted).
import { Empty, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Answer } from '../api/client';
import { pagerOf, useFormatTime } from '../format';
import { BLUE, AMBER, TEAL, RED, GREEN, GREY, ToneTag } from '../tone-tag';

export { TONES, ToneTag } from '../tone-tag';

export type OrderPage = Answer<'/api/v1/orders', 'get'>;
export type OrderRow = OrderPage['items'][number];

const STATE_COLORS: Record<string, string[]> = { registered: BLUE, dispatched: AMBER, signed: TEAL, returned: RED, replied: GREEN,
  visited: GREEN, closed: GREY, merged: GREY, cancelled: GREY, archived: GREY };

export function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return <ToneTag tone={STATE_COLORS[state] ?? GREY}>{t(`states.${state}`)}</ToneTag>;
}

/** An order as a list of reports names it (a warning's, a hot topic's): its number, title, when it came and its state now. */
export interface OrderRef { orderId: string; trackingNo: string | null; title: string | null; at: string; state: string | null }

/** The columns of such a list: the number opens the order. */
export function useOrderRefColumns(): ColumnsType<OrderRef> {
  const { t } = useTranslation();
  const when = useFormatTime();
  return [
    { title: t('order.trackingNo'), dataIndex: 'trackingNo', render: (no: string | null, r) => <Link to={`/orders/${r.orderId}`}>{no ?? r.orderId}</Link> },
    { title: t('order.title'), dataIndex: 'title', ellipsis: true },
    { title: t('warnings.registeredAt'), dataIndex: 'at', render: when },
    { title: t('order.state'), dataIndex: 'state', render: (s: string | null) => (s ? <StateTag state={s} /> : '—') },
  ];
}

export function OrderTable<R extends OrderRow>({ page, loading, onPage, empty, extraColumns = [], hide = [] }: {
  page: { items: R[]; total: number; totalExact: boolean; limit: number; offset: number } | undefined; loading: boolean;
  onPage: (offset: number, limit: number) => void; empty: { title: string; hint: string }; extraColumns?: ColumnsType<R>;
  /** columns that say nothing on this list (every order's state is the same) */
  hide?: ('state' | 'leadUnit')[];
}) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const total = page ? (page.totalExact ? t('common.total', { count: page.total }) : t('common.totalAtLeast', { count: page.total })) : '';
  return (
    <Table<R>
      rowKey="id" size="middle" loading={loading} dataSource={page?.items ?? []}
      locale={{ emptyText: <Empty description={<><div>{empty.title}</div><Typography.Text type="secondary">{empty.hint}</Typography.Text></>} /> }}
      pagination={page && { ...pagerOf(page, onPage), showTotal: () => total, showSizeChanger: true, pageSizeOptions: [20, 50, 100] }}
      columns={[
        { title: t('order.trackingNo'), dataIndex: 'trackingNo', render: (no: string, o) => <Link to={`/orders/${o.id}`}>{no}</Link> },
        { title: t('order.title'), dataIndex: 'title', ellipsis: true },
        ...(hide.includes('state') ? [] : [{ title: t('order.state'), dataIndex: 'state', render: (s: string) => <StateTag state={s} /> }]),
        ...(hide.includes('leadUnit') ? [] : [{ title: t('order.leadUnit'), dataIndex: ['leadUnit', 'name'], ellipsis: true }]),
        { title: t('order.createdAt'), dataIndex: 'createdAt', render: when },
        ...extraColumns,
      ]}
    />
  );
}
