// Assessment (考核): the month's rankings by level with the rates and the score, each figure
// opening the orders behind it, a group's scores and a unit's last six months drawn, and the
// month's Excel workbook. Leaders and the hotline see every unit; a unit's manager their own subtree.
import { Button, Card, Col, Empty, Row, Segmented, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../shared/error-notice';
import { useDownload } from '../../shared/use-download';
import { monthsUpTo, thisMonth } from '../../shared/format';
import { downloadWorkbook, useAssessment, type FigureName, type UnitAssessment } from './api/assessment';
import { GroupScores, UnitTrend } from './components/charts';
import { FigureOrders } from './components/figure-orders';
import { RankingTable } from './components/ranking-table';

const LEVELS = ['leader', 'department', 'district', 'street', 'community'] as const;

/** The groups of one level (departments are one group; streets one per district), in the API's order. */
function groupsOf(units: UnitAssessment[], level: string, levelName: string): { key: string; name: string; units: UnitAssessment[] }[] {
  const groups = new Map<string, { key: string; name: string; units: UnitAssessment[] }>();
  for (const u of units.filter((x) => x.unit.level === level)) {
    // a whole level is named in the user's language; a district or street by its own name
    const g = groups.get(u.group.key) ?? { key: u.group.key, name: u.group.key === level ? levelName : u.group.name, units: [] };
    g.units.push(u);
    groups.set(u.group.key, g);
  }
  return [...groups.values()];
}

export function AssessmentPage() {
  const { t } = useTranslation();
  const [month, setMonth] = useState(thisMonth);
  const [level, setLevel] = useState<string | null>(null);
  const [groupKey, setGroupKey] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [shown, setShown] = useState<{ unit: UnitAssessment; figure: FigureName } | null>(null);
  const workbook = useDownload('assessment.exported');
  const assessment = useAssessment(month);
  const units = assessment.data?.units ?? [];
  const levels = LEVELS.filter((l) => units.some((u) => u.unit.level === l));
  const currentLevel = level && levels.includes(level as never) ? level : levels[0] ?? null;
  const groups = useMemo(() => (currentLevel ? groupsOf(units, currentLevel, t(`assessment.levels.${currentLevel}`)) : []), [units, currentLevel, t]);
  const group = groups.find((g) => g.key === groupKey) ?? groups[0];
  const selected = group?.units.find((u) => u.unit.id === selectedId) ?? group?.units[0] ?? null;
  const weights = assessment.data?.weights;


  return (
    <Card title={t('menu.assessment')} extra={<Button onClick={() => workbook.download(() => downloadWorkbook(month))} loading={workbook.downloading}>{t('assessment.export')}</Button>}>
      <Space wrap size="large" style={{ marginBottom: 16 }}>
        <label>{t('assessment.month')}{' '}
          <Select aria-label={t('assessment.month')} value={month} onChange={setMonth} style={{ width: 120 }}
            options={monthsUpTo(thisMonth(), 24).reverse().map((m) => ({ value: m, label: m }))} />
        </label>
        {levels.length > 0 && (
          <Segmented aria-label={t('assessment.level')} value={currentLevel ?? undefined} onChange={(v) => { setLevel(String(v)); setGroupKey(null); }}
            options={levels.map((l) => ({ value: l, label: t(`assessment.levels.${l}`) }))} />
        )}
        {groups.length > 1 && (
          <label>{t('assessment.group')}{' '}
            <Select aria-label={t('assessment.group')} value={group?.key} onChange={setGroupKey} showSearch optionFilterProp="label" style={{ width: 200 }}
              options={groups.map((g) => ({ value: g.key, label: g.name }))} />
          </label>
        )}
      </Space>
      {weights && <Typography.Paragraph type="secondary">{t('assessment.weights', weights)}</Typography.Paragraph>}
      {assessment.error && <ErrorNotice error={assessment.error} />}
      {!assessment.isPending && !group && <Empty description={t('assessment.empty')} />}
      {group && (
        <>
          <RankingTable units={group.units} selected={selected?.unit.id ?? null}
            onSelect={(u) => setSelectedId(u.unit.id)} onFigure={(unit, figure) => setShown({ unit, figure })} />
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col xs={24} lg={12}><GroupScores group={group.name} units={group.units} /></Col>
            <Col xs={24} lg={12}><UnitTrend month={month} unit={selected} /></Col>
          </Row>
        </>
      )}
      <FigureOrders month={month} shown={shown} onClose={() => setShown(null)} />
    </Card>
  );
}
