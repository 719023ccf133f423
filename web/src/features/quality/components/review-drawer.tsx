// One sample: what it is (the order, summed up, its history in a tab of its own; a call in a tab of its own), why it was
// drawn, and its scoring: one number per item of the sheet, in halves, the total as it is typed,
// and a comment the agent will read. Team leads score others' work; everyone else reads.
import { Alert, App, Button, Descriptions, Drawer, Form, Input, InputNumber, Select, Skeleton, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHasRole, useSession } from '../../../app/session';
import { ErrorNotice } from '../../../shared/error-notice';
import { useFormatTime } from '../../../shared/format';
import { nameIn } from '../../../shared/i18n/named';
import { StateTag } from '../../../shared/orders/order-table';
import { useReviewedOrder } from '../api/order';
import { useScoreReview, type Review } from '../api/reviews';
import { useSheets, type Sheet } from '../api/sheets';
import { ReasonTags, ScoreText } from './reason-tags';
import { Subject } from './reviews-view';

export function ReviewDrawer({ review, onClose, onScored }: { review: Review | null; onClose: () => void; onScored: (review: Review) => void }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  return (
    <Drawer open={review !== null} onClose={onClose} size="large" destroyOnHidden
      title={review && t('quality.review.title', { agent: review.agentName ?? review.agentId })}>
      {review && (
        <>
          <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('quality.review.subject')}>
              <Space direction="vertical" size={2}>
                <Subject review={review} />
                {review.kind === 'order'
                  ? <Typography.Link href={`/orders/${review.subjectId}`} target="_blank">{t('quality.review.openOrder')}</Typography.Link>
                  : <Typography.Link href={`/calls/records?call=${encodeURIComponent(review.subjectId)}`} target="_blank">{t('quality.review.openCall')}</Typography.Link>}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('quality.columns.reasons')}><ReasonTags reasons={review.reasons} /></Descriptions.Item>
            <Descriptions.Item label={t('quality.columns.workAt')}>{when(review.workAt)}</Descriptions.Item>
            <Descriptions.Item label={t('quality.columns.score')}><ScoreText review={review} /></Descriptions.Item>
            {review.reviewedAt && (
              <Descriptions.Item label={t('quality.columns.reviewer')}>
                {t('quality.review.reviewedBy', { reviewer: review.reviewerName ?? '—', time: when(review.reviewedAt) })}
              </Descriptions.Item>
            )}
          </Descriptions>
          {review.kind === 'order' && <OrderSummary orderId={review.subjectId} />}
          <ScoreForm key={review.id} review={review} onScored={onScored} />
        </>
      )}
    </Drawer>
  );
}

/** What the agent wrote and chose: the text, the category, the place, the unit; the history opens in its own tab. */
function OrderSummary({ orderId }: { orderId: string }) {
  const { t, i18n } = useTranslation();
  const order = useReviewedOrder(orderId);
  if (order.error) return <ErrorNotice error={order.error} />;
  if (!order.data) return <Skeleton active paragraph={{ rows: 3 }} />;
  const o = order.data;
  return (
    <Descriptions column={2} size="small" bordered style={{ marginBottom: 16 }} title={<>{o.title} <StateTag state={o.state} /></>} items={[
      { key: 'type', label: t('order.requestType'), children: nameIn(i18n.language, o.requestTypeLabel) },
      { key: 'cat', label: t('order.category'), children: o.category?.name ?? '—' },
      { key: 'place', label: t('order.place'), children: [o.location.areaName, o.location.address].filter(Boolean).join(' ') || '—' },
      { key: 'unit', label: t('order.leadUnit'), children: o.leadUnit?.name ?? '—' },
      { key: 'body', label: t('order.body'), span: 2, children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{o.body}</Typography.Paragraph> },
    ]} />
  );
}

function ScoreForm({ review, onScored }: { review: Review; onScored: (review: Review) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession().me;
  const reviewer = useHasRole('lead');
  const sheets = useSheets();
  const save = useScoreReview();
  // the sheets a score may use: the active ones, and the one this review was scored on
  const usable = useMemo(() => (sheets.data ?? []).filter((s) => s.active || s.id === review.sheet?.id), [sheets.data, review.sheet?.id]);
  const [sheetId, setSheetId] = useState<string | undefined>(review.sheet?.id);
  const sheet: Sheet | undefined = usable.find((s) => s.id === sheetId) ?? usable.find((s) => s.active);
  const [scores, setScores] = useState<(number | null)[]>(review.scores ?? []);
  const [comment, setComment] = useState(review.comment ?? '');

  if (review.agentId === me?.id) return <Alert type="info" showIcon title={t('quality.review.own')} />;
  if (!reviewer) return review.comment ? <Descriptions column={1} size="small" bordered items={[{ key: 'c', label: t('quality.review.comment'), children: review.comment }]} /> : null;
  if (sheets.error) return <ErrorNotice error={sheets.error} />;
  if (sheets.isSuccess && !sheet) return <Alert type="warning" showIcon title={t('quality.review.noSheet')} />;
  if (!sheet) return null;

  const total = sheet.items.reduce((sum, _, i) => sum + (scores[i] ?? 0), 0);
  const complete = sheet.items.every((_, i) => scores[i] != null);
  const submit = async () => {
    const saved = await save.mutateAsync({ reviewId: review.id, body: { sheetId: sheet.id, scores: sheet.items.map((_, i) => scores[i]!), comment: comment.trim() || null } });
    message.success(t('quality.review.saved'));
    onScored(saved);
  };
  return (
    <Form layout="vertical" onFinish={() => void submit().catch(() => undefined)}>
      <Form.Item label={t('quality.review.sheet')} htmlFor="review-sheet">
        <Select id="review-sheet" value={sheet.id} onChange={(id: string) => { setSheetId(id); setScores([]); }} options={usable.map((s) => ({ value: s.id, label: s.name }))} />
      </Form.Item>
      {sheet.items.map((item, i) => (
        <Form.Item key={item.label} label={t('quality.review.item', { label: item.label, max: item.max })} htmlFor={`review-item-${i}`}
          extra={item.guide ?? undefined}>
          <InputNumber id={`review-item-${i}`} min={0} max={item.max} step={0.5} precision={1} style={{ width: 140 }} value={scores[i] ?? null}
            onChange={(v) => setScores(sheet.items.map((_, j) => (j === i ? v : scores[j] ?? null)))} />
        </Form.Item>
      ))}
      <Typography.Paragraph strong>{t('quality.review.total', { score: total, max: sheet.total })}</Typography.Paragraph>
      <Form.Item label={t('quality.review.comment')} htmlFor="review-comment" extra={t('quality.review.commentHint')}>
        <Input.TextArea id="review-comment" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Form.Item>
      {save.error && <ErrorNotice error={save.error} />}
      <Button type="primary" htmlType="submit" disabled={!complete} loading={save.isPending}>
        {review.state === 'reviewed' ? t('quality.review.rescore') : t('quality.review.save')}
      </Button>
    </Form>
  );
}
