// 民意调查: the surveys, newest first. Leads and supervisors write them, add respondents, open and
// close them; leaders and they read the results; agents call the respondents of the open ones.
import { App, Button, Card, Empty, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHasRole } from '../../app/session';
import { ErrorNotice } from '../../shared/error-notice';
import { TONES, ToneTag } from '../../shared/tone-tag';
import { useInvite, useMoveSurvey, useSurveys, type Survey } from './api/surveys';
import { CallDrawer } from './components/call-drawer';
import { RespondentsForm } from './components/respondents-form';
import { ResultsDrawer } from './components/results-drawer';
import { SurveyBuilder } from './components/survey-builder';

const STATUS_TONES = { draft: TONES.neutral, open: TONES.success, closed: TONES.info };
type Open = { kind: 'build'; survey: Survey | null } | { kind: 'respondents' | 'call' | 'results'; survey: Survey };

export function SurveysPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const surveys = useSurveys();
  const move = useMoveSurvey();
  const invite = useInvite();
  const manager = useHasRole('lead', 'supervisor', 'admin');
  const reader = useHasRole('lead', 'supervisor', 'admin', 'leader');
  const caller = useHasRole('agent', 'lead');
  const [open, setOpen] = useState<Open | null>(null);
  const moveTo = (s: Survey, to: 'open' | 'closed') => move.mutateAsync({ id: s.id, to })
    .then(() => message.success(t(to === 'open' ? 'surveys.actions.opened' : 'surveys.actions.closed')), (e: Error) => message.error(e.message));
  return (
    <Card title={t('surveys.title')} extra={manager && <Button type="primary" onClick={() => setOpen({ kind: 'build', survey: null })}>{t('surveys.create')}</Button>}>
      <Typography.Paragraph type="secondary">{t('surveys.hint')}</Typography.Paragraph>
      {surveys.error && <ErrorNotice error={surveys.error} />}
      <Table<Survey> rowKey="id" loading={surveys.isLoading} dataSource={surveys.data ?? []} pagination={{ pageSize: 20 }}
        locale={{ emptyText: <Empty description={t(manager ? 'surveys.emptyHint' : 'surveys.empty')} /> }}
        columns={[
          { title: t('surveys.columns.title'), dataIndex: 'title' },
          { title: t('surveys.columns.status'), render: (_, s) => <ToneTag tone={STATUS_TONES[s.status]}>{t(`surveys.statuses.${s.status}`)}</ToneTag> },
          { title: t('surveys.columns.period'), render: (_, s) => t('surveys.period', { from: s.startsOn, to: s.endsOn }) },
          { title: t('surveys.columns.channels'), render: (_, s) => s.channels.map((c) => t(`surveys.channels.${c}`)).join('、') },
          { title: t('surveys.columns.respondents'), dataIndex: 'respondents', align: 'right' },
          { title: t('surveys.columns.invited'), align: 'right', render: (_, s) => (s.inviteFailed ? `${s.invited}（${t('surveys.inviteFailed', { count: s.inviteFailed })}）` : s.invited) },
          { title: t('surveys.columns.answered'), dataIndex: 'answered', align: 'right' },
          { title: '', render: (_, s) => (
            <Space wrap size={4}>
              {manager && s.status === 'draft' && <Button size="small" onClick={() => setOpen({ kind: 'build', survey: s })}>{t('surveys.actions.edit')}</Button>}
              {manager && s.status !== 'closed' && <Button size="small" onClick={() => setOpen({ kind: 'respondents', survey: s })}>{t('surveys.actions.respondents')}</Button>}
              {manager && s.status === 'draft' && <Button size="small" type="primary" onClick={() => moveTo(s, 'open')}>{t('surveys.actions.open')}</Button>}
              {manager && s.status === 'open' && s.channels.includes('sms') && <Button size="small" loading={invite.isPending}
                onClick={() => invite.mutateAsync(s.id).then((r) => message.success(t('surveys.actions.invited', r)), (e: Error) => message.error(e.message))}>
                {t('surveys.actions.invite')}</Button>}
              {manager && s.status === 'open' && <Button size="small" danger onClick={() => moveTo(s, 'closed')}>{t('surveys.actions.close')}</Button>}
              {caller && s.status === 'open' && s.channels.includes('outbound') && <Button size="small" onClick={() => setOpen({ kind: 'call', survey: s })}>{t('surveys.actions.call')}</Button>}
              {reader && s.status !== 'draft' && <Button size="small" onClick={() => setOpen({ kind: 'results', survey: s })}>{t('surveys.actions.results')}</Button>}
            </Space>
          ) },
        ]} />
      {open?.kind === 'build' && <SurveyBuilder survey={open.survey} onClose={() => setOpen(null)} />}
      {open?.kind === 'respondents' && <RespondentsForm survey={open.survey} onClose={() => setOpen(null)} />}
      {open?.kind === 'call' && <CallDrawer survey={open.survey} onClose={() => setOpen(null)} />}
      {open?.kind === 'results' && <ResultsDrawer survey={open.survey} onClose={() => setOpen(null)} />}
    </Card>
  );
}
