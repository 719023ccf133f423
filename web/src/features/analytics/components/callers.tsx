// Callers by how often they have contacted the hotline (once, 2–5, 6–20, more), as Jinan's study
// grouped them: each group's callers, its orders in the period, and how the groups differ in
// satisfaction, complaints, channels, request types and categories.
import { Card, Empty, Segmented, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Chart, type ChartOption } from '../../../shared/chart';
import { ErrorNotice } from '../../../shared/error-notice';
import { useCallers, type CallerGroup, type Span } from '../api/analytics';
import { percent } from '../../../shared/format';

type Facet = 'categories' | 'types' | 'channels';
const PALETTE = ['#1d4ed8', '#0f766e', '#b45309', '#7c3aed', '#be123c', '#4d7c0f', '#0369a1', '#a16207', '#475569', '#9d174d'];

/** A category's name from the server; a request type's or a channel's from the interface. */
const nameOf = (t: TFunction, facet: Facet, item: { member: string; label?: string | null }) =>
  facet === 'categories' ? item.label ?? item.member
    : facet === 'types' ? t(`analytics.types.${item.member}`, { defaultValue: item.member }) : t(`channels.${item.member}`, { defaultValue: item.member });

export function CallerGroups({ span }: { span: Span }) {
  const { t } = useTranslation();
  const callers = useCallers(span);
  const [facet, setFacet] = useState<Facet>('types');
  const groups = callers.data?.groups ?? [];
  const option = useMemo<ChartOption>(() => {
    const members = [...new Set(groups.flatMap((g) => g[facet].map((x) => x.member)))];
    const label = new Map(groups.flatMap((g) => g[facet].map((x) => [x.member, nameOf(t, facet, x)] as const)));
    return {
      animation: false,
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => `${Number(v).toFixed(1)}%` },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', inverse: true, data: groups.map((g) => t(`analytics.callerGroups.${g.group}`)) },
      series: members.map((member, i) => ({
        type: 'bar', stack: 'share', name: label.get(member), color: PALETTE[i % PALETTE.length], barMaxWidth: 22,
        data: groups.map((g) => {
          const n = g[facet].find((x) => x.member === member)?.orders ?? 0;
          return g.measures.orders > 0 ? Number(((100 * n) / g.measures.orders).toFixed(1)) : 0;
        }),
      })),
    };
  }, [groups, facet, t]);
  const complaints = (g: CallerGroup) => (g.measures.orders > 0 ? (g.types.find((x) => x.member === 'complaint')?.orders ?? 0) / g.measures.orders : null);
  const top = (g: CallerGroup, f: Facet) => {
    const first = [...g[f]].sort((a, b) => b.orders - a.orders)[0];
    return first ? nameOf(t, f, first) : '—';
  };
  return (
    <Card size="small" title={t('analytics.callers')} loading={!callers.data && !callers.error}>
      {callers.error ? <ErrorNotice error={callers.error} /> : <>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('analytics.callersHint', { anonymous: callers.data?.anonymous ?? 0 })}
        </Typography.Paragraph>
        <Table<CallerGroup> rowKey="group" size="small" pagination={false} dataSource={groups}
          columns={[
            { title: t('analytics.callerGroup'), dataIndex: 'group', render: (g: string) => t(`analytics.callerGroups.${g}`) },
            { title: t('analytics.callerCount'), dataIndex: 'callers', align: 'right', render: (n: number | null) => (n == null ? '—' : n.toLocaleString()) },
            { title: t('analytics.orders'), align: 'right', render: (_: unknown, g) => g.measures.orders.toLocaleString() },
            { title: t('analytics.share'), dataIndex: 'share', align: 'right', render: percent },
            { title: t('analytics.complaintShare'), align: 'right', render: (_: unknown, g) => percent(complaints(g)) },
            { title: t('analytics.satisfaction'), align: 'right', render: (_: unknown, g) => percent(g.rates.satisfactionRate) },
            { title: t('analytics.topChannel'), render: (_: unknown, g) => top(g, 'channels') },
            { title: t('analytics.topCategory'), render: (_: unknown, g) => top(g, 'categories') },
          ]} />
        <div style={{ marginTop: 12 }}>
          <Segmented<Facet> size="small" value={facet} onChange={setFacet}
            options={(['types', 'channels', 'categories'] as const).map((f) => ({ value: f, label: t(`analytics.facets.${f}`) }))} />
          {groups.some((g) => g.measures.orders > 0)
            ? <Chart option={option} height={240} label={t('analytics.callersLabel', { facet: t(`analytics.facets.${facet}`) })} />
            : <Empty description={t('analytics.empty')} />}
        </div>
      </>}
    </Card>
  );
}
