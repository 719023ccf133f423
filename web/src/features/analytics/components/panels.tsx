// The analysis workspace's panels: the period's key figures against the period before and a year
// earlier, the trend of orders, the rankings (as bars), what is rising, and the units' handling.
import { Alert, Card, Col, Empty, Row, Segmented, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Chart, type ChartOption } from '../../../shared/chart';
import { drillLink, type DrillFilter } from '../../../shared/orders/drill';
import { ErrorNotice } from '../../../shared/error-notice';
import { grainOf, useOverview, useTop, useTrend, type Dimension, type Figures, type Overview, type RateName, type Span, type TopItem } from '../api/analytics';
import { percent, useFormatTime } from '../../../shared/format';

const BLUE = '#1d4ed8';
const GREY = '#9ca3af';
const BAD = '#b91c1c';
const GOOD = '#166534';
const UP = BAD;
const signed = (x: number, digits = 1) => `${x > 0 ? '+' : ''}${x.toFixed(digits)}`;

type Kpi = 'orders' | RateName | 'avgHandlingHours';
const KPIS: Kpi[] = ['orders', 'closedRate', 'directRate', 'satisfactionRate', 'overdueRate', 'avgHandlingHours'];
const valueOf = (f: Figures, kpi: Kpi): number | null =>
  kpi === 'orders' ? f.measures.orders : kpi === 'avgHandlingHours' ? f.avgHandlingHours : f.rates[kpi];

/** Which way is better for each figure (the volume of orders is neither). */
const BETTER: Record<Kpi, 1 | -1 | 0> = { orders: 0, closedRate: 1, directRate: 1, satisfactionRate: 1, overdueRate: -1, reopenRate: -1, angerRate: -1, repeatedRate: -1,
  avgHandlingHours: -1 };

/** The change against a base: a count or a time in per cent, a rate in percentage points; an arrow, and green or red where better or worse. */
function Change({ kpi, now, base, label }: { kpi: Kpi; now: number | null; base: number | null; label: string }) {
  const { t } = useTranslation();
  const rate = kpi !== 'orders' && kpi !== 'avgHandlingHours';
  const change = now == null || base == null || (!rate && base === 0) ? null : rate ? (now - base) * 100 : ((now - base) / base) * 100;
  const judged = change === null ? 0 : Math.sign(change) * BETTER[kpi];
  return (
    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
      {label}{' '}
      {change === null ? t('analytics.noBase') : (
        <span style={{ color: judged > 0 ? GOOD : judged < 0 ? BAD : undefined }}>
          {change > 0 ? '↑' : change < 0 ? '↓' : ''}{rate ? t('analytics.points', { value: Math.abs(change).toFixed(1) }) : `${Math.abs(change).toFixed(1)}%`}
        </span>)}
    </Typography.Text>
  );
}

/** Said above the figures while the rollups they come from are being recounted, or were left half recounted. */
export function RollupsNotice({ rollups }: { rollups: Overview['rollups'] | undefined }) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  if (!rollups || rollups.state === 'current') return null;
  return <Alert type="warning" showIcon role="alert" message={t(`analytics.rollups.${rollups.state}`, { since: formatTime(rollups.since) })} />;
}

export function KeyFigures({ span }: { span: Span }) {
  const { t } = useTranslation();
  const overview = useOverview(span);
  const o = overview.data;
  if (overview.error) return <ErrorNotice error={overview.error} />;
  return (
    <>
    <RollupsNotice rollups={o?.rollups} />
    <Row gutter={[12, 12]}>
      {KPIS.map((kpi) => {
        const now = o ? valueOf(o.current, kpi) : null;
        const shown = now == null ? '—' : kpi === 'orders' ? now.toLocaleString() : kpi === 'avgHandlingHours' ? t('analytics.hours', { value: now.toFixed(1) }) : percent(now);
        return (
          <Col key={kpi} xs={12} md={8} xl={4}>
            <Card size="small" loading={!o}>
              <Statistic title={t(`analytics.kpi.${kpi}`)} value={shown} />
              {o && <Change kpi={kpi} now={now} base={valueOf(o.lastYear, kpi)} label={t('analytics.yoy')} />}
              {o && <Change kpi={kpi} now={now} base={valueOf(o.previous, kpi)} label={t('analytics.mom')} />}
            </Card>
          </Col>
        );
      })}
    </Row>
    </>
  );
}

/** Lines over a trend's periods (a symbol on each point while there are few). */
export function periodLines(periods: string[], lines: Record<string, unknown>[]): ChartOption {
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: periods },
    yAxis: { type: 'value', minInterval: 1 },
    series: lines.map((line) => ({ type: 'line', showSymbol: periods.length < 40, ...line })),
  };
}

type TrendPoints = NonNullable<ReturnType<typeof useTrend>['data']>['series'][number]['points'];

/**
 * A trend's orders against the same periods a year earlier, as two lines (this period's bold), and
 * the two totals; `period` names each period on the axis, `line` adds to this period's line.
 */
export function yearOnYear(points: TrendPoints, names: { now: string; before: string }, colours: { now: string; before: string },
  period: (p: string) => string = (p) => p, line: Record<string, unknown> = {}): { option: ChartOption; total: number; last: number } {
  return {
    option: periodLines(points.map((p) => period(p.period)), [
      { name: names.now, data: points.map((p) => p.measures.orders), color: colours.now, lineStyle: { width: 3 }, ...line },
      { name: names.before, data: points.map((p) => p.lastYear.measures.orders), color: colours.before, lineStyle: { type: 'dashed' }, showSymbol: false },
    ]),
    total: points.reduce((n, p) => n + p.measures.orders, 0),
    last: points.reduce((n, p) => n + p.lastYear.measures.orders, 0),
  };
}

export function OrdersTrend({ span }: { span: Span }) {
  const { t } = useTranslation();
  const trend = useTrend(span, 'all', grainOf(span));
  const points = trend.data?.series[0]?.points;
  const { option, total, last } = useMemo(() => yearOnYear(points ?? [], { now: t('analytics.thisPeriod'), before: t('analytics.lastYear') },
    { now: BLUE, before: GREY }), [points, t]);
  return (
    <Card size="small" title={t('analytics.trend')} loading={!trend.data && !trend.error}>
      {trend.error ? <ErrorNotice error={trend.error} />
        : <Chart option={option} height={280} label={t('analytics.trendLabel', { from: span.from, to: span.to, total, last })} />}
    </Card>
  );
}

/** A member's name: the server's (a category, an area, a unit) or the interface's (a channel, a type, a state). */
function useMemberName(dim: Dimension) {
  const { t } = useTranslation();
  return (item: { member: string; label: string | null }) =>
    item.label ?? (dim === 'channel' ? t(`channels.${item.member}`, { defaultValue: item.member })
      : dim === 'type' ? t(`analytics.types.${item.member}`, { defaultValue: item.member })
        : dim === 'state' ? t(`states.${item.member}`, { defaultValue: item.member }) : item.member);
}

/** The order list's filter for a member of a dimension the list can filter by. */
const DRILLS: Partial<Record<Dimension, (member: string) => DrillFilter>> = {
  category1: (categoryCode) => ({ categoryCode }), category2: (categoryCode) => ({ categoryCode }), category3: (categoryCode) => ({ categoryCode }),
  district: (areaCode) => ({ areaCode }), channel: (channel) => ({ channel }), type: (type) => ({ requestType: type as DrillFilter['requestType'] }),
};

/** The biggest members of a dimension as horizontal bars; a bar opens its orders of the span. */
export function Ranking({ span, dims, title, limit = 10 }: { span: Span; dims: Dimension[]; title: string; limit?: number }) {
  const { t, i18n } = useTranslation();
  // English names run longer (Web (mayor's mailbox)): more room before they are cut
  const labelWidth = i18n.language === 'en' ? 170 : 120;
  const navigate = useNavigate();
  const [dim, setDim] = useState<Dimension>(dims[0]!);
  const top = useTop(span, dim, limit);
  const name = useMemberName(dim);
  const items = top.data?.items ?? [];
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: items.map(name), axisLabel: { width: labelWidth, overflow: 'truncate' }, triggerEvent: !!DRILLS[dim] },
    series: [{ type: 'bar', name: t('analytics.orders'), data: items.map((i) => i.measures.orders), itemStyle: { color: BLUE }, barMaxWidth: 18,
      label: { show: true, position: 'right' } }],
    ...(DRILLS[dim] && { cursor: 'pointer' }),
  }), [items, name, t, dim, labelWidth]);
  const first = items[0];
  const drill = DRILLS[dim];
  // a bar, or its name on the axis
  const open = (index: number) => { const item = items[index]; if (drill && item) navigate(drillLink(drill(item.member), name(item), span)); };
  return (
    <Card size="small" title={title} loading={!top.data && !top.error} extra={dims.length > 1 && (
      <Segmented<Dimension> size="small" value={dim} onChange={setDim}
        options={dims.map((d) => ({ value: d, label: t(`analytics.level.${d}`, { defaultValue: d }) }))} />)}>
      {top.error ? <ErrorNotice error={top.error} /> : first ? <Chart option={option} height={Math.max(120, items.length * 26 + 24)}
        onClick={(event) => open(event.componentType === 'yAxis' ? items.findIndex((i) => name(i) === (event as unknown as { value: string }).value) : event.dataIndex)}
        label={t('analytics.rankLabel', { title, first: name(first), orders: first.measures.orders })} /> : <Empty description={t('analytics.empty')} />}
    </Card>
  );
}

/** The matters with the most orders more than in the span before. */
export function Rising({ span }: { span: Span }) {
  const { t } = useTranslation();
  const top = useTop(span, 'category3', 10, 'growth');
  return (
    <Card size="small" title={t('analytics.rising')}>
      {top.error ? <ErrorNotice error={top.error} /> : <Table<TopItem> rowKey="member" size="small" pagination={false} loading={top.isFetching}
        dataSource={(top.data?.items ?? []).filter((i) => i.measures.orders > i.previousOrders)}
        locale={{ emptyText: <Empty description={t('analytics.empty')} /> }}
        columns={[
          { title: t('analytics.member'), dataIndex: 'label', render: (label: string | null, i) => label ?? i.member },
          { title: t('analytics.orders'), align: 'right', render: (_: unknown, i) => i.measures.orders },
          { title: t('analytics.previous'), dataIndex: 'previousOrders', align: 'right' },
          { title: t('analytics.change'), dataIndex: 'change', align: 'right',
            render: (c: number | null, i) => <span style={{ color: UP }}>{c === null ? `+${i.measures.orders}` : `${signed(c * 100, 0)}%`}</span> },
        ]} />}
    </Card>
  );
}

/** Each lead unit's orders and how they were handled. */
export function UnitTable({ span }: { span: Span }) {
  const { t } = useTranslation();
  const top = useTop(span, 'unit', 500);
  const rate = (name: RateName) => ({ align: 'right' as const, sorter: (a: TopItem, b: TopItem) => (a.rates[name] ?? -1) - (b.rates[name] ?? -1),
    render: (_: unknown, i: TopItem) => percent(i.rates[name]) });
  return (
    <Card size="small" title={t('analytics.units')}>
      {top.error ? <ErrorNotice error={top.error} /> : <Table<TopItem> rowKey="member" size="small" loading={top.isFetching} dataSource={top.data?.items ?? []} pagination={{ pageSize: 10, showSizeChanger: false }}
        locale={{ emptyText: <Empty description={t('analytics.empty')} /> }}
        columns={[
          { title: t('analytics.unit'), dataIndex: 'label', render: (label: string | null, i) => label ?? i.member },
          { title: t('analytics.orders'), align: 'right', sorter: (a, b) => a.measures.orders - b.measures.orders, defaultSortOrder: 'descend',
            render: (_: unknown, i) => i.measures.orders },
          { title: t('analytics.kpi.closedRate'), ...rate('closedRate') },
          { title: t('analytics.kpi.overdueRate'), ...rate('overdueRate') },
          { title: t('analytics.satisfaction'), ...rate('satisfactionRate') },
          { title: t('analytics.handling'), align: 'right', sorter: (a, b) => (a.avgHandlingHours ?? -1) - (b.avgHandlingHours ?? -1),
            render: (_: unknown, i) => (i.avgHandlingHours == null ? '—' : i.avgHandlingHours.toFixed(1)) },
        ]} />}
    </Card>
  );
}
