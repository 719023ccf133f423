// One group's ranking: each unit's rank, its main figures, the rates and the score. Every figure is
// a button opening the orders behind it; a row's expansion shows all the figures.
import { Button, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { FigureName, RateName, UnitAssessment } from '../api/assessment';
import { percent } from '../../../shared/format';

const MAIN_FIGURES: FigureName[] = ['accountable', 'signedOnTime', 'repliedOnTime', 'overdue', 'visited', 'solved', 'unsatisfied'];
const RATE_NAMES: RateName[] = ['responseRate', 'onTimeReplyRate', 'resolutionRate', 'satisfactionRate'];


export interface RankingProps {
  units: UnitAssessment[];
  selected: string | null;
  onSelect: (unit: UnitAssessment) => void;
  onFigure: (unit: UnitAssessment, figure: FigureName) => void;
}

export function RankingTable({ units, selected, onSelect, onFigure }: RankingProps) {
  const { t } = useTranslation();
  const figure = (name: FigureName) => (n: number, unit: UnitAssessment) => (
    <Button type="link" size="small" disabled={n === 0} onClick={(e) => { e.stopPropagation(); onFigure(unit, name); }}
      aria-label={`${unit.unit.name} ${t(`assessment.figures.${name}`)} ${n}`}>{n}</Button>
  );
  const columns: ColumnsType<UnitAssessment> = [
    { title: t('assessment.rank'), dataIndex: 'rank', width: 64, render: (rank: number | null) => rank ?? '—' },
    { title: t('assessment.unit'), dataIndex: ['unit', 'name'], width: 200 },
    ...MAIN_FIGURES.map((name) => ({ title: t(`assessment.figures.${name}`), dataIndex: ['figures', name], align: 'right' as const, render: figure(name) })),
    ...RATE_NAMES.map((name) => ({
      title: t(`assessment.rates.${name}`), dataIndex: ['rates', name], align: 'right' as const,
      render: (rate: number | null) => (rate === null ? <Tooltip title={t('assessment.noRate')}><span>—</span></Tooltip> : percent(rate)),
    })),
    { title: t('assessment.score'), dataIndex: 'score', align: 'right', render: (score: number | null) => <Typography.Text strong>{score === null ? '—' : score.toFixed(1)}</Typography.Text> },
  ];
  return (
    <Table<UnitAssessment> rowKey={(u) => u.unit.id} size="small" dataSource={units} columns={columns} pagination={{ pageSize: 20, hideOnSinglePage: true }}
      rowClassName={(u) => (u.unit.id === selected ? 'ant-table-row-selected' : '')}
      onRow={(u) => ({ onClick: () => onSelect(u), style: { cursor: 'pointer' } })}
      expandable={{
        expandedRowRender: (u) => (
          <Space wrap size={[16, 4]}>
            {(Object.keys(u.figures) as FigureName[]).map((name) => (
              <span key={name}>{t(`assessment.figures.${name}`)}: {figure(name)(u.figures[name], u)}</span>
            ))}
          </Space>
        ),
      }} />
  );
}
