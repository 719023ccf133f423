// The leadership screen (数据大屏): what the city's leaders and the hotline's supervisors keep in
// view on a wall or a second monitor. Today's orders against the same date last year (live), the
// month's figures, the districts on the map, the early warnings still to handle, the hot topics,
// the units ranked, the last 30 days; all read again a few seconds after any order changes, with
// no reload. Every figure opens what is behind it: a district its orders, a topic its orders, a
// warning the warning. Dark, for a wall; a button makes it fill the screen.
import { Button, Card, Col, ConfigProvider, Grid, Row, Space, Statistic, theme, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../shared/chart';
import type { Span } from '../api/analytics';
import { RollupsNotice, yearOnYear } from '../components/panels';
import { useActiveWarnings, useScreenOverview, useScreenTop, useScreenTopics, useScreenTrend, useToday } from './api/screen';
import { DistrictMap } from './components/district-map';
import { ActiveWarnings, OpenSurveys, TopicList, UnitRanking } from './components/lists';
import { CHART_HEIGHT, changeOf, HourlyToday, SCREEN_BLUE, SCREEN_GREY } from './components/today';
import { beijingClock, beijingToday, percent } from '../../../shared/format';

const DAY = 'YYYY-MM-DD';
const BOARD = '#0b1a36';

/** Today, this month and this year up to today, and the last 30 days (Beijing dates: the server's today, else Beijing's by the browser's clock). */
function useSpans(date: string | undefined) {
  return useMemo(() => {
    const today = date ? dayjs(date) : beijingToday();
    const span = (from: dayjs.Dayjs): Span => ({ from: from.format(DAY), to: today.format(DAY) });
    return { today: span(today), month: span(today.startOf('month')), year: span(today.startOf('year')), last30: span(today.subtract(29, 'day')) };
  }, [date]);
}

/** Below this many orders a year earlier, the change is told in orders: +1,300 % over one order says nothing. */
const SMALL_BASE = 20;

function Change({ now, base }: { now: number; base: number }) {
  const { t } = useTranslation();
  const change = changeOf(now, base);
  const colour = { color: now > base ? '#f87171' : '#4ade80' };
  if (base < SMALL_BASE) return <span style={colour}>{t('screen.difference', { value: `${now >= base ? '+' : '−'}${Math.abs(now - base)}` })}</span>;
  return <span style={colour}>{t('screen.yoy')} {change! > 0 ? '↑' : change! < 0 ? '↓' : ''}{Math.abs(change!).toFixed(1)}%</span>;
}

function Figures({ spans }: { spans: ReturnType<typeof useSpans> }) {
  const { t } = useTranslation();
  const today = useToday().data;
  const month = useScreenOverview(spans.month).data;
  const warnings = useActiveWarnings().data;
  const topics = useScreenTopics().data;
  const tiles = [
    { key: 'today', title: t('screen.today'), value: today?.soFar.toLocaleString(), sub: today && (
      <>
        <div>{t('screen.lastYearSameTime', { count: today.lastYearSoFar })} <Change now={today.soFar} base={today.lastYearSoFar} /></div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('screen.lastYearDay', { count: today.lastYearTotal })}</Typography.Text>
      </>) },
    { key: 'month', title: t('screen.month'), value: month?.current.measures.orders.toLocaleString(),
      sub: month && <Change now={month.current.measures.orders} base={month.lastYear.measures.orders} /> },
    { key: 'closed', title: t('screen.closedRate'), value: percent(month?.current.rates.closedRate) },
    { key: 'satisfaction', title: t('screen.satisfaction'), value: percent(month?.current.rates.satisfactionRate) },
    { key: 'warnings', title: t('screen.activeWarnings'), value: warnings?.total, danger: (warnings?.total ?? 0) > 0 },
    { key: 'topics', title: t('screen.hotTopics'), value: topics?.topics.length },
  ];
  return (
    <>
    <RollupsNotice rollups={month?.rollups} />
    <Row gutter={[12, 12]}>
      {tiles.map((tile) => (
        <Col key={tile.key} xs={12} md={8} xl={4}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic title={tile.title} value={tile.value ?? '—'} valueStyle={{ color: tile.danger ? '#f87171' : SCREEN_BLUE, fontSize: 28, lineHeight: 1.2 }} />
            <div style={{ fontSize: 12, minHeight: 36 }}>{tile.sub}</div>
          </Card>
        </Col>
      ))}
    </Row>
    </>
  );
}

function Last30Days({ span }: { span: Span }) {
  const { t } = useTranslation();
  const trend = useScreenTrend(span);
  const points = trend.data?.series[0]?.points;
  // the days as MM-DD, this period's line filled
  const { option, total, last } = useMemo(() => yearOnYear(points ?? [], { now: t('screen.thisPeriod'), before: t('screen.lastYear') },
    { now: SCREEN_BLUE, before: SCREEN_GREY }, (day) => day.slice(5), { areaStyle: { opacity: 0.15 } }), [points, t]);
  return (
    <Card size="small" title={t('screen.trend')} loading={!trend.data}>
      <Chart dark option={option} height={CHART_HEIGHT} label={t('screen.trendLabel', { total, last })} />
    </Card>
  );
}

function Categories({ span }: { span: Span }) {
  const { t } = useTranslation();
  const top = useScreenTop(span, 'category1', 9);
  const items = top.data?.items ?? [];
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 8, right: 48, top: 4, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', splitLine: { show: false } },
    yAxis: { type: 'category', inverse: true, data: items.map((i) => i.label ?? i.member), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [{ type: 'bar', data: items.map((i) => i.measures.orders), itemStyle: { color: SCREEN_BLUE }, barMaxWidth: 14, label: { show: true, position: 'right' } }],
  }), [items]);
  const first = items[0];
  return (
    <Card size="small" title={t('screen.categories')} loading={!top.data}>
      <Chart dark option={option} height={Math.max(120, items.length * 24 + 16)}
        label={first ? t('screen.categoriesLabel', { first: first.label ?? first.member, orders: first.measures.orders }) : t('analytics.empty')} />
    </Card>
  );
}

/** The time now, each second, and whether the board fills the screen. */
function Clock() {
  const [now, setNow] = useState(beijingClock);
  useEffect(() => {
    const id = setInterval(() => setNow(beijingClock()), 1_000);
    return () => clearInterval(id);
  }, []);
  return <Typography.Text style={{ fontVariantNumeric: 'tabular-nums', fontSize: 16 }}>{now}</Typography.Text>;
}

export function ScreenPage() {
  const { t } = useTranslation();
  const today = useToday();
  const spans = useSpans(today.data?.date);
  const board = useRef<HTMLDivElement>(null);
  const [full, setFull] = useState(false);
  // three columns side by side: the right one takes the height of the other two, not its own (its lists scroll)
  const wide = Grid.useBreakpoint().xl ?? false;
  useEffect(() => {
    const changed = () => setFull(document.fullscreenElement === board.current);
    document.addEventListener('fullscreenchange', changed);
    return () => document.removeEventListener('fullscreenchange', changed);
  }, []);
  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { colorBgContainer: '#0f2547', colorBorderSecondary: '#1e3a66',
      // the dark algorithm's secondary texts are too faint on this blue for a wall across a room (and for WCAG AA)
      colorTextSecondary: '#b4c3d9', colorTextDescription: '#b4c3d9', colorLink: '#7dd3fc', colorLinkHover: '#bae6fd', colorPrimary: '#38bdf8' },
      // compact rows: the whole page, menu bar included, fits a 1920×1080 wall without scrolling or going full screen
      components: { Table: { cellPaddingBlockSM: 4 } } }}>
      <div ref={board} data-board style={{ background: BOARD, padding: 12, borderRadius: full ? 0 : 8, minHeight: full ? '100vh' : undefined, overflow: 'auto' }}>
        <Space direction="vertical" size={10} style={{ width: '100%' }}>
          <Row align="middle" justify="space-between">
            <Typography.Title level={4} style={{ margin: 0, color: '#e0f2fe', letterSpacing: 2 }}>{t('screen.title')}</Typography.Title>
            <Space size="large">
              <Space size={6}><span aria-hidden style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: '#22c55e' }} />
                <Typography.Text>{t('screen.live')}</Typography.Text></Space>
              <Clock />
              <Button onClick={() => void (full ? document.exitFullscreen() : board.current?.requestFullscreen())}>
                {full ? t('screen.exitFullscreen') : t('screen.fullscreen')}
              </Button>
            </Space>
          </Row>
          <Figures spans={spans} />
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={7}>
              <Space direction="vertical" size={12} style={{ width: '100%' }}>
                <HourlyToday today={today.data} />
                <Last30Days span={spans.last30} />
              </Space>
            </Col>
            <Col xs={24} xl={10}><DistrictMap spans={spans} /></Col>
            <Col xs={24} xl={7} style={wide ? { position: 'relative' } : undefined}>
              <div style={{ display: 'flex', flexDirection: 'column', gap: 12, ...(wide && { position: 'absolute', inset: '0 6px' }) }}>
                <ActiveWarnings fill={wide} />
                <TopicList fill={wide} />
              </div>
            </Col>
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={10}><UnitRanking span={spans.month} /></Col>
            <Col xs={24} xl={7}><Categories span={spans.month} /></Col>
            <Col xs={24} xl={7}><OpenSurveys /></Col>
          </Row>
        </Space>
      </div>
    </ConfigProvider>
  );
}
