// The service level (服务水平): for a period (today unless chosen) and by hour, day, queue or seat,
// the calls offered and answered (bars) with the service level and the connection rate (lines,
// against the 80 % and 95 % standards), and the table of every figure, each header stating its
// definition (the standard's words, from the server), the total last; the workbook to download.
// Loaded only when its tab opens: it draws a chart (shared/chart.tsx).
import { Button, Card, DatePicker, Empty, Flex, Form, Segmented, Space, Table, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../shared/chart';
import { ErrorNotice } from '../../shared/error-notice';
import { useDownload } from '../../shared/use-download';
import { beijingToday, percent } from '../../shared/format';
import { languageOf } from '../../shared/i18n/named';
import { downloadServiceLevel } from './api/download-service-level';
import { useServiceLevel, type FigureName, type ServiceLevel, type ServiceLevelQuery, type ServiceLevelRow } from './api/get-service-level';
import { RateText, STANDARDS } from './components/standards';

const DAY = 'YYYY-MM-DD';
const BY = ['hour', 'day', 'queue', 'agent'] as const;
type By = (typeof BY)[number];
const COUNTS: FigureName[] = ['offered', 'answered', 'abandoned', 'answeredInTime'];
const RATES: FigureName[] = ['serviceLevel', 'connectionRate', 'abandonRate'];
const SECONDS: FigureName[] = ['asaSeconds', 'ahtSeconds'];
const COLOURS = { offered: '#93c5fd', answered: '#1d4ed8', serviceLevel: '#b45309', connectionRate: '#047857' };

type Figures = ServiceLevel['total'];
const seconds = (s: number | null) => (s === null ? '—' : s.toFixed(1));
const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

/** A figure's cell: a count, a share coloured against its standard where it has one, seconds. */
function cell(name: FigureName, f: Figures) {
  if (name === 'serviceLevel' || name === 'connectionRate') return <RateText rate={f[name]} standard={STANDARDS[name]} />;
  if (RATES.includes(name)) return percent(f[name] as number | null);
  if (SECONDS.includes(name)) return seconds(f[name] as number | null);
  return String(f[name]);
}

/** The slots of the chart's axis: every hour or day of the period (a quiet one is a gap, not missing), else the rows. */
function slotsOf(level: ServiceLevel, labelOf: (r: ServiceLevelRow) => string): { label: string; row: ServiceLevelRow | undefined }[] {
  if (level.by !== 'hour' && level.by !== 'day') return level.rows.map((r) => ({ label: labelOf(r), row: r }));
  const byKey = new Map(level.rows.map((r) => [r.key, r]));
  const days: string[] = [];
  for (let d = dayjs(level.from); !d.isAfter(dayjs(level.to), 'day'); d = d.add(1, 'day')) days.push(d.format(DAY));
  if (level.by === 'day') return days.map((d) => ({ label: d, row: byKey.get(d) }));
  return days.flatMap((d) => Array.from({ length: 24 }, (_, h) => {
    const key = `${d} ${String(h).padStart(2, '0')}:00`;
    return { label: days.length === 1 ? key.slice(11) : key, row: byKey.get(key) };
  }));
}

function LevelChart({ level, labelOf }: { level: ServiceLevel; labelOf: (r: ServiceLevelRow) => string }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const f = (name: string) => t(`calls.level.figures.${name}`);
    const slots = slotsOf(level, labelOf);
    // over time the rates are lines; between queues or seats, points (a line between two queues means nothing)
    const overTime = level.by === 'hour' || level.by === 'day';
    const standard = (value: number, label: string, colour: string) => ({
      silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: colour, width: 1.5 },
      label: { formatter: label, position: 'insideEndTop', color: colour }, data: [{ yAxis: value }] });
    const rate = (name: 'serviceLevel' | 'connectionRate', value: number, label: string) => ({
      type: 'line', name: f(name), yAxisIndex: 1, data: slots.map((s) => pct(s.row?.[name] ?? null)), color: COLOURS[name],
      connectNulls: true, symbolSize: overTime ? 6 : 10, lineStyle: overTime ? { width: 2 } : { width: 0 }, markLine: standard(value, label, COLOURS[name]) });
    return {
      animation: false,
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: slots.map((s) => s.label), axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', name: t('calls.level.callsAxis'), minInterval: 1, nameTextStyle: { align: 'left' } },
        { type: 'value', name: t('calls.level.percentAxis'), min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false },
          nameTextStyle: { align: 'right' } },
      ],
      series: [
        { type: 'bar', name: f('offered'), data: slots.map((s) => s.row?.offered ?? 0), color: COLOURS.offered, barMaxWidth: 28 },
        { type: 'bar', name: f('answered'), data: slots.map((s) => s.row?.answered ?? 0), color: COLOURS.answered, barMaxWidth: 28 },
        rate('serviceLevel', 80, t('calls.level.line80')),
        rate('connectionRate', 95, t('calls.level.line95')),
      ],
    };
  }, [level, labelOf, t]);
  return (
    <Chart option={option} height={300} label={t('calls.level.chartLabel', { from: level.from, to: level.to, offered: level.total.offered,
      answered: level.total.answered, level: percent(level.total.serviceLevel), connection: percent(level.total.connectionRate) })} />
  );
}

export function ServiceLevelPage() {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [beijingToday(), beijingToday()]);
  const [by, setBy] = useState<By>('hour');
  const workbook = useDownload('calls.level.exported');
  const query: ServiceLevelQuery = { from: range[0].format(DAY), to: range[1].format(DAY), by };
  const level = useServiceLevel(query);
  const l = level.data;
  const lang = languageOf(i18n.language);

  // an hour's row within one day needs no date; a queue without a name still has a row (l.by: the rows shown)
  const labelOf = useCallback((r: ServiceLevelRow) => (l?.by === 'hour' && l.from === l.to ? r.label.slice(11)
    : (l?.by === 'queue' || l?.by === 'agent') && !r.key ? t('calls.level.noQueue') : r.label), [l, t]);


  const header = (name: FigureName) => (
    <Tooltip title={l?.definitions[name][lang]}>
      <span tabIndex={0} style={{ borderBottom: '1px dotted currentColor', cursor: 'help', whiteSpace: 'nowrap' }}>{t(`calls.level.figures.${name}`)}</span>
    </Tooltip>
  );
  const names: FigureName[] = [...COUNTS, 'serviceLevel', 'connectionRate', 'abandonRate', ...SECONDS, 'transferredToDesk'];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('calls.sections.level')}
        extra={<Button onClick={() => workbook.download(() => downloadServiceLevel(query))} loading={workbook.downloading} disabled={!l}>{t('calls.level.export')}</Button>}>
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('calls.level.hint')}</Typography.Text>
          <Form layout="inline" style={{ rowGap: 8 }}>
            <Form.Item label={t('calls.level.period')} htmlFor="service-level-period">
              <DatePicker.RangePicker id={{ start: 'service-level-period' }} value={range} allowClear={false}
                disabledDate={(d) => d.isAfter(beijingToday(), 'day')} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
            </Form.Item>
            <Form.Item label={t('calls.level.by')}>
              <Segmented<By> aria-label={t('calls.level.by')} value={by} onChange={setBy}
                options={BY.map((b) => ({ value: b, label: t(`calls.level.bys.${b}`) }))} />
            </Form.Item>
          </Form>
          {l && (
            <Typography.Text>
              <strong>{t('calls.level.linkage')}</strong>{' '}
              {[...l.linkage.toDesks.map((d) => t('calls.level.toDesk', { desk: d.desk, count: d.calls })),
                t('calls.level.fromPolice110', { count: l.linkage.fromPolice110 })].join(t('calls.level.separator'))}
            </Typography.Text>
          )}
        </Flex>
      </Card>
      {level.error && <ErrorNotice error={level.error} />}
      {l && (
        <Card size="small" title={t('calls.level.chart')}>
          {l.rows.length ? <LevelChart level={l} labelOf={labelOf} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calls.level.empty')} />}
        </Card>
      )}
      {/* scrolled by its box, not by the table: antd's scrolling table copies the headers into a hidden row, focusable there too */}
      <Card size="small" styles={{ body: { overflowX: 'auto' } }}>
        <Table<ServiceLevelRow> rowKey="key" size="small" loading={level.isFetching} dataSource={l?.rows ?? []} pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calls.level.empty')} /> }}
          columns={[
            { title: t(`calls.level.groups.${l?.by ?? by}`), key: 'label', render: (_: unknown, r) => labelOf(r) },
            ...names.map((name) => ({ title: header(name), key: name, align: 'right' as const, render: (_: unknown, r: ServiceLevelRow) => cell(name, r) })),
          ]}
          summary={() => l && l.rows.length > 0 && (
            <Table.Summary>
              <Table.Summary.Row style={{ fontWeight: 600, background: '#f9fafb' }}>
                <Table.Summary.Cell index={0}>{t('calls.level.total')}</Table.Summary.Cell>
                {names.map((name, i) => <Table.Summary.Cell key={name} index={i + 1} align="right">{cell(name, l.total)}</Table.Summary.Cell>)}
              </Table.Summary.Row>
            </Table.Summary>
          )} />
      </Card>
    </Space>
  );
}
