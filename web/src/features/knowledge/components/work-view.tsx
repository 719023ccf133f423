// Drafts and review: for the hotline's reviewers, the versions waiting for review, oldest first; for
// everyone who writes, the versions being written (a unit's staff: their unit's). A new article starts here.
import { Button, Empty, Segmented, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHasRole } from '../../../app/session';
import { ErrorNotice } from '../../../shared/error-notice';
import { useFormatTime } from '../../../shared/format';
import { TONES, ToneTag } from '../../../shared/tone-tag';
import { useWork, type WorkItem } from '../api/articles';

const TONE = { draft: TONES.neutral, in_review: TONES.warning, rejected: TONES.danger, published: TONES.success, superseded: TONES.neutral };

export function WorkView({ onOpen, onCreate }: { onOpen: (id: string) => void; onCreate: () => void }) {
  const { t } = useTranslation();
  const time = useFormatTime();
  const reviewer = useHasRole('lead', 'admin');
  const [status, setStatus] = useState<'in_review' | 'open'>(reviewer ? 'in_review' : 'open');
  const work = useWork(status);
  return (
    <>
      <Typography.Paragraph type="secondary">{t(reviewer ? 'knowledge.work.hintHotline' : 'knowledge.work.hintUnit')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={onCreate}>{t('knowledge.work.create')}</Button>
        <Segmented aria-label={t('knowledge.tabs.work')} value={status} onChange={(v) => setStatus(v as typeof status)}
          options={[{ value: 'in_review', label: t('knowledge.work.inReview') }, { value: 'open', label: t('knowledge.work.open') }]} />
      </Space>
      {work.error && <ErrorNotice error={work.error} />}
      <Table<WorkItem> rowKey={(w) => `${w.articleId}:${w.version.version}`} loading={work.isLoading} dataSource={work.data ?? []} pagination={{ pageSize: 20 }}
        locale={{ emptyText: <Empty description={t('knowledge.work.empty')} /> }}
        columns={[
          { title: t('knowledge.work.columns.title'), render: (_, w) => (
            <Space size={6} wrap><Typography.Link onClick={() => onOpen(w.articleId)}>{w.version.title}</Typography.Link>
              <ToneTag tone={TONES.info}>{t(w.revision ? 'knowledge.work.revision' : 'knowledge.work.newArticle')}</ToneTag></Space>) },
          { title: t('knowledge.work.columns.owner'), render: (_, w) => w.ownerUnit.name },
          { title: t('knowledge.work.columns.status'), render: (_, w) => <ToneTag tone={TONE[w.version.status]}>{t(`knowledge.article.statuses.${w.version.status}`)}</ToneTag> },
          { title: t('knowledge.work.columns.author'), render: (_, w) => w.version.authorName },
          { title: t('knowledge.work.columns.at'), render: (_, w) => time(w.version.submittedAt ?? w.version.writtenAt) },
        ]} />
    </>
  );
}
