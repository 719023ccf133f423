// Surveys on the portal: one answered by the personal link of its invitation (/portal/survey/<token>),
// once, a second visit told it was answered; and those open to anyone (/portal/surveys), answered
// with a mobile number (one answer per number; proved by an SMS code where the platform sends them)
// and, if the citizen says, the place they live.
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, List, Result, Skeleton, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { AreaSearch } from '../../shared/area-search';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../shared/api/client';
import { ErrorNotice } from '../../shared/error-notice';
import { AnswerForm, type SurveyQuestion } from '../../shared/surveys/answer-form';
import { answerByLink, answerOnPortal, openSurveys, sendPhoneCode, surveyByLink } from './api';

export function SurveyView() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const survey = useQuery({ queryKey: ['survey-link', token], queryFn: () => surveyByLink(token), retry: false });
  const answer = useMutation({ mutationFn: (answers: Record<string, string | string[] | number>) => answerByLink(token, answers) });
  if (survey.error) {
    return survey.error instanceof ApiError && survey.error.status === 404 ? <Result status="404" title={t('surveys.answer.notFound')} /> : <ErrorNotice error={survey.error} />;
  }
  if (!survey.data) return <Skeleton active />;
  const { survey: s, answered } = survey.data;
  if (answer.isSuccess) return <Result status="success" title={t('surveys.answer.thanks')} />;
  if (answered || (answer.error instanceof ApiError && answer.error.code === 'SURVEY_ALREADY_ANSWERED')) return <Result status="info" title={t('surveys.answer.already')} />;
  if (s.status !== 'open') return <Result status="warning" title={t('surveys.answer.closed')} />;
  return (
    <Card>
      <Typography.Title level={2} style={{ fontSize: 20 }}>{s.title}</Typography.Title>
      {s.intro && <Typography.Paragraph>{s.intro}</Typography.Paragraph>}
      {answer.error && <ErrorNotice error={answer.error} />}
      <AnswerForm questions={s.questions as SurveyQuestion[]} submitting={answer.isPending} onSubmit={(a) => answer.mutate(a)} />
    </Card>
  );
}

/** The surveys open on the portal; one chosen is answered with a number. */
export function OpenSurveysView() {
  const { t } = useTranslation();
  const surveys = useQuery({ queryKey: ['open-surveys'], queryFn: openSurveys });
  const [chosen, setChosen] = useState<string | null>(null);
  const survey = surveys.data?.find((s) => s.id === chosen);
  if (surveys.error) return <ErrorNotice error={surveys.error} />;
  if (survey) return <PortalSurvey survey={survey} />;
  return (
    <Card title={t('surveys.answer.open')}>
      <List loading={surveys.isLoading} dataSource={surveys.data ?? []} locale={{ emptyText: t('surveys.answer.noneOpen') }}
        renderItem={(s) => (
          <List.Item actions={[<Button key="go" type="link" onClick={() => setChosen(s.id)}>{t('surveys.answer.take')}</Button>]}>
            <List.Item.Meta title={s.title} description={t('surveys.answer.until', { date: s.endsOn })} />
          </List.Item>
        )} />
    </Card>
  );
}

function PortalSurvey({ survey }: { survey: { id: string; title: string; intro: string; questions: unknown[]; phoneCode: boolean } }) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [area, setArea] = useState<string>();
  const answer = useMutation({ mutationFn: (answers: Record<string, string | string[] | number>) =>
    answerOnPortal(survey.id, { phone, areaCode: area, code: survey.phoneCode && code ? code : undefined }, answers) });
  if (answer.isSuccess) return <Result status="success" title={t('surveys.answer.thanks')} />;
  if (answer.error instanceof ApiError && answer.error.code === 'SURVEY_ALREADY_ANSWERED') return <Result status="info" title={t('surveys.answer.already')} />;
  return (
    <Card>
      <Typography.Title level={2} style={{ fontSize: 20 }}>{survey.title}</Typography.Title>
      {survey.intro && <Typography.Paragraph>{survey.intro}</Typography.Paragraph>}
      {answer.error && <ErrorNotice error={answer.error} />}
      <AnswerForm questions={survey.questions as SurveyQuestion[]} submitting={answer.isPending} onSubmit={(a) => answer.mutate(a)} extra={<>
        <Form.Item label={t('surveys.answer.phone')} extra={t('surveys.answer.phoneHint')} required>
          <Input inputMode="tel" value={phone} onChange={(e) => setPhone(e.target.value)} aria-label={t('surveys.answer.phone')} />
        </Form.Item>
        {survey.phoneCode && <PhoneCode phone={phone} code={code} onCode={setCode} onSent={() => answer.reset()} />}
        <Form.Item label={t('surveys.answer.area')}><AreaSearch open value={area} onChange={setArea} aria-label={t('surveys.answer.area')} /></Form.Item>
      </>} />
    </Card>
  );
}

/** The code sent to the number by SMS, asked for with a button that waits out the resend interval. */
function PhoneCode({ phone, code, onCode, onSent }: { phone: string; code: string; onCode: (code: string) => void; onSent: () => void }) {
  const { t } = useTranslation();
  const [wait, setWait] = useState(0);
  const send = useMutation({ mutationFn: () => sendPhoneCode(phone), onSuccess: (r) => { setWait(r.resendAfterSeconds); onSent(); } });
  useEffect(() => {
    if (wait <= 0) return;
    const id = setTimeout(() => setWait(wait - 1), 1_000);
    return () => clearTimeout(id);
  }, [wait]);
  return (
    <Form.Item label={t('surveys.answer.code')} required validateStatus={send.error ? 'error' : undefined}
      help={send.error ? send.error.message : send.isSuccess ? t('surveys.answer.codeSent') : undefined}>
      <Space.Compact style={{ width: '100%' }}>
        <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => onCode(e.target.value.replace(/\D/g, ''))}
          aria-label={t('surveys.answer.code')} />
        <Button onClick={() => send.mutate()} loading={send.isPending} disabled={wait > 0 || !phone.trim()}>
          {wait > 0 ? t('surveys.answer.resendIn', { seconds: wait }) : t('surveys.answer.sendCode')}
        </Button>
      </Space.Compact>
    </Form.Item>
  );
}
