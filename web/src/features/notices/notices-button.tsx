// The user's notices (deadline warnings, overdue marks, urges, escalations, a month's report ready,
// an article expired, a quality review scored),
// unread first counted on the button; each opens its order (or its report) and can be marked read.
// Those about orders follow the live stream; a report's comes at 08:00 on the first and is read
// with the others every few minutes and when the window regains focus.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Drawer, Empty, List, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, data } from '../../shared/api/client';
import { useFormatTime } from '../../shared/format';

export function NoticesButton() {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const when = useFormatTime();
  const client = useQueryClient();
  // under 'orders': a change to an order (an urge, a warning) reads them again
  const notices = useQuery({
    queryKey: ['orders', 'notices', i18n.language],
    placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/notices', { params: { query: { unreadOnly: true, limit: 50 } } })),
    refetchInterval: 5 * 60_000,
    refetchOnWindowFocus: true,
  });
  const read = useMutation({
    mutationFn: async (id: number) => api.POST('/api/v1/notices/{id}/read', { params: { path: { id } } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['orders', 'notices'] }),
  });
  const unread = notices.data?.total ?? 0;
  return (
    <>
      <Badge count={unread} size="small" overflowCount={99}>
        <Button onClick={() => setOpen(true)} aria-label={t('notices.unread', { count: unread })}>{t('notices.title')}</Button>
      </Badge>
      <Drawer open={open} onClose={() => setOpen(false)} title={t('notices.title')} size="large">
        <List locale={{ emptyText: <Empty description={t('notices.none')} /> }} dataSource={notices.data?.items ?? []}
          renderItem={(n) => (
            <List.Item actions={[<Button key="read" size="small" onClick={() => read.mutate(n.id)}>{t('notices.markRead')}</Button>]}>
              <List.Item.Meta title={<NoticeLink notice={n} onOpen={() => setOpen(false)} />}
                description={<><Typography.Text>{n.message}</Typography.Text><br />
                  <Typography.Text type="secondary">{when(n.createdAt)}</Typography.Text></>} />
            </List.Item>
          )} />
      </Drawer>
    </>
  );
}

/** Where a notice leads: its order, the report ready, the knowledge article expired. */
function NoticeLink({ notice: n, onOpen }: { notice: { kind: string; orderId: string | null; trackingNo: string | null; detail: Record<string, unknown> }; onOpen: () => void }) {
  const { t } = useTranslation();
  if (n.kind === 'report_ready') {
    return <Link to={`/analytics?report=${encodeURIComponent(String(n.detail.period))}`} onClick={onOpen}>{t('notices.report', { period: n.detail.period })}</Link>;
  }
  if (n.kind === 'quality_reviewed') {
    return <Link to={`/calls/my-quality?month=${encodeURIComponent(String(n.detail.month))}`} onClick={onOpen}>{t('notices.quality', { month: n.detail.month })}</Link>;
  }
  if (n.kind === 'knowledge_expired') return <Link to={`/knowledge?article=${String(n.detail.articleId)}`} onClick={onOpen}>{String(n.detail.title)}</Link>;
  return <Link to={`/orders/${n.orderId}`} onClick={onOpen}>{n.trackingNo}</Link>;
}
