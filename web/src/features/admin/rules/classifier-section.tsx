// The classifier (智能分类): the models with their versions, training dates and held-back scores, the
// recent training runs, a run started and followed until it ends, and the agents' acceptance rate.
import { Alert, Button, Card, Empty, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/error-notice';
import { percent, useFormatTime } from '../../../shared/format';
import { TONES, ToneTag } from '../../../shared/orders/order-table';
import { Acceptance } from './acceptance';
import { useModels, useRun, useStartTraining, type Model, type Run } from './classifier-api';
import { useRunWords } from './run-words';

const r = 'admin.rules.classifier';
const TONE = { active: TONES.success, retired: TONES.neutral, rejected: TONES.warning, running: TONES.info, done: TONES.success, skipped: TONES.warning, failed: TONES.danger };

const Lines = ({ lines }: { lines: string[] }) => <>{lines.map((l) => <div key={l}>{l}</div>)}</>;

function Training() {
  const { t } = useTranslation();
  const words = useRunWords();
  const start = useStartTraining();
  const [runId, setRunId] = useState<number | null>(null);
  const run = useRun(runId);
  const status = run.data?.status;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t(`${r}.startHint`)}</Typography.Paragraph>
      <Button type="primary" loading={start.isPending || status === 'running'}
        onClick={() => start.mutate(undefined, { onSuccess: (s) => setRunId(s.runId) })}>{t(`${r}.start`)}</Button>
      {start.error && <ErrorNotice error={start.error} />}
      {run.error && <ErrorNotice error={run.error} />}
      {run.data && (
        <Alert role="status" showIcon type={status === 'running' ? 'info' : status === 'failed' ? 'error' : status === 'skipped' ? 'warning' : 'success'}
          title={t(`${r}.runTitle`, { id: run.data.id, status: t(`${r}.runStatuses.${run.data.status}`) })}
          description={<Lines lines={words.detail(run.data)} />} />
      )}
    </Space>
  );
}

export function ClassifierSection() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const words = useRunWords();
  const models = useModels();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {models.error && <ErrorNotice error={models.error} />}
      <Card size="small" title={t(`${r}.models`)}>
        <Table<Model> rowKey="id" size="small" loading={models.isFetching} dataSource={models.data?.models ?? []} pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t(`${r}.noModels`)} /> }}
          columns={[
            { title: t(`${r}.target`), dataIndex: 'target', render: words.target },
            { title: t(`${r}.version`), dataIndex: 'version', render: (v: number) => `v${v}` },
            { title: t(`${r}.status`), dataIndex: 'status', render: (s: Model['status']) => <ToneTag tone={TONE[s]}>{t(`${r}.statuses.${s}`)}</ToneTag> },
            { title: t(`${r}.trainedAt`), dataIndex: 'trainedAt', render: when },
            { title: t(`${r}.texts`), key: 'texts', render: (_: unknown, m) => `${m.trainingTexts} / ${m.heldBackTexts}` },
            { title: t(`${r}.accuracy`), key: 'acc', render: (_: unknown, m) => percent(m.scores.accuracy) },
            { title: t(`${r}.macroF1`), key: 'f1', render: (_: unknown, m) => m.scores.macroF1.toFixed(3) },
            { title: t(`${r}.top3`), key: 'top3', render: (_: unknown, m) => percent(m.scores.top3Accuracy) },
            { title: `${t(`${r}.baseline`)} · ${t(`${r}.macroF1`)}`, key: 'base', render: (_: unknown, m) => m.baselineScores?.macroF1.toFixed(3) ?? '—' },
            { title: t(`${r}.decision`), dataIndex: 'decision', render: words.decision },
          ]} />
      </Card>
      <Card size="small" title={t(`${r}.runs`)}>
        <Training />
        <Table<Run> rowKey="id" size="small" style={{ marginTop: 16 }} loading={models.isFetching} dataSource={models.data?.runs ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }} locale={{ emptyText: <Empty description={t(`${r}.noRuns`)} /> }}
          columns={[
            { title: '#', dataIndex: 'id', width: 60 },
            { title: t(`${r}.cause`), dataIndex: 'cause', render: (c: Run['cause']) => t(`${r}.causes.${c}`) },
            { title: t(`${r}.status`), dataIndex: 'status', render: (s: Run['status']) => <ToneTag tone={TONE[s]}>{t(`${r}.runStatuses.${s}`)}</ToneTag> },
            { title: t(`${r}.startedAt`), dataIndex: 'startedAt', render: when },
            { title: t(`${r}.finishedAt`), dataIndex: 'finishedAt', render: when },
            { title: t(`${r}.detail`), key: 'detail', render: (_: unknown, run) => <Lines lines={words.detail(run)} /> },
          ]} />
      </Card>
      <Card size="small" title={t(`${r}.acceptance`)}><Acceptance /></Card>
    </Space>
  );
}
