// The assessment's two charts: the scores of one group, and one unit over the last six months.
import { Card, Empty } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../shared/chart';
import { monthsUpTo } from '../../../shared/format';
import { useAssessments, type RateName, type UnitAssessment } from '../api/assessment';

const RATE_NAMES: RateName[] = ['responseRate', 'onTimeReplyRate', 'resolutionRate', 'satisfactionRate'];
const BLUE = '#1d4ed8';

export function GroupScores({ group, units }: { group: string; units: UnitAssessment[] }) {
  const { t } = useTranslation();
  const scored = units.filter((u) => u.score !== null).slice(0, 15);
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', max: 100 },
    yAxis: { type: 'category', inverse: true, data: scored.map((u) => u.unit.name), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [{ type: 'bar', name: t('assessment.score'), data: scored.map((u) => Number(u.score!.toFixed(1))), itemStyle: { color: BLUE }, barMaxWidth: 20,
      label: { show: true, position: 'right' } }],
  }), [scored, t]);
  const first = scored[0];
  return (
    <Card size="small" title={t('assessment.scores', { group })}>
      {first ? <Chart option={option} height={Math.max(160, scored.length * 28 + 24)}
        label={t('assessment.chartScores', { group, first: first.unit.name, score: first.score!.toFixed(1) })} /> : <Empty />}
    </Card>
  );
}

export function UnitTrend({ month, unit }: { month: string; unit: UnitAssessment | null }) {
  const { t } = useTranslation();
  const months = useMemo(() => monthsUpTo(month, 6), [month]);
  const results = useAssessments(months);
  const rows = results.map((r) => r.data?.units.find((u) => u.unit.id === unit?.unit.id));
  const loaded = results.every((r) => r.data);
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', max: 100 },
    series: [
      { type: 'line', name: t('assessment.score'), data: rows.map((u) => (u?.score == null ? null : Number(u.score.toFixed(1)))), lineStyle: { width: 3 }, color: BLUE, symbolSize: 8 },
      ...RATE_NAMES.map((name) => ({ type: 'line', name: t(`assessment.rates.${name}`), symbolSize: 6,
        data: rows.map((u) => (u?.rates[name] == null ? null : Number((u.rates[name] * 100).toFixed(1)))) })),
    ],
  }), [months, rows, t]);
  if (!unit) return <Card size="small"><Empty description={t('assessment.trendHint')} /></Card>;
  return (
    <Card size="small" title={t('assessment.trend', { unit: unit.unit.name })} loading={!loaded}>
      <Chart option={option} height={260} label={t('assessment.chartTrend', { unit: unit.unit.name })} />
    </Card>
  );
}
