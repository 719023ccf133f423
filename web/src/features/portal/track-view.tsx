// Following a request with its tracking number and lookup code: where it stands, its public steps,
// the answer, and the rating (which is the return visit). The pair may come in the address's
// fragment (#no=…&code=…), which the browser never sends to a server.
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Radio, Space, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useFormatTime } from '../../shared/format';
import { ToneTag, TONES } from '../../shared/tone-tag';
import { rateRequest, trackRequest, type Rating, type TrackedRequest } from './api';

interface Pair { trackingNo: string; code: string }

function pairInHash(hash: string): Pair | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const trackingNo = params.get('no');
  const code = params.get('code');
  return trackingNo && code ? { trackingNo, code } : null;
}

export function TrackView() {
  const { t } = useTranslation();
  const { hash } = useLocation();
  const [form] = Form.useForm<Pair>();
  const [pair, setPair] = useState<Pair | null>(null);
  const [view, setView] = useState<TrackedRequest | null>(null);
  const lookup = useMutation({
    mutationFn: (p: Pair) => trackRequest(p.trackingNo, p.code),
    onSuccess: (found, p) => { setView(found); setPair(p); },
    onError: () => setView(null),
  });
  useEffect(() => {
    const given = pairInHash(hash);
    if (given) {
      form.setFieldsValue(given);
      lookup.mutate({ trackingNo: given.trackingNo.trim(), code: given.code.trim() });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hash]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Form form={form} layout="vertical" onFinish={(p) => lookup.mutate({ trackingNo: p.trackingNo.trim(), code: p.code.trim() })} requiredMark={false}>
          <Form.Item label={t('portal.trackingNo')} name="trackingNo" rules={[{ required: true, whitespace: true, message: t('portal.required', { field: t('portal.trackingNo') }) }]}
            extra={t('portal.lookupHint')}>
            <Input inputMode="numeric" autoComplete="off" maxLength={32} />
          </Form.Item>
          <Form.Item label={t('portal.lookupCode')} name="code" rules={[{ required: true, whitespace: true, message: t('portal.required', { field: t('portal.lookupCode') }) }]}>
            <Input autoComplete="off" maxLength={16} style={{ textTransform: 'uppercase' }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={lookup.isPending}>{t('portal.lookup')}</Button>
        </Form>
        {lookup.isError && <Alert role="alert" type="error" showIcon title={(lookup.error as Error).message} style={{ marginTop: 16 }} />}
      </Card>
      {view && pair && <RequestCard view={view} pair={pair} onRated={setView} />}
    </Space>
  );
}

function RequestCard({ view, pair, onRated }: { view: TrackedRequest; pair: Pair; onRated: (v: TrackedRequest) => void }) {
  const { t } = useTranslation();
  const at = useFormatTime();
  const done = view.state === 'closed' || view.state === 'archived';
  return (
    <>
      <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{view.title}</Typography.Title>}>
        <Descriptions column={1} size="small" items={[
          { key: 'no', label: t('portal.trackingNo'), children: view.trackingNo },
          { key: 'state', label: t('portal.state'), children: <ToneTag tone={done ? TONES.success : TONES.info}>{t(`portal.states.${view.state}`)}</ToneTag> },
          { key: 'at', label: t('portal.submittedAt'), children: at(view.createdAt) },
        ]} />
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{view.body}</Typography.Paragraph>
      </Card>
      <Card title={<Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>{t('portal.answer')}</Typography.Title>}>
        {view.answer ? (
          <>
            <Typography.Text type="secondary">{t('portal.answeredBy', { unit: view.answer.unitName ?? '12345' })} · {at(view.answer.at)}</Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }} data-testid="answer">{view.answer.text}</Typography.Paragraph>
          </>
        ) : view.mergedAnswer ? (
          <Alert type="info" showIcon data-testid="merged-answer"
            title={t('portal.mergedAnswered', { unit: view.mergedAnswer.unitName ?? '12345', at: at(view.mergedAnswer.at) })}
            description={t('portal.mergedAnswerHint')} />
        ) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portal.noAnswerYet')} />}
        {view.rating.open && <RatingForm pair={pair} onRated={onRated} />}
        {view.rating.given?.satisfaction && (
          <Alert type="success" showIcon title={t('portal.rated')}
            description={t('portal.ratedAs', { satisfaction: t(`portal.satisfactions.${view.rating.given.satisfaction}`) })} />
        )}
      </Card>
      <Card title={<Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>{t('portal.progress')}</Typography.Title>}>
        <Timeline items={[...view.steps].reverse().map((s) => ({
          children: (
            <>
              <div>{t(`portal.steps.${s.step}`, { unit: s.unitName ?? '' })}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{at(s.at)}</Typography.Text>
              {s.step === 'cancelled' && s.text && <div>{s.text}</div>}
            </>
          ),
        }))} />
      </Card>
    </>
  );
}

function RatingForm({ pair, onRated }: { pair: Pair; onRated: (v: TrackedRequest) => void }) {
  const { t } = useTranslation();
  const rate = useMutation({ mutationFn: (r: Rating) => rateRequest(pair.trackingNo, pair.code, r), onSuccess: onRated });
  return (
    <Form layout="vertical" onFinish={(f: { solved: 'yes' | 'no'; satisfaction: Rating['satisfaction']; comment?: string }) =>
      rate.mutate({ solved: f.solved === 'yes', satisfaction: f.satisfaction, comment: f.comment?.trim() || undefined })} requiredMark={false}
      style={{ borderTop: '1px solid #e5e7eb', paddingTop: 12 }}>
      <Typography.Title level={3} style={{ fontSize: 16 }}>{t('portal.rate')}</Typography.Title>
      {rate.isError && <Alert role="alert" type="error" showIcon title={(rate.error as Error).message} style={{ marginBottom: 12 }} />}
      <Form.Item label={t('portal.solved')} name="solved" rules={[{ required: true, message: t('portal.required', { field: t('portal.solved') }) }]}>
        <Radio.Group options={[{ value: 'yes', label: t('portal.yes') }, { value: 'no', label: t('portal.no') }]} />
      </Form.Item>
      <Form.Item label={t('portal.satisfaction')} name="satisfaction" rules={[{ required: true, message: t('portal.required', { field: t('portal.satisfaction') }) }]}>
        <Radio.Group options={(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((s) => ({ value: s, label: t(`portal.satisfactions.${s}`) }))} />
      </Form.Item>
      <Form.Item label={t('portal.comment')} name="comment">
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={rate.isPending}>{t('portal.sendRating')}</Button>
    </Form>
  );
}
