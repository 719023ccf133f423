// How often the agents accepted the suggested category and request type over a chosen period.
import { Col, DatePicker, Empty, Form, Row, Statistic, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Answer } from '../../../shared/api/client';
import { ErrorNotice } from '../../../shared/error-notice';
import { useAcceptance } from './classifier-api';
import { beijingInstant, beijingToday, percent } from '../../../shared/format';

type Band = Answer<'/api/v1/classify/acceptance', 'get'>['category']['byConfidence'][number];

export function Acceptance() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [beijingToday().subtract(30, 'day'), beijingToday()]);
  const acceptance = useAcceptance({ from: beijingInstant(range[0]), to: beijingInstant(range[1].add(1, 'day')) }); // the last day included
  const a = acceptance.data;
  const r = 'admin.rules.classifier';
  return (
    <>
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t(`${r}.period`)} htmlFor="acceptance-period">
          <DatePicker.RangePicker id={{ start: 'acceptance-period' }} allowClear={false} value={range}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0].startOf('day'), v[1].startOf('day')])} />
        </Form.Item>
      </Form>
      {acceptance.error && <ErrorNotice error={acceptance.error} />}
      {a && (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={12} md={8} xl={4}><Statistic title={t(`${r}.categoryRate`)} value={percent(a.category.acceptanceRate)} /></Col>
            <Col xs={12} md={8} xl={5}><Statistic title={t(`${r}.inAlternatives`)} value={percent(a.category.inAlternativesRate)} /></Col>
            <Col xs={12} md={8} xl={5}><Statistic title={t(`${r}.requestTypeRate`)} value={percent(a.requestType.acceptanceRate)} /></Col>
            <Col xs={12} md={8} xl={5}><Statistic title={t(`${r}.suggestions`)} value={a.suggestions} /></Col>
            <Col xs={12} md={8} xl={5}><Statistic title={t(`${r}.urgent`)} value={a.urgent} /></Col>
          </Row>
          {a.category.decided === 0 ? <Empty description={t(`${r}.noneDecided`)} /> : (
            <Table<Band> rowKey="band" size="small" pagination={false} dataSource={a.category.byConfidence}
              title={() => `${t(`${r}.byConfidence`)} · ${t(`${r}.decided`, { accepted: a.category.accepted, decided: a.category.decided })}`}
              columns={[
                { title: t(`${r}.band`), dataIndex: 'band' },
                { title: t(`${r}.rate`), dataIndex: 'acceptanceRate', render: percent },
                { title: t(`${r}.counts`), key: 'n', render: (_: unknown, b) => `${b.accepted} / ${b.decided}` },
              ]} />
          )}
        </>
      )}
    </>
  );
}
