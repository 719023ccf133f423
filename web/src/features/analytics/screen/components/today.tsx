// Today's orders: so far against the same date last year up to the same time, and hour by hour.
import { Card } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../../shared/chart';
import type { Today } from '../api/screen';

export const SCREEN_BLUE = '#38bdf8';
export const SCREEN_GREY = '#94a3b8';
/** The height of the screen's small charts (px): two stacked beside the map, the page within 1080 px. */
export const CHART_HEIGHT = 120;

export function HourlyToday({ today }: { today: Today | undefined }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 8, right: 8, top: 32, bottom: 4, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      // the hours still to come are left empty, not drawn as nought
      { type: 'bar', name: t('screen.hourlyToday'), color: SCREEN_BLUE, barMaxWidth: 12,
        data: (today?.hours ?? []).map((h) => (h.hour <= today!.hour ? h.orders : null)) },
      { type: 'line', name: t('screen.hourlyLastYear'), color: SCREEN_GREY, showSymbol: false, lineStyle: { type: 'dashed' },
        data: (today?.hours ?? []).map((h) => h.lastYear) },
    ],
  }), [today, t]);
  return (
    <Card size="small" title={t('screen.hourly')} loading={!today}>
      {today && <Chart dark option={option} height={CHART_HEIGHT} label={t('screen.hourlyLabel', { hour: today.hour, minute: String(today.minute).padStart(2, '0'),
        soFar: today.soFar, lastYear: today.lastYearSoFar })} />}
    </Card>
  );
}

/** The change of `now` against `base` in per cent, or null with no base. */
export const changeOf = (now: number, base: number) => (base > 0 ? ((now - base) / base) * 100 : null);
