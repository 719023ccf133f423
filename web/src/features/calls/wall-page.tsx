// The team lead's wall (坐席监控): the calls waiting and the longest wait (in red past 15 s), the seats
// on a call, ready, not ready and in after-call work, the service level and connection rate of the
// last 15 minutes and of the day against their standards; the queues; a card per signed-in seat (its
// agent, state and for how long, the call it is on and for how long; a click opens the call).
// Read again on every call answered or ended (the live stream) and every 5 s; the clocks tick each second.
import { Button, Card, Col, Empty, Flex, Row, Space, Statistic, Table, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../shared/error-notice';
import { BEIJING_TIME, localeOf, percent } from '../../shared/format';
import { AMBER, BLUE, GREEN, GREY, TEAL, ToneTag } from '../../shared/tone-tag';
import { useWall, type Wall, type WallSeat } from './api/get-wall';
import { CallDrawer } from './components/call-drawer';
import { useReasonLabel } from './components/reason-label';
import { ANSWER_WITHIN_SECONDS, BAD_COLOUR, clock, colourOf, STANDARDS } from './components/standards';

const STATE_TONES: Record<string, string[]> = { ready: GREEN, not_ready: AMBER, after_call_work: TEAL, signed_out: GREY };

/**
 * The server's time now, ticking each second: durations are counted on the server's clock (the
 * wall's `at`), so a browser whose clock is off still shows the right waits.
 */
function useServerNow(wall: Wall | undefined, readAt: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(id);
  }, []);
  return wall ? now + (Date.parse(wall.at) - readAt) : now;
}

function Figure({ title, value, colour, note }: { title: string; value: number | string; colour?: string | undefined; note?: ReactNode }) {
  return (
    <Col xs={12} md={8} xl={4}>
      <Card size="small" style={{ height: '100%' }}>
        <section aria-label={title}>
          <Statistic title={title} value={value} styles={{ content: { color: colour, fontSize: 28 } }} />
          {note && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{note}</Typography.Text>}
        </section>
      </Card>
    </Col>
  );
}

/** A rate's figure against its standard, with the words (met / not met) beside the colour. */
function RateFigure({ title, rate, standard }: { title: string; rate: number | null; standard: number }) {
  const { t } = useTranslation();
  const verdict = rate == null ? t('calls.wall.noCalls') : t(rate >= standard ? 'calls.wall.met' : 'calls.wall.notMet');
  return <Figure title={title} value={percent(rate)} colour={colourOf(rate, standard)}
    note={`${t('calls.wall.standard', { value: Math.round(standard * 100) })} · ${verdict}`} />;
}

function SeatCard({ seat, now, onOpen }: { seat: WallSeat; now: number; onOpen: (callId: string) => void }) {
  const { t } = useTranslation();
  const reasonLabel = useReasonLabel();
  const stateText = seat.state === 'not_ready' && seat.reason
    ? t('seat.notReadyFor', { reason: reasonLabel(seat.reason) })
    : t(`seat.states.${seat.state}`, { defaultValue: seat.state });
  const tone = seat.call ? BLUE : STATE_TONES[seat.state] ?? GREY;
  const since = clock((now - Date.parse(seat.since)) / 1000);
  const callState = seat.call && t(`calls.states.${seat.call.state}`, { defaultValue: seat.call.state });
  return (
    <section aria-label={t('calls.wall.seat', { seat: seat.seat })} style={{ height: '100%' }}>
      <Card size="small" style={{ height: '100%', borderLeft: `4px solid ${tone[0]}` }} styles={{ body: { padding: '8px 12px' } }}>
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text strong style={{ fontSize: 18 }}>{seat.seat}</Typography.Text>
          <ToneTag tone={tone}>{callState ?? stateText}</ToneTag>
        </Flex>
        <Typography.Text ellipsis={{ tooltip: seat.staff?.name }} style={{ display: 'block' }} type={seat.staff ? undefined : 'secondary'}>
          {seat.staff?.name ?? t('calls.wall.unstaffed')}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {seat.call ? `${stateText} · ` : ''}{t('calls.wall.stateFor', { duration: since })}
        </Typography.Text>
        {seat.call && (
          <Button type="link" size="small" onClick={() => onOpen(seat.call!.callId)} title={t('calls.wall.openCall')} style={{ padding: 0, height: 'auto' }}>
            {t('calls.wall.callFor', { state: callState, duration: seat.call.answeredAt ? clock((now - Date.parse(seat.call.answeredAt)) / 1000) : '—' })}
          </Button>
        )}
      </Card>
    </section>
  );
}

export function WallPage() {
  const { t, i18n } = useTranslation();
  const wall = useWall();
  const w = wall.data;
  const now = useServerNow(w, wall.dataUpdatedAt);
  const [open, setOpen] = useState<string | null>(null);
  // a queue's wait as of now: the server counted it at `at`
  const waited = (seconds: number) => (w ? seconds + Math.max(0, (now - Date.parse(w.at)) / 1000) : seconds);
  const longest = w?.queues.length ? waited(Math.max(...w.queues.map((q) => q.longestWaitSeconds))) : null;
  const late = (seconds: number | null) => seconds !== null && seconds > ANSWER_WITHIN_SECONDS;
  const waitText = (seconds: number | null) => (seconds === null ? '—' : clock(seconds));
  const count = (state: string) => w?.seatCounts[state] ?? 0;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('calls.sections.wall')} extra={w && <Typography.Text type="secondary">
        {t('calls.wall.updated', { time: new Date(w.at).toLocaleTimeString(localeOf(i18n.language), BEIJING_TIME) })}</Typography.Text>}>
        <Typography.Text type="secondary">{t('calls.wall.hint')}</Typography.Text>
      </Card>
      {wall.error && <ErrorNotice error={wall.error} />}
      {w && (
        <>
          <Row gutter={[12, 12]}>
            <Figure title={t('calls.wall.waiting')} value={w.queues.reduce((n, q) => n + q.waiting, 0)} />
            <Figure title={t('calls.wall.longestWait')} value={waitText(longest)} colour={late(longest) ? BAD_COLOUR : undefined}
              note={late(longest) ? t('calls.wall.overStandard', { seconds: ANSWER_WITHIN_SECONDS }) : undefined} />
            <Figure title={t('calls.wall.onCall')} value={count('on_call')} />
            <Figure title={t('calls.wall.ready')} value={count('ready')} />
            <Figure title={t('calls.wall.notReady')} value={count('not_ready')} />
            <Figure title={t('calls.wall.afterCallWork')} value={count('after_call_work')} />
          </Row>
          <Row gutter={[12, 12]}>
            <RateFigure title={t('calls.wall.level15')} rate={w.last15Minutes.serviceLevel} standard={STANDARDS.serviceLevel} />
            <RateFigure title={t('calls.wall.connection15')} rate={w.last15Minutes.connectionRate} standard={STANDARDS.connectionRate} />
            <RateFigure title={t('calls.wall.levelToday')} rate={w.today.serviceLevel} standard={STANDARDS.serviceLevel} />
            <RateFigure title={t('calls.wall.connectionToday')} rate={w.today.connectionRate} standard={STANDARDS.connectionRate} />
            <Figure title={t('calls.wall.offeredToday')} value={w.today.offered} />
            <Figure title={t('calls.wall.abandonedToday')} value={w.today.abandoned} note={`${t('calls.level.figures.abandonRate')} ${percent(w.today.abandonRate)}`} />
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={7}>
              <Card size="small" title={t('calls.wall.queues')}>
                <Table<Wall['queues'][number]> rowKey="queue" size="small" pagination={false} dataSource={w.queues}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calls.wall.noneWaiting')} /> }}
                  columns={[
                    { title: t('calls.wall.queue'), dataIndex: 'queue', render: (q: string) => q || t('calls.wall.noQueue') },
                    { title: t('calls.wall.queueWaiting'), dataIndex: 'waiting', align: 'right' },
                    { title: t('calls.wall.queueLongest'), dataIndex: 'longestWaitSeconds', align: 'right', render: (s: number) => {
                      const now = waited(s);
                      return <Typography.Text strong={late(now)} style={{ color: late(now) ? BAD_COLOUR : undefined }}>{clock(now)}</Typography.Text>;
                    } },
                  ]} />
              </Card>
            </Col>
            <Col xs={24} xl={17}>
              <Card size="small" title={t('calls.wall.seats', { count: w.seats.length })}>
                {w.seats.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calls.wall.noSeats')} /> : (
                  <Row gutter={[8, 8]}>
                    {w.seats.map((s) => (
                      <Col key={s.seat} xs={12} md={8} lg={6}><SeatCard seat={s} now={now} onOpen={setOpen} /></Col>
                    ))}
                  </Row>
                )}
              </Card>
            </Col>
          </Row>
        </>
      )}
      <CallDrawer callId={open} onClose={() => setOpen(null)} />
    </Space>
  );
}
