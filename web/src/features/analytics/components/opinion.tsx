// Public opinion (舆情): how many orders speak in anger or say the matter was raised before without a
// solution, per day or month, the matters where that happens most, and the words rising this week.
import { Card, Col, Empty, Row, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../../shared/chart';
import { ErrorNotice } from '../../../shared/error-notice';
import { grainOf, useRisingWords, useTop, useTrend, type Span, type TopItem } from '../api/analytics';
import { periodLines } from './panels';
import { percent } from '../../../shared/format';

const RED = '#b91c1c';
const AMBER = '#b45309';

/** The words rising over the last week: the city's only (a unit's reader has none). */
function RisingWords({ city }: { city: boolean }) {
  const { t } = useTranslation();
  const words = useRisingWords(7, city);
  if (!city) return null;
  return (
    <div style={{ marginTop: 8 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('analytics.opinion.rising')}</Typography.Text>
      {words.error && <ErrorNotice error={words.error} />}
      <Space size={[4, 4]} wrap style={{ display: 'flex', marginTop: 4 }}>
        {(words.data?.words ?? []).map((w) => (
          <Tag key={w.word} title={t('analytics.opinion.wordTitle', { orders: w.orders, previous: w.previous })}>{w.word} +{w.orders - w.previous}</Tag>
        ))}
        {words.data && words.data.words.length === 0 && <Typography.Text type="secondary">{t('analytics.opinion.noWords')}</Typography.Text>}
      </Space>
    </div>
  );
}

export function Opinion({ span, city }: { span: Span; city: boolean }) {
  const { t } = useTranslation();
  const trend = useTrend(span, 'all', grainOf(span));
  const matters = useTop(span, 'category3', 10, 'repeated');
  const points = trend.data?.series[0]?.points ?? [];
  const option = useMemo(() => periodLines(points.map((p) => p.period), [
    { name: t('analytics.opinion.angry'), data: points.map((p) => p.measures.angry), color: RED },
    { name: t('analytics.opinion.repeated'), data: points.map((p) => p.measures.repeated), color: AMBER },
  ]), [points, t]);
  const angry = points.reduce((n, p) => n + p.measures.angry, 0);
  const repeated = points.reduce((n, p) => n + p.measures.repeated, 0);
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('analytics.opinion.title')} loading={!trend.data && !trend.error}>
          {trend.error ? <ErrorNotice error={trend.error} /> : <Chart option={option} height={240} label={t('analytics.opinion.label', { angry, repeated })} />}
          <RisingWords city={city} />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('analytics.opinion.matters')}>
          {matters.error ? <ErrorNotice error={matters.error} /> : <Table<TopItem> rowKey="member" size="small" pagination={false} loading={matters.isFetching && !matters.data}
            dataSource={(matters.data?.items ?? []).filter((i) => i.measures.repeated + i.measures.angry > 0)}
            locale={{ emptyText: <Empty description={t('analytics.opinion.none')} /> }}
            columns={[
              { title: t('analytics.member'), render: (_: unknown, i) => i.label ?? i.member },
              { title: t('analytics.opinion.repeated'), align: 'right', render: (_: unknown, i) => i.measures.repeated },
              { title: t('analytics.opinion.angry'), align: 'right', render: (_: unknown, i) => i.measures.angry },
              { title: t('analytics.orders'), align: 'right', render: (_: unknown, i) => i.measures.orders },
              { title: t('analytics.opinion.share'), align: 'right', render: (_: unknown, i) => percent(i.rates.repeatedRate) },
            ]} />}
        </Card>
      </Col>
    </Row>
  );
}
