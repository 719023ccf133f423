// The month's samples: team leads draw them (every mis-routed or reopened order, random orders and
// calls per agent) and open one to score it; the others read them. Those waiting come first.
import { App, Button, Empty, Form, InputNumber, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHasRole } from '../../../app/session';
import { ErrorNotice } from '../../../shared/error-notice';
import { pagerOf, useFormatTime } from '../../../shared/format';
import { TONES, ToneTag } from '../../../shared/tone-tag';
import { useDraw, useReviews, type Review, type ReviewQuery } from '../api/reviews';
import { ReasonTags, ScoreText } from './reason-tags';
import { ReviewDrawer } from './review-drawer';

type Filters = Pick<ReviewQuery, 'state' | 'reason' | 'limit' | 'offset'>;

export function ReviewsView({ month }: { month: string }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const reviewer = useHasRole('lead');
  const [filters, setFilters] = useState<Filters>({ limit: 20, offset: 0 });
  const [open, setOpen] = useState<Review | null>(null);
  const reviews = useReviews({ month, ...filters });
  const filter = (next: Partial<Filters>) => setFilters({ ...filters, ...next, offset: 0 });
  const p = reviews.data;
  return (
    <>
      {reviewer && <DrawForm month={month} />}
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item>
          <Select aria-label={t('quality.filters.state')} style={{ width: 130 }} value={filters.state ?? ''}
            options={[{ value: '', label: t('quality.filters.anyState') }, ...(['pending', 'reviewed'] as const).map((s) => ({ value: s, label: t(`quality.states.${s}`) }))]}
            onChange={(s: string) => filter({ state: (s || undefined) as Filters['state'] })} />
        </Form.Item>
        <Form.Item>
          <Select aria-label={t('quality.filters.reason')} style={{ width: 220 }} value={filters.reason ?? ''}
            options={[{ value: '', label: t('quality.filters.anyReason') },
              ...(['random', 'misrouted', 'reopened'] as const).map((r) => ({ value: r, label: t(`quality.reasons.${r}`) }))]}
            onChange={(r: string) => filter({ reason: (r || undefined) as Filters['reason'] })} />
        </Form.Item>
      </Form>
      {reviews.error && <ErrorNotice error={reviews.error} />}
      <Table<Review> rowKey="id" size="middle" loading={reviews.isFetching} dataSource={p?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: filters.state || filters.reason ? <Empty description={t('quality.noneMatch')} />
          : <Empty description={<>{t('quality.empty')}<br /><Typography.Text type="secondary">{t('quality.emptyHint')}</Typography.Text></>} /> }}
        pagination={p && { ...pagerOf(p, (offset, limit) => setFilters({ ...filters, offset, limit })),
          showTotal: (n: number) => t('quality.total', { count: n }), showSizeChanger: true, pageSizeOptions: [20, 50, 100] }}
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('quality.columns.agent'), dataIndex: 'agentName', render: (name: string | null, r) => (
            <Typography.Link onClick={(e) => { e.stopPropagation(); setOpen(r); }}>{name ?? r.agentId}</Typography.Link>) },
          { title: t('quality.columns.subject'), key: 'subject', render: (_: unknown, r) => <Subject review={r} /> },
          { title: t('quality.columns.reasons'), dataIndex: 'reasons', render: (reasons: Review['reasons']) => <ReasonTags reasons={reasons} /> },
          { title: t('quality.columns.workAt'), dataIndex: 'workAt', render: (at: string) => when(at) },
          { title: t('quality.columns.state'), dataIndex: 'state', render: (s: Review['state']) => (
            <ToneTag tone={s === 'reviewed' ? TONES.success : TONES.info}>{t(`quality.states.${s}`)}</ToneTag>) },
          { title: t('quality.columns.score'), key: 'score', align: 'right', render: (_: unknown, r) => <ScoreText review={r} /> },
          { title: t('quality.columns.reviewer'), dataIndex: 'reviewerName', render: (name: string | null) => name ?? '—' },
        ]} />
      <ReviewDrawer review={open} onClose={() => setOpen(null)} onScored={setOpen} />
    </>
  );
}

/** An order by its tracking number, a call by its id. */
export function Subject({ review }: { review: Pick<Review, 'kind' | 'trackingNo' | 'subjectId'> }) {
  const { t } = useTranslation();
  return <>{t(`quality.kinds.${review.kind}`)} {review.kind === 'order' ? review.trackingNo ?? review.subjectId : review.subjectId}</>;
}

function DrawForm({ month }: { month: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const draw = useDraw();
  const [counts, setCounts] = useState({ ordersPerAgent: 5, callsPerAgent: 2 });
  const submit = async () => {
    const drawn = await draw.mutateAsync({ month, ...counts });
    message.success(t('quality.draw.done', { ...drawn.added, agents: drawn.agents }));
  };
  return (
    <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }} onFinish={() => void submit().catch(() => undefined)}>
      <Form.Item label={t('quality.draw.orders')} htmlFor="draw-orders">
        <InputNumber id="draw-orders" min={0} max={100} value={counts.ordersPerAgent} onChange={(v) => setCounts({ ...counts, ordersPerAgent: v ?? 0 })} />
      </Form.Item>
      <Form.Item label={t('quality.draw.calls')} htmlFor="draw-calls">
        <InputNumber id="draw-calls" min={0} max={100} value={counts.callsPerAgent} onChange={(v) => setCounts({ ...counts, callsPerAgent: v ?? 0 })} />
      </Form.Item>
      <Form.Item extra={t('quality.draw.hint')}>
        <Button type="primary" htmlType="submit" loading={draw.isPending}>{t('quality.draw.submit')}</Button>
      </Form.Item>
      {draw.error && <ErrorNotice error={draw.error} />}
    </Form>
  );
}
