// What the knowledge base is worth and what needs care: the direct-answer rate and the answers that
// rested on articles over a period, the articles used (and how often their answers failed: reopened,
// unsatisfied); the articles expired or expiring within 30 days, and whether their owner was told.
import { Card, Col, DatePicker, Empty, Row, Segmented, Space, Statistic, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/error-notice';
import { beijingToday, useFormatTime } from '../../../shared/format';
import { TONES, ToneTag } from '../../../shared/tone-tag';
import { useExpiry, useUsage, type Expiring, type Usage } from '../api/articles';

export function ReportsView({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'usage' | 'expiry'>('usage');
  return (
    <>
      <Segmented aria-label={t('knowledge.tabs.reports')} value={view} onChange={(v) => setView(v as typeof view)} style={{ marginBottom: 16 }}
        options={[{ value: 'usage', label: t('knowledge.reports.usage') }, { value: 'expiry', label: t('knowledge.reports.expiry') }]} />
      {view === 'usage' ? <UsageReport onOpen={onOpen} /> : <ExpiryReport onOpen={onOpen} />}
    </>
  );
}

const rate = (value: number | null) => (value === null ? '—' : `${value}%`);

function UsageReport({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const time = useFormatTime();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [beijingToday().startOf('month'), beijingToday()]);
  const usage = useUsage(range[0].format('YYYY-MM-DD'), range[1].format('YYYY-MM-DD'));
  const u = usage.data;
  return (
    <>
      <DatePicker.RangePicker aria-label={t('knowledge.reports.from')} value={range} allowClear={false} style={{ marginBottom: 16 }}
        placeholder={[t('knowledge.reports.from'), t('knowledge.reports.to')]} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
      {usage.error && <ErrorNotice error={usage.error} />}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {([['registered', u?.registered], ['answered', u?.answeredDirectly], ['withArticle', u?.withArticle]] as const).map(([key, value]) => (
          <Col key={key} xs={12} md={4}><Card size="small"><Statistic title={t(`knowledge.reports.${key}`)} value={value ?? '—'} /></Card></Col>
        ))}
        {([['directRate', u?.directRate], ['articleRate', u?.articleRate], ['failureRate', u?.failureRate]] as const).map(([key, value]) => (
          <Col key={key} xs={12} md={4}><Card size="small"><Statistic title={t(`knowledge.reports.${key}`)} value={rate(value ?? null)} /></Card></Col>
        ))}
      </Row>
      <Typography.Title level={5}>{t('knowledge.reports.articles')}</Typography.Title>
      <Table<Usage['articles'][number]> rowKey="articleId" size="small" loading={usage.isLoading} dataSource={u?.articles ?? []}
        locale={{ emptyText: <Empty description={t('knowledge.reports.none')} /> }} pagination={{ pageSize: 20 }}
        columns={[
          { title: t('knowledge.reports.columns.title'), render: (_, a) => <Typography.Link onClick={() => onOpen(a.articleId)}>{a.title}</Typography.Link> },
          { title: t('knowledge.reports.columns.owner'), render: (_, a) => a.ownerUnit.name },
          { title: t('knowledge.reports.columns.uses'), dataIndex: 'uses', align: 'right' },
          { title: t('knowledge.reports.columns.reopened'), dataIndex: 'reopened', align: 'right' },
          { title: t('knowledge.reports.columns.unsatisfied'), dataIndex: 'unsatisfied', align: 'right' },
          { title: t('knowledge.reports.columns.last'), render: (_, a) => time(a.lastUsedAt) },
        ]} />
    </>
  );
}

function ExpiryReport({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const time = useFormatTime();
  const expiry = useExpiry();
  return (
    <>
      <Typography.Paragraph type="secondary">{t('knowledge.reports.expiryHint')}</Typography.Paragraph>
      {expiry.error && <ErrorNotice error={expiry.error} />}
      <Table<Expiring> rowKey="articleId" size="small" loading={expiry.isLoading} dataSource={expiry.data ?? []}
        locale={{ emptyText: <Empty description={t('knowledge.reports.none')} /> }} pagination={{ pageSize: 20 }}
        columns={[
          { title: t('knowledge.reports.columns.title'), render: (_, a) => <Typography.Link onClick={() => onOpen(a.articleId)}>{a.title}</Typography.Link> },
          { title: t('knowledge.reports.columns.owner'), render: (_, a) => a.ownerUnit.name },
          { title: t('knowledge.reports.columns.validUntil'), dataIndex: 'validUntil' },
          { title: t('knowledge.reports.columns.state'), render: (_, a) => (
            <Space size={4} wrap>
              <ToneTag tone={a.expired ? TONES.danger : TONES.warning}>{t(a.expired ? 'knowledge.expired' : 'knowledge.reports.expiringSoon')}</ToneTag>
              {a.revising && <ToneTag tone={TONES.info}>{t('knowledge.reports.revising')}</ToneTag>}
            </Space>) },
          { title: t('knowledge.reports.columns.noticed'), render: (_, a) => (a.noticedAt ? time(a.noticedAt) : '—') },
        ]} />
    </>
  );
}
