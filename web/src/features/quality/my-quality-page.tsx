// 我的质检: an agent's own reviews of a month, once scored: the average, and each review with its
// items' scores and the reviewer's comment, so that they see where they lose points.
import { Card, Descriptions, Empty, List, Space, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../shared/error-notice';
import { thisMonth, useFormatTime } from '../../shared/format';
import { useMyReviews, type Review } from './api/reviews';
import { ReasonTags, ScoreText } from './components/reason-tags';
import { Subject } from './components/reviews-view';
import { MonthSelect } from './quality-page';

export function MyQualityPage() {
  const { t } = useTranslation();
  // a notice of a scored review opens its month (?month=YYYY-MM)
  const [params] = useSearchParams();
  const asked = params.get('month');
  const [month, setMonth] = useState(() => (asked && /^\d{4}-\d{2}$/.test(asked) ? asked : thisMonth()));
  const mine = useMyReviews(month);
  return (
    <Card title={t('quality.mine')}>
      <Typography.Paragraph type="secondary">{t('quality.my.hint')}</Typography.Paragraph>
      <Space wrap size="large" style={{ marginBottom: 16 }} align="center">
        <MonthSelect month={month} onChange={setMonth} />
        {mine.data && <Statistic title={t('quality.my.average')} value={mine.data.averagePercent ?? '—'} suffix={mine.data.averagePercent === null ? '' : '%'} />}
        {mine.data && <Typography.Text type="secondary">{t('quality.my.reviewed', { count: mine.data.reviewed })}</Typography.Text>}
      </Space>
      {mine.error && <ErrorNotice error={mine.error} />}
      <List dataSource={mine.data?.items ?? []} loading={mine.isFetching} locale={{ emptyText: <Empty description={t('quality.my.empty')} /> }}
        renderItem={(review) => <List.Item key={review.id}><MyReview review={review} /></List.Item>} />
    </Card>
  );
}

function MyReview({ review }: { review: Review }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text strong><Subject review={review} /></Typography.Text>
        <ReasonTags reasons={review.reasons} />
        <Typography.Text>{t('quality.columns.score')} <ScoreText review={review} /></Typography.Text>
        <Typography.Text type="secondary">{t('quality.review.reviewedBy', { reviewer: review.reviewerName ?? '—', time: when(review.reviewedAt) })}</Typography.Text>
      </Space>
      {review.sheet && (
        <Table size="small" pagination={false} rowKey="label" style={{ maxWidth: 560 }}
          dataSource={review.sheet.items.map((item, i) => ({ label: item.label, max: item.max, score: review.scores?.[i] ?? null }))}
          columns={[
            { title: t('quality.my.item'), dataIndex: 'label' },
            { title: t('quality.my.score'), key: 'score', align: 'right', render: (_: unknown, r) => `${r.score ?? '—'} / ${r.max}` },
          ]} />
      )}
      {review.comment && <Descriptions size="small" column={1} items={[{ key: 'comment', label: t('quality.my.comment'), children: review.comment }]} />}
    </Space>
  );
}
