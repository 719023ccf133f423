// The screen-pop (来电弹屏): the call just answered at the agent's seat, above the form. Who is
// calling, how often they have asked, what is still open, whether they were dissatisfied before or
// asked for confidentiality (a warning the agent cannot miss), their latest requests (each opens
// in a new tab: the form stays). It says when the caller has hung up; the form stays to be finished.
// The time from the stream's event to the profile on screen is on the panel (data-popped-ms), for
// the benchmark, and in the browser's performance timeline ("screen-pop").
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Typography } from 'antd';
import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { callerQuery, type CurrentCall } from '../../shared/calls/current-call';
import { ErrorNotice } from '../../shared/error-notice';
import { useFormatTime } from '../../shared/format';
import { StateTag } from '../../shared/orders/order-table';
import { TONES, ToneTag } from '../../shared/tone-tag';

export function CallPop({ call, onClose }: { call: CurrentCall; onClose: () => void }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const profile = useQuery(callerQuery(call.callId));
  const panel = useRef<HTMLElement>(null);
  const timed = useRef<string | null>(null);
  const p = profile.data;

  // the profile is in the page: the next paint shows it
  useLayoutEffect(() => {
    if (!p || call.arrivedAt === null || timed.current === call.callId || !panel.current) return;
    timed.current = call.callId;
    const shown = performance.now();
    panel.current.dataset.poppedMs = (shown - call.arrivedAt).toFixed(1);
    performance.measure('screen-pop', { start: call.arrivedAt, end: shown, detail: call.callId });
  }, [p, call.arrivedAt, call.callId]);

  const count = (n: number, danger = false) => (n > 0 && danger
    ? <ToneTag tone={TONES.danger}>{t('callPop.items', { count: n })}</ToneTag> : t('callPop.items', { count: n }));
  return (
    <section ref={panel} aria-label={t('callPop.title')} data-call-id={call.callId} style={{ marginBottom: 16 }}>
      <Card size="small" style={{ borderColor: call.ended ? '#d1d5db' : '#1d4ed8', borderWidth: 2 }}
        title={
          <Space wrap>
            <span>{t('callPop.title')}</span>
            <Typography.Text strong style={{ fontSize: 16 }}>{p ? (p.phone ?? t('callPop.withheld')) : t('common.loading')}</Typography.Text>
            <ToneTag tone={call.ended ? TONES.neutral : TONES.success}>{t(call.ended ? 'callPop.ended' : 'callPop.talking')}</ToneTag>
            {call.seat && <Typography.Text type="secondary">{t('callPop.seat', { seat: call.seat })}</Typography.Text>}
          </Space>
        }
        extra={
          <Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('callPop.linked')}</Typography.Text>
            <Button size="small" onClick={onClose}>{t('callPop.close')}</Button>
          </Space>
        }>
        {profile.error && <ErrorNotice error={profile.error} />}
        {call.ended && <Alert type="info" showIcon title={t('callPop.endedHint')} style={{ marginBottom: 12 }} />}
        {p && p.confidential > 0 && (
          <Alert role="alert" type="warning" showIcon style={{ marginBottom: 12 }}
            title={<><Typography.Text strong>{t('callPop.confidential', { count: p.confidential })}</Typography.Text> {t('callPop.confidentialHint')}</>} />
        )}
        {p && p.counts.all === 0 && <Typography.Text>{t('callPop.firstCall')}</Typography.Text>}
        {p && p.counts.all > 0 && (
          <>
            <Descriptions size="small" column={{ xs: 2, sm: 3, lg: 5 }} items={[
              { key: 'd30', label: t('callPop.days30'), children: count(p.counts.days30) },
              { key: 'd365', label: t('callPop.days365'), children: count(p.counts.days365) },
              { key: 'all', label: t('callPop.all'), children: p.counts.capped ? t('callPop.atLeast', { count: p.counts.all }) : count(p.counts.all) },
              { key: 'open', label: t('callPop.open'), children: count(p.open) },
              { key: 'dissatisfied', label: t('callPop.dissatisfied'), children: count(p.dissatisfied, true) },
            ]} />
            {/* two to a line: the pop keeps the form's first fields in view */}
            <section aria-label={t('callPop.latest')}>
              <Typography.Text type="secondary">{t('callPop.latest')}</Typography.Text>
              <ul style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(420px, 1fr))', gap: '4px 24px', margin: '4px 0 0', padding: 0, listStyle: 'none' }}>
                {p.orders.map((o) => (
                  <li key={o.id} style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
                    <Link to={`/orders/${o.id}`} target="_blank" style={{ whiteSpace: 'nowrap' }}>{o.trackingNo}</Link>
                    <Typography.Text ellipsis={{ tooltip: o.title }} style={{ flex: 1, minWidth: 0 }}>{o.title}</Typography.Text>
                    <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>{when(o.createdAt)}</Typography.Text>
                    <StateTag state={o.state} />
                  </li>
                ))}
              </ul>
            </section>
          </>
        )}
      </Card>
    </section>
  );
}
