// The analysis (数据分析): what a leader, a supervisor or a unit's manager looks at first. A period
// (a preset or any span), its key figures against the period before and a year earlier, the hot
// topics of the last hours (the city's), the trend of orders, the rankings by category, district,
// channel and request type, what is rising, the units' handling, public opinion (anger, matters
// raised again), callers by how often they call, and the monthly and quarterly report to download.
// The server scopes every figure: the city for the hotline, a unit's own subtree for a unit's manager.
import { App, Button, Card, Col, DatePicker, Row, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../../app/session';
import { beijingToday } from '../../shared/format';
import { SCREEN_ROLES } from '../../app/workspaces';
import { useOverview, type Span } from './api/analytics';
import { CallerGroups } from './components/callers';
import { HotTopics } from './components/hot-topics';
import { Opinion } from './components/opinion';
import { ReportCard } from './components/report';
import { KeyFigures, OrdersTrend, Ranking, Rising, UnitTable } from './components/panels';

const DAY = 'YYYY-MM-DD';
/** The longest span the server reads (11 years): a longer one is never asked for. */
const MAX_DAYS = 11 * 366;
const spanOf = ([from, to]: [Dayjs, Dayjs]): Span => ({ from: from.format(DAY), to: to.format(DAY) });

function presets(today: Dayjs): Record<string, [Dayjs, Dayjs]> {
  const quarter = today.month() - (today.month() % 3);
  return {
    thisMonth: [today.startOf('month'), today],
    lastMonth: [today.subtract(1, 'month').startOf('month'), today.subtract(1, 'month').endOf('month')],
    last30: [today.subtract(29, 'day'), today],
    thisQuarter: [today.month(quarter).startOf('month'), today],
    thisYear: [today.startOf('year'), today],
    last12: [today.subtract(11, 'month').startOf('month'), today],
  };
}

export function AnalyticsPage() {
  const { t } = useTranslation();
  const today = beijingToday();
  const ranges = presets(today);
  const [range, setRange] = useState<[Dayjs, Dayjs]>(ranges.thisMonth!);
  const span = spanOf(range);
  const scope = useOverview(span).data?.scope;
  const navigate = useNavigate();
  const mayOpenScreen = useSession().me?.roles.some((r) => SCREEN_ROLES.includes(r));
  const { message } = App.useApp();
  // a span typed past the limit is refused here, the period shown staying the last one read
  const choose = ([from, to]: [Dayjs, Dayjs]) => (to.diff(from, 'day') + 1 > MAX_DAYS ? message.warning(t('analytics.tooLong')) : setRange([from, to]));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={<Space>{t('menu.analytics')}{scope && <Tag>{t(scope === 'city' ? 'analytics.scopeCity' : 'analytics.scopeUnits')}</Tag>}</Space>}
        extra={<Space>{scope === 'city' && mayOpenScreen && <Button onClick={() => navigate('/screen')}>{t('menu.screen')}</Button>}<DatePicker.RangePicker aria-label={t('analytics.period')} value={range} allowClear={false}
          disabledDate={(d, { from }) => d.isAfter(today, 'day') || (!!from && Math.abs(d.diff(from, 'day')) + 1 > MAX_DAYS)}
          presets={Object.entries(ranges).map(([key, value]) => ({ label: t(`analytics.presets.${key}`), value }))}
          onChange={(v) => v?.[0] && v[1] && choose([v[0], v[1]])} /></Space>}>
        <Typography.Text type="secondary">{t('analytics.hint')}{scope === 'units' && <><br />{t('analytics.scopeUnitsHint')}</>}</Typography.Text>
      </Card>
      <KeyFigures span={span} />
      <ReportCard />
      {scope === 'city' && <HotTopics />}
      <OrdersTrend span={span} />
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}><Ranking span={span} dims={['category1', 'category2', 'category3']} title={t('analytics.byCategory')} /></Col>
        <Col xs={24} lg={12}><Ranking span={span} dims={['district']} title={t('analytics.byArea')} /></Col>
        <Col xs={24} lg={12}><Ranking span={span} dims={['channel']} title={t('analytics.byChannel')} /></Col>
        <Col xs={24} lg={12}><Ranking span={span} dims={['type']} title={t('analytics.byType')} /></Col>
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={10}><Rising span={span} /></Col>
        <Col xs={24} xl={14}><UnitTable span={span} /></Col>
      </Row>
      <Opinion span={span} city={scope === 'city'} />
      <CallerGroups span={span} />
    </Space>
  );
}
