// A survey's results: who was asked and answered, by channel; each question's answers as a chart
// (options, a scale's values) with counts and shares, a scale's mean, the free texts; grouped by
// district or by the answers to a choice question; the workbook.
import { App, Button, Card, Col, Drawer, List, Row, Select, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../../shared/chart';
import { ErrorNotice } from '../../../shared/error-notice';
import { downloadResults, useResults, type QuestionResult, type Survey } from '../api/surveys';

export function ResultsDrawer({ survey, onClose }: { survey: Survey; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [by, setBy] = useState<string>();
  const results = useResults(survey.id, by);
  const r = results.data;
  const choices = survey.questions.filter((q) => q.kind === 'single' || q.kind === 'multiple');
  return (
    <Drawer open width={900} onClose={onClose} title={t('surveys.results.title', { title: survey.title })}
      extra={<Button onClick={() => downloadResults(survey.id).then((file) => message.success(t('surveys.actions.exported', { file })), (e: Error) => message.error(e.message))}>
        {t('surveys.actions.export')}</Button>}>
      {results.error && <ErrorNotice error={results.error} />}
      {results.isLoading && <Skeleton active />}
      {r && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Row gutter={16}>
            <Col span={6}><Statistic title={t('surveys.results.respondents')} value={r.respondents} /></Col>
            <Col span={6}><Statistic title={t('surveys.results.answered')} value={r.answered} /></Col>
            <Col span={6}><Statistic title={t('surveys.results.rate')} value={r.responseRate === null ? '—' : `${r.responseRate}%`} /></Col>
            <Col span={6}><Statistic title={t('surveys.results.byChannel')} value={r.byChannel.map((c) => `${t(`surveys.channels.${c.channel}`)} ${c.answered}`).join(' · ')}
              valueStyle={{ fontSize: 14 }} /></Col>
          </Row>
          <label>{t('surveys.results.by')}{' '}
            <Select value={by ?? ''} style={{ width: 260 }} aria-label={t('surveys.results.by')} onChange={(v) => setBy(v || undefined)}
              options={[{ value: '', label: t('surveys.results.none') }, { value: 'area', label: t('surveys.results.area') },
                ...choices.map((q) => ({ value: q.id, label: q.text }))]} />
          </label>
          {r.questions.map((q) => <QuestionCard key={q.id} q={q} groups={r.crossTab?.groups.map((g) => ({ label: g.label, q: g.questions.find((x) => x.id === q.id)! }))} />)}
        </Space>
      )}
    </Drawer>
  );
}

function QuestionCard({ q, groups }: { q: QuestionResult; groups?: { label: string; q: QuestionResult }[] }) {
  const { t } = useTranslation();
  const rows = q.kind === 'scale' ? q.scale.map((s) => ({ key: String(s.value), label: String(s.value), count: s.count, share: s.share }))
    : q.options.map((o) => ({ key: o.id, label: o.label, count: o.count, share: o.share }));
  return (
    <Card size="small" title={q.text} extra={<Typography.Text type="secondary">{t('surveys.results.answeredOf', { answered: q.answered, asked: q.asked })}</Typography.Text>}>
      {q.kind === 'text' ? (
        <List size="small" header={t('surveys.results.texts', { count: q.texts.length })} dataSource={q.texts.slice(0, 50)} renderItem={(text) => <List.Item>{text}</List.Item>} />
      ) : (
        <>
          {q.mean !== null && <Typography.Paragraph strong>{t('surveys.results.mean', { mean: q.mean })}</Typography.Paragraph>}
          <Chart height={Math.max(120, rows.length * 36)} label={t('surveys.results.chart', { question: q.text })} option={{
            grid: { left: 120, right: 48, top: 8, bottom: 24 }, tooltip: {},
            xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', inverse: true, data: rows.map((row) => row.label) },
            series: [{ type: 'bar', data: rows.map((row) => row.count), label: { show: true, position: 'right' }, itemStyle: { color: '#1d4ed8' } }],
          }} />
          <Table size="small" pagination={false} rowKey="key" dataSource={rows} columns={[
            { title: t('surveys.form.options'), dataIndex: 'label' },
            { title: t('surveys.columns.answered'), dataIndex: 'count', align: 'right' },
            { title: '%', dataIndex: 'share', align: 'right', render: (v: number) => `${v}%` },
            ...(groups ?? []).map((g) => ({ title: g.label, key: g.label, align: 'right' as const,
              render: (_: unknown, row: { key: string }) => {
                const hit = q.kind === 'scale' ? g.q.scale.find((s) => String(s.value) === row.key) : g.q.options.find((o) => o.id === row.key);
                return hit ? `${hit.count}（${hit.share}%）` : '—';
              } })),
          ]} />
        </>
      )}
    </Card>
  );
}
