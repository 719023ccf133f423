// Each agent's month: samples drawn and reviewed, the mis-routed and reopened among them, the average
// and lowest score, and each item of the sheets as a share of its most: where the agent loses points.
import { Button, Empty, Flex, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/error-notice';
import { useDownload } from '../../../shared/use-download';
import { downloadScores } from '../api/download-scores';
import { useAgentScores, type AgentScore } from '../api/reviews';

const pct = (v: number | null | undefined) => (v == null ? '—' : `${v}%`);

export function ScoresView({ month }: { month: string }) {
  const { t } = useTranslation();
  const workbook = useDownload('quality.scores.exported');
  const scores = useAgentScores(month);
  const agents = scores.data?.agents ?? [];
  // every item of the month's sheets, in the order first met
  const labels = [...new Set(agents.flatMap((a) => a.items.map((i) => i.label)))];
  return (
    <>
      <Flex justify="space-between" align="start" gap={16}>
        <Typography.Paragraph type="secondary">{t('quality.scores.hint')}</Typography.Paragraph>
        <Button onClick={() => workbook.download(() => downloadScores(month))} loading={workbook.downloading} disabled={agents.length === 0}>{t('quality.scores.export')}</Button>
      </Flex>
      {scores.error && <ErrorNotice error={scores.error} />}
      <Table<AgentScore> rowKey="agentId" size="middle" loading={scores.isFetching} dataSource={agents} pagination={false} scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('quality.scores.empty')} /> }}
        columns={[
          { title: t('quality.columns.agent'), dataIndex: 'agentName', fixed: 'left', render: (name: string | null, a) => name ?? a.agentId },
          { title: t('quality.scores.drawn'), dataIndex: 'drawn', align: 'right' },
          { title: t('quality.scores.reviewed'), dataIndex: 'reviewed', align: 'right' },
          { title: t('quality.scores.misrouted'), dataIndex: 'misrouted', align: 'right' },
          { title: t('quality.scores.reopened'), dataIndex: 'reopened', align: 'right' },
          { title: t('quality.scores.average'), dataIndex: 'averagePercent', align: 'right', render: (v: number | null) => <strong>{pct(v)}</strong> },
          { title: t('quality.scores.lowest'), dataIndex: 'lowestPercent', align: 'right', render: pct },
          ...labels.map((label) => ({ title: label, key: label, align: 'right' as const,
            render: (_: unknown, a: AgentScore) => pct(a.items.find((i) => i.label === label)?.percent) })),
        ]} />
    </>
  );
}
