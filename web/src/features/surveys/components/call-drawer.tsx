// An agent's outbound calls for a survey: the respondents not answered yet, the longest waiting
// first; one picked, the introduction to read and the questions to ask, the answers entered once.
import { App, Button, Drawer, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/error-notice';
import { AnswerForm, type SurveyQuestion } from '../../../shared/surveys/answer-form';
import { useAnswerOutbound, useToCall, type Survey } from '../api/surveys';

export function CallDrawer({ survey, onClose }: { survey: Survey; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toCall = useToCall(survey.id);
  const answer = useAnswerOutbound();
  const [current, setCurrent] = useState<{ respondentId: string; phone: string | null } | null>(null);
  return (
    <Drawer open width={640} onClose={onClose} title={t('surveys.call.title', { title: survey.title })}>
      {current ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>{t('surveys.call.phone')}: {current.phone}</Typography.Title>
            <Button onClick={() => setCurrent(null)}>{t('surveys.call.back')}</Button>
          </Space>
          <Typography.Paragraph type="secondary">{t('surveys.call.script')}: {survey.intro}</Typography.Paragraph>
          <AnswerForm key={current.respondentId} questions={survey.questions as SurveyQuestion[]} submitting={answer.isPending}
            onSubmit={(answers) => answer.mutateAsync({ id: survey.id, respondentId: current.respondentId, answers })
              .then(() => { void message.success(t('surveys.call.submitted')); setCurrent(null); }, (e: Error) => message.error(e.message))} />
        </Space>
      ) : (<>
        {toCall.error && <ErrorNotice error={toCall.error} />}
        <List header={t('surveys.call.list')} loading={toCall.isLoading} dataSource={toCall.data ?? []} locale={{ emptyText: t('surveys.call.none') }}
          renderItem={(r) => (
            <List.Item actions={[<Button key="pick" onClick={() => setCurrent(r)}>{t('surveys.call.pick')}</Button>]}>
              {r.phone}
            </List.Item>
          )} />
      </>)}
    </Drawer>
  );
}
