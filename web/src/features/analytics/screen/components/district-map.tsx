// The city's districts coloured by orders or satisfaction over today, this month or this year; a
// click opens the district's orders of that span. The boundaries are DataV GeoAtlas's (AMap data,
// GCJ-02: see map/PROVENANCE.md), fetched as an asset the first time the screen opens. An area the
// map does not draw (the high-tech zone is a functional zone inside other districts) is listed below it.
import { MapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import { registerMap, use } from 'echarts/core';
import { Card, Col, Empty, Row, Segmented, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Chart, type ChartOption } from '../../../../shared/chart';
import { ErrorNotice } from '../../../../shared/error-notice';
import type { Span, TopItem } from '../../api/analytics';
import { useScreenTop } from '../api/screen';
import boundariesUrl from '../map/370100_full.json?url';

use([MapChart, VisualMapComponent]);

const MAP = 'jinan';
interface Boundaries { features: { properties: { adcode: number; name: string } }[] }

/** Fetches the boundaries once and registers them with ECharts; the districts' codes the map draws. */
function useBoundaries() {
  return useQuery({ queryKey: ['geo', MAP], staleTime: Infinity, gcTime: Infinity, queryFn: async () => {
    const response = await fetch(boundariesUrl);
    if (!response.ok) throw new Error(`${boundariesUrl}: ${response.status}`);
    const geo = (await response.json()) as Boundaries;
    registerMap(MAP, geo as never);
    return new Set(geo.features.map((f) => String(f.properties.adcode)));
  } });
}

type Measure = 'orders' | 'satisfaction';
const valueOf = (item: TopItem, measure: Measure) =>
  measure === 'orders' ? item.measures.orders : item.rates.satisfactionRate === null ? null : Math.round(item.rates.satisfactionRate * 1000) / 10;

export function DistrictMap({ spans }: { spans: Record<'today' | 'month' | 'year', Span> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [measure, setMeasure] = useState<Measure>('orders');
  const [spanName, setSpanName] = useState<keyof typeof spans>('month');
  const span = spans[spanName];
  const boundaries = useBoundaries();
  const districts = useScreenTop(span, 'district', 50);
  const items = useMemo(() => districts.data?.items ?? [], [districts.data]);
  const drawn = boundaries.data;
  const [onMap, offMap] = useMemo(() => [items.filter((i) => drawn?.has(i.member)), items.filter((i) => drawn && !drawn.has(i.member))], [items, drawn]);
  const shown = useCallback((v: number | null) => (v === null ? t('screen.noData') : measure === 'orders' ? t('screen.orders', { count: v }) : `${v}%`), [measure, t]);
  const option = useMemo<ChartOption>(() => {
    const values = onMap.map((i) => valueOf(i, measure)).filter((v): v is number => v !== null);
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}<br/>${shown(Number.isFinite(p.value) ? p.value : null)}` },
      visualMap: { min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values, 1) : 1, calculable: true, left: 8, bottom: 8,
        text: [t('screen.measure.' + measure), ''], textStyle: { color: '#cbd5e1' },
        inRange: { color: measure === 'orders' ? ['#1e3a5f', '#0ea5e9', '#fbbf24', '#ef4444'] : ['#ef4444', '#fbbf24', '#22c55e'] } },
      series: [{ type: 'map', map: MAP, roam: false, selectedMode: false, layoutCenter: ['50%', '50%'], layoutSize: '95%',
        label: { show: true, color: '#f8fafc', fontSize: 11 }, labelLayout: { hideOverlap: true }, itemStyle: { borderColor: '#0b1a36', areaColor: '#334155' },
        emphasis: { label: { color: '#fff' }, itemStyle: { areaColor: '#f59e0b' } },
        data: onMap.map((i) => ({ name: i.label ?? i.member, value: valueOf(i, measure) ?? NaN, code: i.member })) }],
    };
  }, [onMap, measure, shown, t]);
  const ordersOf = (item: TopItem) => `/orders?${new URLSearchParams({ areaCode: item.member, from: span.from, to: span.to, place: item.label ?? item.member })}`;
  const ranked = [...onMap].sort((a, b) => (valueOf(b, measure) ?? -1) - (valueOf(a, measure) ?? -1));
  const first = ranked[0];
  const label = first && valueOf(first, measure) !== null
    ? t('screen.mapLabel', { measure: t(`screen.measure.${measure}`), span: t(`screen.span.${spanName}`), first: first.label, value: shown(valueOf(first, measure)) })
    : t('screen.mapEmpty', { measure: t(`screen.measure.${measure}`), span: t(`screen.span.${spanName}`) });
  return (
    <Card size="small" title={t('screen.map')} extra={
      <Space>
        <Segmented<Measure> size="small" value={measure} onChange={setMeasure}
          options={(['orders', 'satisfaction'] as const).map((m) => ({ value: m, label: t(`screen.measure.${m}`) }))} />
        <Segmented<keyof typeof spans> size="small" value={spanName} onChange={setSpanName}
          options={(['today', 'month', 'year'] as const).map((s) => ({ value: s, label: t(`screen.span.${s}`) }))} />
      </Space>}>
      {(boundaries.error || districts.error) && <ErrorNotice error={boundaries.error ?? districts.error} />}
      <Row gutter={8}>
        <Col xs={24} md={16}>
          {drawn ? (
            <Chart dark option={option} height={420} label={label} onClick={(event) => {
              const item = onMap.find((i) => (i.label ?? i.member) === event.name);
              if (item) navigate(ordersOf(item));
            }} />
          ) : <Empty description={t('common.loading')} style={{ height: 420 }} />}
        </Col>
        {/* the same figures as a list: a keyboard and a screen reader reach each district here */}
        <Col xs={24} md={8}>
          <nav aria-label={t('screen.mapList')}>
            <ol style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {[...ranked, ...offMap].map((i) => (
                <li key={i.member} style={{ display: 'flex', justifyContent: 'space-between', gap: 8, padding: '3px 0', borderBottom: '1px solid #1e3a66' }}>
                  <Link to={ordersOf(i)} style={{ color: '#7dd3fc' }}>{offMap.includes(i) ? t('screen.notOnMap', { name: i.label ?? i.member }) : i.label ?? i.member}</Link>
                  <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>{shown(valueOf(i, measure))}</Typography.Text>
                </li>
              ))}
            </ol>
          </nav>
        </Col>
      </Row>
      <Space size="large" wrap style={{ fontSize: 12 }}>
        <Typography.Text type="secondary">{t('screen.mapHint')}</Typography.Text>
        <Typography.Text type="secondary">{t('screen.mapSource')}</Typography.Text>
      </Space>
    </Card>
  );
}
