// Reading an article in full: the answer to read out (and copy), how citizens ask it, whose it is,
// where and until when it applies; for its writers and the reviewers, the version being written or
// reviewed with the review's comment, the steps they may take now (revise, submit, publish, send
// back, withdraw) and every version.
import { App, Button, Descriptions, Drawer, Input, List, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHasRole } from '../../../app/session';
import { ErrorNotice } from '../../../shared/error-notice';
import { useCategoryTree } from '../../../shared/category-tree';
import { useFormatTime } from '../../../shared/format';
import { TONES, ToneTag } from '../../../shared/tone-tag';
import { useArticle, useReview, useSubmit, useVersions, useWithdraw, type Article, type Version } from '../api/articles';
import { useDistricts } from '../api/districts';
import { ArticleEditor } from './article-editor';

const STATUS_TONES: Record<Version['status'], string[]> = {
  draft: TONES.neutral, in_review: TONES.warning, published: TONES.success, rejected: TONES.danger, superseded: TONES.neutral,
};

export function ArticleDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const article = useArticle(id);
  const a = article.data;
  const shown = a?.published ?? a?.open;
  return (
    <Drawer open width={720} onClose={onClose} title={shown?.title ?? t('knowledge.title')} extra={a && <Steps article={a} />}>
      {article.error && <ErrorNotice error={article.error} />}
      {a && <ArticleBody article={a} />}
    </Drawer>
  );
}

function ArticleBody({ article: a }: { article: Article }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const time = useFormatTime();
  const { names } = useCategoryTree();
  const districts = useDistricts();
  const writer = useHasRole('agent', 'lead', 'admin', 'unit_handler', 'unit_manager');
  const p = a.published;
  const copy = (text: string) => navigator.clipboard?.writeText(text).then(() => message.success(t('knowledge.article.copied')), () => undefined);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        {!p && <ToneTag tone={TONES.neutral}>{t('knowledge.article.notPublished')}</ToneTag>}
        {a.withdrawnAt && <ToneTag tone={TONES.danger}>{t('knowledge.article.withdrawn')}</ToneTag>}
        {p?.expired && <ToneTag tone={TONES.danger}>{t('knowledge.expired')}</ToneTag>}
        {p && !p.public && <ToneTag tone={TONES.neutral}>{t('knowledge.internal')}</ToneTag>}
        {p && <Typography.Text type="secondary">{t('knowledge.article.version', { version: p.version, time: time(p.publishedAt) })}</Typography.Text>}
      </Space>
      {p && (
        <>
          <section aria-label={t('knowledge.article.answer')}>
            <Space style={{ justifyContent: 'space-between', width: '100%' }}>
              <Typography.Title level={5} style={{ margin: 0 }}>{t('knowledge.article.answer')}</Typography.Title>
              <Button size="small" onClick={() => copy(p.answer)}>{t('knowledge.article.copy')}</Button>
            </Space>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', fontSize: 15, marginTop: 8 }}>{p.answer}</Typography.Paragraph>
          </section>
          <Descriptions column={1} size="small" bordered items={[
            { key: 'q', label: t('knowledge.article.questions'), children: p.questions.join('；') || '—' },
            { key: 'owner', label: t('knowledge.article.owner'), children: a.ownerUnit.name },
            { key: 'cat', label: t('knowledge.article.categories'), children: p.categoryCodes.map((c) => names.get(c) ?? c).join('、') || '—' },
            { key: 'area', label: t('knowledge.article.areas'), children: p.areaCodes.map(districts.nameOf).join('、') || t('knowledge.article.wholeCity') },
            { key: 'valid', label: t('knowledge.article.validity'), children: <Validity from={p.validFrom} until={p.validUntil} /> },
            { key: 'public', label: t('knowledge.article.public'), children: p.public ? '✓' : '—' },
          ]} />
        </>
      )}
      {a.open && <OpenVersion version={a.open} />}
      {writer && <Versions id={a.id} />}
    </Space>
  );
}

function Validity({ from, until }: { from: string | null; until: string | null }) {
  const { t } = useTranslation();
  if (!from && !until) return <>{t('knowledge.article.always')}</>;
  return <>{[from && t('knowledge.article.from', { date: from }), until && t('knowledge.article.until', { date: until })].filter(Boolean).join(' ')}</>;
}

function OpenVersion({ version: v }: { version: Version }) {
  const { t } = useTranslation();
  const time = useFormatTime();
  return (
    <section aria-label={t('knowledge.article.open')} style={{ border: '1px solid #e5e7eb', borderRadius: 8, padding: 12 }}>
      <Space wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>{t('knowledge.article.open')}</Typography.Title>
        <ToneTag tone={STATUS_TONES[v.status]}>{t(`knowledge.article.statuses.${v.status}`)}</ToneTag>
        {v.sourceOrderId && <Typography.Text type="secondary">{t('knowledge.article.fromOrder')}</Typography.Text>}
      </Space>
      {v.reviewComment && <Typography.Paragraph type="danger" style={{ marginTop: 8 }}>{t('knowledge.article.comment', { comment: v.reviewComment })}</Typography.Paragraph>}
      <Typography.Paragraph strong style={{ marginTop: 8 }}>{v.title}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">{v.questions.join('；')}</Typography.Paragraph>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{v.answer}</Typography.Paragraph>
      <Typography.Text type="secondary">{t('knowledge.article.by', { author: v.authorName ?? '', time: time(v.writtenAt) })}</Typography.Text>
    </section>
  );
}

function Versions({ id }: { id: string }) {
  const { t } = useTranslation();
  const time = useFormatTime();
  const [open, setOpen] = useState(false);
  const versions = useVersions(id, open);
  if (!open) return <Button type="link" onClick={() => setOpen(true)} style={{ padding: 0 }}>{t('knowledge.article.versions')}</Button>;
  return (
    <List size="small" header={t('knowledge.article.versions')} loading={versions.isLoading} dataSource={versions.data ?? []}
      renderItem={(v) => (
        <List.Item>
          <Space wrap>
            <span>v{v.version}</span>
            <ToneTag tone={STATUS_TONES[v.status]}>{t(`knowledge.article.statuses.${v.status}`)}</ToneTag>
            <span>{v.title}</span>
            <Typography.Text type="secondary">{t('knowledge.article.by', { author: v.authorName ?? '', time: time(v.writtenAt) })}</Typography.Text>
            {v.reviewedAt && <Typography.Text type="secondary">{t('knowledge.article.reviewedBy', { reviewer: v.reviewerName ?? '', time: time(v.reviewedAt) })}</Typography.Text>}
            {v.reviewComment && <Typography.Text type="secondary">{t('knowledge.article.comment', { comment: v.reviewComment })}</Typography.Text>}
          </Space>
        </List.Item>
      )} />
  );
}

/** The steps the user may take on the article now; the server decides, these only offer what it would allow. */
function Steps({ article: a }: { article: Article }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const writer = useHasRole('agent', 'lead', 'admin', 'unit_handler', 'unit_manager');
  const reviewer = useHasRole('lead', 'admin');
  const [editing, setEditing] = useState(false);
  const [asking, setAsking] = useState<'reject' | 'withdraw' | null>(null);
  const submit = useSubmit();
  const review = useReview();
  const withdraw = useWithdraw();
  const done = (text: string) => () => void message.success(text);
  const failed = (e: Error) => void message.error(e.message);
  const status = a.open?.status;
  return (
    <Space wrap>
      {writer && status !== 'in_review' && <Button onClick={() => setEditing(true)}>{t('knowledge.article.edit')}</Button>}
      {writer && (status === 'draft' || status === 'rejected') && (
        <Button type="primary" loading={submit.isPending} onClick={() => submit.mutateAsync(a.id).then(done(t('knowledge.article.submitted')), failed)}>
          {t('knowledge.article.submit')}</Button>
      )}
      {reviewer && status === 'in_review' && (
        <>
          <Button type="primary" loading={review.isPending} onClick={() => review.mutateAsync({ id: a.id, decision: 'publish' }).then(done(t('knowledge.article.published')), failed)}>
            {t('knowledge.article.publish')}</Button>
          <Button danger onClick={() => setAsking('reject')}>{t('knowledge.article.reject')}</Button>
        </>
      )}
      {reviewer && a.published && !a.withdrawnAt && <Button danger type="text" onClick={() => setAsking('withdraw')}>{t('knowledge.article.withdraw')}</Button>}
      {editing && <ArticleEditor editing={{ article: a }} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />}
      {asking && <Reason label={t(asking === 'reject' ? 'knowledge.article.rejectComment' : 'knowledge.article.withdrawReason')}
        busy={review.isPending || withdraw.isPending}
        onCancel={() => setAsking(null)}
        onOk={(text) => (asking === 'reject'
          ? review.mutateAsync({ id: a.id, decision: 'reject', comment: text }).then(done(t('knowledge.article.rejected')))
          : withdraw.mutateAsync({ id: a.id, reason: text }).then(done(t('knowledge.article.withdrawnDone')))).then(() => setAsking(null), failed)} />}
    </Space>
  );
}

function Reason({ label, busy, onOk, onCancel }: { label: string; busy: boolean; onOk: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  return (
    <Modal open title={label} onCancel={onCancel} onOk={() => onOk(text)} okButtonProps={{ disabled: !text.trim() }} confirmLoading={busy}>
      <Input.TextArea aria-label={label} rows={4} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
    </Modal>
  );
}
