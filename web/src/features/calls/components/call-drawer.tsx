// One call in a drawer: its numbers and times, the course of its events, the orders registered
// during it (each opens the order), the recording's reference at the telephony as text.
import { Descriptions, Drawer, Empty, List, Space, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../../shared/error-notice';
import { useFormatTime } from '../../../shared/format';
import { useCall, type CallDetail } from '../api/get-call';
import { HandlingTag, OutcomeTag, Transfers, useTransferText } from './call-tags';

const seconds = (s: number | null) => (s === null ? '—' : String(Math.round(s)));

function CallTimeline({ call }: { call: CallDetail }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const transfer = useTransferText();
  const reason = (r: string) => t(`calls.reasons.${r}`, { defaultValue: r });
  return (
    <Timeline items={call.timeline.map((e) => ({
      key: e.id,
      children: (
        <div>
          <Typography.Text strong>{t(`calls.events.${e.type}`, { defaultValue: e.type })}</Typography.Text>{' '}
          <Typography.Text type="secondary">{when(e.at)}</Typography.Text>
          <div>{[
            e.caller && t('calls.from', { caller: e.caller }), e.queue && t('calls.inQueue', { queue: e.queue }),
            e.seat && t('calls.atSeat', { seat: e.seat }), e.agent && t('calls.byAgent', { agent: e.agent }),
            e.target && transfer(e.target), e.party && t('calls.party', { party: e.party }),
            e.reason && `${t('calls.endReason')}：${reason(e.reason)}`,
          ].filter(Boolean).join(' · ')}</div>
        </div>
      ),
    }))} />
  );
}

export function CallDrawer({ callId, onClose }: { callId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const call = useCall(callId);
  const c = call.data;
  return (
    <Drawer open={callId !== null} onClose={onClose} size="large" destroyOnHidden
      title={c ? `${t('calls.detail')} · ${c.callerPhone ?? '—'}` : t('common.loading')}>
      {call.error && <ErrorNotice error={call.error} />}
      {c && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions column={2} size="small" bordered items={[
            { key: 'outcome', label: t('calls.outcome'), children: <OutcomeTag call={c} /> },
            { key: 'handling', label: t('calls.handling'), children: <HandlingTag handling={c.handling} /> },
            { key: 'caller', label: t('calls.caller'), children: c.callerPhone ?? '—' },
            { key: 'callee', label: t('calls.callee'), children: c.callee ?? '—' },
            { key: 'queue', label: t('calls.queue'), children: c.queue ?? '—' },
            { key: 'seat', label: t('calls.seat'), children: [c.seats.join(' → ') || c.seat, c.agent].filter(Boolean).join(' · ') || '—' },
            { key: 'offered', label: t('calls.offeredAt'), children: when(c.offeredAt) },
            { key: 'answered', label: t('calls.answeredAt'), children: when(c.answeredAt) },
            { key: 'ended', label: t('calls.endedAt'), children: when(c.endedAt) },
            { key: 'reason', label: t('calls.endReason'), children: c.endReason ? t(`calls.reasons.${c.endReason}`, { defaultValue: c.endReason }) : '—' },
            { key: 'wait', label: t('calls.wait'), children: seconds(c.waitSeconds) },
            { key: 'ring', label: t('calls.ring'), children: seconds(c.ringSeconds) },
            { key: 'talk', label: t('calls.talk'), children: seconds(c.talkSeconds) },
            { key: 'hold', label: t('calls.hold'), children: seconds(c.holdSeconds) },
            { key: 'transfers', label: t('calls.transfers'), span: 2, children: <Transfers transfers={c.transfers} /> },
            ...(c.parties.length ? [{ key: 'parties', label: t('calls.parties'), span: 2, children: c.parties.map((p) => p.party).join('、') }] : []),
            { key: 'recording', label: t('calls.recording'), span: 2, children: c.recording
              ? <Space direction="vertical" size={0}><Typography.Text code copyable style={{ wordBreak: 'break-all' }}>{c.recording}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('calls.recordingHint')}</Typography.Text></Space>
              : t('calls.noRecording') },
            { key: 'callId', label: t('calls.callId'), span: 2, children: <Typography.Text copyable style={{ wordBreak: 'break-all' }}>{c.callId}</Typography.Text> },
          ]} />
          <section aria-label={t('calls.orders')}>
            <Typography.Title level={5}>{t('calls.orders')}</Typography.Title>
            {c.orders.length === 0 ? <Empty description={t('calls.noOrders')} /> : (
              <List size="small" bordered dataSource={c.orders} renderItem={(o) => (
                <List.Item>
                  <Space wrap>
                    <Link to={`/orders/${o.orderId}`}>{o.trackingNo}</Link>
                    <Typography.Text type="secondary">{t('calls.registeredAt')} {when(o.registeredAt)}</Typography.Text>
                    {o.answeredDirectly && <Typography.Text>{t('calls.answeredDirectly')}</Typography.Text>}
                  </Space>
                </List.Item>
              )} />
            )}
          </section>
          <section aria-label={t('calls.timeline')}>
            <Typography.Title level={5}>{t('calls.timeline')}</Typography.Title>
            <CallTimeline call={c} />
          </section>
        </Space>
      )}
    </Drawer>
  );
}
