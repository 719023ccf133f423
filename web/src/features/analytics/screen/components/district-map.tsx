// The city's districts coloured by orders or satisfaction over today, this month or this year; a
// click opens the district's orders of that span. The boundaries are DataV GeoAtlas's (AMap data,
// GCJ-02: see map/PROVENANCE.md), fetched as an asset the first time the screen opens. Every
// district the map draws is listed beside it (none hidden for having no orders), and an area the
// map does not draw (the high-tech zone, a functional zone inside other districts) below them.
// The measure and span are in the address: coming back from a district's orders keeps them.
import { MapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import { registerMap, use } from 'echarts/core';
import { Card, Col, Empty, Row, Segmented, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import polylabel from 'polylabel';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Chart, type ChartOption } from '../../../../shared/chart';
import { ErrorNotice } from '../../../../shared/error-notice';
import { drillLink } from '../../../../shared/orders/drill';
import type { Span } from '../../api/analytics';
import { useScreenTop } from '../api/screen';
import boundariesUrl from '../map/370100_full.json?url';

use([MapChart, VisualMapComponent]);

const MAP = 'jinan';
/** The map's height (px): with the list of districts beside it, the middle row of a screen that fits 1080 px. */
const MAP_HEIGHT = 300;
type Ring = [number, number][];
interface Boundaries {
  features: {
    properties: { adcode: number; name: string; cp?: [number, number] };
    geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
  }[];
}

/** A ring's area (the shoelace formula), in square degrees: enough to tell a district's largest part. */
const areaOf = (ring: Ring) => Math.abs(ring.reduce((sum, [x, y], i) => {
  const [nx, ny] = ring[(i + 1) % ring.length]!;
  return sum + x * ny - nx * y;
}, 0)) / 2;

/**
 * Where a district's name goes: the point of its largest part farthest from its edges (within
 * 0.001°, about 100 m). ECharts' own centre of 历城区, which wraps around the city centre, fell
 * beside 历下区's and their names overlapped.
 */
function labelPoint(geometry: Boundaries['features'][number]['geometry']): [number, number] {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const largest = parts.reduce((a, b) => (areaOf(b[0]!) > areaOf(a[0]!) ? b : a));
  const [x, y] = polylabel(largest, 0.001);
  return [x, y];
}

/** Fetches the boundaries once and registers them with ECharts, each name at its label point; the districts the map draws. */
function useBoundaries() {
  return useQuery({ queryKey: ['geo', MAP], staleTime: Infinity, gcTime: Infinity, queryFn: async () => {
    const response = await fetch(boundariesUrl);
    if (!response.ok) throw new Error(`${boundariesUrl}: ${response.status}`);
    const geo = (await response.json()) as Boundaries;
    for (const feature of geo.features) feature.properties.cp = labelPoint(feature.geometry);
    registerMap(MAP, geo as never);
    return geo.features.map((f) => ({ code: String(f.properties.adcode), name: f.properties.name }));
  } });
}

const MEASURES = ['orders', 'satisfaction'] as const;
const SPANS = ['today', 'month', 'year'] as const;
type Measure = (typeof MEASURES)[number];
type SpanName = (typeof SPANS)[number];
/** Satisfaction is coloured on a fixed scale (a district at 88 % is not red because the others did better). */
const SATISFACTION_FLOOR = 80;
const COLOURS: Record<Measure, string[]> = { orders: ['#1d5b8f', '#0ea5e9', '#fbbf24', '#ef4444'], satisfaction: ['#ef4444', '#fbbf24', '#22c55e'] };

interface District { code: string; name: string; onMap: boolean; value: number | null }

export function DistrictMap({ spans }: { spans: Record<SpanName, Span> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const measure: Measure = params.get('measure') === 'satisfaction' ? 'satisfaction' : 'orders';
  const spanName: SpanName = (SPANS as readonly string[]).includes(params.get('span') ?? '') ? params.get('span') as SpanName : 'month';
  const choose = (key: 'measure' | 'span', value: string) => setParams((p) => { p.set(key, value); return p; }, { replace: true });
  const span = spans[spanName];
  const boundaries = useBoundaries();
  const top = useScreenTop(span, 'district', 50);
  const districts = useMemo<District[]>(() => {
    const items = new Map((top.data?.items ?? []).map((i) => [i.member, i]));
    const valueOf = (code: string) => {
      const item = items.get(code);
      if (measure === 'orders') return item?.measures.orders ?? 0;
      const rate = item?.rates.satisfactionRate;
      return rate == null ? null : Math.round(rate * 1000) / 10;
    };
    const drawn = boundaries.data ?? [];
    const onMap = drawn.map((d) => ({ ...d, onMap: true, value: valueOf(d.code) }));
    const offMap = [...items.values()].filter((i) => !drawn.some((d) => d.code === i.member))
      .map((i) => ({ code: i.member, name: i.label ?? i.member, onMap: false, value: valueOf(i.member) }));
    return [...onMap.sort((a, b) => (b.value ?? -1) - (a.value ?? -1)), ...offMap];
  }, [top.data, boundaries.data, measure]);
  const shown = useCallback((v: number | null) => (v === null ? t('screen.noData') : measure === 'orders' ? t('screen.orders', { count: v }) : `${v.toFixed(1)}%`),
    [measure, t]);
  const option = useMemo<ChartOption>(() => {
    const most = Math.max(1, ...districts.map((d) => (d.onMap ? d.value ?? 0 : 0)));
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}<br/>${shown(Number.isFinite(p.value) ? p.value : null)}` },
      visualMap: { min: measure === 'orders' ? 0 : SATISFACTION_FLOOR, max: measure === 'orders' ? most : 100, calculable: false,
        orient: 'vertical', right: 0, top: 0, itemHeight: 90, itemWidth: 12, textStyle: { color: '#cbd5e1' },
        text: measure === 'orders' ? [String(most), '0'] : ['100%', `${SATISFACTION_FLOOR}%`], inRange: { color: COLOURS[measure] } },
      series: [{ type: 'map', map: MAP, roam: false, selectedMode: false, layoutCenter: ['46%', '52%'], layoutSize: '96%',
        label: { show: true, color: '#f8fafc', fontSize: 10, textBorderColor: '#0b1a36', textBorderWidth: 2 }, labelLayout: { hideOverlap: true },
        itemStyle: { borderColor: '#0b1a36', areaColor: '#334155' },
        emphasis: { label: { color: '#0b1a36' }, itemStyle: { areaColor: '#e0f2fe' } },
        data: districts.filter((d) => d.onMap).map((d) => ({ name: d.name, value: d.value ?? NaN })) }],
    };
  }, [districts, measure, shown]);
  const ordersOf = (d: District) => drillLink({ areaCode: d.code }, d.name, span);
  const first = districts.find((d) => d.onMap && d.value !== null && (measure === 'satisfaction' || d.value > 0));
  const named = { measure: t(`screen.measure.${measure}`), span: t(`screen.span.${spanName}`) };
  const label = first ? t('screen.mapLabel', { ...named, first: first.name, value: shown(first.value) }) : t('screen.mapEmpty', named);
  return (
    <Card size="small" title={t('screen.map')} extra={
      <Space>
        <Segmented<Measure> size="small" value={measure} onChange={(v) => choose('measure', v)}
          options={MEASURES.map((m) => ({ value: m, label: t(`screen.measure.${m}`) }))} />
        <Segmented<SpanName> size="small" value={spanName} onChange={(v) => choose('span', v)}
          options={SPANS.map((s) => ({ value: s, label: t(`screen.span.${s}`) }))} />
      </Space>}>
      {(boundaries.error || top.error) && <ErrorNotice error={boundaries.error ?? top.error} />}
      <Row gutter={12} wrap={false}>
        <Col flex="auto">
          {boundaries.data ? (
            <Chart dark option={option} height={MAP_HEIGHT} label={label} onClick={(event) => {
              const district = districts.find((d) => d.onMap && d.name === event.name);
              if (district) navigate(ordersOf(district));
            }} />
          ) : <Empty description={t('common.loading')} style={{ height: MAP_HEIGHT }} />}
        </Col>
        {/* the same figures as a list: a keyboard and a screen reader reach each district here */}
        <Col flex="190px">
          <nav aria-label={t('screen.mapList')}>
            <ol style={{ listStyle: 'none', margin: 0, padding: 0, fontSize: 13 }}>
              {districts.map((d) => (
                <li key={d.code} style={{ display: 'flex', justifyContent: 'space-between', gap: 8, padding: '1px 0', borderBottom: '1px solid #1e3a66' }}>
                  <Link to={ordersOf(d)} style={{ color: '#7dd3fc', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                    title={d.onMap ? d.name : t('screen.notOnMap', { name: d.name })}>
                    {d.onMap ? d.name : t('screen.notOnMap', { name: d.name })}
                  </Link>
                  <Typography.Text style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{shown(d.value)}</Typography.Text>
                </li>
              ))}
            </ol>
          </nav>
        </Col>
      </Row>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('screen.mapHint')} · {t('screen.mapSource')}</Typography.Text>
    </Card>
  );
}
