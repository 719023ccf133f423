// A survey answered by the personal link of its invitation (/portal/survey/<token>): its
// introduction and questions, answered once; a second visit says it was answered.
import { useMutation, useQuery } from '@tanstack/react-query';
import { Card, Result, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../shared/api/client';
import { ErrorNotice } from '../../shared/error-notice';
import { AnswerForm, type SurveyQuestion } from '../../shared/surveys/answer-form';
import { answerByLink, surveyByLink } from './api';

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
