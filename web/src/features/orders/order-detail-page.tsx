// One order, as every role reads it: what was asked, by whom and where (as the role may see it),
// what the user may do now, its deadlines round by round, its whole history with names, and for
// the hotline's intake the classifier's suggestion with the agent's choice and the similar orders;
// the citizen's other requests, across channels.
import { Alert, Card, Col, Descriptions, Result, Row, Skeleton, Space, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { useHasRole } from '../../app/session';
import { ApiError } from '../../shared/api/client';
import { ErrorNotice } from '../../shared/error-notice';
import { useFormatTime } from '../../shared/format';
import { nameIn } from '../../shared/i18n/named';
import { useOrder } from './api/get-order';
import { useAttachments } from './api/attachments';
import { AttachmentList } from './components/attachment-list';
import { useMessagesOfOrder } from './api/messages';
import { MessagesList } from './components/messages-list';
import { isAbsent, useCitizenHistory, useDeadlines, useSimilar, useSuggestion } from './api/order-insights';
import { CitizenHistory } from './components/citizen-history';
import { MERGEABLE, MergeButton } from './components/merge';
import { ActionPanel } from './components/action-panel';
import { DeadlineRounds } from './components/deadline-rounds';
import { SimilarOrders } from '../../shared/orders/similar-orders';
import { SuggestionPanel } from './components/suggestion-panel';
import { StateTag, TONES, ToneTag } from '../../shared/orders/order-table';

export function OrderDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const order = useOrder(id);
  const deadlines = useDeadlines(id);
  const suggestion = useSuggestion(id);
  const similar = useSimilar(id);
  const citizen = useCitizenHistory(id);
  const attachments = useAttachments(id);
  const messages = useMessagesOfOrder(id);
  const when = useFormatTime();
  const writer = useHasRole('agent', 'lead', 'admin', 'unit_handler', 'unit_manager');
  // what the intake form could not finish (a dispatch refused after the order was registered)
  const unfinished = (useLocation().state as { error?: string } | null)?.error;
  if (order.error instanceof ApiError && (order.error.status === 404 || order.error.status === 400)) {
    return <Result status="404" title={t('order.notFound')} extra={<Link to="/">{t('app.home')}</Link>} />;
  }
  if (order.error) return <ErrorNotice error={order.error} />;
  if (!order.data) return <Skeleton active />;
  const o = order.data;
  // an answer given (by a unit, or on the spot) may be worth an article: units keep giving it
  const answered = o.events.some((e) => e.type === 'order.replied' || e.type === 'order.answered_directly');
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {unfinished && <Alert role="alert" type="error" showIcon title={unfinished} />}
      <Card title={<Space><Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{o.title}</Typography.Title><StateTag state={o.state} />
        {o.urgency === 'urgent' && <ToneTag tone={TONES.danger}>{t('order.urgent')}</ToneTag>}</Space>}
        extra={writer && answered && <Link to={`/knowledge/work?propose=${o.id}`}>{t('knowledge.propose')}</Link>}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small" items={[
          { key: 'no', label: t('order.trackingNo'), children: o.trackingNo },
          { key: 'at', label: t('order.createdAt'), children: when(o.createdAt) },
          { key: 'type', label: t('order.requestType'), children: nameIn(i18n.language, o.requestTypeLabel) },
          { key: 'cat', label: t('order.category'), children: o.category?.name ?? '—' },
          { key: 'unit', label: t('order.leadUnit'), children: o.leadUnit?.name ?? '—' },
          { key: 'place', label: t('order.place'), children: [o.location.areaName, o.location.address].filter(Boolean).join(' ') || '—' },
          { key: 'citizen', label: t('order.citizen'), children: [o.citizen.name, o.citizen.phone].filter(Boolean).join(' ') || '—' },
          { key: 'address', label: t('order.address'), children: o.citizen.address ?? '—' },
          { key: 'body', label: t('order.body'), span: 2, children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{o.body}</Typography.Paragraph> },
          ...(attachments.data?.length ? [{ key: 'files', label: t('order.attachments'), span: 2,
            children: <AttachmentList orderId={o.id} attachments={attachments.data} /> }] : []),
          ...(messages.data?.length ? [{ key: 'messages', label: t('messages.title'), span: 2, children: <MessagesList messages={messages.data} /> }] : []),
        ]} />
      </Card>
      <Card title={t('order.actions')}><ActionPanel order={o} /></Card>
      {citizen.data && <Card title={t('insight.citizen')}><CitizenHistory history={citizen.data} /></Card>}
      {citizen.error && !isAbsent(citizen.error) && <ErrorNotice error={citizen.error} />}
      {deadlines.data && deadlines.data.length > 0 && <Card title={t('rounds.title')}><DeadlineRounds rounds={deadlines.data} /></Card>}
      {deadlines.error && !isAbsent(deadlines.error) && <ErrorNotice error={deadlines.error} />}
      {(suggestion.data || similar.data) && (
        <Row gutter={[16, 16]}>
          {suggestion.data && <Col xs={24} lg={12}><Card title={t('insight.suggestion')}><SuggestionPanel suggestion={suggestion.data} /></Card></Col>}
          {similar.data && <Col xs={24} lg={12}><Card title={t('insight.similar')}>
            <SimilarOrders orders={similar.data}
              action={o.actions.includes('merge') ? (s) => (MERGEABLE.has(s.state) ? <MergeButton order={o} target={s} /> : null) : undefined} />
          </Card></Col>}
        </Row>
      )}
      <Card title={t('order.timeline')}>
        {o.events.length === 0 && <Typography.Text type="secondary">{t('order.noTimeline')}</Typography.Text>}
        <Timeline items={o.events.map((e) => ({
          key: e.seq,
          children: (
            <div>
              <Typography.Text strong>{t(`events.${e.type.replace(/^order\./, '')}`, { defaultValue: e.type })}</Typography.Text>{' '}
              {e.toState !== e.fromState && <StateTag state={e.toState} />}
              <Typography.Text type="secondary">{when(e.at)} · {e.actor.name}{e.actor.unitName ? `（${e.actor.unitName}）` : ''}</Typography.Text>
              {e.reason && <div>{t('order.reason')}：{e.reason}</div>}
              {typeof (e.payload as { text?: unknown } | null)?.text === 'string' && <div>{(e.payload as { text: string }).text}</div>}
              {e.type === 'order.supplemented' && <Supplement payload={e.payload as SupplementPayload} />}
            </div>
          ),
        }))} />
      </Card>
    </Space>
  );
}

type SupplementPayload = { kind: 'text' | 'image' | 'location'; imageUrl?: string; lat?: number; lng?: number; label?: string };

/** What the citizen added on their channel: a photo (kept by the channel, opened from there) or a place. */
function Supplement({ payload }: { payload: SupplementPayload }) {
  const { t } = useTranslation();
  if (payload.kind === 'image' && payload.imageUrl) {
    return <div><Typography.Link href={payload.imageUrl} target="_blank" rel="noreferrer noopener">{t('order.supplementImage')}</Typography.Link></div>;
  }
  if (payload.kind === 'location' && payload.lat !== undefined && payload.lng !== undefined) {
    return <div>{t('order.supplementPlace')}：{payload.label ? `${payload.label} ` : ''}({payload.lat.toFixed(5)}, {payload.lng.toFixed(5)})</div>;
  }
  return null;
}
